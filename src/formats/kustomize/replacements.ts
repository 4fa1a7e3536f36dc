/**
 * `replacements`: copy a field of one resource into fields of others. The copied value keeps
 * the location of its source, with a hop to the replacement that carried it.
 */
import { matchesSelector, selectorOf, type Resource } from './resources.js';
import { clone, get, set, str, type KMap, type KValue, type Origin } from './tree.js';

type Segment = { key: string } | { index: number } | { match: [string, string] } | { all: true };

function parseFieldPath(fieldPath: string): Segment[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of fieldPath) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p !== '').map((p) => {
    const m = /^\[([^=\]]+)=([^\]]*)\]$/.exec(p);
    if (m) return { match: [m[1]!, m[2]!] as [string, string] };
    if (p === '*' || p === '[*]' || p === '[]') return { all: true as const };
    if (/^\d+$/.test(p)) return { index: Number(p) };
    return { key: p };
  });
}

interface Slot {
  get(): KValue | undefined;
  put(value: KValue): void;
}

function slots(node: KValue, segments: Segment[], create: boolean, origin: Origin): Slot[] {
  if (segments.length === 0) return [];
  const [head, ...rest] = segments as [Segment, ...Segment[]];
  const last = rest.length === 0;
  if ('key' in head) {
    if (node.t !== 'map') return [];
    if (last) return [{ get: () => get(node, head.key), put: (v) => set(node, head.key, v) }];
    let next = get(node, head.key);
    if (!next && create) {
      next = 'key' in rest[0]! ? { t: 'map', entries: [], origin } : { t: 'seq', items: [], origin };
      set(node, head.key, next, origin);
    }
    return next ? slots(next, rest, create, origin) : [];
  }
  if (node.t !== 'seq') return [];
  const picked: number[] =
    'index' in head ? (head.index < node.items.length ? [head.index] : []) : 'all' in head ? node.items.map((_, i) => i) : node.items.flatMap((item, i) => (str(get(item, head.match[0])) === head.match[1] ? [i] : []));
  if (last) return picked.map((i) => ({ get: () => node.items[i], put: (v: KValue) => void (node.items[i] = v) }));
  return picked.flatMap((i) => slots(node.items[i]!, rest, create, origin));
}

export class ReplacementError extends Error {
  constructor(message: string, readonly origin: Origin) {
    super(message);
  }
}

function delimited(text: string, delimiter: string, index: number, replacement?: string): string {
  const parts = text.split(delimiter);
  if (replacement === undefined) return parts[index] ?? '';
  if (index >= parts.length) parts.push(replacement);
  else parts[index] = replacement;
  return parts.join(delimiter);
}

export function applyReplacements(resources: Resource[], replacements: KValue[]): void {
  for (const replacement of replacements) {
    if (replacement.t !== 'map') continue;
    const source = get(replacement, 'source') as KMap | undefined;
    const sources = resources.filter((r) => matchesSelector(r, selectorOf(source)));
    if (sources.length !== 1) throw new ReplacementError(sources.length === 0 ? 'the replacement source matches no resource' : 'the replacement source matches more than one resource', source?.origin ?? replacement.origin);
    const fieldPath = str(get(source, 'fieldPath')) ?? 'metadata.name';
    const found = slots(sources[0]!.tree, parseFieldPath(fieldPath), false, replacement.origin)[0]?.get();
    if (!found) throw new ReplacementError(`the replacement source has no field ${fieldPath}`, source?.origin ?? replacement.origin);
    const sourceOptions = get(source, 'options');
    let value = clone(found);
    const hop = { location: replacement.origin.location, note: `copied here by a replacement from ${fieldPath}` };
    const delimiter = str(get(sourceOptions, 'delimiter'));
    if (delimiter !== undefined && value.t === 'scalar') value = { t: 'scalar', value: delimited(str(value) ?? '', delimiter, Number(str(get(sourceOptions, 'index')) ?? 0)), origin: value.origin };
    value = { ...value, origin: { location: value.origin.location, hops: [...(value.origin.hops ?? []), hop] } } as KValue;
    const targets = get(replacement, 'targets');
    for (const target of targets?.t === 'seq' ? targets.items : []) {
      const select = selectorOf(get(target, 'select') as KMap | undefined);
      const rejects = get(target, 'reject');
      const rejected = (r: Resource) => (rejects?.t === 'seq' ? rejects.items : []).some((s) => matchesSelector(r, selectorOf(s as KMap)));
      const options = get(target, 'options');
      const create = str(get(options, 'create')) === 'true';
      const targetDelimiter = str(get(options, 'delimiter'));
      const index = Number(str(get(options, 'index')) ?? 0);
      const fieldPaths = get(target, 'fieldPaths');
      for (const r of resources) {
        if (!matchesSelector(r, select) || rejected(r)) continue;
        for (const fp of fieldPaths?.t === 'seq' ? fieldPaths.items : [{ t: 'scalar', value: 'metadata.name', origin: target.origin } as KValue]) {
          const found = slots(r.tree, parseFieldPath(str(fp) ?? ''), create, fp.origin);
          if (found.length === 0) {
            if (create) continue;
            throw new ReplacementError(`unable to find field ${str(fp)} in replacement target ${r.names.at(-1)}`, fp.origin);
          }
          for (const slot of found) {
            const current = slot.get();
            if (targetDelimiter !== undefined && current?.t === 'scalar' && value.t === 'scalar') slot.put({ t: 'scalar', value: delimited(str(current) ?? '', targetDelimiter, index, str(value) ?? ''), origin: value.origin });
            // kustomize writes the text into the target scalar, which keeps its type: a port number
            // copied into an `args` string stays a string.
            else if (current?.t === 'scalar' && typeof current.value === 'string' && value.t === 'scalar' && value.value !== null && typeof value.value !== 'string') slot.put({ t: 'scalar', value: String(value.value), origin: value.origin });
            else slot.put(clone(value));
          }
        }
      }
    }
  }
}
