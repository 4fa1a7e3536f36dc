/**
 * Config loading: finds portwall.config.{yml,yaml,json} from the scan root up to the repo
 * root (or takes --config), validates it against schemas/config.schema.json, and turns it
 * into the effective Policy, the rule list (built-in + custom) and the engine's per-path
 * hooks. Every mistake is reported with file, line and key; a config is never half-applied.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { defaultPolicy, type Level, type LevelSetting, type Policy, type RuleSetting } from '../core/policy.js';
import type { Rule } from '../core/rule.js';
import { parseCidr } from '../model/net.js';
import { parsePortText } from '../model/ports.js';
import type { PortRange } from '../model/types.js';
import {
  CONFIG_SCHEMA_ID,
  ConfigError,
  problemAt,
  readLocatedDocument,
  suggest,
  loadValidator,
  validateOptions,
  validateWithSchema,
  type ConfigProblem,
  type Segment,
} from './config-document.js';
import { checkUniqueRules, loadDeclarativeRules, loadPluginRules } from './custom-rules.js';
import { compileSafeRegex } from './safe-regex.js';
import { confinedPath, repositoryRoot } from './read-source.js';
import { pushAll } from '../core/arrays.js';

export { ConfigError } from './config-document.js';

export const CONFIG_FILE_NAMES = ['portwall.config.yml', 'portwall.config.yaml', 'portwall.config.json'] as const;

export interface LoadConfigOptions {
  /** Scan root: discovery starts here, and per-path settings match paths relative to it. */
  cwd: string;
  /** --config: a file path relative to cwd. Overrides discovery. */
  configPath?: string;
  builtinRules: Rule[];
  /**
   * Whether `plugins` (JavaScript rule modules, which execute code) may be loaded. Default
   * true for the local CLI. The GitHub Action passes false for an untrusted pull-request head
   * unless its input allows it; a config that lists plugins is then an error, not silently weaker.
   */
  allowJsRules?: boolean | 'skip';
  /** Confine every path the config names to the repository even for `configPath` (the Action: the config is the PR head's). */
  confine?: boolean;
}

export interface LoadedConfig {
  /** The config file used, relative to cwd, if any. */
  path?: string;
  absolutePath?: string;
  policy: Policy;
  /** The `ignore` globs as written (relative to the config file's folder). */
  ignore: string[];
  rules: Rule[];
  /** True for files (relative to the scan root) that `ignore` excludes. */
  isIgnored?: (file: string) => boolean;
  levelFor?: (ruleId: string, ruleName: string, file: string, defaultLevel: Level) => Level | 'off';
  /** Absolute path of the baseline named by the config (`baseline`), if any. */
  baselinePath?: string;
  /** Real paths a file named by this config must stay inside (undefined: a config the user named, trusted). */
  confineTo?: string[];
  /** Notes for the user (typed `skipped`): JS plugins of a discovered config not loaded in this run. */
  notices?: string[];
  /** Helm settings (`helm.valueFiles`: more values sets per chart folder). */
  helm?: { valueFiles?: Record<string, string[]> };
}

interface RawConfig {
  allowedPublicPorts?: (number | string)[];
  trustedSources?: string[];
  publicPrefixThreshold?: number;
  publicPrefixThresholdIpv6?: number;
  extraDatastorePorts?: { port: number; name: string }[];
  extraDatastoreImages?: { pattern: string; name: string }[];
  rules?: Record<string, LevelSetting | RuleSetting>;
  ignore?: string[];
  overrides?: { files: string | string[]; excludeFiles?: string | string[]; rules: Record<string, LevelSetting> }[];
  baseline?: string;
  plugins?: string[];
  customRules?: unknown[];
  helm?: { valueFiles?: Record<string, string[]> };
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd);
  const absolutePath = options.configPath ? path.resolve(cwd, options.configPath) : discoverConfig(cwd);
  if (!absolutePath) return { policy: defaultPolicy(), ignore: [], rules: options.builtinRules };
  const display = displayPath(cwd, absolutePath);
  if (options.configPath && !existsSync(absolutePath)) throw new ConfigError(`${display}: config file not found`);
  await loadValidator();

  // A config found in the scanned tree is data from the repository: everything it names stays inside it.
  const confineTo = options.configPath && !options.confine ? undefined : [repositoryRoot(cwd)];
  const located = readLocatedDocument(absolutePath, display, confineTo);
  const schemaProblems = validateWithSchema(CONFIG_SCHEMA_ID, located);
  if (schemaProblems.length > 0) throw new ConfigError(schemaProblems);
  const raw = located.data as RawConfig;
  const problems: ConfigProblem[] = [];
  const at = (segments: Segment[], message: string) => problems.push(problemAt(located, segments, message));

  // Custom rules first: `rules` and `overrides` may name them.
  const skippedPlugins: string[] = [];
  const plugins = await loadPluginRules(located, raw.plugins ?? [], options.allowJsRules ?? true, skippedPlugins);
  const declarative = loadDeclarativeRules(located, raw.customRules ?? [], confineTo);
  for (const p of [...plugins.problems, ...declarative.problems]) problems.push(p);
  const custom = [
    ...plugins.rules.map((rule) => ({ rule, where: problemAt(located, ['plugins'], '') })),
    ...declarative.rules.map((rule) => ({ rule, where: problemAt(located, ['customRules'], '') })),
  ];
  pushAll(problems, checkUniqueRules(options.builtinRules, custom));
  const rules = [...options.builtinRules, ...custom.map((c) => c.rule)];
  const resolveRule = ruleResolver(rules);
  for (const { rule, where } of custom) {
    for (const id of rule.meta.supersedes ?? []) {
      if (!rules.some((r) => r.meta.id === id)) problems.push({ ...where, message: `rule ${rule.meta.id}: supersedes names unknown rule ${id}` });
    }
  }

  const policy = defaultPolicy();
  if (raw.allowedPublicPorts) policy.allowedPublicPorts = portRanges(raw.allowedPublicPorts, ['allowedPublicPorts'], at);
  if (raw.trustedSources) policy.trustedSources = trustedSources(raw.trustedSources, at);
  if (raw.publicPrefixThreshold !== undefined) policy.publicPrefixThreshold = raw.publicPrefixThreshold;
  if (raw.publicPrefixThresholdIpv6 !== undefined) policy.publicPrefixThresholdIpv6 = raw.publicPrefixThresholdIpv6;
  if (raw.extraDatastorePorts) policy.extraDatastorePorts = raw.extraDatastorePorts.map((p) => ({ port: p.port, name: p.name }));
  if (raw.extraDatastoreImages) {
    raw.extraDatastoreImages.forEach((image, i) => {
      const compiled = compileSafeRegex(image.pattern);
      if ('error' in compiled) at(['extraDatastoreImages', i, 'pattern'], compiled.error);
    });
    policy.extraDatastoreImages = raw.extraDatastoreImages.map((p) => ({ pattern: p.pattern, name: p.name }));
  }

  for (const [key, value] of Object.entries(raw.rules ?? {})) {
    const rule = resolveRule(key);
    if (!rule) {
      at(['rules', key], `unknown rule${suggest(key, rules.flatMap((r) => [r.meta.id, r.meta.name])).replace(/ \(expected one of .*\)$/, '')}; run "portwall rules" for the list`);
      continue;
    }
    const setting: RuleSetting = typeof value === 'string' ? { level: value } : { ...value };
    if (setting.options !== undefined) {
      if (!rule.optionsSchema) at(['rules', key, 'options'], `rule ${rule.meta.id} has no options`);
      else pushAll(problems, validateOptions(rule.optionsSchema, located, setting.options, ['rules', key, 'options']));
    }
    if (policy.rules[rule.meta.id]) at(['rules', key], `rule ${rule.meta.id} is configured twice (by id and by name)`);
    policy.rules[rule.meta.id] = setting;
  }

  const overrides = (raw.overrides ?? []).map((o, i) => {
    const levels = new Map<string, LevelSetting>();
    for (const [key, level] of Object.entries(o.rules)) {
      const rule = resolveRule(key);
      if (!rule) at(['overrides', i, 'rules', key], 'unknown rule; run "portwall rules" for the list');
      else levels.set(rule.meta.id, level);
    }
    return { files: globMatcher(o.files), exclude: o.excludeFiles ? globMatcher(o.excludeFiles) : () => false, levels };
  });
  const configDirectory = path.dirname(absolutePath);
  if (raw.baseline && confineTo && !confinedPath(path.resolve(configDirectory, raw.baseline), confineTo[0]!)) {
    at(['baseline'], `"${raw.baseline}" is outside the repository: a baseline must be a file inside it`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // A rule that is off globally but on for some paths must still run; levelFor turns it off elsewhere.
  const offGlobally = new Set<string>();
  for (const [id, setting] of Object.entries(policy.rules)) {
    if (setting.level !== 'off') continue;
    if (overrides.some((o) => { const l = o.levels.get(id); return l !== undefined && l !== 'off'; })) {
      offGlobally.add(id);
      const { level: _off, ...rest } = setting;
      policy.rules[id] = rest;
    }
  }

  const configDir = path.dirname(absolutePath);
  const relativeToConfig = (file: string): string | undefined => {
    const relative = path.relative(configDir, path.resolve(cwd, file)).split(path.sep).join('/');
    return relative.startsWith('../') || relative === '..' || path.isAbsolute(relative) ? undefined : relative;
  };
  const ignoreMatcher = raw.ignore && raw.ignore.length > 0 ? globMatcher(raw.ignore) : undefined;
  const isIgnored = ignoreMatcher
    ? (file: string) => {
        const relative = relativeToConfig(file);
        return relative !== undefined && ignoreMatcher(relative);
      }
    : undefined;
  const levelFor =
    overrides.length > 0 || offGlobally.size > 0
      ? (ruleId: string, _ruleName: string, file: string, defaultLevel: Level): Level | 'off' => {
          let level: Level | 'off' = offGlobally.has(ruleId) ? 'off' : defaultLevel;
          const relative = relativeToConfig(file);
          if (relative === undefined) return level;
          for (const o of overrides) {
            const l = o.levels.get(ruleId);
            if (l !== undefined && o.files(relative) && !o.exclude(relative)) level = l;
          }
          return level;
        }
      : undefined;

  return {
    path: display,
    absolutePath,
    policy,
    ignore: raw.ignore ?? [],
    rules,
    ...(isIgnored ? { isIgnored } : {}),
    ...(levelFor ? { levelFor } : {}),
    ...(raw.baseline ? { baselinePath: path.resolve(configDir, raw.baseline) } : {}),
    ...(confineTo ? { confineTo } : {}),
    ...(skippedPlugins.length > 0
      ? { notices: [`${display}: JavaScript rules (plugins ${skippedPlugins.map((s) => `"${s}"`).join(', ')}) were skipped: they run code, and this config was found in the scanned tree; pass --allow-js-rules (Action input allow-js-rules) or name the config with --config to load them`] }
      : {}),
    ...(raw.helm ? { helm: helmSettings(raw.helm, configDir, cwd) } : {}),
  };
}

/** Chart folders of `helm.valueFiles` are relative to the config file, like every path in it; the scan wants them relative to the scan root. */
function helmSettings(raw: NonNullable<RawConfig['helm']>, configDir: string, cwd: string): NonNullable<LoadedConfig['helm']> {
  if (!raw.valueFiles) return { ...raw };
  const valueFiles: Record<string, string[]> = {};
  for (const [chart, files] of Object.entries(raw.valueFiles)) {
    const relative = path.relative(cwd, path.resolve(configDir, chart)).split(path.sep).join('/');
    valueFiles[relative === '' ? '.' : relative] = files;
  }
  return { ...raw, valueFiles };
}

/**
 * The nearest config from `start` up to the repository root (the folder holding .git).
 * Outside a repository only `start` itself is searched, so a stray config in a home folder
 * never applies to an unrelated scan.
 */
export function discoverConfig(start: string): string | undefined {
  const folders: string[] = [];
  let dir = path.resolve(start);
  let repoRoot: string | undefined;
  for (;;) {
    folders.push(dir);
    if (existsSync(path.join(dir, '.git'))) {
      repoRoot = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const searched = repoRoot ? folders : [path.resolve(start)];
  for (const folder of searched) {
    const found = CONFIG_FILE_NAMES.map((name) => path.join(folder, name)).filter((p) => existsSync(p));
    if (found.length > 1) throw new ConfigError(`${found.map((f) => displayPath(start, f)).join(' and ')} both exist: keep one config file`);
    if (found.length === 1) return found[0];
  }
  return undefined;
}

function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute).split(path.sep).join('/');
  return relative === '' ? path.basename(absolute) : relative;
}

function ruleResolver(rules: Rule[]): (key: string) => Rule | undefined {
  return (key) => rules.find((r) => r.meta.id.toLowerCase() === key.toLowerCase() || r.meta.name === key);
}

function portRanges(values: (number | string)[], base: Segment[], at: (s: Segment[], m: string) => void): PortRange[] {
  const out: PortRange[] = [];
  values.forEach((value, i) => {
    if (typeof value === 'number') {
      out.push({ from: value, to: value });
      return;
    }
    const [from, to] = value.split('-').map((s) => Number(s.trim()));
    const range = parsePortText(value);
    if (!range) at([...base, i], 'must be a port number (0-65535) or a range "from-to" such as "8000-8010"');
    else if (to !== undefined && from! > to) at([...base, i], `range "${value}" is reversed: write "${to}-${from}"`);
    else out.push(range);
  });
  return out;
}

function trustedSources(values: string[], at: (s: Segment[], m: string) => void): string[] {
  values.forEach((value, i) => {
    const cidr = parseCidr(value);
    if (!cidr) at(['trustedSources', i], `"${value}" is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`);
    // Trusting every address would silently turn the whole policy off.
    else if (cidr.prefix === 0) at(['trustedSources', i], `"${value}" is every address: trusting it would disable every internet check`);
  });
  return [...values];
}

function globMatcher(globs: string | string[]): (relative: string) => boolean {
  const list = (Array.isArray(globs) ? globs : [globs]).map((g) => g.replace(/^\.\//, ''));
  // A bare folder name ("legacy", "legacy/") means everything below it, as in .gitignore.
  const expanded = list.flatMap((g) => (/[*?[\]{}]/.test(g) ? [g] : [g.replace(/\/$/, ''), `${g.replace(/\/$/, '')}/**`]));
  return picomatch(expanded, { dot: true });
}

