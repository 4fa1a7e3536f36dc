/**
 * Evaluated Terraform values. Every value keeps the location of the literal that produced
 * it (a CIDR from a variable default in variables.tf points there), so adapters can locate
 * sources without knowing where they came from. HCL and plan JSON both produce these.
 */
import type { Hop, LineIndex, Location } from '../../core/location.js';
import type { JsonNode } from './json-located.js';

/** Largest collection the evaluator builds (for, range, count); larger ones become unknown. */
export const MAX_COLLECTION = 10_000;

export interface FileRef {
  path: string;
  index: LineIndex;
}

/** A provenance hop; `argument` names the module call (module.sg) when the hop is that call's argument. */
export interface TrailHop extends Hop {
  argument?: string;
}

interface Base {
  /** Where the value is used: the literal, or the last reference it was read through. */
  loc: Location;
  /** Set when the value was read through a reference to another resource (its address). */
  via?: string;
  /** Places the value passed through before `loc` (variable default, tfvars, local, module argument), from `loc` outward. */
  trail?: TrailHop[];
}

export type StringValue = Base & {
  kind: 'string';
  value: string;
  /** What jsonencode() encoded, so policies keep their structure and locations. */
  encoded?: TfValue;
  /** The string's characters are the file text from this offset on (no escapes), for locating JSON inside. */
  verbatim?: { file: FileRef; offset: number };
  /** File text that holds the same JSON as the string (a heredoc with its indentation), for locating JSON inside. */
  jsonSource?: { file: FileRef; start: number; end: number };
};
type NumberValue = Base & { kind: 'number'; value: number };
type BoolValue = Base & { kind: 'bool'; value: boolean };
type NullValue = Base & { kind: 'null' };
type ListValue = Base & { kind: 'list'; items: TfValue[] };
export type ObjectValue = Base & {
  kind: 'object';
  entries: Map<string, TfValue>;
  /** Where each attribute is written (`name = value` as a whole), for findings about an attribute. */
  attributeLocs: Map<string, Location>;
};
type UnknownValue = Base & {
  kind: 'unknown';
  /** Human reason: "var.db_port has no default". */
  reason: string;
  /** The expression that could not be resolved: "var.db_port". */
  label: string;
  /** An evaluation error (missing attribute, bad index) rather than a value known only later; try() falls back on these. */
  error?: boolean;
  encoded?: TfValue;
};

export type TfValue = StringValue | NumberValue | BoolValue | NullValue | ListValue | ObjectValue | UnknownValue;

export function region(file: FileRef, start: number, end: number): Location {
  return { file: file.path, region: file.index.region(start, end) };
}

export function unknown(reason: string, label: string, loc: Location, error = false): UnknownValue {
  return { kind: 'unknown', reason, label, loc, ...(error ? { error: true } : {}) };
}

export function str(value: string, loc: Location): StringValue {
  return { kind: 'string', value, loc };
}

export function num(value: number, loc: Location): NumberValue {
  return { kind: 'number', value, loc };
}

export function bool(value: boolean, loc: Location): BoolValue {
  return { kind: 'bool', value, loc };
}

export function list(items: TfValue[], loc: Location): ListValue {
  return { kind: 'list', items, loc };
}

export function object(entries: Map<string, TfValue>, loc: Location, attributeLocs = new Map<string, Location>()): ObjectValue {
  return { kind: 'object', entries, attributeLocs, loc };
}

/** The first unknown inside a value, depth-first (for "why is this unknown"). */
export function firstUnknown(value: TfValue, depth = 0): UnknownValue | undefined {
  if (value.kind === 'unknown') return value;
  if (depth > 64) return undefined;
  if (value.kind === 'list') {
    for (const item of value.items) {
      const u = firstUnknown(item, depth + 1);
      if (u) return u;
    }
  } else if (value.kind === 'object') {
    for (const item of value.entries.values()) {
      const u = firstUnknown(item, depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** Attribute of an object value; undefined when absent or null. */
export function attr(value: TfValue | undefined, name: string): TfValue | undefined {
  if (!value || value.kind !== 'object') return undefined;
  const v = value.entries.get(name);
  return v && v.kind !== 'null' ? v : undefined;
}

/**
 * Nested blocks of a resource: a block type written as blocks, as `name = [{...}]`, as a
 * single object (JSON syntax), or an unknown list (dynamic over an unknown collection).
 */
export function blocksOf(value: TfValue | undefined, name: string): TfValue[] {
  const v = attr(value, name);
  if (!v) return [];
  if (v.kind === 'list') return v.items.filter((item) => item.kind === 'object' || item.kind === 'unknown');
  if (v.kind === 'object' || v.kind === 'unknown') return [v];
  return [];
}

/** Elements of a list-ish attribute; a single value counts as a list of one. */
export function elementsOf(value: TfValue | undefined): TfValue[] {
  if (!value || value.kind === 'null') return [];
  if (value.kind === 'list') return value.items.flatMap((item) => (item.kind === 'list' ? item.items : [item]));
  return [value];
}

export function asString(value: TfValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number') return formatNumber(value.value);
  if (value.kind === 'bool') return String(value.value);
  return undefined;
}

export function asNumber(value: TfValue | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value.value)) return Number(value.value);
  return undefined;
}

/** true/false, with Terraform's string conversion ("true"); undefined for unknown or absent. */
export function asBool(value: TfValue | undefined): boolean | undefined {
  if (!value) return undefined;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string' && (value.value === 'true' || value.value === 'false')) return value.value === 'true';
  return undefined;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

/** Plain JS value for comparisons and jsonencode; unknowns become undefined. */
export function toPlain(value: TfValue, depth = 0): unknown {
  if (depth > 64) return undefined;
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map((item) => toPlain(item, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value.entries) out[k] = toPlain(v, depth + 1);
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * A JSON node as a literal value (tfvars JSON, plan JSON, policies). With a FileRef the
 * values are located in that file; with a Location (JSON inside a computed string) every
 * value points at that one place.
 */
export function jsonValue(node: JsonNode, where: FileRef | Location, depth = 0): TfValue {
  const inFile = 'index' in where;
  const loc = inFile ? region(where, node.start, node.end) : where;
  if (depth > 200) return unknown('the JSON value is nested too deeply', '(json)', loc);
  switch (node.kind) {
    case 'string': {
      const value = str(node.value, loc);
      if (inFile && !node.escaped) value.verbatim = { file: where, offset: node.start + 1 };
      return value;
    }
    case 'number':
      return num(node.value, loc);
    case 'bool':
      return bool(node.value, loc);
    case 'null':
      return { kind: 'null', loc };
    case 'array':
      return list(
        node.items.map((item) => jsonValue(item, where, depth + 1)),
        loc,
      );
    case 'object': {
      const entries = new Map<string, TfValue>();
      const locs = new Map<string, Location>();
      for (const entry of node.entries) {
        entries.set(entry.key, jsonValue(entry.value, where, depth + 1));
        locs.set(entry.key, inFile ? region(where, entry.keyStart, entry.value.end) : loc);
      }
      return object(entries, loc, locs);
    }
  }
}

/** Values larger than this keep their own locations when read through a reference (bounded work). */
const MAX_REHOMED_NODES = 20_000;

function sameSpan(a: Location, b: Location): boolean {
  return a.file === b.file && a.region.startOffset === b.region.startOffset && a.region.endOffset === b.region.endOffset;
}

/** A short, safe rendering of a scalar for hop notes ("0.0.0.0/0", "9200", "true"); never long text or secrets. */
function shortValue(value: TfValue): string | undefined {
  if (value.kind === 'bool') return String(value.value);
  if (value.kind === 'number') return formatNumber(value.value);
  // Addresses, CIDRs, ports and the wildcard words of firewalls only: anything else may be a secret.
  if (value.kind === 'string' && value.value.length <= 45 && (/^[0-9a-fA-F.:/]*\d[0-9a-fA-F.:/]*$/.test(value.value) || /^(\*|Internet|Any|any|all|-1|tcp|udp)$/.test(value.value))) return value.value;
  return undefined;
}

/**
 * The value as seen at a reference (`var.admin_cidrs` in a resource): every element is now
 * located at the reference, and where it was before becomes the first hop of its trail,
 * with a note saying what that place contributed ("0.0.0.0/0 comes from the default of
 * var.admin_cidrs"). `note` completes the sentence after the value.
 */
export function rehome(value: TfValue, loc: Location, note: string, argument?: string): TfValue {
  const budget = { nodes: MAX_REHOMED_NODES };
  const walk = (v: TfValue, depth: number): TfValue => {
    if (--budget.nodes < 0 || depth > 64) return v;
    if (sameSpan(v.loc, loc)) return v;
    const shown = shortValue(v);
    const hop: TrailHop = { location: v.loc, note: `${shown ?? 'the value'} ${note}`, ...(argument ? { argument } : {}) };
    const trail = [hop, ...(v.trail ?? [])];
    if (v.kind === 'list') return { ...v, loc, trail, items: v.items.map((item) => walk(item, depth + 1)) };
    if (v.kind === 'object') {
      const entries = new Map<string, TfValue>();
      for (const [k, item] of v.entries) entries.set(k, walk(item, depth + 1));
      return { ...v, loc, trail, entries };
    }
    return { ...v, loc, trail };
  };
  return walk(value, 0);
}
