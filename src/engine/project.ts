/**
 * A scan as the CLI runs it: paths relative to the repository root (the git top level, else the
 * scan root), the nearest portwall.config.* for each file (or one --config for all), and one
 * lint() per config group so that each file's policy decides its model and its rules. Results
 * of the groups are merged into one LintResult; the baseline is applied once, to all of them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { LintResult, ToolNotification } from '../core/finding.js';
import { defaultPolicy } from '../core/policy.js';
import type { Rule } from '../core/rule.js';
import { applyBaseline, type Baseline } from './baseline.js';
import { CONFIG_FILE_NAMES, ConfigError, loadConfig, type LoadedConfig } from './config.js';
import { discoverFiles, findGitRoot, type DiscoveredFile } from './discover.js';
import { rememberSecrets, secretsOf } from './known-secrets.js';
import { lint, sortFindings, type LintOptions } from './lint.js';
import { defaultCacheLocation, ParseCache } from './parse-cache.js';
import { RunBudget } from './run-budget.js';

export interface ProjectOptions {
  /** The run's budget across files and config groups (engine/run-budget.ts); a default one per run. */
  runBudget?: RunBudget;
  /** Where portwall runs; PATHs, --config and --exclude are relative to it. */
  cwd: string;
  paths: string[];
  stdin?: { text: string; filename?: string };
  /** --config: one config for every file, instead of the per-file lookup. */
  configPath?: string;
  builtinRules: Rule[];
  /** Plugins of a config discovered in the scanned tree: true loads them, 'skip' skips them with a note (default true for the API). */
  allowJsRules?: boolean | 'skip';
  /** --rules / --skip-rules, resolved by the caller. */
  ruleFilter?: (rule: Rule) => boolean;
  /** --exclude globs, relative to cwd. */
  exclude?: string[];
  /** A baseline object, or a function that picks it from the config that applies at cwd. */
  baseline?: Baseline | ((config: LoadedConfig) => Baseline | undefined);
  now?: Date;
  onProgress?: LintOptions['onProgress'];
  /** The repository root, when it is not the git top level of cwd (a base commit's tree in a temporary folder). */
  root?: string;
  /** `--shard i/n` (see src/units/shard.ts). */
  shard?: LintOptions['shard'];
  /** `--cache`: the folder (absolute), or true for the default under the repository root. */
  cache?: string | true;
}

export interface ProjectResult {
  result: LintResult;
  /** Every rule of every config used (formatters need their metadata), first definition of an id wins. */
  rules: Rule[];
  /** The configs used, by absolute path ("" for the built-in defaults). */
  configs: Map<string, LoadedConfig>;
  /** The repository root that paths are relative to. */
  root: string;
  /** Files (relative to root) that --exclude removed although they were named on the command line. */
  excludedExplicit: string[];
}

/** The git top level of cwd, else cwd. */
export function repositoryRoot(cwd: string): string {
  return findGitRoot(cwd) ?? path.resolve(cwd);
}

function relativeTo(root: string, absolute: string): string {
  const rel = path.relative(root, absolute).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

/**
 * The config that applies to a file (absolute path): the nearest portwall.config.* from its
 * folder up to `root` (the repository root). A file outside `root` looks only in its own folder.
 */
export class ConfigLookup {
  private readonly byFolder = new Map<string, string | undefined>();
  constructor(private readonly root: string) {}

  configFor(absoluteFile: string): string | undefined {
    return this.configForFolder(path.dirname(absoluteFile));
  }

  configForFolder(folder: string): string | undefined {
    const dir = path.resolve(folder);
    if (this.byFolder.has(dir)) return this.byFolder.get(dir);
    const found = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((p) => existsSync(p));
    if (found.length > 1) throw new ConfigError(`${found.map((f) => relativeTo(this.root, f)).join(' and ')} both exist: keep one config file`);
    let result = found[0];
    const inside = dir.startsWith(this.root.endsWith(path.sep) ? this.root : this.root + path.sep);
    if (!result && inside && dir !== this.root) result = this.configForFolder(path.dirname(dir));
    this.byFolder.set(dir, result);
    return result;
  }
}

function defaultConfig(builtinRules: Rule[]): LoadedConfig {
  return { policy: defaultPolicy(), ignore: [], rules: builtinRules };
}

/** Loads configs once each, relative to the repository root (locations and globs match root-relative paths). */
export class ConfigCache {
  readonly loaded = new Map<string, LoadedConfig>();
  constructor(
    private readonly root: string,
    private readonly builtinRules: Rule[],
    /** Plugins of configs discovered in the tree: loaded, or skipped with a note ('skip'). */
    private readonly allowJsRules: boolean | 'skip',
    /** The config the user named (--config): trusted, its plugins load, its paths are not confined. */
    private readonly trusted?: string,
  ) {}

  async get(absolutePath: string | undefined): Promise<LoadedConfig> {
    const key = absolutePath ?? '';
    const cached = this.loaded.get(key);
    if (cached) return cached;
    const config = absolutePath
      ? absolutePath === this.trusted
        ? await loadConfig({ cwd: this.root, configPath: absolutePath, builtinRules: this.builtinRules, allowJsRules: true })
        : await loadConfig({ cwd: this.root, configPath: absolutePath, builtinRules: this.builtinRules, allowJsRules: this.allowJsRules, confine: true })
      : defaultConfig(this.builtinRules);
    this.loaded.set(key, config);
    return config;
  }
}

/** A glob list as --exclude takes it: relative to cwd; a bare folder name means everything below it. */
export function excludeMatcher(globs: string[]): (relativeToCwd: string) => boolean {
  const expanded = globs
    .map((g) => g.replace(/^\.\//, ''))
    .flatMap((g) => (/[*?[\]{}]/.test(g) ? [g] : [g.replace(/\/$/, ''), `${g.replace(/\/$/, '')}/**`]));
  return picomatch(expanded, { dot: true });
}

export async function lintProject(options: ProjectOptions): Promise<ProjectResult> {
  const cwd = path.resolve(options.cwd);
  const root = options.root ? path.resolve(options.root) : repositoryRoot(cwd);
  const inputs = options.paths.length ? options.paths : ['.'];
  const fileInputs = inputs.filter((p) => p !== '-').map((p) => relativeTo(root, path.resolve(cwd, p)));
  const discovered = await discoverFiles(root, fileInputs);
  const lookup = new ConfigLookup(root);
  const explicitConfig = options.configPath ? path.resolve(cwd, options.configPath) : undefined;
  const cache = new ConfigCache(root, options.builtinRules, options.allowJsRules ?? true, explicitConfig);
  if (explicitConfig && !existsSync(explicitConfig)) throw new ConfigError(`${options.configPath}: config file not found`);
  const cwdConfigPath = explicitConfig ?? lookup.configForFolder(cwd);
  const cwdConfig = await cache.get(cwdConfigPath);

  const excluded = options.exclude?.length ? excludeMatcher(options.exclude) : undefined;
  const isExcluded = (rootRelative: string) => !!excluded && excluded(path.relative(cwd, path.resolve(root, rootRelative)).split(path.sep).join('/'));
  const excludedExplicit: string[] = [];

  // Group the files by the config that applies to them (Map keeps first-seen order).
  const groups = new Map<string, { config: string | undefined; discovered: DiscoveredFile[]; stdin: boolean }>();
  const groupOf = (config: string | undefined) => {
    const key = config ?? '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { config, discovered: [], stdin: false }));
    return g;
  };
  for (const file of discovered.files) {
    if (isExcluded(file.path)) {
      if (file.explicit) excludedExplicit.push(file.path);
      continue;
    }
    // lint() is given each file by name: explicit, as its own discovery of the path would mark it.
    groupOf(explicitConfig ?? lookup.configFor(file.absolutePath)).discovered.push({ absolutePath: file.absolutePath, path: file.path, explicit: true });
  }
  // Standard input takes the config that applies where portwall runs.
  if (inputs.includes('-')) groupOf(cwdConfigPath).stdin = true;

  const results: LintResult[] = [];
  const configs = new Map<string, LoadedConfig>();
  const parseCache = options.cache ? new ParseCache(options.cache === true ? defaultCacheLocation(root, existsSync) : options.cache) : undefined;
  // One budget for the whole run, charged group after group (the groups' order is fixed).
  const runBudget = options.runBudget ?? new RunBudget();
  for (const group of groups.values()) {
    const config = await cache.get(group.config);
    configs.set(group.config ?? '', config);
    // An empty path list would mean "." to lint().
    if (group.discovered.length === 0 && !group.stdin) continue;
    const rules = options.ruleFilter ? config.rules.filter(options.ruleFilter) : config.rules;
    results.push(
      await lint({
        cwd: root,
        paths: [...group.discovered.map((f) => f.path), ...(group.stdin ? ['-'] : [])],
        discovered: group.discovered,
        ...(group.stdin && options.stdin ? { stdin: options.stdin } : {}),
        policy: config.policy,
        rules,
        ...(config.levelFor ? { levelFor: config.levelFor } : {}),
        ...(config.helm ? { helm: config.helm } : {}),
        ...(config.isIgnored ? { isIgnored: config.isIgnored } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.shard ? { shard: options.shard } : {}),
        ...(parseCache ? { cache: parseCache } : {}),
        runBudget,
      }),
    );
  }
  const files = results.flatMap((r) => r.files).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  const notifications: ToolNotification[] = [];
  for (const n of results.flatMap((r) => r.notifications)) {
    const key = `${n.level}\u0000${n.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    notifications.push(n);
  }
  for (const missing of discovered.missing) {
    const key = `error\u0000${missing}: no such file or directory`;
    if (!seen.has(key)) notifications.push({ level: 'error', kind: 'config', message: `${missing}: no such file or directory` });
  }
  // A file two groups read (a compose include from a folder with its own config) is reported once.
  const fingerprints = new Set<string>();
  const findings = sortFindings(results.flatMap((r) => r.findings)).filter((f) => !fingerprints.has(f.fingerprint) && !!fingerprints.add(f.fingerprint));
  const seenFiles = new Set<string>();
  const uniqueFiles = files.filter((f) => !seenFiles.has(f.path) && !!seenFiles.add(f.path));
  let result: LintResult = { root, findings, files: uniqueFiles, notifications };
  const baseline = typeof options.baseline === 'function' ? options.baseline(cwdConfig) : options.baseline;
  if (baseline) {
    const scanned = new Set([...groups.values()].flatMap((g) => g.discovered.map((f) => f.path)));
    if (options.stdin && inputs.includes('-')) scanned.add(options.stdin.filename ?? '<stdin>');
    // A shard sees only its units' findings: the others' baseline entries are not stale.
    const baselined = applyBaseline(result.findings, baseline, options.shard && options.shard.count > 1 ? new Set() : scanned);
    result = { ...result, findings: baselined.findings, notifications: [...notifications, ...baselined.notifications], staleBaselineEntries: baselined.stale };
  }
  const rules: Rule[] = [];
  const ids = new Set<string>();
  for (const config of [cwdConfig, ...configs.values()]) {
    for (const rule of config.rules) {
      if (ids.has(rule.meta.id)) continue;
      ids.add(rule.meta.id);
      rules.push(rule);
    }
  }
  configs.set(cwdConfigPath ?? '', cwdConfig);
  // The merged result is a new object: it keeps the secrets of every group's run, for the reports' last redaction.
  rememberSecrets(result, [...new Set(results.flatMap((r) => secretsOf(r)))]);
  return { result, rules, configs, root, excludedExplicit };
}
