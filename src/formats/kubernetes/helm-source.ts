/**
 * Rendered Helm output (`helm template . | portwall -`): each document follows a
 * `# Source: chart/templates/x.yaml` comment. Located values of such a file get a provenance
 * hop at that comment, naming the template that produced them.
 */
import type { Hop, Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';

const SOURCE_COMMENT = /^# Source: (.+?)\s*$/gm;

export function addHelmSourceHops(model: object, files: SourceFile[]): void {
  const comments = new Map<string, { offset: number; end: number; source: string }[]>();
  for (const file of files) {
    if (!file.text.includes('# Source: ')) continue;
    const list: { offset: number; end: number; source: string }[] = [];
    SOURCE_COMMENT.lastIndex = 0;
    for (let m = SOURCE_COMMENT.exec(file.text); m; m = SOURCE_COMMENT.exec(file.text)) list.push({ offset: m.index, end: m.index + m[0].length, source: m[1]! });
    if (list.length) comments.set(file.path, list);
  }
  if (comments.size === 0) return;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const obj = node as { value?: unknown; location?: Location; via?: Hop[] };
    const list = obj.location ? comments.get(obj.location.file) : undefined;
    if (list && 'value' in obj && obj.location) {
      const at = obj.location.region.startOffset;
      let comment: (typeof list)[number] | undefined;
      for (const c of list) if (c.offset <= at) comment = c;
      const file = byPath.get(obj.location.file);
      if (comment && file) {
        const note = `rendered by Helm from ${comment.source}`;
        if (!(obj.via ?? []).some((h) => h.note === note)) obj.via = [...(obj.via ?? []), { location: { file: file.path, region: file.index.region(comment.offset, comment.end) }, note }];
      }
    }
    for (const v of Object.values(obj)) if (v && typeof v === 'object') visit(v);
  };
  visit(model);
}
