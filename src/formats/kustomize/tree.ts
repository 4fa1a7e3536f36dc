/**
 * The built resource tree: plain YAML values where every node remembers where it was set
 * (the base line, the patch line, the kustomization field of a transformer), plus the hops
 * it passed through. Builders are pure functions over these trees.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Hop, Location } from '../../core/location.js';
import { deref, mapEntries, seqItems, AliasBudget, type YamlDocument } from '../yaml/index.js';
import { tightLocation } from '../kubernetes/ranges.js';
import type { SourceFile } from '../types.js';

export interface Origin {
  location: Location;
  hops?: Hop[];
}

export type KValue = KMap | KSeq | KScalar;
export interface KEntry {
  key: string;
  /** Where the key was written (the whole `key: value` pair in its source). */
  keyOrigin: Origin;
  value: KValue;
}
export interface KMap {
  t: 'map';
  entries: KEntry[];
  origin: Origin;
}
export interface KSeq {
  t: 'seq';
  items: KValue[];
  origin: Origin;
}
type Scalar = string | number | boolean | null;
interface KScalar {
  t: 'scalar';
  value: Scalar;
  origin: Origin;
  /** The source spelling of a number or boolean (`newTag: 1.20` is the tag "1.20", not 1.2). */
  text?: string;
}

const MAX_DEPTH = 100;

export function fileStart(file: SourceFile): Location {
  return { file: file.path, region: file.index.region(0, Math.min(file.text.length, Math.max(1, file.index.lineText(1).length))) };
}

function originOf(file: SourceFile, node: unknown, hops?: Hop[]): Origin {
  const location = tightLocation(file, node) ?? fileStart(file);
  return hops && hops.length > 0 ? { location, hops } : { location };
}

/** A YAML node of a source file as a tree whose every value is located in that file. */
export function fromYaml(node: unknown, doc: YamlDocument, file: SourceFile, budget = new AliasBudget(), depth = 0): KValue {
  const target = deref(node, doc, budget);
  const origin = originOf(file, target ?? node);
  if (depth > MAX_DEPTH) return { t: 'scalar', value: null, origin };
  if (isMap(target)) {
    const entries: KEntry[] = mapEntries(target, doc, budget).map((e) => ({
      key: e.key,
      keyOrigin: originOf(file, e.pair),
      value: e.value === undefined ? { t: 'scalar', value: null, origin: originOf(file, e.pair) } : fromYaml(e.value, doc, file, budget, depth + 1),
    }));
    return { t: 'map', entries, origin };
  }
  if (isSeq(target)) return { t: 'seq', items: seqItems(target, doc, budget).map((i) => fromYaml(i, doc, file, budget, depth + 1)), origin };
  if (isScalar(target)) {
    const v = (target as { value: unknown }).value;
    const value: Scalar = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'boolean' ? v : typeof v === 'number' ? (Number.isFinite(v) ? v : String(v)) : String(v);
    const range = (target as { range?: [number, number] }).range;
    if (typeof value !== 'string' && value !== null && range) {
      const text = file.text.slice(range[0], range[1]).trim();
      if (text && text !== String(value)) return { t: 'scalar', value, origin, text };
    }
    return { t: 'scalar', value, origin };
  }
  return { t: 'scalar', value: null, origin };
}

/** A plain JS value as a tree, every node set at `origin`. */
export function fromPlain(value: unknown, origin: Origin): KValue {
  if (Array.isArray(value)) return { t: 'seq', items: value.map((v) => fromPlain(v, origin)), origin };
  if (value && typeof value === 'object') {
    return { t: 'map', entries: Object.entries(value).map(([key, v]) => ({ key, keyOrigin: origin, value: fromPlain(v, origin) })), origin };
  }
  return { t: 'scalar', value: (value ?? null) as Scalar, origin };
}

export function toPlain(value: KValue): unknown {
  if (value.t === 'scalar') return value.value;
  if (value.t === 'seq') return value.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const e of value.entries) out[e.key] = toPlain(e.value);
  return out;
}

export function clone(value: KValue): KValue {
  if (value.t === 'scalar') return { ...value };
  if (value.t === 'seq') return { t: 'seq', items: value.items.map(clone), origin: value.origin };
  return { t: 'map', entries: value.entries.map((e) => ({ key: e.key, keyOrigin: e.keyOrigin, value: clone(e.value) })), origin: value.origin };
}

export function get(value: KValue | undefined, key: string): KValue | undefined {
  if (!value || value.t !== 'map') return undefined;
  return value.entries.find((e) => e.key === key)?.value;
}

export function getPath(value: KValue | undefined, keys: readonly string[]): KValue | undefined {
  let current = value;
  for (const key of keys) current = get(current, key);
  return current;
}

export function str(value: KValue | undefined): string | undefined {
  if (!value || value.t !== 'scalar' || value.value === null) return undefined;
  return value.text ?? String(value.value);
}

export function set(map: KMap, key: string, value: KValue, keyOrigin: Origin = value.origin): void {
  const entry = map.entries.find((e) => e.key === key);
  if (entry) entry.value = value;
  else map.entries.push({ key, keyOrigin, value });
}

/** The map at `keys` under `root`, created (located at `origin`) where missing. */
export function ensureMap(root: KMap, keys: readonly string[], origin: Origin): KMap {
  let current = root;
  for (const key of keys) {
    let next = get(current, key);
    if (!next || next.t !== 'map') {
      next = { t: 'map', entries: [], origin };
      set(current, key, next, origin);
    }
    current = next;
  }
  return current;
}

export function scalar(value: Scalar, origin: Origin): KScalar {
  return { t: 'scalar', value, origin };
}
