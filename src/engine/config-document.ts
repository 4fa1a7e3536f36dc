/**
 * Config-like documents (portwall.config.yml, declarative rule files) parsed with positions,
 * and JSON Schema validation whose errors name the file, line and key and say what is expected:
 * `portwall.config.yml:7: rules.PW002.level: must be one of error, warning, note, off`.
 * Used by engine/config.ts and engine/declarative-rules.ts; depends on core/ only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readConfined } from './read-source.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createRequire } from 'node:module';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { LineIndex } from '../core/location.js';
import { pushAll } from '../core/arrays.js';

export interface ConfigProblem {
  /** Display path of the file (relative to the working directory). */
  file: string;
  line: number;
  /** Dotted key path (`rules.PW002.level`, `allowedPublicPorts[1]`); empty for the whole document. */
  key: string;
  message: string;
}

function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}: ${p.key ? `${p.key}: ` : ''}${p.message}`;
}

/** An invalid config: exit code 2. Carries every problem found, not just the first. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(messageOrProblems: string | ConfigProblem[]) {
    super(typeof messageOrProblems === 'string' ? messageOrProblems : messageOrProblems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = typeof messageOrProblems === 'string' ? [] : messageOrProblems;
  }
}

export type Segment = string | number;

export interface LocatedDocument {
  file: string;
  absolutePath: string;
  text: string;
  index: LineIndex;
  doc: Document.Parsed;
  data: unknown;
}

/** Parse YAML or JSON (JSON is read by the YAML parser so positions are the same kind). */
export function readLocatedDocument(absolutePath: string, displayPath: string, roots?: readonly string[]): LocatedDocument {
  // A regular file, capped, and inside `roots` when given (a config found in the scanned repository).
  const read = readConfined(absolutePath, roots, MAX_CONFIG_BYTES);
  if ('problem' in read) {
    const p = read.problem;
    throw new ConfigError(`${displayPath}: ${p.reason === 'missing' ? 'cannot be read (ENOENT)' : p.reason === 'unreadable' ? p.message : p.message}`);
  }
  return parseLocatedDocument(read.text, absolutePath, displayPath);
}

/** Config and rule files are small: 1 MiB is far above any real one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function parseLocatedDocument(text: string, absolutePath: string, displayPath: string): LocatedDocument {
  const index = new LineIndex(text);
  // uniqueKeys: a duplicated key in a policy file is a mistake, not "last one wins".
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const problems = doc.errors.map((e) => ({ file: displayPath, line: index.position(e.pos[0]).line, key: '', message: `invalid ${/\.json$/i.test(displayPath) ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}` }));
  if (problems.length > 0) throw new ConfigError(problems);
  let data: unknown;
  try {
    // A small alias budget: a config has no reason to expand thousands of aliases.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError([{ file: displayPath, line: 1, key: '', message: `invalid YAML: ${(error as Error).message}` }]);
  }
  return { file: displayPath, absolutePath, text, index, doc, data: data ?? {} };
}

/** Line of the key (or value) at a path; the deepest existing ancestor when the path does not exist. */
export function lineOf(located: LocatedDocument, segments: Segment[]): number {
  let node: unknown = located.doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      offset = isPair(item) ? ((item.key as Node | null)?.range?.[0] ?? offset) : ((item as Node).range?.[0] ?? offset);
      node = item;
    } else {
      break;
    }
  }
  return located.index.position(offset).line;
}

function keyPath(segments: Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

export function problemAt(located: LocatedDocument, segments: Segment[], message: string): ConfigProblem {
  return { file: located.file, line: lineOf(located, segments), key: keyPath(segments), message };
}

// ---- JSON Schema validation ----------------------------------------------------------

const SCHEMA_FILES = ['config.schema.json', 'rule.schema.json'] as const;
export const CONFIG_SCHEMA_ID = 'https://github.com/portwall/portwall/blob/main/schemas/config.schema.json';
export const RULE_SCHEMA_ID = 'https://github.com/portwall/portwall/blob/main/schemas/rule.schema.json';

/** schemas/ sits at the package root: two levels above src/engine, three above build/src/engine. */
function schemasDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(here, up, 'schemas');
    if (existsSync(path.join(dir, 'config.schema.json'))) return dir;
  }
  throw new Error('portwall schemas/ folder not found next to the package');
}

/**
 * ajv is loaded only when a config or rule file is validated (most runs have none, and ajv
 * is a large part of the CLI's start-up): loadConfig awaits loadValidator() first; a direct
 * synchronous caller gets it through require.
 */
let AjvClass: typeof Ajv2020 | undefined;
export async function loadValidator(): Promise<void> {
  AjvClass ??= (await import('ajv/dist/2020.js')).Ajv2020;
}
function Ajv(): typeof Ajv2020 {
  AjvClass ??= (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020;
  return AjvClass;
}

let ajvInstance: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function ajv(): Ajv2020 {
  if (ajvInstance) return ajvInstance;
  const instance = new (Ajv())({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
  // x-expected: a human phrase for errors where ajv's own message would be cryptic (patterns, oneOf).
  instance.addVocabulary(['x-expected']);
  for (const name of SCHEMA_FILES) instance.addSchema(JSON.parse(readFileSync(path.join(schemasDirectory(), name), 'utf8')));
  ajvInstance = instance;
  return instance;
}

export function validateWithSchema(schemaId: string, located: LocatedDocument, data: unknown = located.data, base: Segment[] = []): ConfigProblem[] {
  let validate = compiled.get(schemaId);
  if (!validate) {
    validate = ajv().getSchema(schemaId);
    if (!validate) throw new Error(`schema ${schemaId} not loaded`);
    compiled.set(schemaId, validate);
  }
  if (validate(data)) return [];
  // In file order, so the messages read top to bottom like the file (sort is stable within a line).
  return explainErrors(validate.errors ?? [])
    .map((p) => problemAt(located, [...base, ...p.segments], p.message))
    .sort((a, b) => a.line - b.line);
}

/** Validate against a rule's own options schema (any draft ajv understands, compiled once). */
const optionValidators = new WeakMap<object, ValidateFunction>();
export function validateOptions(schema: Record<string, unknown>, located: LocatedDocument, data: unknown, base: Segment[]): ConfigProblem[] {
  let validate = optionValidators.get(schema);
  if (!validate) {
    const { $schema: _ignored, ...rest } = schema;
    validate = new (Ajv())({ allErrors: true, verbose: true, strict: false }).compile(rest);
    optionValidators.set(schema, validate);
  }
  if (validate(data)) return [];
  return explainErrors(validate.errors ?? []).map((p) => problemAt(located, [...base, ...p.segments], p.message));
}

interface Explained {
  segments: Segment[];
  message: string;
  /** Kept to tell a branch that had the wrong type from one that had the right type and a wrong value. */
  keyword: string;
  atParent: boolean;
}

function pointerSegments(pointer: string): Segment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function isUnder(segments: Segment[], prefix: Segment[]): boolean {
  return prefix.every((s, i) => String(segments[i]) === String(s)) && segments.length >= prefix.length;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping (key: value)',
  boolean: 'true or false',
  null: 'empty',
};

function expected(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  return typeof parent?.['x-expected'] === 'string' ? (parent['x-expected'] as string) : undefined;
}

function explainOne(error: ErrorObject): Explained {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const base = { segments, keyword: error.keyword, atParent: false };
  switch (error.keyword) {
    case 'enum':
      return { ...base, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'type':
      return { ...base, message: `must be ${String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` };
    case 'required':
      return { ...base, segments: [...segments, String(params.missingProperty)], message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys(((error.parentSchema as Record<string, unknown>)?.properties as object | undefined) ?? {});
      return { ...base, segments: [...segments, String(params.additionalProperty)], message: `unknown key${suggest(String(params.additionalProperty), known)}` };
    }
    case 'propertyNames':
      return { ...base, segments: [...segments, String(params.propertyName)], message: 'is not a valid rule id or name' };
    case 'minLength':
      return { ...base, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { ...base, message: `must be at most ${String(params.limit)} characters long` };
    case 'minItems':
      return { ...base, message: `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    default: {
      const phrase = expected(error);
      return { ...base, message: phrase ? `must be ${phrase}` : error.message ?? 'is invalid' };
    }
  }
}

/**
 * Turn ajv's error list into one message per real mistake. ajv reports every failed branch of
 * a oneOf/anyOf; its sub-errors come right before it. Branches whose type did not match are
 * noise; errors deeper than the oneOf are the real mistake; what remains at the oneOf itself
 * is replaced by the schema's `x-expected` phrase.
 */
function explainErrors(errors: ErrorObject[]): { segments: Segment[]; message: string }[] {
  const pending: Explained[] = [];
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      if (error.keyword === 'pattern' && error.propertyName !== undefined) continue; // reported by propertyNames
      pending.push(explainOne(error));
      continue;
    }
    const at = pointerSegments(error.instancePath);
    let start = pending.length;
    while (start > 0 && isUnder(pending[start - 1]!.segments, at)) start--;
    const branchErrors = pending.splice(start);
    const sameLevel = (e: Explained) => e.segments.length === at.length && !e.atParent;
    const relevant = branchErrors.filter((e) => !(sameLevel(e) && e.keyword === 'type'));
    const deeper = relevant.filter((e) => !sameLevel(e));
    if (deeper.length > 0) {
      pushAll(pending, deeper.map((e) => ({ ...e, atParent: true })));
      continue;
    }
    const enums = relevant.filter((e) => e.keyword === 'enum');
    if (enums.length > 0 && enums.length === relevant.length) {
      pending.push({ ...enums[0]!, atParent: true });
      continue;
    }
    const phrase = expected(error);
    pending.push({ segments: at, keyword: error.keyword, atParent: true, message: phrase ? `must be ${phrase}` : 'does not match any allowed form' });
  }
  const seen = new Set<string>();
  return pending
    .filter((e) => {
      const k = `${keyPath(e.segments)}\u0000${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map(({ segments, message }) => ({ segments, message }));
}

export function suggest(word: string, known: string[]): string {
  if (known.length === 0) return '';
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(Math.max(word.length, best.length) / 3))) return ` (did you mean "${best}"?)`;
  return known.length <= 16 ? ` (expected one of ${known.join(', ')})` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
