/**
 * Honest metadata: a rule's `formats` is checked against what it does. Every fixture folder of
 * every rule (and the cloud JSON adapter's fixtures) is linted once; a rule that fires on a
 * format it does not claim, or claims a format it never fires on, fails here. (That every
 * claimed format has valid and invalid fixtures, and nothing else, is test/rules/meta.test.ts.)
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';
import { ROOT } from '../helpers/index.js';
import { ruleDir } from '../helpers/rule-tester.js';

/** format -> ids of the rules that fire somewhere in its fixtures */
const fired = new Map<string, Set<string>>();

async function record(format: string, cwd: string) {
  const result = await lint({ cwd });
  const set = fired.get(format) ?? new Set<string>();
  for (const f of result.findings) set.add(f.ruleId);
  fired.set(format, set);
}

beforeAll(async () => {
  for (const rule of BUILTIN_RULES) {
    for (const kind of ['valid', 'invalid']) {
      const dir = path.join(ruleDir(rule), 'fixtures', kind);
      if (!existsSync(dir)) continue;
      for (const format of readdirSync(dir).filter((d) => !d.startsWith('.'))) await record(format, path.join(dir, format));
    }
  }
  await record('cloud-json', path.join(ROOT, 'test/cloud-json/fixtures'));
}, 240_000);

describe('rule formats match where the rules fire', () => {
  it('records findings for every format', () => {
    expect([...fired.keys()].sort()).toEqual(['cloud-json', 'cloudformation', 'compose', 'datastore-config', 'kubernetes', 'terraform']);
  });

  for (const rule of BUILTIN_RULES) {
    it(`${rule.meta.id} fires exactly on the formats it claims`, () => {
      const actual = [...fired].filter(([, ids]) => ids.has(rule.meta.id)).map(([format]) => format).sort();
      expect(actual).toEqual([...rule.meta.formats].sort());
    });
  }
});
