/**
 * Go values as the template engine sees them, in JavaScript:
 * - nil: null (a missing map key is nil too: Helm runs with missingkey=zero);
 * - int: bigint (template literals, `len`, Sprig arithmetic); float64: number (Helm's values are
 *   decoded through JSON, so every number of a values file is a float64);
 * - string, bool; map[string]interface{}: Map<string, unknown>; []interface{}: unknown[];
 * - structs (.Release, .Chart, .Capabilities, .Files, semver versions): GoStruct.
 */

type GoFunction = (...args: unknown[]) => unknown;

export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Record<string, unknown>,
    readonly methods: Record<string, GoFunction> = {},
    /** fmt's String() method, when the type has one. */
    readonly stringer?: () => string,
  ) {}
}

/** Where a value of a values file was set: file, 0-based offsets of the value node, and its dotted path. */
export interface Origin {
  file: string;
  start: number;
  end: number;
  path: string;
}

/** Origins of the keys of a values map, kept beside it (maps are copied when values are layered). */
export const ORIGINS = new WeakMap<Map<string, unknown>, Map<string, Origin>>();

export function isMap(v: unknown): v is Map<string, unknown> {
  return v instanceof Map;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (v instanceof Map) return 'map[string]interface {}';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoStruct) return v.typeName;
  if (typeof v === 'function') return 'func';
  return 'interface {}';
}

/** reflect.Kind names, for kindIs / kindOf. */
export function kindName(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (v instanceof Map) return 'map';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoStruct) return v.typeName.startsWith('*') ? 'ptr' : 'struct';
  return 'interface';
}

/** text/template truth: false, 0, nil, empty string/slice/map are false; structs are true. */
export function truth(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Map) return v.size > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Go map keys in fmt/range order. */
export function sortedKeys(m: Map<string, unknown>): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** strconv.FormatFloat(f, 'g', -1, 64), as fmt's %v prints a float64. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < 6) return String(f);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** fmt.Sprint of one value (%v). */
export function formatValue(v: unknown, nested = false): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloat(v);
  if (v instanceof Map) return `map[${sortedKeys(v).map((k) => `${k}:${formatValue(v.get(k), true)}`).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, true)).join(' ')}]`;
  if (v instanceof GoStruct) {
    if (v.stringer) return v.stringer();
    return `{${Object.values(v.fields).map((x) => formatValue(x, true)).join(' ')}}`;
  }
  void nested;
  return String(v);
}

/** What an action prints: text/template prints "<no value>" for nil (Helm then removes it). */
export function printAction(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  return formatValue(v);
}

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** Deep copy of a Go value (maps and slices; structs are shared). */
export function deepCopy(v: unknown): unknown {
  if (v instanceof Map) {
    const m = new Map<string, unknown>();
    for (const [k, x] of v) m.set(k, deepCopy(x));
    const origins = ORIGINS.get(v);
    if (origins) ORIGINS.set(m, new Map(origins));
    return m;
  }
  if (Array.isArray(v)) return v.map(deepCopy);
  return v;
}

/** A JS value (from JSON/YAML) as a Go value; numbers become float64 as Helm decodes them. */
export function fromPlain(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof Map) {
    const m = new Map<string, unknown>();
    for (const [k, x] of v) m.set(String(k), fromPlain(x));
    return m;
  }
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString();
    const m = new Map<string, unknown>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, fromPlain(x));
    return m;
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Numbers of any Go type as a JS number (for comparisons and Sprig's cast). */
export function toNumber(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return Number.isNaN(n) || v.trim() === '' ? 0 : n;
  }
  return 0;
}

/** cast.ToInt64, as Sprig converts its arguments (strings parse, floats truncate, junk is 0). */
export function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?\d+$/.test(s)) return BigInt(s);
    if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s.replace(/^([+-]?)0x/i, '$10x'));
    // cast.ToInt64E on "8080.0" fails and gives 0; cast trims a trailing ".0" in newer versions.
    const f = Number(s);
    if (/^[+-]?\d+\.0*$/.test(s)) return BigInt(Math.trunc(f));
    return 0n;
  }
  return 0n;
}

export function toFloat64(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() === '' || Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

/** Sprig's toString / strval. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  return formatValue(v);
}

/** Go values as plain JS, for YAML and JSON output; bigint stays bigint. */
export function isScalar(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}
