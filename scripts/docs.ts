/**
 * Docs generated from rule metadata: each rule's README.md and the README rule table.
 * `npm run docs` writes them; a meta-test fails when they are stale.
 */
import type { Rule } from '../src/core/rule.js';

export function renderRuleReadme(rule: Rule): string {
  const m = rule.meta;
  return `<!-- Generated from rules/${m.id}-${m.name}/index.ts by \`npm run docs\`. Do not edit. -->
# ${m.id} ${m.name}

| level | security-severity | precision | formats |
|---|---|---|---|
| ${m.level} | ${m.tags.includes('security') ? m.securitySeverity.toFixed(1) : `none (${m.tags.slice(0, 2).join(', ')}; not a security alert)`} | ${m.precision} | ${m.formats.join(', ')} |

**${m.shortDescription}**

${m.fullDescription}

${m.help.trim()}
${m.supersedes?.length ? `\nThis rule replaces ${m.supersedes.join(', ')} for the same exposure (one exposure, one finding).\n` : ''}`;
}

export function renderRulesTable(rules: Rule[]): string {
  const rows = rules.map((r) => `| [${r.meta.id}](rules/${r.meta.id}-${r.meta.name}/README.md) | ${r.meta.name} | ${r.meta.level} | ${r.meta.shortDescription} |`);
  return ['<!-- rules:start -->', '| id | name | level | fires when |', '|---|---|---|---|', ...rows, '<!-- rules:end -->'].join('\n');
}
