/** Meta-tests: every rule is complete, documented, has fixtures, and the generated docs are current. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { renderRuleReadme, renderRulesTable } from '../../scripts/docs.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/index.js';
import { findingsOf, fixtureFormats, ruleDir } from '../helpers/rule-tester.js';

describe('rule catalogue', () => {
  it('has the SPEC ids PW000-PW010, unique, in order, with kebab-case names', () => {
    expect(BUILTIN_RULES.map((r) => r.meta.id)).toEqual(Array.from({ length: 11 }, (_, i) => `PW${String(i).padStart(3, '0')}`));
    expect(BUILTIN_RULES.map((r) => r.meta.name)).toEqual([
      'parse-error', 'public-port', 'public-datastore', 'auth-disabled', 'public-unauthenticated-datastore',
      'listens-on-all-interfaces', 'host-network', 'all-traffic-open', 'public-managed-datastore', 'ingress-without-tls', 'unresolved-exposure',
    ]);
    expect(BUILTIN_RULES.map((r) => r.meta.level)).toEqual(['error', 'warning', 'error', 'error', 'error', 'warning', 'warning', 'error', 'error', 'warning', 'note']);
  });

  it('keeps the package version in src/version.ts', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('keeps the README rule table generated from the metadata', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(renderRulesTable(BUILTIN_RULES));
  });
});

for (const rule of BUILTIN_RULES) {
  describe(`${rule.meta.id} ${rule.meta.name}`, () => {
    it('lives in its own folder with a generated, current README.md', () => {
      const readme = path.join(ruleDir(rule), 'README.md');
      expect(existsSync(readme)).toBe(true);
      expect(readFileSync(readme, 'utf8')).toBe(renderRuleReadme(rule));
    });

    it('has complete metadata', () => {
      const m = rule.meta;
      expect(m.shortDescription).toMatch(/\.$/);
      expect(m.fullDescription.length).toBeGreaterThan(60);
      expect(m.help).toContain('## How to fix');
      expect(m.securitySeverity).toBeGreaterThan(0);
      expect(m.securitySeverity).toBeLessThanOrEqual(10);
      expect(m.helpUri).toContain(`${m.id}-${m.name}`);
    });

    it('has valid and invalid fixtures for every format it claims', () => {
      expect(fixtureFormats(rule, 'valid')).toEqual([...rule.meta.formats].sort());
      expect(fixtureFormats(rule, 'invalid')).toEqual([...rule.meta.formats].sort());
    });

    for (const format of rule.meta.formats) {
      it(`stays silent on valid/${format}`, async () => {
        const { result, findings } = await findingsOf(rule.meta.id, 'valid', format);
        expect(result.files.length).toBeGreaterThan(0);
        expect(findings.map((f) => `${f.location.file}:${f.location.region.startLine} ${f.message}`)).toEqual([]);
      });
      it(`fires on invalid/${format}`, async () => {
        const { findings } = await findingsOf(rule.meta.id, 'invalid', format);
        expect(findings.length).toBeGreaterThan(0);
      });
    }
  });
}
