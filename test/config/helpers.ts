/** Shared set-up for the policy-as-code tests: temp projects, config loading, lint with that config. */
import { BUILTIN_RULES } from '../../rules/index.js';
import { loadConfig, type LoadedConfig, type LoadConfigOptions } from '../../src/engine/config.js';
import { lint, type LintOptions } from '../../src/engine/lint.js';
import type { LintResult } from '../../src/core/finding.js';
import { runBin, useTempProjects } from '../helpers/index.js';

/** A fixed "today" for expiry: assertions never depend on the wall clock. */
export const TODAY = new Date('2026-06-15T12:00:00Z');

export const project = useTempProjects('portwall-config-');

export function load(cwd: string, options: Partial<LoadConfigOptions> = {}): Promise<LoadedConfig> {
  return loadConfig({ cwd, builtinRules: BUILTIN_RULES, ...options });
}

/** Lint a folder the way the CLI does: discovered config, its hooks, a fixed today. */
export async function lintWithConfig(cwd: string, extra: Omit<LintOptions, 'cwd'> = {}): Promise<{ config: LoadedConfig; result: LintResult }> {
  const config = await load(cwd);
  const result = await lint({
    cwd,
    policy: config.policy,
    rules: config.rules,
    now: TODAY,
    ...(config.isIgnored ? { isIgnored: config.isIgnored } : {}),
    ...(config.levelFor ? { levelFor: config.levelFor } : {}),
    ...extra,
  });
  return { config, result };
}

/** Findings that are not suppressed, as "rule file:line level". */
export function active(result: LintResult): string[] {
  return result.findings.filter((f) => f.suppressions.length === 0).map((f) => `${f.ruleId} ${f.location.file}:${f.location.region.startLine} ${f.level}`);
}

export function loadError(cwd: string, options: Partial<LoadConfigOptions> = {}): Promise<string> {
  return load(cwd, options).then(
    () => {
      throw new Error('expected a ConfigError');
    },
    (error: Error) => {
      if (error.name !== 'ConfigError') throw error;
      return error.message;
    },
  );
}

export function runCli(cwd: string, args: string[]) {
  return runBin(cwd, args);
}

/** A compose stack with one port of each interesting kind, line numbers stable for assertions. */
export const STACK = `services:
  web:
    image: nginx:1.27
    ports:
      - "443:443"
      - "80:80"
  api:
    image: example/api:1.0
    ports:
      - "8080:8080"
      - "203.0.113.10:8443:8443"
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
    ports:
      - "6379:6379"
  search:
    image: registry.example.com/search:1.4
    ports:
      - "7700:7700"
  metrics:
    image: prom/node-exporter:v1.7.0
    network_mode: host
`;
