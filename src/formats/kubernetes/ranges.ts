/**
 * Tight regions for YAML nodes. The `yaml` library's range of a block collection runs past
 * its last value into trailing comments and the line break, so a region built from it would
 * end at column 1 of the next line; findings must end where the last value ends.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';

const MAX_DEPTH = 64;

/** End offset of the last character that belongs to the node's value. */
function tightEnd(node: unknown, text: string, depth = 0): number | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  if (isPair(node)) return tightEnd(node.value, text, depth + 1) ?? tightEnd(node.key, text, depth + 1);
  const range = (node as Node).range;
  if (!range) return undefined;
  if (isScalar(node)) {
    // Block scalars (`|`, `>`) keep their trailing line breaks in the range.
    let end = range[1];
    while (end > range[0] && /\s/.test(text[end - 1]!)) end--;
    return end;
  }
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items[node.items.length - 1];
    return tightEnd(last, text, depth + 1) ?? range[1];
  }
  return range[1];
}

/** Offsets [start, end) of a node or pair, from its first character to the end of its last value. */
function tightRange(node: unknown, text: string): [number, number] | undefined {
  if (!node) return undefined;
  const start = isPair(node) ? ((node.key as Node | null)?.range?.[0] ?? (node.value as Node | null)?.range?.[0]) : (node as Node).range?.[0];
  if (start === undefined) return undefined;
  const end = tightEnd(node, text) ?? start;
  return [start, Math.max(start, end)];
}

export function tightLocation(file: SourceFile, node: unknown): Location | undefined {
  const range = tightRange(node, file.text);
  if (!range) return undefined;
  return { file: file.path, region: file.index.region(range[0], range[1]) };
}

/** Location of a substring inside a scalar's source text (one CIDR of a comma-separated annotation). */
export function substringLocation(file: SourceFile, node: Node, needle: string): Location | undefined {
  const range = node.range;
  if (!range || !needle) return undefined;
  const at = file.text.slice(range[0], range[1]).indexOf(needle);
  if (at === -1) return undefined;
  const start = range[0] + at;
  return { file: file.path, region: file.index.region(start, start + needle.length) };
}
