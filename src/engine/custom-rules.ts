/**
 * Custom rules named by the config: JavaScript rule modules (`plugins`, which run code and
 * are therefore gated by `allowJsRules`) and declarative rules (`customRules`, data only).
 * Every rule is checked like a built-in before it runs: id pattern, unique id and name,
 * complete metadata. Problems become ConfigProblems that point at the config entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Precision, Rule, RuleMeta } from '../core/rule.js';
import { problemAt, readLocatedDocument, RULE_SCHEMA_ID, validateWithSchema, type ConfigProblem, type LocatedDocument, type Segment } from './config-document.js';
import { buildDeclarativeRule, type DeclarativeRuleSpec } from './declarative-rules.js';
import { pushAll } from '../core/arrays.js';

const CUSTOM_ID_PATTERN = /^[A-Z][A-Z0-9]*[-_]?[A-Z0-9]+$/;
const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LEVELS = ['error', 'warning', 'note'];
const PRECISIONS: Precision[] = ['very-high', 'high', 'medium', 'low'];
const SEVERITY_BY_LEVEL = { error: 7.5, warning: 5.0, note: 2.0 } as const;

interface CustomRulesResult {
  rules: Rule[];
  problems: ConfigProblem[];
}

/**
 * Import JavaScript rule modules. A module exports a Rule as default, an array of rules as
 * default, or `rules` (an array). Paths are relative to the config file; anything else is a
 * package name resolved from the config file's folder.
 */
export async function loadPluginRules(config: LocatedDocument, specifiers: string[], allowJsRules: boolean | 'skip', skipped: string[] = []): Promise<CustomRulesResult> {
  const problems: ConfigProblem[] = [];
  const rules: Rule[] = [];
  // A config found in the scanned tree (not named by the user) may not run code: its plugins are skipped, and said so.
  if (allowJsRules === 'skip') {
    if (specifiers.length > 0) pushAll(skipped, specifiers);
    return { rules, problems };
  }
  const configDir = path.dirname(config.absolutePath);
  for (const [i, specifier] of specifiers.entries()) {
    const at = (message: string) => problems.push(problemAt(config, ['plugins', i], message));
    if (!allowJsRules) {
      at(`"${specifier}": JavaScript rules are not allowed in this run (they execute code; the caller set allowJsRules: false). Remove the plugin, use a declarative rule, or allow JS rules explicitly`);
      continue;
    }
    const file = isPathSpecifier(specifier) ? path.resolve(configDir, specifier) : resolvePackageEntry(specifier, configDir);
    if (!file || !existsSync(file)) {
      at(`"${specifier}": ${isPathSpecifier(specifier) ? 'file not found' : 'package not found (install it next to the config file)'}`);
      continue;
    }
    if (isPathSpecifier(specifier) && !/\.(m?js|cjs)$/.test(file)) {
      at(`"${specifier}": a JavaScript rule module must be a .js, .mjs or .cjs file`);
      continue;
    }
    let exported: unknown;
    try {
      exported = await import(pathToFileURL(file).href);
    } catch (error) {
      at(`"${specifier}": cannot be loaded: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const candidates = rulesOfModule(exported as Record<string, unknown>);
    if (candidates.length === 0) {
      at(`"${specifier}": exports no rule (export a rule as default, or an array of rules as default or as "rules")`);
      continue;
    }
    for (const [n, candidate] of candidates.entries()) {
      const checked = checkJsRule(candidate);
      if (typeof checked === 'string') at(`"${specifier}": rule ${n + 1}${ruleLabel(candidate)}: ${checked}`);
      else rules.push(checked);
    }
  }
  return { rules, problems };
}

/** Declarative rules, inline in the config or in YAML/JSON files (one rule or a list) it points to. */
export function loadDeclarativeRules(config: LocatedDocument, entries: unknown[], roots?: readonly string[]): CustomRulesResult {
  const problems: ConfigProblem[] = [];
  const rules: Rule[] = [];
  const configDir = path.dirname(config.absolutePath);
  const add = (located: LocatedDocument, spec: unknown, base: Segment[]) => {
    const schemaProblems = validateWithSchema(RULE_SCHEMA_ID, located, spec, base);
    if (schemaProblems.length > 0) {
      pushAll(problems, schemaProblems);
      return;
    }
    const built = buildDeclarativeRule(spec as DeclarativeRuleSpec, located, base);
    pushAll(problems, built.problems);
    if (built.rule) rules.push(built.rule);
  };
  for (const [i, entry] of entries.entries()) {
    if (typeof entry !== 'string') {
      add(config, entry, ['customRules', i]);
      continue;
    }
    const absolute = path.resolve(configDir, entry);
    if (!existsSync(absolute)) {
      problems.push(problemAt(config, ['customRules', i], `"${entry}": file not found`));
      continue;
    }
    if (!/\.(ya?ml|json)$/i.test(absolute)) {
      problems.push(problemAt(config, ['customRules', i], `"${entry}": a declarative rule file must be .yml, .yaml or .json (JavaScript rules go under plugins)`));
      continue;
    }
    let located: LocatedDocument;
    try {
      located = readLocatedDocument(absolute, relativeDisplay(config, absolute), roots);
    } catch (error) {
      pushAll(problems, ((error as { problems?: ConfigProblem[] }).problems ?? [problemAt(config, ['customRules', i], (error as Error).message)]));
      continue;
    }
    const data = located.data as Record<string, unknown> | unknown[];
    // A file holds one rule, a list of rules, or { rules: [...] }.
    if (Array.isArray(data)) data.forEach((spec, n) => add(located, spec, [n]));
    else if (data && typeof data === 'object' && Array.isArray(data.rules) && !('id' in data)) (data.rules as unknown[]).forEach((spec, n) => add(located, spec, ['rules', n]));
    else add(located, data, []);
  }
  return { rules, problems };
}

/** The config file's display path is relative to the working dir; show rule files the same way. */
function relativeDisplay(config: LocatedDocument, absolute: string): string {
  const configDirDisplay = path.posix.dirname(config.file);
  const relativeToConfig = path.relative(path.dirname(config.absolutePath), absolute).split(path.sep).join('/');
  return configDirDisplay === '.' ? relativeToConfig : path.posix.normalize(`${configDirDisplay}/${relativeToConfig}`);
}

/** Ids and names must be unique across built-in and custom rules; messages point at the custom one. */
export function checkUniqueRules(builtin: Rule[], custom: { rule: Rule; where: ConfigProblem }[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Map(builtin.map((r) => [r.meta.id.toLowerCase(), 'a built-in rule']));
  const names = new Map(builtin.map((r) => [r.meta.name, `built-in rule ${r.meta.id}`]));
  for (const { rule, where } of custom) {
    const owner = ids.get(rule.meta.id.toLowerCase());
    if (owner) problems.push({ ...where, message: `rule id ${rule.meta.id} is already used by ${owner}` });
    const nameOwner = names.get(rule.meta.name);
    if (nameOwner) problems.push({ ...where, message: `rule name ${rule.meta.name} is already used by ${nameOwner}` });
    ids.set(rule.meta.id.toLowerCase(), `custom rule ${rule.meta.id} (${where.file}:${where.line})`);
    names.set(rule.meta.name, `custom rule ${rule.meta.id}`);
  }
  return problems;
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier) || /\.(m?js|cjs)$/.test(specifier) && !specifier.startsWith('@');
}

function ruleLabel(candidate: unknown): string {
  const id = (candidate as { meta?: { id?: unknown } } | null)?.meta?.id;
  return typeof id === 'string' ? ` (${id})` : '';
}

function rulesOfModule(module: Record<string, unknown>): unknown[] {
  const fromDefault = module.default;
  if (Array.isArray(fromDefault)) return fromDefault;
  if (fromDefault && typeof fromDefault === 'object' && Array.isArray((fromDefault as { rules?: unknown }).rules)) return (fromDefault as { rules: unknown[] }).rules;
  if (Array.isArray(module.rules)) return module.rules;
  if (fromDefault && typeof fromDefault === 'object') return [fromDefault];
  return [];
}

/** Validate a JS rule's shape and fill optional metadata; a string is the reason it is refused. */
function checkJsRule(candidate: unknown): Rule | string {
  if (!candidate || typeof candidate !== 'object') return 'is not an object with meta and check';
  const { meta, check, optionsSchema } = candidate as { meta?: Partial<RuleMeta>; check?: unknown; optionsSchema?: unknown };
  if (!meta || typeof meta !== 'object') return 'has no meta object';
  if (typeof check !== 'function') return 'has no check(model, context) function';
  if (typeof meta.id !== 'string' || !CUSTOM_ID_PATTERN.test(meta.id)) return `meta.id must be an upper-case id such as ACME001 or ORG-12 (got ${JSON.stringify(meta.id)})`;
  if (/^PW\d+$/.test(meta.id)) return `meta.id ${meta.id}: ids of the form PW<digits> are reserved for built-in rules`;
  if (typeof meta.name !== 'string' || !NAME_PATTERN.test(meta.name)) return `meta.name must be kebab-case such as no-public-debug-ports (got ${JSON.stringify(meta.name)})`;
  if (typeof meta.level !== 'string' || !LEVELS.includes(meta.level)) return `meta.level must be one of ${LEVELS.join(', ')}`;
  for (const key of ['shortDescription', 'help'] as const) {
    if (typeof meta[key] !== 'string' || meta[key]!.trim() === '') return `meta.${key} is required (it is shown by portwall rules/explain and in SARIF)`;
  }
  if (meta.securitySeverity !== undefined && (typeof meta.securitySeverity !== 'number' || meta.securitySeverity < 0 || meta.securitySeverity > 10)) return 'meta.securitySeverity must be a number from 0 to 10';
  if (meta.precision !== undefined && !PRECISIONS.includes(meta.precision)) return `meta.precision must be one of ${PRECISIONS.join(', ')}`;
  if (meta.tags !== undefined && !(Array.isArray(meta.tags) && meta.tags.every((t) => typeof t === 'string'))) return 'meta.tags must be a list of strings';
  if (optionsSchema !== undefined && (typeof optionsSchema !== 'object' || optionsSchema === null)) return 'optionsSchema must be a JSON Schema object';
  const level = meta.level as RuleMeta['level'];
  return {
    ...(candidate as Rule),
    meta: {
      ...meta,
      id: meta.id,
      name: meta.name,
      level,
      securitySeverity: meta.securitySeverity ?? SEVERITY_BY_LEVEL[level],
      precision: meta.precision ?? 'medium',
      tags: meta.tags ?? ['security', 'custom'],
      shortDescription: meta.shortDescription!,
      fullDescription: meta.fullDescription ?? meta.shortDescription!,
      help: meta.help!,
      formats: meta.formats ?? [],
    },
  };
}

/**
 * Find a package's ESM entry from a folder, the way Node looks up node_modules, without
 * executing anything: exports ("import" / "node" / "default" conditions), then module, then main.
 */
function resolvePackageEntry(name: string, fromDir: string): string | undefined {
  const parts = name.split('/');
  const packageName = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = parts.slice(name.startsWith('@') ? 2 : 1).join('/');
  let dir = fromDir;
  for (;;) {
    const packageDir = path.join(dir, 'node_modules', packageName);
    const manifestPath = path.join(packageDir, 'package.json');
    if (existsSync(manifestPath)) {
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      const target = exportTarget(manifest.exports, subpath ? `./${subpath}` : '.') ?? (subpath ? `./${subpath}` : ((manifest.module ?? manifest.main ?? 'index.js') as string));
      return path.resolve(packageDir, target);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function exportTarget(exportsField: unknown, subpath: string): string | undefined {
  if (exportsField === undefined || exportsField === null) return undefined;
  if (typeof exportsField === 'string') return subpath === '.' ? exportsField : undefined;
  if (Array.isArray(exportsField)) {
    for (const item of exportsField) {
      const hit = exportTarget(item, subpath);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof exportsField !== 'object') return undefined;
  const map = exportsField as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.some((k) => k.startsWith('.'))) return conditionTarget(map[subpath]);
  return subpath === '.' ? conditionTarget(map) : undefined;
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const map = value as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    if (condition in map) {
      const hit = conditionTarget(map[condition]);
      if (hit) return hit;
    }
  }
  return undefined;
}
