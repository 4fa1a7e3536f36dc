/**
 * YAML and JSON as Helm's toYaml/fromYaml/toJson produce and read them (sigs.k8s.io/yaml:
 * through JSON, so map keys are sorted and numbers of parsed documents are float64).
 */
import { parseOneDocument } from '../../yaml/index.js';
import { deepCopy, fromPlain, GoStruct, sortedKeys } from './values.js';

const RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<)$/;
const NUMBERISH = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^[-+]?0[xob][0-9a-fA-F_]+$|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Whether libyaml would write the string as a plain scalar in block context. */
function plainAllowed(s: string): boolean {
  if (/^\s|\s$/.test(s)) return false;
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](\s|$)/.test(s)) return false;
  if (/^(---|\.\.\.)/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  return true;
}

/** yaml.v2's choice: strings that would read back as another type are double-quoted; else plain, else single-quoted. */
function quoteScalar(s: string): string {
  if (s === '' || RESERVED.test(s) || NUMBERISH.test(s)) return JSON.stringify(s);
  if (plainAllowed(s)) return s;
  if (!/[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function canLiteral(s: string): boolean {
  if (!s.includes('\n')) return false;
  if (/[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/ \n|\t\n/.test(s)) return false;
  if (/[ \t]$/.test(s.replace(/\n+$/, ''))) return false;
  if (/^\n/.test(s)) return false;
  return true;
}

function literal(s: string, indent: string): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing > 0 ? s.slice(0, s.length - (trailing === 1 ? 1 : 0)) : s;
  const indicator = /^[ \t]/.test(s) ? '2' : '';
  const lines = body.split('\n');
  if (chomp === '+') lines.pop();
  return `|${indicator}${chomp}\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}`;
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return JSON.stringify(v) ?? 'null';
  if (typeof v === 'string') return quoteScalar(v);
  return undefined;
}

/** A Go value as plain JSON-able data (structs by their fields). */
function plain(v: unknown): unknown {
  if (v instanceof GoStruct) {
    const m = new Map<string, unknown>();
    for (const [k, x] of Object.entries(v.fields)) m.set(k, x);
    return m;
  }
  return v;
}

function emit(v: unknown, indent: string, out: string[], inSeq: boolean): void {
  v = plain(v);
  if (v instanceof Map) {
    const keys = sortedKeys(v);
    keys.forEach((k, i) => {
      const pre = i === 0 && inSeq ? '' : indent;
      const child = plain(v.get(k));
      const key = quoteScalar(k);
      if (child instanceof Map && child.size > 0) {
        out.push(`${pre}${key}:\n`);
        emit(child, `${indent}  `, out, false);
      } else if (Array.isArray(child) && child.length > 0) {
        out.push(`${pre}${key}:\n`);
        emit(child, indent, out, false);
      } else out.push(`${pre}${key}: ${inline(child, `${indent}  `)}\n`);
    });
    return;
  }
  if (Array.isArray(v)) {
    for (const item0 of v) {
      const item = plain(item0);
      if (item instanceof Map && item.size > 0) {
        out.push(`${indent}- `);
        emit(item, `${indent}  `, out, true);
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}- `);
        // A nested sequence starts on the same line.
        const inner: string[] = [];
        emit(item, `${indent}  `, inner, false);
        out.push(inner.join('').slice(indent.length + 2));
      } else out.push(`${indent}- ${inline(item, `${indent}  `)}\n`);
    }
    return;
  }
  out.push(`${indent}${inline(v, `${indent}  `)}\n`);
}

function inline(v: unknown, indent: string): string {
  v = plain(v);
  if (v instanceof Map) return '{}';
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'string' && canLiteral(v)) return literal(v, indent);
  return scalar(v) ?? JSON.stringify(String(v));
}

/** Helm's toYaml: the YAML text without its final newline. */
export function toYaml(v: unknown): string {
  v = plain(v);
  if (!(v instanceof Map) && !Array.isArray(v)) return inline(v, '  ');
  if (v instanceof Map && v.size === 0) return '{}';
  if (Array.isArray(v) && v.length === 0) return '[]';
  const out: string[] = [];
  emit(v, '', out, false);
  return out.join('').replace(/\n$/, '');
}

/** encoding/json: sorted keys, HTML-safe escapes. */
export function toJson(v: unknown, indent = ''): string {
  const esc = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const walk = (x: unknown, level: string): string => {
    x = plain(x);
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'bigint') return x.toString();
    if (typeof x === 'number') return JSON.stringify(x) ?? 'null';
    if (typeof x === 'string') return esc(x);
    const inner = level + indent;
    const nl = indent ? '\n' : '';
    const sep = indent ? ': ' : ':';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${nl}${x.map((e) => inner + walk(e, inner)).join(`,${nl}`)}${nl}${level}]`;
    }
    if (x instanceof Map) {
      if (x.size === 0) return '{}';
      return `{${nl}${sortedKeys(x).map((k) => `${inner}${esc(k)}${sep}${walk(x.get(k), inner)}`).join(`,${nl}`)}${nl}${level}}`;
    }
    return esc(String(x));
  };
  return walk(v, '');
}

/** YAML 1.1 scalars as yaml.v2 reads them (yes/no/on/off are booleans). */
function parseYamlValue(text: string): unknown {
  // The shared reader's node and error budgets: rendered text can be as hostile as a file.
  const { doc, error } = parseOneDocument(text, { version: '1.1', merge: true });
  if (error) throw new Error(error.message);
  if (!doc) return null;
  return fromPlain(doc.toJS({ maxAliasCount: 10_000, mapAsMap: false }));
}

/** Charts call fromYaml on the same few strings hundreds of times (common.tplvalues.merge). */
const FROM_YAML_CACHE = new Map<string, Map<string, unknown>>();

export function fromYaml(text: string): Map<string, unknown> {
  const cached = FROM_YAML_CACHE.get(text);
  if (cached) return deepCopy(cached) as Map<string, unknown>;
  const result = fromYamlUncached(text);
  if (FROM_YAML_CACHE.size > 2000) FROM_YAML_CACHE.clear();
  FROM_YAML_CACHE.set(text, deepCopy(result) as Map<string, unknown>);
  return result;
}

function fromYamlUncached(text: string): Map<string, unknown> {
  try {
    const v = parseYamlValue(text);
    if (v === null) return new Map();
    if (!(v instanceof Map)) return new Map([['Error', `error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`]]);
    return v;
  } catch (error) {
    return new Map([['Error', `error converting YAML to JSON: yaml: ${(error as Error).message}`]]);
  }
}

export function fromYamlArray(text: string): unknown[] {
  try {
    const v = parseYamlValue(text);
    if (v === null) return [];
    if (!Array.isArray(v)) return [`error unmarshaling JSON: json: cannot unmarshal object into Go value of type []interface {}`];
    return v;
  } catch (error) {
    return [`error converting YAML to JSON: yaml: ${(error as Error).message}`];
  }
}

export function fromJson(text: string): Map<string, unknown> {
  try {
    const v = fromPlain(JSON.parse(text));
    return v instanceof Map ? v : new Map([['Error', 'json: cannot unmarshal into Go value of type map[string]interface {}']]);
  } catch (error) {
    return new Map([['Error', (error as Error).message]]);
  }
}

export function fromJsonArray(text: string): unknown[] {
  try {
    const v = fromPlain(JSON.parse(text));
    return Array.isArray(v) ? v : ['json: cannot unmarshal object into Go value of type []interface {}'];
  } catch (error) {
    return [(error as Error).message];
  }
}
