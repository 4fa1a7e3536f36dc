/**
 * Config loading: finds portwall.config.{yml,yaml,json}, validates it, and turns it into the
 * effective Policy plus engine settings. (Full policy-as-code support: issue 5.)
 */
import { defaultPolicy, type Level, type Policy } from '../core/policy.js';
import type { Rule } from '../core/rule.js';

export class ConfigError extends Error {}

export interface LoadedConfig {
  /** The config file used, relative to cwd, if any. */
  path?: string;
  policy: Policy;
  ignore: string[];
  rules: Rule[];
  levelFor?: (ruleId: string, ruleName: string, file: string, defaultLevel: Level) => Level | 'off';
}

export async function loadConfig(options: { cwd: string; configPath?: string; builtinRules: Rule[] }): Promise<LoadedConfig> {
  if (options.configPath) throw new ConfigError(`${options.configPath}: config files are not supported yet`);
  return { policy: defaultPolicy(), ignore: [], rules: options.builtinRules };
}
