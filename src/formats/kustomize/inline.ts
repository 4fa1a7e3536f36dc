/**
 * Inline patches (`patch: |-` block scalars) parsed where they are written: the kustomization's
 * text with everything but the block's body blanked out parses to the same documents, with
 * offsets that are the kustomization's own, so patch values are located at their real lines.
 */
import { parseYaml } from '../yaml/index.js';
import type { SourceFile } from '../types.js';
import { fromYaml, str, type KValue, type Origin } from './tree.js';

function relocate(value: KValue, origin: Origin): KValue {
  if (value.t === 'scalar') return { ...value, origin };
  if (value.t === 'seq') return { t: 'seq', items: value.items.map((i) => relocate(i, origin)), origin };
  return { t: 'map', entries: value.entries.map((e) => ({ key: e.key, keyOrigin: origin, value: relocate(e.value, origin) })), origin };
}

export function inlineDocuments(file: SourceFile, value: KValue): KValue[] {
  const text = str(value) ?? '';
  const region = value.origin.location.region;
  const header = file.text[region.startOffset];
  let virtual: SourceFile;
  let exact = false;
  if (header === '|' && value.origin.location.file === file.path) {
    const lineEnd = file.text.indexOf('\n', region.startOffset);
    const start = lineEnd === -1 ? region.endOffset : lineEnd + 1;
    const end = region.endOffset;
    const blanked = file.text.replace(/[^\n]/g, (ch, offset: number) => (offset >= start && offset < end ? ch : ch === '\r' ? '\r' : ' '));
    virtual = { path: file.path, text: blanked, index: file.index, cache: new Map() };
    exact = true;
  } else {
    virtual = { path: file.path, text, index: file.index, cache: new Map() };
  }
  const yaml = parseYaml(virtual);
  if (yaml.failure) throw new Error(yaml.failure.message);
  const docs = yaml.documents.filter((d) => d.contents !== null && d.contents !== undefined).map((d) => fromYaml(d.contents, d, virtual));
  return exact ? docs : docs.map((d) => relocate(d, value.origin));
}
