/**
 * RuleTester for fixture folders: rules/<rule>/fixtures/{valid,invalid}/<format>/ are scanned
 * as projects (so .env files and overrides work); tests assert the exact regions.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/core/rule.js';
import { ROOT } from './index.js';

export function ruleDir(rule: Rule): string {
  return path.join(ROOT, 'rules', `${rule.meta.id}-${rule.meta.name}`);
}

export function ruleById(id: string): Rule {
  const rule = BUILTIN_RULES.find((r) => r.meta.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

export function fixtureFormats(rule: Rule, kind: 'valid' | 'invalid'): string[] {
  const dir = path.join(ruleDir(rule), 'fixtures', kind);
  return existsSync(dir) ? readdirSync(dir).filter((d) => !d.startsWith('.')).sort() : [];
}

/** [file, startLine, startColumn, endLine, endColumn] of each finding of the rule, sorted. */
export type Expected = [string, number, number, number, number];

export async function findingsOf(id: string, kind: 'valid' | 'invalid', format: string) {
  const rule = ruleById(id);
  const cwd = path.join(ruleDir(rule), 'fixtures', kind, format);
  const result = await lint({ cwd });
  return { result, findings: result.findings.filter((f) => f.ruleId === id) };
}

export async function expectRuleFindings(id: string, format: string, expected: Expected[]) {
  const { findings } = await findingsOf(id, 'invalid', format);
  const actual = findings.map((f) => {
    const r = f.location.region;
    return [f.location.file, r.startLine, r.startColumn, r.endLine, r.endColumn];
  });
  expect(actual).toEqual(expected);
  return findings;
}

/** [file, startLine, startColumn, endLine, endColumn, message] of each related location, in order. */
export type ExpectedRelated = [string, number, number, number, number, string];

export function relatedOf(f: { related: { location: { file: string; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } }; message: string }[] }): ExpectedRelated[] {
  return f.related.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endLine, r.location.region.endColumn, r.message]);
}
