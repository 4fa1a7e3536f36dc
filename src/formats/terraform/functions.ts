/**
 * The Terraform built-in functions that decide ports, sources and policies in real
 * configurations. Results keep their elements' locations (concat of two lists still points
 * at each CIDR literal). Any other function gives an unknown that names it.
 */
import type { Location } from '../../core/location.js';
import { parseJsonLocated } from './json-located.js';
import { joinPath } from './paths.js';
import type { FileRef, StringValue, TfValue } from './values.js';
import { asNumber, asString, bool, firstUnknown, jsonValue, list, MAX_COLLECTION, num, object, region, str, toPlain, unknown } from './values.js';
import { pushAll } from '../../core/arrays.js';

export const LAZY_FUNCTIONS = new Set(['try', 'can']);

interface CallContext {
  loc: Location;
  label: string;
  readText(path: string): { text: string; file: FileRef } | undefined;
  moduleDir: string;
}

type Fn = (args: TfValue[], ctx: CallContext) => TfValue;

const key = (v: TfValue): string => JSON.stringify(toPlain(v));

function listArg(v: TfValue | undefined): TfValue[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'list') return v.items;
  return undefined;
}

const FUNCTIONS: Record<string, Fn> = {
  concat: (args, c) => {
    const items: TfValue[] = [];
    for (const a of args) {
      const l = listArg(a);
      if (!l) return bad(a, c, 'concat() expects lists');
      pushAll(items, l);
    }
    return list(items, c.loc);
  },
  tolist: (args, c) => passList(args[0], c),
  toset: (args, c) => {
    const l = passList(args[0], c);
    return l.kind === 'list' ? list(dedupe(l.items), c.loc) : l;
  },
  distinct: (args, c) => {
    const l = passList(args[0], c);
    return l.kind === 'list' ? list(dedupe(l.items), c.loc) : l;
  },
  flatten: (args, c) => {
    const out: TfValue[] = [];
    const walk = (v: TfValue, depth: number): TfValue | undefined => {
      if (v.kind === 'unknown') return v;
      if (v.kind === 'list' && depth < 32) {
        for (const item of v.items) {
          const u = walk(item, depth + 1);
          if (u) return u;
        }
      } else out.push(v);
      return undefined;
    };
    const arg = args[0];
    if (!arg || arg.kind !== 'list') return bad(arg, c, 'flatten() expects a list');
    const u = walk(arg, 0);
    return u ? unknown(u.kind === 'unknown' ? u.reason : '', c.label, c.loc) : list(out, c.loc);
  },
  compact: (args, c) => {
    const l = passList(args[0], c);
    if (l.kind !== 'list') return l;
    return list(
      l.items.filter((v) => v.kind !== 'null' && !(v.kind === 'string' && v.value === '')),
      c.loc,
    );
  },
  element: (args, c) => {
    const l = listArg(args[0]);
    const i = asNumber(args[1]);
    if (!l || i === undefined) return bad(args[0]?.kind === 'unknown' ? args[0] : args[1], c, 'element() expects a list and an index');
    if (l.length === 0) return unknown('element() of an empty list', c.label, c.loc, true);
    return l[((Math.floor(i) % l.length) + l.length) % l.length]!;
  },
  length: (args, c) => {
    const a = args[0];
    if (a?.kind === 'list') return num(a.items.length, c.loc);
    if (a?.kind === 'object') return num(a.entries.size, c.loc);
    if (a?.kind === 'string') return num([...a.value].length, c.loc);
    return bad(a, c, 'length() expects a collection');
  },
  keys: (args, c) => {
    const a = args[0];
    if (a?.kind !== 'object') return bad(a, c, 'keys() expects a map');
    return list(
      [...a.entries.keys()].sort().map((k) => str(k, a.attributeLocs.get(k) ?? c.loc)),
      c.loc,
    );
  },
  values: (args, c) => {
    const a = args[0];
    if (a?.kind !== 'object') return bad(a, c, 'values() expects a map');
    return list(
      [...a.entries.keys()].sort().map((k) => a.entries.get(k)!),
      c.loc,
    );
  },
  merge: (args, c) => {
    const entries = new Map<string, TfValue>();
    const locs = new Map<string, Location>();
    for (const a of args) {
      if (a.kind === 'null') continue;
      if (a.kind !== 'object') return bad(a, c, 'merge() expects maps');
      for (const [k, v] of a.entries) entries.set(k, v);
      for (const [k, l] of a.attributeLocs) locs.set(k, l);
    }
    return object(entries, c.loc, locs);
  },
  lookup: (args, c) => {
    const [map, k, fallback] = args;
    const name = asString(k);
    if (map?.kind !== 'object' || name === undefined) return bad(map?.kind === 'object' ? k : map, c, 'lookup() expects a map and a key');
    return map.entries.get(name) ?? fallback ?? unknown(`lookup() found no key "${name}"`, c.label, c.loc, true);
  },
  tomap: (args, c) => (args[0]?.kind === 'object' ? args[0] : bad(args[0], c, 'tomap() expects a map')),
  tostring: (args, c) => {
    const a = args[0];
    if (a?.kind === 'string' || a?.kind === 'null') return a;
    const s = asString(a);
    return s === undefined ? bad(a, c, 'tostring() expects a primitive') : str(s, a!.loc);
  },
  tonumber: (args, c) => {
    const a = args[0];
    if (a?.kind === 'null') return a;
    const n = asNumber(a);
    return n === undefined ? bad(a, c, 'tonumber() expects a number') : num(n, a!.loc);
  },
  tobool: (args, c) => {
    const a = args[0];
    if (a?.kind === 'bool' || a?.kind === 'null') return a;
    if (a?.kind === 'string' && (a.value === 'true' || a.value === 'false')) return bool(a.value === 'true', a.loc);
    return bad(a, c, 'tobool() expects a boolean');
  },
  jsonencode: (args, c) => {
    const a = args[0];
    if (!a) return bad(a, c, 'jsonencode() expects a value');
    const u = firstUnknown(a);
    if (u) return { ...unknown(u.reason, c.label, c.loc), encoded: a };
    return { ...str(JSON.stringify(toPlain(a)), c.loc), encoded: a };
  },
  jsondecode: (args, c) => {
    const a = args[0];
    if (a?.kind !== 'string') return bad(a, c, 'jsondecode() expects a string');
    return decodeJsonString(a) ?? unknown('jsondecode() got invalid JSON', c.label, c.loc, true);
  },
  join: (args, c) => {
    const sep = asString(args[0]);
    const parts: string[] = [];
    for (const l of args.slice(1)) {
      const items = listArg(l);
      if (!items || sep === undefined) return bad(sep === undefined ? args[0] : l, c, 'join() expects a separator and lists');
      for (const item of items) {
        const s = asString(item);
        if (s === undefined) return bad(item, c, 'join() expects strings');
        parts.push(s);
      }
    }
    return str(parts.join(sep ?? ''), c.loc);
  },
  split: (args, c) => {
    const sep = asString(args[0]);
    const s = args[1];
    if (sep === undefined || s?.kind !== 'string') return bad(sep === undefined ? args[0] : s, c, 'split() expects strings');
    if (s.value === '') return list([], c.loc);
    return list(
      s.value.split(sep).map((part) => str(part, s.loc)),
      c.loc,
    );
  },
  lower: (args, c) => stringFn(args[0], c, (s) => s.toLowerCase()),
  upper: (args, c) => stringFn(args[0], c, (s) => s.toUpperCase()),
  trimspace: (args, c) => stringFn(args[0], c, (s) => s.trim()),
  replace: (args, c) => {
    const [s, from, to] = args.map(asString);
    if (s === undefined || from === undefined || to === undefined) return bad(args.find((a) => asString(a) === undefined), c, 'replace() expects strings');
    if (from.length > 1 && from.startsWith('/') && from.endsWith('/')) return unknown('replace() with a regular expression is not evaluated', c.label, c.loc);
    return str(s.split(from).join(to), args[0]!.loc);
  },
  format: (args, c) => {
    const spec = asString(args[0]);
    if (spec === undefined) return bad(args[0], c, 'format() expects a format string');
    let i = 1;
    let failed: TfValue | undefined;
    const out = spec.replace(/%(%|[-+ #0]*\d*(?:\.\d+)?[sdvqf])/g, (_match, verb: string) => {
      if (verb === '%') return '%';
      const a = args[i++];
      const s = asString(a);
      if (s === undefined) failed ??= a ?? args[0];
      return s ?? '';
    });
    return failed ? bad(failed, c, 'format() argument is not a primitive') : str(out, c.loc);
  },
  coalesce: (args, c) => {
    for (const a of args) {
      if (a.kind === 'unknown') return a;
      if (a.kind !== 'null' && !(a.kind === 'string' && a.value === '')) return a;
    }
    return unknown('coalesce() has no non-empty argument', c.label, c.loc, true);
  },
  coalescelist: (args, c) => {
    for (const a of args) {
      if (a.kind === 'unknown') return a;
      if (a.kind === 'list' && a.items.length > 0) return a;
    }
    return list([], c.loc);
  },
  contains: (args, c) => {
    const l = listArg(args[0]);
    if (!l || !args[1] || args[1].kind === 'unknown') return bad(l ? args[1] : args[0], c, 'contains() expects a list and a value');
    if (l.some((v) => v.kind === 'unknown')) return unknown('the list has unknown elements', c.label, c.loc);
    return bool(
      l.some((v) => key(v) === key(args[1]!)),
      c.loc,
    );
  },
  range: (args, c) => {
    const n = args.map(asNumber);
    if (n.some((x) => x === undefined) || n.length === 0) return bad(args.find((a) => asNumber(a) === undefined), c, 'range() expects numbers');
    const [start, end, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? (n[1]! >= n[0]! ? 1 : -1)];
    if (step === 0 || Math.abs((end - start) / step) > MAX_COLLECTION) return unknown('range() is too large to evaluate', c.label, c.loc);
    const out: TfValue[] = [];
    for (let x = start; step > 0 ? x < end : x > end; x += step) out.push(num(x, c.loc));
    return list(out, c.loc);
  },
  zipmap: (args, c) => {
    const ks = listArg(args[0]);
    const vs = listArg(args[1]);
    if (!ks || !vs) return bad(ks ? args[1] : args[0], c, 'zipmap() expects two lists');
    const entries = new Map<string, TfValue>();
    for (let i = 0; i < ks.length; i++) {
      const k = asString(ks[i]);
      if (k === undefined) return bad(ks[i], c, 'zipmap() keys must be strings');
      entries.set(k, vs[i] ?? unknown('zipmap() lists differ in length', c.label, c.loc, true));
    }
    return object(entries, c.loc);
  },
  sort: (args, c) => {
    const l = passList(args[0], c);
    if (l.kind !== 'list') return l;
    if (l.items.some((v) => asString(v) === undefined)) return bad(l.items.find((v) => asString(v) === undefined), c, 'sort() expects strings');
    return list(
      [...l.items].sort((a, b) => (asString(a)! < asString(b)! ? -1 : asString(a)! > asString(b)! ? 1 : 0)),
      c.loc,
    );
  },
  slice: (args, c) => {
    const l = listArg(args[0]);
    const from = asNumber(args[1]);
    const to = asNumber(args[2]);
    if (!l || from === undefined || to === undefined) return bad(l ? args[1] : args[0], c, 'slice() expects a list and two indexes');
    return list(l.slice(from, to), c.loc);
  },
  one: (args, c) => {
    const l = listArg(args[0]);
    if (!l) return bad(args[0], c, 'one() expects a list');
    if (l.length === 0) return { kind: 'null', loc: c.loc };
    return l.length === 1 ? l[0]! : unknown('one() got more than one element', c.label, c.loc, true);
  },
  setunion: (args, c) => {
    const items: TfValue[] = [];
    for (const a of args) {
      const l = listArg(a);
      if (!l) return bad(a, c, 'setunion() expects sets');
      pushAll(items, l);
    }
    return list(dedupe(items), c.loc);
  },
  max: (args, c) => numbersFn(args, c, Math.max),
  min: (args, c) => numbersFn(args, c, Math.min),
  cidrsubnet: (args, c) => {
    const [prefix, newbits, netnum] = [asString(args[0]), asNumber(args[1]), asNumber(args[2])];
    if (prefix === undefined || newbits === undefined || netnum === undefined) return bad(args.find((a) => a.kind === 'unknown') ?? args[0], c, 'cidrsubnet() expects a prefix and two numbers');
    const subnet = ipv4Subnet(prefix, newbits, netnum);
    return subnet ? str(subnet, c.loc) : unknown(`cidrsubnet("${prefix}", ${newbits}, ${netnum}) is not an IPv4 subnet portwall computes`, c.label, c.loc);
  },
  file: (args, c) => {
    const path = asString(args[0]);
    if (path === undefined) return bad(args[0], c, 'file() expects a path');
    // An absolute path names a file outside the scan (file("/etc/passwd")), never one under the scan root.
    const absolute = path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:[\\/]|^\\\\/.test(path);
    const normalized = absolute ? undefined : joinPath('', c.moduleDir ? `${c.moduleDir}/${path}` : path);
    const read = normalized === undefined ? undefined : c.readText(normalized);
    if (!read) return unknown(`file("${path}") could not be read within the scanned files`, c.label, c.loc);
    const value: StringValue = str(read.text, region(read.file, 0, read.text.length));
    value.verbatim = { file: read.file, offset: 0 };
    return value;
  },
};

/** Parses a string holding JSON; values are located inside the file when the string is verbatim text of one. */
export function decodeJsonString(s: StringValue): TfValue | undefined {
  const source = s.verbatim ? { file: s.verbatim.file, start: s.verbatim.offset, end: s.verbatim.offset + s.value.length } : s.jsonSource;
  if (source) {
    const parsed = parseJsonLocated(source.file.index.text, source.start, source.end);
    if ('node' in parsed) return jsonValue(parsed.node, source.file);
  }
  const parsed = parseJsonLocated(s.value);
  if ('error' in parsed) return undefined;
  // Positions inside a computed string exist in no file: every value points at the string.
  return jsonValue(parsed.node, s.loc);
}

/** IPv4 cidrsubnet(); IPv6 prefixes stay unknown. */
function ipv4Subnet(prefix: string, newbits: number, netnum: number): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]) + newbits;
  if (octets.some((o) => o > 255) || bits > 32 || newbits < 0 || netnum < 0 || netnum >= 2 ** newbits) return undefined;
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const network = (base & (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0)) >>> 0;
  const address = (network + netnum * 2 ** (32 - bits)) >>> 0;
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${bits}`;
}

function passList(v: TfValue | undefined, c: CallContext): TfValue {
  if (v?.kind === 'list') return v;
  return bad(v, c, 'expects a list');
}

function dedupe(items: TfValue[]): TfValue[] {
  const seen = new Set<string>();
  return items.filter((v) => {
    if (v.kind === 'unknown') return true;
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function stringFn(v: TfValue | undefined, c: CallContext, f: (s: string) => string): TfValue {
  const s = asString(v);
  return s === undefined ? bad(v, c, 'expects a string') : str(f(s), v!.loc);
}

function numbersFn(args: TfValue[], c: CallContext, f: (...n: number[]) => number): TfValue {
  const n = args.map(asNumber);
  if (n.length === 0 || n.some((x) => x === undefined)) return bad(args.find((a) => asNumber(a) === undefined), c, 'expects numbers');
  return num(f(...(n as number[])), c.loc);
}

/** An unknown argument propagates its reason; a wrong type is an evaluation error. */
function bad(v: TfValue | undefined, c: CallContext, message: string): TfValue {
  if (v?.kind === 'unknown') return unknown(v.reason, c.label, c.loc, v.error);
  const inner = v ? firstUnknown(v) : undefined;
  if (inner) return unknown(inner.reason, c.label, c.loc, inner.error);
  return unknown(message, c.label, c.loc, true);
}

export function callFunction(name: string, args: TfValue[], ctx: CallContext): TfValue {
  const fn = FUNCTIONS[name];
  if (!fn) return unknown(`${name}() is not evaluated by portwall`, ctx.label, ctx.loc);
  // Arguments that are unknown make most results unknown; the functions above check the types they need.
  return fn(args, ctx);
}
