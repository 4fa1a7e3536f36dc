/** Writes rules/<rule>/README.md and the rule table in README.md from the rule metadata. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_RULES } from '../rules/index.js';
import { renderRuleReadme, renderRulesTable } from './docs.js';

const root = path.resolve(import.meta.dirname, '..', '..');
for (const rule of BUILTIN_RULES) {
  writeFileSync(path.join(root, 'rules', `${rule.meta.id}-${rule.meta.name}`, 'README.md'), renderRuleReadme(rule));
}
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, renderRulesTable(BUILTIN_RULES));
writeFileSync(readmePath, updated);
console.log(`wrote ${BUILTIN_RULES.length} rule READMEs and the README rule table`);
