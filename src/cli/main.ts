/** The command line: argv -> lint() -> formatter -> exit code. A thin shell over the API. */
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { LintResult } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { BASELINE_FILE_NAME, createBaseline, findBaseline, serializeBaseline, type Baseline } from '../engine/baseline.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../engine/config.js';
import { STARTER_CONFIG } from '../engine/starter-config.js';
import { applyFixes, fixDiff } from '../engine/fix.js';
import { lintProject, type ProjectResult } from '../engine/project.js';
import { diffAgainstBase, GitError, onlyNew } from '../engine/diff-base.js';
import { readConfined, realRoots, repositoryRoot, writeConfined } from '../engine/read-source.js';
import { redactKnown, secretsOf } from '../engine/known-secrets.js';
import { collectGarbageIfGrown } from '../engine/collect-garbage.js';
import { SourceChangedError } from '../engine/scanned-source.js';
import { FORMATTERS } from '../formatters/index.js';
import { isSecurityRule } from '../formatters/sarif.js';
import { VERSION } from '../version.js';
import { didYouMean, HELP, parseArgs, UsageError, type CliOptions } from './args.js';
import { listFiles, printConfig, progressLine, ruleFilter } from './commands.js';
import type { CliIo } from './io.js';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'lsp') return lspCommand(argv.slice(1), io);
  if (argv[0] === 'merge-sarif') return (await import('./merge-sarif.js')).mergeSarifCommand(argv.slice(1), io);
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`portwall: ${error.message}\nRun "portwall --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
  try {
    switch (options.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'rules':
        return await listRules(io, options);
      case 'explain':
        return await explain(io, options.ruleId!, options);
      case 'init':
        return init(io, options);
      case 'baseline':
        return await baselineCommand(io, options);
      case 'print-config':
        return await printConfig(io, options);
      case 'list-files':
        return await listFiles(io, options, await scan(io, options, undefined));
      default:
        return await lintCommand(io, options);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof GitError || error instanceof SourceChangedError) {
      io.stderr(`portwall: ${error.message}\n`);
      return 2;
    }
    io.stderr(`portwall: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

/**
 * JS rules (plugins) run code: those of a config the user named with --config are loaded; those
 * of a config discovered in the scanned tree only with --allow-js-rules, else skipped with a note.
 */
async function loadCliConfig(io: CliIo, options: CliOptions): Promise<LoadedConfig> {
  const config = await loadConfig({ cwd: io.cwd, ...(options.config ? { configPath: options.config } : {}), builtinRules: BUILTIN_RULES, allowJsRules: options.config || options.allowJsRules ? true : 'skip' });
  for (const notice of config.notices ?? []) io.stderr(`portwall: note: ${notice}\n`);
  return config;
}

async function rulesFor(io: CliIo, options: CliOptions): Promise<Rule[]> {
  return (await loadCliConfig(io, options)).rules;
}

async function listRules(io: CliIo, options: CliOptions): Promise<number> {
  const all = await rulesFor(io, options);
  checkRuleNames(options, all);
  const rules = options.onlyRules || options.skipRules ? all.filter(ruleFilter(options)) : all;
  const severity = (r: Rule) => (isSecurityRule(r) ? r.meta.securitySeverity.toFixed(1) : '-');
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(rules.map((r) => ({ id: r.meta.id, name: r.meta.name, level: r.meta.level, ...(isSecurityRule(r) ? { securitySeverity: r.meta.securitySeverity } : {}), precision: r.meta.precision, tags: r.meta.tags, summary: r.meta.shortDescription })), null, 2)}\n`);
    return 0;
  }
  const rows = rules.map((r) => [r.meta.id, r.meta.name, r.meta.level, severity(r), r.meta.shortDescription]);
  const header = ['ID', 'NAME', 'LEVEL', 'SECURITY', 'SUMMARY'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), header[i]!.length));
  const line = (row: string[]) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ');
  io.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  return 0;
}

async function explain(io: CliIo, id: string, options: CliOptions): Promise<number> {
  const rules = await rulesFor(io, options);
  const rule = rules.find((r) => r.meta.id.toLowerCase() === id.toLowerCase() || r.meta.name === id);
  if (!rule) {
    io.stderr(`portwall: unknown rule "${id}". Run "portwall rules" for the list.\n`);
    return 2;
  }
  const m = rule.meta;
  const kind = isSecurityRule(rule) ? `security-severity ${m.securitySeverity.toFixed(1)}` : `not a security alert: ${m.tags.join(', ')}`;
  io.stdout(`${m.id} ${m.name} (${m.level}, ${kind})\n\n${m.shortDescription}\n\n${m.fullDescription}\n\n${m.help}\n`);
  return 0;
}

function init(io: CliIo, options: CliOptions): number {
  const target = path.resolve(io.cwd, options.paths[0] ?? 'portwall.config.yml');
  if (existsSync(target) && !options.force) {
    io.stderr(`portwall: ${path.relative(io.cwd, target)} already exists (use --force to overwrite)\n`);
    return 2;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, STARTER_CONFIG);
  io.stdout(`Wrote ${path.relative(io.cwd, target)}\n`);
  return 0;
}

/** --baseline, else the config's `baseline`, else portwall-baseline.json in the scan root if present. */
function baselineFor(io: CliIo, options: CliOptions, config: LoadedConfig): Baseline | undefined {
  return findBaseline(io.cwd, options.baseline ? path.resolve(io.cwd, options.baseline) : config.baselinePath, options.baseline ? undefined : config.confineTo);
}

async function baselineCommand(io: CliIo, options: CliOptions): Promise<number> {
  const config = await loadCliConfig(io, options);
  const { result } = await scan(io, options, undefined);
  if (result.notifications.some((n) => n.kind === 'internal')) {
    for (const n of result.notifications) io.stderr(`portwall: ${n.message}\n`);
    return 2;
  }
  const baseline = createBaseline(result.findings);
  const baselineText = redactKnown(serializeBaseline(baseline), secretsOf(result));
  const target = path.resolve(io.cwd, options.output ?? options.baseline ?? config.baselinePath ?? BASELINE_FILE_NAME);
  if (options.output || options.baseline) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, baselineText);
  } else {
    // A path from a config in the repository (or the default): a regular file inside the repository only.
    try {
      writeConfined(target, baselineText, config.confineTo?.[0] ?? repositoryRoot(io.cwd));
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  const count = Object.keys(baseline.findings).length;
  io.stdout(`Wrote ${path.relative(io.cwd, target)} with ${count} finding${count === 1 ? '' : 's'}${config.path ? ` (config ${config.path})` : ''}\n`);
  return 0;
}

/** One scan of the command line's paths: per-file configs, rule selection, exclusions, progress. */
async function scan(io: CliIo, options: CliOptions, stdinText: string | undefined, baseline?: (config: LoadedConfig) => Baseline | undefined, root?: string): Promise<ProjectResult> {
  const progress = progressLine(io);
  try {
    const project = await lintProject({
      cwd: io.cwd,
      paths: options.paths.length ? options.paths : ['.'],
      ...(stdinText !== undefined ? { stdin: { text: stdinText, ...(options.stdinFilename ? { filename: options.stdinFilename } : {}) } } : {}),
      ...(options.config ? { configPath: options.config } : {}),
      builtinRules: BUILTIN_RULES,
      // Plugins of a config found in the scanned tree run code: only with --allow-js-rules.
      allowJsRules: options.allowJsRules ? true : 'skip',
      ...(options.onlyRules || options.skipRules ? { ruleFilter: ruleFilter(options) } : {}),
      exclude: options.exclude,
      ...(baseline ? { baseline } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
      ...(root ? { root } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.cache ? { cache: options.cacheLocation ? path.resolve(io.cwd, options.cacheLocation) : true } : {}),
    });
    checkRuleNames(options, project.rules);
    for (const config of project.configs.values()) for (const notice of config.notices ?? []) io.stderr(`portwall: note: ${notice}\n`);
    return project;
  } finally {
    progress?.done();
  }
}

/** --rules / --skip-rules must name rules that exist (a typo would silently check nothing). */
function checkRuleNames(options: CliOptions, rules: Rule[]): void {
  const known = rules.flatMap((r) => [r.meta.id, r.meta.name]);
  for (const [flag, names] of [['--rules', options.onlyRules], ['--skip-rules', options.skipRules]] as const) {
    for (const name of names ?? []) {
      if (rules.some((r) => r.meta.id.toLowerCase() === name.toLowerCase() || r.meta.name === name)) continue;
      const close = known.find((k) => k.toLowerCase().startsWith(name.toLowerCase().slice(0, 4)) && name.length >= 4);
      throw new UsageError(`${flag}: unknown rule "${name}"${close ? ` (did you mean ${close}?)` : ''}; run "portwall rules" for the list`);
    }
  }
}

async function lintCommand(io: CliIo, options: CliOptions): Promise<number> {
  const paths = options.paths.length ? options.paths : ['.'];
  const stdinText = paths.includes('-') ? await io.readStdin() : undefined;
  const pickBaseline = (config: LoadedConfig) => baselineFor(io, options, config);
  const run = (cwd = io.cwd, root?: string) => scan({ ...io, cwd }, options, stdinText, pickBaseline, root);
  // Standard input is reported under --stdin-filename, which may also name a file on disk: that
  // file is not what was linted, so neither fixes nor code frames may touch it.
  const stdinName = stdinText !== undefined ? (options.stdinFilename ?? '<stdin>') : undefined;
  let project = await run();
  let result = project.result;
  const touchesStdin = (f: LintResult['findings'][number]) => f.location.file === stdinName || !!f.fix?.edits.some((e) => e.file === stdinName);
  if (options.fix || options.fixDryRun) {
    if (result.findings.some((f) => f.fix && f.suppressions.length === 0 && touchesStdin(f))) {
      io.stderr(`portwall: ${options.fix ? '--fix' : '--fix-dry-run'} does not change standard input: its fixes are not applied\n`);
    }
  }
  if (options.fixDryRun) {
    const diff = fixDiff(result.root, result.findings.filter((f) => !touchesStdin(f)));
    io.stdout(diff.text);
    io.stderr(`portwall: ${diff.edits} fix${diff.edits === 1 ? '' : 'es'} in ${diff.files} file${diff.files === 1 ? '' : 's'} (dry run: nothing was changed)\n`);
    // As `ruff --diff`: exit 1 when there is something to fix.
    return diff.edits > 0 ? 1 : 0;
  }
  if (options.fix) {
    const fixed = applyFixes(result.root, result.findings.filter((f) => !touchesStdin(f)));
    if (fixed.edits > 0) {
      io.stderr(`portwall: applied ${fixed.edits} fix${fixed.edits === 1 ? '' : 'es'} in ${fixed.files} file${fixed.files === 1 ? '' : 's'}\n`);
      project = await run();
      result = project.result;
    }
  }
  if (options.diffBase) {
    const diff = await diffAgainstBase({ scanRoot: io.cwd, ref: options.diffBase, headResult: result, lintBase: async (cwd) => (await run(cwd, path.resolve(cwd, path.relative(io.cwd, project.root)))).result });
    result = onlyNew(result, diff.base);
    const old = diff.comparison.preExisting.length;
    io.stderr(`portwall: ${old} pre-existing finding${old === 1 ? '' : 's'} (present at ${options.diffBase}, ${diff.commit.slice(0, 7)}) not reported\n`);
  }
  for (const file of project.excludedExplicit) io.stderr(`portwall: ${file}: skipped, it matches --exclude\n`);
  if (options.quiet) result = quietResult(result);
  // The scan's garbage goes before the reports are built (an 18 MB JSON report was built on top of it).
  collectGarbageIfGrown();
  for (const report of options.reports) {
    const color = options.color ?? decideColor(io, { ...options, format: report.format, ...(report.output ? { output: report.output } : {}) });
    // Code frames quote source lines: the report as a whole is redacted with the run's secrets.
    const text = redactReport(result, FORMATTERS[report.format]!(result, {
      rules: project.rules,
      version: VERSION,
      color,
      lineText: lineReader(result, stdinName, stdinText),
      ...(options.category ? { category: options.category } : {}),
    }));
    if (report.output) {
      const target = path.resolve(io.cwd, report.output);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    } else {
      io.stdout(text);
    }
  }
  // A path named on the command line that does not exist is a usage error (a CI typo must not pass).
  const missing = paths.filter((p) => p !== '-' && !existsSync(path.resolve(io.cwd, p)));
  if (missing.length > 0) {
    const command = missing[0] === paths[0] ? didYouMean(`--${missing[0]}`, ['--rules', '--explain', '--init', '--baseline', '--lint']) : undefined;
    io.stderr(`portwall: no such file or directory: ${missing.join(', ')}${command ? ` (did you mean "portwall ${command.slice(2)}"?)` : ''}\n`);
    return 2;
  }
  const code = exitCode(result, options);
  if (code === 0 && options.maxWarnings !== undefined) {
    const warnings = result.findings.filter((f) => f.suppressions.length === 0 && f.level === 'warning').length;
    if (warnings > options.maxWarnings) {
      io.stderr(`portwall: ${warnings} warning${warnings === 1 ? '' : 's'} found, more than --max-warnings ${options.maxWarnings}\n`);
      return 1;
    }
  }
  return code;
}

/** --quiet: errors only, in the report and for the exit code. */
function quietResult(result: LintResult): LintResult {
  return { ...result, findings: result.findings.filter((f) => f.level === 'error'), notifications: result.notifications.filter((n) => n.level === 'error') };
}

function decideColor(io: CliIo, options: CliOptions): boolean {
  if (options.output || options.format !== 'text') return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  return io.isTTY;
}

function lineReader(result: LintResult, stdinName: string | undefined, stdinText: string | undefined) {
  const cache = new Map<string, string[] | null>();
  const roots = realRoots([result.root]);
  return (file: string, line: number): string | undefined => {
    if (!cache.has(file)) {
      try {
        // The engine's confined read (regular files only, size cap, BOM decoding): a code frame
        // never quotes a file the scan itself refused. Files named outside the root are the user's.
        const absolute = path.resolve(result.root, file);
        const relative = path.relative(result.root, absolute);
        const outside = relative.startsWith('..') || path.isAbsolute(relative);
        const read = file === stdinName ? { text: stdinText ?? '' } : readConfined(absolute, outside ? undefined : roots);
        cache.set(file, 'text' in read ? read.text.replace(/^\ufeff/, '').split(/\r?\n/) : null);
      } catch {
        cache.set(file, null);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}

const RANK = { note: 1, warning: 2, error: 3 } as const;

export function exitCode(result: LintResult, options: Pick<CliOptions, 'failOn' | 'failOnEmpty'>): number {
  if (result.notifications.some((n) => n.kind === 'internal')) return 2;
  if (options.failOnEmpty && result.files.length === 0) return 1;
  if (options.failOn === 'none') return 0;
  const threshold = RANK[options.failOn];
  return result.findings.some((f) => f.suppressions.length === 0 && RANK[f.level] >= threshold) ? 1 : 0;
}

/** `portwall lsp --stdio`: the language server for editors, loaded only when asked for. */
async function lspCommand(args: string[], io: CliIo): Promise<number> {
  // vscode-languageclient also passes --clientProcessId=<pid> (the server exits with that process).
  const known = (a: string) => a === '--stdio' || /^--clientProcessId=\d+$/.test(a);
  if (!args.includes('--stdio') || !args.every(known)) {
    io.stderr('portwall: usage: portwall lsp --stdio (the only transport is standard input/output)\n');
    return 2;
  }
  const { startStdioServer } = await import('../lsp/stdio.js');
  await startStdioServer();
  return 0;
}

/** JSON and SARIF escape characters: a secret is masked in the raw and in the JSON-escaped spelling. */
function redactReport(result: LintResult, report: string): string {
  const secrets = secretsOf(result);
  if (secrets.length === 0) return report;
  const escaped = secrets.map((s) => JSON.stringify(s).slice(1, -1)).filter((s, i) => s !== secrets[i]);
  return redactKnown(report, [...secrets, ...escaped].sort((a, b) => b.length - a.length));
}
