/**
 * Compose variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err},
 * ${VAR?err}, ${VAR:+alt}, ${VAR+alt}, $VAR and the $$ escape, with values from the .env
 * file beside the compose file. The process environment is deliberately not read: the same
 * files must give the same report on every machine.
 */
import type { SourceFile } from '../types.js';
import { pushAll } from '../../core/arrays.js';

interface Interpolated {
  /** undefined when a variable without default is not set. */
  value: string | undefined;
  /** Names of variables that could not be resolved. */
  unresolved: string[];
}

const MAX_DEPTH = 8;

interface VarLookup {
  get(name: string): string | undefined;
}

/**
 * Stands in for variables that are not set, so the rest of a value can still be read:
 * "${BIND}:9200:9200" shows that only the host address is unknown.
 */
const SENTINEL = '\u0000';
export const sentinelVars = (vars: VarLookup): VarLookup => ({ get: (name) => vars.get(name) ?? `${SENTINEL}${name}${SENTINEL}` });
export const hasSentinel = (text: string | undefined): boolean => !!text && text.includes(SENTINEL);
export const sentinelNames = (text: string): string[] => [...new Set([...text.matchAll(/\u0000(\w+)\u0000/g)].map((m) => m[1]!))];

export function interpolate(text: string, vars: VarLookup, depth = 0): Interpolated {
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = findClosingBrace(text, i + 2);
      if (end === -1) {
        out += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, end);
      const r = expandBraced(body, vars, depth);
      pushAll(unresolved, r.unresolved);
      if (r.value === undefined) return { value: undefined, unresolved };
      out += r.value;
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    const name = m[0];
    const v = vars.get(name);
    if (v === undefined) {
      unresolved.push(name);
      return { value: undefined, unresolved };
    }
    out += v;
    i += 1 + name.length;
  }
  return { value: out, unresolved };
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function expandBraced(body: string, vars: VarLookup, depth: number): Interpolated {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) return { value: undefined, unresolved: [body] };
  const [, name, op, arg = ''] = m as unknown as [string, string, string | undefined, string | undefined];
  const value = vars.get(name);
  const nested = (s: string): Interpolated => (depth >= MAX_DEPTH ? { value: s, unresolved: [] } : interpolate(s, vars, depth + 1));
  switch (op) {
    case undefined:
      return value === undefined ? { value: undefined, unresolved: [name] } : { value, unresolved: [] };
    case ':-':
      return value === undefined || value === '' ? nested(arg) : { value, unresolved: [] };
    case '-':
      return value === undefined ? nested(arg) : { value, unresolved: [] };
    case ':?':
    case '?':
      return value === undefined || (op === ':?' && value === '') ? { value: undefined, unresolved: [name] } : { value, unresolved: [] };
    case ':+':
      return value !== undefined && value !== '' ? nested(arg) : { value: '', unresolved: [] };
    case '+':
      return value !== undefined ? nested(arg) : { value: '', unresolved: [] };
    default:
      return { value: undefined, unresolved: [name] };
  }
}

interface DotEnvEntry {
  name: string;
  value: string;
  /** Offsets of the whole line in the env file. */
  start: number;
  end: number;
}

/** Parse a .env / env_file: KEY=VALUE lines, `export ` prefix, quotes, # comments. */
export function parseDotEnv(file: SourceFile): DotEnvEntry[] {
  const entries: DotEnvEntry[] = [];
  const text = file.text;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ? m[3]!.trim() : '';
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    const leading = line.length - line.trimStart().length;
    entries.push({ name: m[1]!, value, start: lineStart + leading, end: lineStart + line.trimEnd().length });
  }
  return entries;
}
