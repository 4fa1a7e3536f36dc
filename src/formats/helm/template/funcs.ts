/**
 * The FuncMap: text/template's builtins, the Sprig functions charts use (measured on the Bitnami
 * charts, see docs in the note of issue 11) and Helm's own (include, tpl, required, toYaml...).
 * Random and time functions are deterministic here (a scan must give byte-identical output):
 * random strings come from a seeded generator, `now` is the Unix epoch.
 */
import { createHash } from 'node:crypto';
import { TemplateError } from './parse.js';
import type { CallInfo, TemplateFunction } from './exec.js';
import { sprint, sprintf, sprintln } from './printf.js';
import { fromJson, fromJsonArray, fromYaml, fromYamlArray, toJson, toYaml } from './goyaml.js';
import { deepCopy, formatValue, goQuote, GoStruct, isMap, kindName, sortedKeys, strval, toFloat64, toInt64, toNumber, truth, typeName } from './values.js';

/** Sprig's `empty`. */
function isEmpty(v: unknown): boolean {
  if (v instanceof GoStruct) return false;
  return !truth(v);
}

function list(v: unknown, fn: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot find ${fn} on type ${typeName(v)}`);
}

function asMap(v: unknown, fn: string): Map<string, unknown> {
  if (v instanceof Map) return v;
  throw new Error(`wrong type for value; expected map[string]interface {}; got ${typeName(v)} (${fn})`);
}

function basicKind(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'other';
}

/** text/template's eq: basic kinds must match; nil equals only nil. */
function goEq(a: unknown, ...bs: unknown[]): boolean {
  if (bs.length === 0) throw new Error('missing argument for comparison');
  for (const b of bs) {
    if (a === null || a === undefined || b === null || b === undefined) {
      if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
      continue;
    }
    const ka = basicKind(a);
    const kb = basicKind(b);
    if (ka !== kb) throw new Error('incompatible types for comparison');
    if (ka === 'other') {
      if (a instanceof Map || Array.isArray(a)) throw new Error(`non-comparable type ${formatValue(a)}: ${typeName(a)}`);
      if (a === b) return true;
      continue;
    }
    if (a === b) return true;
  }
  return false;
}

function goLt(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || kb === 'other' || ka === 'bool') throw new Error(`invalid type for comparison`);
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return (a as number) < (b as number);
}

/** A small deterministic generator: a scan gives the same output every time. */
function seeded(seed: string): () => number {
  let h = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    h ^= h << 13;
    h >>>= 0;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    return h / 0x100000000;
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

interface HelmHooks {
  include(name: string, data: unknown, call: CallInfo): string;
  tpl(text: string, data: unknown, call: CallInfo): string;
}

/** Go's regexp syntax is close to JS for what charts use; (?i) style flags at the start are mapped. */
function goRegex(pattern: string, global = false): RegExp {
  let flags = global ? 'g' : '';
  let p = pattern;
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    flags += m[1]!.replace('s', 's');
  }
  p = p.replace(/\\z/g, '$').replace(/\[\[:alpha:\]\]/g, '[A-Za-z]').replace(/\[\[:digit:\]\]/g, '[0-9]').replace(/\[\[:alnum:\]\]/g, '[A-Za-z0-9]').replace(/\[\[:space:\]\]/g, '\\s');
  p = p.replace(/\(\?P</g, '(?<');
  return new RegExp(p, flags);
}

/** Go's regexp.Expand syntax ($1, ${1}, $name) into a JS replacement. */
function goReplacement(repl: string): string {
  return repl.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, a: string | undefined, b: string | undefined) => {
    if (all === '$$') return '$$';
    const name = a ?? b!;
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

// ------------------------------------------------------------ semver (Masterminds, the parts charts use)

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  original: string;
}

const SEMVER = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z\-.]+))?(?:\+([0-9A-Za-z\-.]+))?$/;

function parseVersion(s: string): Version {
  const m = SEMVER.exec(String(s).trim());
  if (!m) throw new Error('Invalid Semantic Version');
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '', original: s };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (nx) return -1;
    else if (ny) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function compareVersions(a: Version, b: Version): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePre(a.pre, b.pre);
}

function checkConstraint(constraint: string, version: Version): boolean {
  return constraint.split('||').some((group) => {
    const parts = group
      .trim()
      .replace(/\s*-\s+/g, ' - ')
      .replace(/(>=|<=|!=|=|>|<|~|\^)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter(Boolean);
    const terms: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i + 1] === '-' && parts[i + 2]) {
        terms.push(`>=${parts[i]}`, `<=${parts[i + 2]}`);
        i += 2;
      } else terms.push(parts[i]!);
    }
    return terms.every((term) => checkTerm(term, version));
  });
}

function checkTerm(term: string, v: Version): boolean {
  const m = /^(>=|<=|!=|=|>|<|~>|~|\^)?\s*v?(.*)$/.exec(term)!;
  const op = m[1] ?? '=';
  const text = m[2]!;
  const wild = /^(?:[xX*]|(\d+)(?:\.([xX*]|\d+))?(?:\.([xX*]|\d+))?)(?:-([0-9A-Za-z\-.]+))?$/.exec(text);
  if (!wild) throw new Error(`improper constraint: ${term}`);
  const isWild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  const major = wild[1] === undefined ? undefined : Number(wild[1]);
  const minorW = isWild(wild[2]);
  const patchW = isWild(wild[3]);
  const c: Version = { major: major ?? 0, minor: minorW ? 0 : Number(wild[2]), patch: patchW ? 0 : Number(wild[3]), pre: wild[4] ?? '', original: text };
  // Masterminds: a version with a prerelease only satisfies constraints that have one.
  if (v.pre !== '' && c.pre === '') return false;
  const cmp = compareVersions(v, c);
  if (major === undefined) return op === '=' || op === '>=' || op === '<=' ? true : op !== '!=';
  switch (op) {
    case '=':
      if (minorW) return v.major === c.major;
      if (patchW) return v.major === c.major && v.minor === c.minor;
      return cmp === 0;
    case '!=':
      if (minorW) return v.major !== c.major;
      if (patchW) return !(v.major === c.major && v.minor === c.minor);
      return cmp !== 0;
    case '>':
      if (minorW) return v.major > c.major;
      if (patchW) return v.major > c.major || (v.major === c.major && v.minor > c.minor);
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      if (minorW) return v.major <= c.major;
      if (patchW) return v.major < c.major || (v.major === c.major && v.minor <= c.minor);
      return cmp <= 0;
    case '~':
    case '~>':
      return cmp >= 0 && v.major === c.major && (minorW || v.minor === c.minor);
    case '^':
      if (c.major === 0 && !minorW) return cmp >= 0 && v.major === 0 && v.minor === c.minor;
      return cmp >= 0 && v.major === c.major;
  }
  return false;
}

function semverStruct(s: unknown): GoStruct {
  const v = parseVersion(strval(s));
  const text = `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;
  return new GoStruct(
    '*semver.Version',
    {},
    {
      Major: () => BigInt(v.major),
      Minor: () => BigInt(v.minor),
      Patch: () => BigInt(v.patch),
      Prerelease: () => v.pre,
      Metadata: () => '',
      Original: () => v.original,
      String: () => text,
    },
    () => text,
  );
}

// ------------------------------------------------------------ dates (fixed clock)

const EPOCH = new Date(0);

function goDate(layout: string, d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const tokens: [string, () => string][] = [
    ['2006', () => String(d.getUTCFullYear())],
    ['January', () => months[d.getUTCMonth()]!],
    ['Monday', () => days[d.getUTCDay()]!],
    ['Jan', () => months[d.getUTCMonth()]!.slice(0, 3)],
    ['Mon', () => days[d.getUTCDay()]!.slice(0, 3)],
    ['MST', () => 'UTC'],
    ['Z07:00', () => 'Z'],
    ['-07:00', () => '+00:00'],
    ['-0700', () => '+0000'],
    ['01', () => pad(d.getUTCMonth() + 1)],
    ['02', () => pad(d.getUTCDate())],
    ['03', () => pad(d.getUTCHours() % 12 || 12)],
    ['04', () => pad(d.getUTCMinutes())],
    ['05', () => pad(d.getUTCSeconds())],
    ['06', () => pad(d.getUTCFullYear() % 100)],
    ['15', () => pad(d.getUTCHours())],
    ['PM', () => (d.getUTCHours() >= 12 ? 'PM' : 'AM')],
    ['.000', () => `.${pad(d.getUTCMilliseconds(), 3)}`],
    ['1', () => String(d.getUTCMonth() + 1)],
    ['2', () => String(d.getUTCDate())],
    ['3', () => String(d.getUTCHours() % 12 || 12)],
  ];
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const t = tokens.find(([k]) => layout.startsWith(k, i));
    if (t) {
      out += t[1]();
      i += t[0].length;
    } else out += layout[i++];
  }
  return out;
}

function toDate(v: unknown): Date {
  if (v instanceof GoStruct && v.typeName === 'time.Time') return v.fields.t as Date;
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v) * 1000);
  return EPOCH;
}

function timeStruct(d: Date): GoStruct {
  return new GoStruct('time.Time', { t: d }, { Unix: () => BigInt(Math.floor(d.getTime() / 1000)), UTC: () => timeStruct(d), Format: (layout: unknown) => goDate(strval(layout), d) }, () => d.toISOString());
}

// ------------------------------------------------------------ certificates (placeholders)

function fakePem(kind: string, seed: string): string {
  const body = createHash('sha256').update(`${kind}:${seed}`).digest('base64');
  return `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n`;
}

function certificate(seed: string): GoStruct {
  return new GoStruct('sprig.certificate', { Cert: fakePem('CERTIFICATE', seed), Key: fakePem('RSA PRIVATE KEY', seed) });
}

// ------------------------------------------------------------ merge (mergo semantics, simplified)

function mergeInto(dst: Map<string, unknown>, src: Map<string, unknown>, overwrite: boolean): void {
  for (const [k, s] of src) {
    const d = dst.get(k);
    if (s instanceof Map && d instanceof Map) {
      mergeInto(d, s, overwrite);
      continue;
    }
    if (d !== undefined && d !== null && !isEmpty(d) && (s instanceof Map || Array.isArray(s)) && !overwrite) continue;
    if (!dst.has(k) || d === null || isEmpty(d) || (overwrite && !isEmpty(s))) dst.set(k, s);
  }
}

// ------------------------------------------------------------ the map

export function buildFuncs(hooks: HelmHooks, seed: string): Record<string, TemplateFunction> {
  const random = seeded(seed);
  const randString = (n: unknown, chars: string) => {
    let out = '';
    const count = Number(toInt64(n));
    for (let i = 0; i < count; i++) out += chars[Math.floor(random() * chars.length)];
    return out;
  };
  const f: Record<string, TemplateFunction> = {
    // text/template builtins
    not: ([a]) => !truth(a),
    len: ([a]) => {
      if (typeof a === 'string') return BigInt(Buffer.byteLength(a, 'utf8'));
      if (Array.isArray(a)) return BigInt(a.length);
      if (a instanceof Map) return BigInt(a.size);
      throw new Error(`len of ${a === null ? 'nil pointer' : `type ${typeName(a)}`}`);
    },
    index: ([item, ...keys]) => {
      let v = item;
      for (const k of keys) {
        if (v === null || v === undefined) throw new Error('index of untyped nil');
        if (v instanceof Map) v = v.has(strval(k)) ? (v.get(strval(k)) ?? null) : null;
        else if (Array.isArray(v) || typeof v === 'string') {
          const i = Number(toInt64(k));
          if (i < 0 || i >= v.length) throw new Error(`index out of range: ${i}`);
          v = Array.isArray(v) ? v[i] : BigInt(Buffer.from(v)[i]!);
        } else throw new Error(`can't index item of type ${typeName(v)}`);
      }
      return v;
    },
    slice: ([item, ...idx]) => {
      const [a, b] = idx.map((x) => Number(toInt64(x)));
      if (typeof item === 'string' || Array.isArray(item)) return item.slice(a ?? 0, b ?? item.length);
      throw new Error(`can't slice item of type ${typeName(item)}`);
    },
    print: (args) => sprint(args),
    printf: ([format, ...args]) => sprintf(strval(format), args),
    println: (args) => sprintln(args),
    html: (args) => sprint(args).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
    js: (args) => sprint(args).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"').replace(/</g, '\\u003C').replace(/>/g, '\\u003E'),
    urlquery: (args) => encodeURIComponent(sprint(args)).replace(/%20/g, '+'),
    eq: ([a, ...b]) => goEq(a, ...b),
    ne: ([a, b]) => !goEq(a, b),
    lt: ([a, b]) => goLt(a, b),
    le: ([a, b]) => goLt(a, b) || goEq(a, b),
    gt: ([a, b]) => !goLt(a, b) && !goEq(a, b),
    ge: ([a, b]) => !goLt(a, b),
    call: ([fn, ...args]) => {
      if (typeof fn !== 'function') throw new Error(`non-function of type ${typeName(fn)}`);
      return (fn as (...a: unknown[]) => unknown)(...args);
    },

    // Helm
    include: ([name, data], call) => hooks.include(strval(name), data ?? null, call),
    tpl: ([text, data], call) => hooks.tpl(strval(text), data ?? null, call),
    required: ([message, value], call) => {
      if (value === null || value === undefined || (typeof value === 'string' && value === '')) throw new TemplateError(strval(message), call.state.tree.file, call.pos, 'required');
      return value;
    },
    fail: ([message], call) => {
      throw new TemplateError(strval(message), call.state.tree.file, call.pos, 'fail');
    },
    lookup: () => new Map(),
    toYaml: ([v]) => toYaml(v),
    mustToYaml: ([v]) => toYaml(v),
    toYamlPretty: ([v]) => toYaml(v),
    fromYaml: ([s]) => fromYaml(strval(s)),
    fromYamlArray: ([s]) => fromYamlArray(strval(s)),
    toJson: ([v]) => toJson(v),
    mustToJson: ([v]) => toJson(v),
    toRawJson: ([v]) => toJson(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&'),
    mustToRawJson: ([v]) => toJson(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&'),
    toPrettyJson: ([v]) => toJson(v, '  '),
    mustToPrettyJson: ([v]) => toJson(v, '  '),
    fromJson: ([s]) => fromJson(strval(s)),
    mustFromJson: ([s]) => fromJson(strval(s)),
    fromJsonArray: ([s]) => fromJsonArray(strval(s)),

    // Sprig: strings
    quote: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '),
    squote: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '),
    toString: (args: unknown[]) => strval(args[0]),
    toStrings: ([v]) => list(v, 'toStrings').map(strval),
    upper: ([s]) => strval(s).toUpperCase(),
    lower: ([s]) => strval(s).toLowerCase(),
    title: ([s]) => strval(s).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
    trim: ([s]) => strval(s).trim(),
    trimAll: ([cut, s]) => {
      const set = new Set(strval(cut));
      const a = [...strval(s)];
      let i = 0;
      let j = a.length;
      while (i < j && set.has(a[i]!)) i++;
      while (j > i && set.has(a[j - 1]!)) j--;
      return a.slice(i, j).join('');
    },
    trimSuffix: ([suffix, s]) => (strval(s).endsWith(strval(suffix)) && strval(suffix) !== '' ? strval(s).slice(0, -strval(suffix).length) : strval(s)),
    trimPrefix: ([prefix, s]) => (strval(s).startsWith(strval(prefix)) ? strval(s).slice(strval(prefix).length) : strval(s)),
    trunc: ([n, s]) => {
      const c = Number(toInt64(n));
      const str = strval(s);
      if (c < 0 && -c < str.length) return str.slice(str.length + c);
      if (c >= 0 && str.length > c) return str.slice(0, c);
      return str;
    },
    contains: ([sub, s]) => strval(s).includes(strval(sub)),
    hasPrefix: ([p, s]) => strval(s).startsWith(strval(p)),
    hasSuffix: ([p, s]) => strval(s).endsWith(strval(p)),
    replace: ([o, n, s]) => strval(s).split(strval(o)).join(strval(n)),
    repeat: ([n, s]) => strval(s).repeat(Math.max(0, Number(toInt64(n)))),
    substr: ([a, b, s]) => {
      const str = strval(s);
      const start = Number(toInt64(a));
      const end = Number(toInt64(b));
      if (start < 0) return str.slice(0, end);
      if (end < 0 || end > str.length) return str.slice(start);
      return str.slice(start, end);
    },
    nospace: ([s]) => strval(s).replace(/\s/g, ''),
    cat: (args) => args.filter((a) => a !== null && a !== undefined).map(strval).join(' '),
    indent: ([n, s]) => {
      const pad = ' '.repeat(Number(toInt64(n)));
      return pad + strval(s).replace(/\n/g, `\n${pad}`);
    },
    nindent: ([n, s]) => {
      const pad = ' '.repeat(Number(toInt64(n)));
      return `\n${pad}${strval(s).replace(/\n/g, `\n${pad}`)}`;
    },
    split: ([sep, s]) => {
      const m = new Map<string, unknown>();
      strval(s).split(strval(sep)).forEach((p, i) => m.set(`_${i}`, p));
      return m;
    },
    splitList: ([sep, s]) => strval(s).split(strval(sep)),
    splitn: ([sep, n, s]) => {
      const parts = strval(s).split(strval(sep));
      const c = Number(toInt64(n));
      const out = c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(strval(sep))] : parts;
      return new Map(out.map((p, i) => [`_${i}`, p]));
    },
    join: ([sep, v]) => (Array.isArray(v) ? v.map(strval) : [strval(v)]).join(strval(sep)),
    b64enc: ([s]) => Buffer.from(strval(s), 'utf8').toString('base64'),
    b64dec: ([s]) => Buffer.from(strval(s), 'base64').toString('utf8'),
    b32enc: ([s]) => strval(s),
    sha256sum: ([s]) => createHash('sha256').update(strval(s)).digest('hex'),
    sha1sum: ([s]) => createHash('sha1').update(strval(s)).digest('hex'),
    adler32sum: ([s]) => {
      let a = 1;
      let b = 0;
      for (const byte of Buffer.from(strval(s))) {
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
      }
      return String(((b << 16) | a) >>> 0);
    },
    abbrev: ([n, s]) => {
      const c = Number(toInt64(n));
      const str = strval(s);
      return c < 4 || str.length <= c ? str : `${str.slice(0, c - 3)}...`;
    },
    snakecase: ([s]) => strval(s).replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase(),
    kebabcase: ([s]) => strval(s).replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase(),
    camelcase: ([s]) => strval(s).split(/[_\s-]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    plural: ([one, many, n]) => (toInt64(n) === 1n ? strval(one) : strval(many)),
    regexMatch: ([re, s]) => goRegex(strval(re)).test(strval(s)),
    mustRegexMatch: ([re, s]) => goRegex(strval(re)).test(strval(s)),
    regexFind: ([re, s]) => goRegex(strval(re)).exec(strval(s))?.[0] ?? '',
    regexFindAll: ([re, s, n]) => {
      const all = [...strval(s).matchAll(goRegex(strval(re), true))].map((m) => m[0]);
      const c = Number(toInt64(n));
      return c < 0 ? all : all.slice(0, c);
    },
    regexReplaceAll: ([re, s, repl]) => strval(s).replace(goRegex(strval(re), true), goReplacement(strval(repl))),
    regexReplaceAllLiteral: ([re, s, repl]) => strval(s).replace(goRegex(strval(re), true), () => strval(repl)),
    regexSplit: ([re, s, n]) => {
      const parts = strval(s).split(goRegex(strval(re), true));
      const c = Number(toInt64(n));
      return c < 0 ? parts : parts.slice(0, c);
    },
    randAlpha: ([n]) => randString(n, ALPHA),
    randAlphaNum: ([n]) => randString(n, ALPHA + DIGITS),
    randNumeric: ([n]) => randString(n, DIGITS),
    randAscii: ([n]) => randString(n, Array.from({ length: 94 }, (_x, i) => String.fromCharCode(33 + i)).join('')),
    randInt: ([a, b]) => toInt64(a) + BigInt(Math.floor(random() * Number(toInt64(b) - toInt64(a)))),
    uuidv4: () => '00000000-0000-4000-8000-000000000000',
    shuffle: ([s]) => {
      const a = [...strval(s)];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a.join('');
    },

    // Sprig: numbers and conversion
    int: ([v]) => toInt64(v),
    int64: ([v]) => toInt64(v),
    float64: ([v]) => toFloat64(v),
    atoi: ([v]) => toInt64(v),
    add: (args) => args.reduce<bigint>((s, a) => s + toInt64(a), 0n),
    add1: ([a]) => toInt64(a) + 1n,
    sub: ([a, b]) => toInt64(a) - toInt64(b),
    mul: ([a, ...rest]) => rest.reduce<bigint>((s, x) => s * toInt64(x), toInt64(a)),
    div: ([a, b]) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return toInt64(a) / d;
    },
    mod: ([a, b]) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return toInt64(a) % d;
    },
    max: ([a, ...rest]) => rest.reduce<bigint>((m, x) => (toInt64(x) > m ? toInt64(x) : m), toInt64(a)),
    min: ([a, ...rest]) => rest.reduce<bigint>((m, x) => (toInt64(x) < m ? toInt64(x) : m), toInt64(a)),
    addf: (args) => args.reduce<number>((s, a) => s + toFloat64(a), 0),
    subf: ([a, ...rest]) => rest.reduce<number>((s, x) => s - toFloat64(x), toFloat64(a)),
    mulf: ([a, ...rest]) => rest.reduce<number>((s, x) => s * toFloat64(x), toFloat64(a)),
    divf: ([a, ...rest]) => rest.reduce<number>((s, x) => s / toFloat64(x), toFloat64(a)),
    floor: ([a]) => Math.floor(toFloat64(a)),
    ceil: ([a]) => Math.ceil(toFloat64(a)),
    round: ([a, p]) => {
      const m = 10 ** Number(toInt64(p ?? 0n));
      return Math.round(toFloat64(a) * m) / m;
    },
    until: ([n]) => Array.from({ length: Math.max(0, Number(toInt64(n))) }, (_x, i) => BigInt(i)),
    untilStep: ([a, b, s]) => {
      const out: bigint[] = [];
      const step = toInt64(s);
      if (step === 0n) return out;
      for (let i = toInt64(a); step > 0n ? i < toInt64(b) : i > toInt64(b); i += step) out.push(i);
      return out;
    },
    seq: (args) => {
      const n = args.map(toInt64);
      const [start, step, end] = n.length === 1 ? [1n, 1n, n[0]!] : n.length === 2 ? [n[0]!, n[0]! <= n[1]! ? 1n : -1n, n[1]!] : [n[0]!, n[1]!, n[2]!];
      const out: string[] = [];
      if (step === 0n) return '';
      for (let i = start; step > 0n ? i <= end : i >= end; i += step) out.push(i.toString());
      return out.join(' ');
    },

    // Sprig: defaults and flow
    default: ([d, ...rest]) => (rest.length === 0 || isEmpty(rest[0]) ? d : rest[0]),
    empty: ([v]) => isEmpty(v),
    coalesce: (args) => args.find((a) => !isEmpty(a)) ?? null,
    all: (args) => args.every((a) => !isEmpty(a)),
    any: (args) => args.some((a) => !isEmpty(a)),
    ternary: ([a, b, c]) => (truth(c) ? a : b),
    compact: ([v]) => list(v, 'compact').filter((a) => !isEmpty(a)),
    mustCompact: ([v]) => list(v, 'compact').filter((a) => !isEmpty(a)),
    typeOf: ([v]) => typeName(v),
    typeIs: ([t, v]) => strval(t) === typeName(v),
    typeIsLike: ([t, v]) => strval(t) === typeName(v) || strval(t) === `*${typeName(v)}`,
    kindOf: ([v]) => kindName(v),
    kindIs: ([k, v]) => strval(k) === kindName(v),
    deepEqual: ([a, b]) => toJson(a) === toJson(b),

    // Sprig: lists
    list: (args) => [...args],
    tuple: (args) => [...args],
    append: ([l, v]) => [...list(l, 'push'), v],
    mustAppend: ([l, v]) => [...list(l, 'push'), v],
    push: ([l, v]) => [...list(l, 'push'), v],
    prepend: ([l, v]) => [v, ...list(l, 'prepend')],
    mustPrepend: ([l, v]) => [v, ...list(l, 'prepend')],
    first: ([l]) => (typeof l === 'string' ? l.slice(0, 1) : (list(l, 'first')[0] ?? null)),
    mustFirst: ([l]) => list(l, 'first')[0] ?? null,
    last: ([l]) => {
      const a = list(l, 'last');
      return a.length ? a[a.length - 1] : null;
    },
    mustLast: ([l]) => {
      const a = list(l, 'last');
      return a.length ? a[a.length - 1] : null;
    },
    rest: ([l]) => list(l, 'rest').slice(1),
    initial: ([l]) => list(l, 'initial').slice(0, -1),
    reverse: ([l]) => [...list(l, 'reverse')].reverse(),
    mustReverse: ([l]) => [...list(l, 'reverse')].reverse(),
    uniq: ([l]) => {
      const out: unknown[] = [];
      for (const x of list(l, 'uniq')) if (!out.some((y) => toJson(y) === toJson(x))) out.push(x);
      return out;
    },
    mustUniq: ([l]) => {
      const out: unknown[] = [];
      for (const x of list(l, 'uniq')) if (!out.some((y) => toJson(y) === toJson(x))) out.push(x);
      return out;
    },
    without: ([l, ...omit]) => list(l, 'without').filter((x) => !omit.some((o) => toJson(o) === toJson(x))),
    has: ([needle, l]) => (l === null || l === undefined ? false : list(l, 'has').some((x) => toJson(x) === toJson(needle))),
    mustHas: ([needle, l]) => (l === null || l === undefined ? false : list(l, 'has').some((x) => toJson(x) === toJson(needle))),
    concat: (lists) => lists.flatMap((l) => (Array.isArray(l) ? l : [l])),
    sortAlpha: ([l]) => (Array.isArray(l) ? l.map(strval).sort() : [strval(l)]),
    chunk: ([n, l]) => {
      const size = Number(toInt64(n));
      const a = list(l, 'chunk');
      const out: unknown[][] = [];
      for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
      return out;
    },

    // Sprig: dicts
    dict: (args) => {
      const m = new Map<string, unknown>();
      for (let i = 0; i < args.length; i += 2) m.set(strval(args[i]), i + 1 < args.length ? args[i + 1] : '');
      return m;
    },
    get: ([m, k]) => {
      const map = asMap(m, 'get');
      return map.has(strval(k)) ? (map.get(strval(k)) ?? null) : '';
    },
    set: ([m, k, v]) => {
      asMap(m, 'set').set(strval(k), v);
      return m;
    },
    unset: ([m, k]) => {
      asMap(m, 'unset').delete(strval(k));
      return m;
    },
    hasKey: ([m, k]) => asMap(m, 'hasKey').has(strval(k)),
    keys: (maps) => maps.flatMap((m) => sortedKeys(asMap(m, 'keys'))),
    values: ([m]) => sortedKeys(asMap(m, 'values')).map((k) => (m as Map<string, unknown>).get(k)),
    pick: ([m, ...ks]) => {
      const src = asMap(m, 'pick');
      const out = new Map<string, unknown>();
      for (const k of ks.map(strval)) if (src.has(k)) out.set(k, src.get(k));
      return out;
    },
    omit: ([m, ...ks]) => {
      const src = asMap(m, 'omit');
      const drop = new Set(ks.map(strval));
      const out = new Map<string, unknown>();
      for (const [k, v] of src) if (!drop.has(k)) out.set(k, v);
      return out;
    },
    pluck: ([k, ...maps]) => maps.filter((m) => isMap(m) && m.has(strval(k))).map((m) => (m as Map<string, unknown>).get(strval(k))),
    dig: (args) => {
      const m = args[args.length - 1];
      const d = args[args.length - 2];
      let cur: unknown = m;
      for (const k of args.slice(0, -2)) {
        if (!(cur instanceof Map) || !cur.has(strval(k))) return d;
        cur = cur.get(strval(k));
      }
      return cur;
    },
    merge: ([dst, ...srcs]) => {
      const d = asMap(dst, 'merge');
      for (const s of srcs) if (s instanceof Map) mergeInto(d, s, false);
      return d;
    },
    mustMerge: ([dst, ...srcs]) => {
      const d = asMap(dst, 'merge');
      for (const s of srcs) if (s instanceof Map) mergeInto(d, s, false);
      return d;
    },
    mergeOverwrite: ([dst, ...srcs]) => {
      const d = asMap(dst, 'mergeOverwrite');
      for (const s of srcs) if (s instanceof Map) mergeInto(d, s, true);
      return d;
    },
    mustMergeOverwrite: ([dst, ...srcs]) => {
      const d = asMap(dst, 'mergeOverwrite');
      for (const s of srcs) if (s instanceof Map) mergeInto(d, s, true);
      return d;
    },
    deepCopy: ([v]) => deepCopy(v),
    mustDeepCopy: ([v]) => deepCopy(v),

    // Sprig: semver, dates, crypto
    semver: ([s]) => semverStruct(s),
    semverCompare: ([c, v]) => checkConstraint(strval(c), parseVersion(strval(v))),
    now: () => timeStruct(EPOCH),
    date: ([layout, t]) => goDate(strval(layout), toDate(t)),
    dateInZone: ([layout, t]) => goDate(strval(layout), toDate(t)),
    unixEpoch: ([t]) => String(Math.floor(toDate(t).getTime() / 1000)),
    genCA: ([cn]) => certificate(`ca:${strval(cn)}`),
    genSelfSignedCert: ([cn]) => certificate(`self:${strval(cn)}`),
    genSignedCert: ([cn]) => certificate(`signed:${strval(cn)}`),
    genPrivateKey: ([kind]) => fakePem('RSA PRIVATE KEY', strval(kind)),
    buildCustomCert: ([cert, key]) => new GoStruct('sprig.certificate', { Cert: Buffer.from(strval(cert), 'base64').toString('utf8'), Key: Buffer.from(strval(key), 'base64').toString('utf8') }),
    derivePassword: ([, , pw]) => createHash('sha256').update(strval(pw)).digest('base64').slice(0, 16),
  };
  void toNumber;
  return f;
}
