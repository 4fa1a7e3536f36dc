/**
 * The built resource tree: plain YAML values where every node remembers where it was set
 * (the base line, the patch line, the kustomization field of a transformer), plus the hops
 * it passed through. Builders are pure functions over these trees.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
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
/**
 * Values one document may expand to through aliases and merge keys (a node aliased twice inside
 * itself doubles at every level): more is that document's error, as for Helm's values.
 */
export const MAX_TREE_VALUES = 250_000;

/** A document that cannot become a tree: an alias inside its own anchor, too deep, too many values. */
export class TreeTooComplex extends Error {
  constructor(
    message: string,
    readonly origin: Origin,
  ) {
    super(message);
  }
}

/** Work of one document's conversion: values built (through aliases too) and the nodes being built. */
interface TreeWork {
  values: number;
  building: Set<object>;
  /** The aliases being expanded, innermost last: where a budget that runs out is reported. */
  aliases: unknown[];
}

export function fileStart(file: SourceFile): Location {
  return { file: file.path, region: file.index.region(0, Math.min(file.text.length, Math.max(1, file.index.lineText(1).length))) };
}

function originOf(file: SourceFile, node: unknown, hops?: Hop[]): Origin {
  const location = tightLocation(file, node) ?? fileStart(file);
  return hops && hops.length > 0 ? { location, hops } : { location };
}

/** A YAML node of a source file as a tree whose every value is located in that file. */
export function fromYaml(node: unknown, doc: YamlDocument, file: SourceFile, budget = new AliasBudget()): KValue {
  return build(node, doc, file, budget, 0, { values: 0, building: new Set(), aliases: [] });
}

function build(node: unknown, doc: YamlDocument, file: SourceFile, budget: AliasBudget, depth: number, work: TreeWork): KValue {
  if (!isAlias(node)) return buildTarget(node, node, doc, file, budget, depth, work);
  work.aliases.push(node);
  try {
    return buildTarget(node, deref(node, doc, budget), doc, file, budget, depth, work);
  } finally {
    work.aliases.pop();
  }
}

function buildTarget(node: unknown, target: unknown, doc: YamlDocument, file: SourceFile, budget: AliasBudget, depth: number, work: TreeWork): KValue {
  const origin = originOf(file, target ?? node);
  const at = (): Origin => originOf(file, work.aliases.at(-1) ?? target ?? node);
  if (target === undefined && budget.exhausted) throw new TreeTooComplex('the document is too complex to check (it resolves too many aliases)', at());
  if (++work.values > MAX_TREE_VALUES) throw new TreeTooComplex(`the document is too large or too complex to check (its aliases expand to more than ${MAX_TREE_VALUES} values)`, at());
  if (depth > MAX_DEPTH) throw new TreeTooComplex(`the document nests more than ${MAX_DEPTH} levels deep: too deep to check`, at());
  if (isMap(target) || isSeq(target)) {
    // kustomize's YAML reader refuses an anchor used inside itself (it has no finite value).
    if (work.building.has(target)) throw new TreeTooComplex(`invalid YAML: an alias${isAlias(node) ? ` *${node.source}` : ''} is used inside its own anchor`, at());
    work.building.add(target);
    try {
      if (isSeq(target)) return { t: 'seq', items: seqItems(target, doc, budget).map((i) => build(i, doc, file, budget, depth + 1, work)), origin };
      const entries: KEntry[] = mapEntries(target, doc, budget).map((e) => ({
        key: e.key,
        keyOrigin: originOf(file, e.pair),
        value: e.value === undefined ? { t: 'scalar', value: null, origin: originOf(file, e.pair) } : build(isAlias(e.pair.value) ? e.pair.value : e.value, doc, file, budget, depth + 1, work),
      }));
      return { t: 'map', entries, origin };
    } finally {
      work.building.delete(target);
    }
  }
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
