/**
 * RuleTester for fixture folders: rules/<rule>/fixtures/{valid,invalid}/<format>/ are scanned
 * as projects (so .env files and overrides work); tests assert the exact regions.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { lint, type LintOptions } from '../../src/engine/lint.js';
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

/**
 * The rule's findings in the files directly in invalid/<format>/. Its subfolders are named
 * cases (near-miss pairs), each asserted on its own by expectCaseFindings.
 */
export async function expectRuleFindings(id: string, format: string, expected: Expected[]) {
  const { findings: all } = await findingsOf(id, 'invalid', format);
  const findings = all.filter((f) => !f.location.file.includes('/'));
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

/**
 * One named case of a fixture folder: rules/<rule>/fixtures/<kind>/<format>/<caseName>/ is
 * scanned as its own project. `Expected` paths are relative to the case folder.
 */
export async function caseFindings(id: string, kind: 'valid' | 'invalid', format: string, caseName: string, options: Omit<LintOptions, 'cwd'> = {}) {
  const rule = ruleById(id);
  const cwd = path.join(ruleDir(rule), 'fixtures', kind, format, caseName);
  if (!existsSync(cwd)) throw new Error(`no fixture case ${cwd}`);
  const result = await lint({ ...options, cwd });
  expect(result.files.length).toBeGreaterThan(0);
  return { result, findings: result.findings.filter((f) => f.ruleId === id) };
}

/** The rule's findings in an invalid case are exactly these regions; returns them for message checks. */
export async function expectCaseFindings(id: string, format: string, caseName: string, expected: Expected[], options: Omit<LintOptions, 'cwd'> = {}) {
  const { findings } = await caseFindings(id, 'invalid', format, caseName, options);
  expect(findings.map((f) => {
    const r = f.location.region;
    return [f.location.file, r.startLine, r.startColumn, r.endLine, r.endColumn];
  })).toEqual(expected);
  return findings;
}

/** The rule stays silent on a valid case (its near-miss twin). */
export async function expectCaseSilent(id: string, format: string, caseName: string, options: Omit<LintOptions, 'cwd'> = {}) {
  const { findings } = await caseFindings(id, 'valid', format, caseName, options);
  expect(findings.map((f) => `${f.location.file}:${f.location.region.startLine} ${f.message}`)).toEqual([]);
}

/** [file, line, column] of each related location, for provenance assertions. */
export function relatedAt(finding: { related: { location: { file: string; region: { startLine: number; startColumn: number } }; message: string }[] }): [string, number, number, string][] {
  return finding.related.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.message]);
}
