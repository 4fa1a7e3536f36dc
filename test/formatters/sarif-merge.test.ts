import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import { mergeSarif, SarifMergeError, type SarifLog } from '../../src/formatters/sarif-merge.js';
import { BUILTIN_RULES } from '../../rules/index.js';

/** Two real shards of one tree, linted separately, merged, compared with the unsharded run. */
async function shards() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portwall-merge-'));
  writeFileSync(path.join(dir, 'a.yml'), 'services:\n  es:\n    image: elasticsearch:7.17.0\n    ports:\n      - "9200:9200"\n');
  writeFileSync(path.join(dir, 'b.yml'), 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n');
  const sarif = async (paths: string[]) => JSON.parse(formatSarif(await lint({ cwd: dir, paths }), { rules: BUILTIN_RULES, version: '0.0.0', color: false })) as SarifLog;
  return { a: await sarif(['a.yml']), b: await sarif(['b.yml']), both: await sarif(['a.yml', 'b.yml']) };
}

describe('merge-sarif', () => {
  it('gives one run per tool and category with the results of every shard, re-indexed', async () => {
    const { a, b, both } = await shards();
    const merged = mergeSarif([a, b]);
    expect(merged.runs).toHaveLength(1);
    const run = merged.runs[0]!;
    const ids = (run.results ?? []).map((r) => r.ruleId);
    expect(ids.sort()).toEqual((both.runs[0]!.results ?? []).map((r) => r.ruleId).sort());
    for (const r of run.results ?? []) expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(run.invocations).toHaveLength(1);
  });

  it('keeps runs of different categories apart and refuses what is not SARIF 2.1.0', async () => {
    const { a, b } = await shards();
    const other = JSON.parse(JSON.stringify(b)) as SarifLog;
    other.runs[0]!.automationDetails = { id: 'other/' };
    expect(mergeSarif([a, other]).runs).toHaveLength(2);
    expect(() => mergeSarif([{ version: '2.0.0', runs: [] } as SarifLog])).toThrow(SarifMergeError);
    expect(() => mergeSarif([])).toThrow(SarifMergeError);
  });

  it('re-indexes a rule that only one shard knows, and caps a run at 25,000 results', () => {
    const run = (rules: string[], results: { ruleId: string; ruleIndex: number }[]) => ({ version: '2.1.0', runs: [{ tool: { driver: { name: 'portwall', rules: rules.map((id) => ({ id })) } }, results }] }) as SarifLog;
    const merged = mergeSarif([run(['PW001'], [{ ruleId: 'PW001', ruleIndex: 0 }]), run(['ACME1', 'PW001'], [{ ruleId: 'ACME1', ruleIndex: 0 }, { ruleId: 'PW001', ruleIndex: 1 }])]);
    expect(merged.runs[0]!.results!.map((r) => [r.ruleId, r.ruleIndex])).toEqual([['PW001', 0], ['ACME1', 1], ['PW001', 0]]);
    const many = Array.from({ length: 13_000 }, () => ({ ruleId: 'PW001', ruleIndex: 0 }));
    const capped = mergeSarif([run(['PW001'], many), run(['PW001'], many)]).runs[0]!;
    expect(capped.results).toHaveLength(25_000);
    expect(JSON.stringify(capped.invocations)).toContain('1000 results were left out');
  });
});

describe('mergeSarif across shards', () => {
  it('keeps a result once when two shards report the same rule and fingerprint', () => {
    const run = (fp: string[]) => ({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'portwall', rules: [{ id: 'PW001' }] } }, results: fp.map((f) => ({ ruleId: 'PW001', ruleIndex: 0, partialFingerprints: { 'portwall/v1': f } })) }],
    });
    const merged = mergeSarif([run(['a', 'b']), run(['b', 'c']), run(['c'])]);
    expect(merged.runs[0]!.results!.map((r) => (r.partialFingerprints as Record<string, string>)['portwall/v1'])).toEqual(['a', 'b', 'c']);
  });
});
