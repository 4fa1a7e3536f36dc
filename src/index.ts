/** portwall's programmatic API: lint(), the rules, the formatters and the types. */
export { lint, type LintOptions } from './engine/lint.js';
export { loadConfig, ConfigError, type LoadedConfig } from './engine/config.js';
export { BUILTIN_RULES } from '../rules/index.js';
export { FORMATTERS, type Formatter, type FormatterContext } from './formatters/index.js';
export { defineRule, type Rule, type RuleMeta, type RuleContext, type ReportDescriptor } from './core/rule.js';
export type { Finding, LintResult, ToolNotification, Suppression } from './core/finding.js';
export type * from './model/types.js';
export { defaultPolicy, type Policy } from './core/policy.js';
export { VERSION } from './version.js';
export { lintProject, repositoryRoot, type ProjectOptions, type ProjectResult } from './engine/project.js';
export { applyFixes, fixDiff } from './engine/fix.js';
