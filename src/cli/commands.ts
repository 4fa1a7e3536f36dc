/** CLI commands and helpers beyond lint: --print-config, --list-files, rule selection, the progress line. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { Level } from '../core/policy.js';
import type { Rule } from '../core/rule.js';
import { ConfigError } from '../engine/config.js';
import { ConfigCache, ConfigLookup, excludeMatcher, repositoryRoot, type ProjectResult } from '../engine/project.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

const matches = (rule: Rule, names: string[]) => names.some((n) => rule.meta.id.toLowerCase() === n.toLowerCase() || rule.meta.name === n);

/** --rules / --skip-rules as a predicate on rules. */
export function ruleFilter(options: Pick<CliOptions, 'onlyRules' | 'skipRules'>): (rule: Rule) => boolean {
  return (rule) => (!options.onlyRules || matches(rule, options.onlyRules)) && !(options.skipRules && matches(rule, options.skipRules));
}

/** `portwall --print-config FILE`: the config file that applies to FILE and what it makes of each rule there. */
export async function printConfig(io: CliIo, options: CliOptions): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const root = repositoryRoot(cwd);
  const absolute = path.resolve(cwd, options.printConfigFile!);
  const explicit = options.config ? path.resolve(cwd, options.config) : undefined;
  if (explicit && !existsSync(explicit)) throw new ConfigError(`${options.config}: config file not found`);
  const configPath = explicit ?? new ConfigLookup(root).configFor(absolute);
  const config = await new ConfigCache(root, BUILTIN_RULES, true).get(configPath);
  const file = path.relative(root, absolute).split(path.sep).join('/');
  const excluded = options.exclude.length > 0 && excludeMatcher(options.exclude)(path.relative(cwd, absolute).split(path.sep).join('/'));
  const rules: Record<string, { name: string; level: Level | 'off'; options?: Record<string, unknown> }> = {};
  for (const rule of config.rules) {
    const setting = config.policy.rules[rule.meta.id] ?? config.policy.rules[rule.meta.name];
    const base = setting?.level ?? rule.meta.level;
    let level: Level | 'off' = base === 'off' ? 'off' : config.levelFor ? config.levelFor(rule.meta.id, rule.meta.name, file, base) : base;
    if ((options.onlyRules || options.skipRules) && !ruleFilter(options)(rule)) level = 'off';
    rules[rule.meta.id] = { name: rule.meta.name, level, ...(setting?.options ? { options: setting.options } : {}) };
  }
  const { rules: _settings, ...policy } = config.policy;
  const out = {
    file,
    exists: existsSync(absolute),
    config: configPath ? path.relative(root, configPath).split(path.sep).join('/') : null,
    ignored: !!config.isIgnored?.(file) || excluded,
    policy,
    rules,
    ...(config.baselinePath ? { baseline: path.relative(root, config.baselinePath).split(path.sep).join('/') } : {}),
  };
  io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

/** The unit a file belongs to when the format does not name one: a compose project or a Terraform module is its folder. */
function fallbackUnit(file: string, format: string): string | undefined {
  const dir = path.posix.dirname(file);
  if (format === 'compose') return `compose project ${dir}`;
  if (format === 'terraform') return `terraform module ${dir}`;
  return undefined;
}

/** `--list-files`: what would be checked, with the detected format and unit; nothing is reported. */
export async function listFiles(io: CliIo, options: CliOptions, project: ProjectResult): Promise<number> {
  const rows = project.result.files.map((f) => ({ path: f.path, format: f.format, unit: f.units?.join(', ') ?? fallbackUnit(f.path, f.format) ?? '-' }));
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('No supported files found.\n');
    return 0;
  }
  const w0 = Math.max(4, ...rows.map((r) => r.path.length));
  const w1 = Math.max(6, ...rows.map((r) => r.format.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd();
  io.stdout(`${[line('PATH', 'FORMAT', 'UNIT'), ...rows.map((r) => line(r.path, r.format, r.unit))].join('\n')}\n`);
  return 0;
}

/**
 * The progress line on stderr: only on a terminal, never in CI, and only once a scan has run
 * for about a second (PORTWALL_PROGRESS_DELAY_MS changes the delay, for tests).
 */
export function progressLine(io: CliIo): { update: (p: { phase: string; done: number; total: number; file?: string }) => void; done: () => void } | undefined {
  if (!io.stderrIsTTY) return undefined;
  const ci = io.env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false') return undefined;
  const delay = Number(io.env.PORTWALL_PROGRESS_DELAY_MS ?? 1000);
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - started < delay || now - last < 100) return;
      last = now;
      shown = true;
      const what = p.phase === 'parse' ? `reading ${p.done + 1}/${p.total} ${p.file ?? ''}` : `checking ${p.file ?? ''}`;
      io.stderr(`\r\x1b[Kportwall: ${what}`.slice(0, 200));
    },
    done() {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}
