/**
 * Issue 14 item 3: findings per line are capped per file, line and rule, deterministically and
 * never silently: the finding after the cap stands for the rest (its message counts them), so
 * the gate, SARIF and JSON stay valid and still fail.
 */
import { describe, expect, it } from 'vitest';
import { capFindingsPerLine, MAX_FINDINGS_PER_LINE } from '../../src/engine/line-cap.js';
import { lintTree, runBin, useTempProjects, views } from '../helpers/index.js';

const project = useTempProjects('portwall-linecap-');
const services = (n: number) => `services: {${Array.from({ length: n }, (_, i) => `s${i}: {image: redis, ports: ["${10000 + i}:6379"]}`).join(', ')}}\n`;

describe('findings per line', () => {
  it('2,000 findings of one rule on one line are 51 findings, the last one counting the rest', async () => {
    const text = services(2000);
    const r = await lintTree({ 'docker-compose.yml': text, 'other/docker-compose.yml': services(3) });
    const onLine = views(r, 'PW004').filter((v) => v.file === 'docker-compose.yml');
    expect(onLine).toHaveLength(MAX_FINDINGS_PER_LINE + 1);
    // Report order decides which are listed: s0..s50 (the first by column).
    const col = (i: number) => text.indexOf(`"${10000 + i}:6379"`) + 1;
    expect(onLine[0]).toEqual({ ruleId: 'PW004', file: 'docker-compose.yml', line: 1, column: col(0), endLine: 1, endColumn: col(0) + 12 });
    expect(onLine[50]).toEqual({ ruleId: 'PW004', file: 'docker-compose.yml', line: 1, column: col(50), endLine: 1, endColumn: col(50) + 12 });
    const last = r.findings.filter((f) => f.location.file === 'docker-compose.yml')[50]!;
    expect(last.message).toMatch(/^service 's50' exposes Redis .* \(and 1,949 more PW004 findings on this line that are not listed; at most 51 per rule and line are reported\)$/);
    expect(last.level).toBe('error');
    // Other files and lines are untouched.
    expect(views(r, 'PW004').filter((v) => v.file === 'other/docker-compose.yml')).toHaveLength(3);
    const again = await lintTree({ 'docker-compose.yml': text, 'other/docker-compose.yml': services(3) });
    expect(JSON.stringify(again.findings)).toBe(JSON.stringify(r.findings));
  }, 60_000);

  it('the CLI still fails the gate and writes valid JSON and SARIF with the capped list', () => {
    const dir = project({ 'docker-compose.yml': services(300) });
    const json = runBin(dir, ['--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; message: string; file: string; startLine: number }[] };
    expect(report.findings).toHaveLength(51);
    expect(report.findings.every((f) => f.ruleId === 'PW004' && f.file === 'docker-compose.yml' && f.startLine === 1)).toBe(true);
    expect(report.findings[50]!.message).toContain('(and 249 more PW004 findings on this line that are not listed');
    const sarif = runBin(dir, ['--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    expect(log.runs[0]!.results).toHaveLength(51);
    expect(log.runs[0]!.results[50]!.message.text).toContain('249 more PW004 findings');
  }, 60_000);

  it('caps per file, line and rule; at most one more than the cap needs no summary', () => {
    const f = (file: string, line: number, ruleId: string, message: string) => ({ ruleId, message, location: { file, region: { startLine: line } } });
    const input = [
      ...Array.from({ length: 4 }, (_, i) => f('a', 1, 'PW001', `m${i}`)),
      ...Array.from({ length: 3 }, (_, i) => f('a', 1, 'PW004', `n${i}`)),
      ...Array.from({ length: 5 }, (_, i) => f('a', 2, 'PW001', `o${i}`)),
      ...Array.from({ length: 5 }, (_, i) => f('b', 1, 'PW001', `p${i}`)),
    ];
    const out = capFindingsPerLine(input, 2);
    expect(out.map((x) => `${x.location.file}:${x.location.region.startLine}:${x.ruleId}:${x.message}`)).toEqual([
      'a:1:PW001:m0', 'a:1:PW001:m1', 'a:1:PW001:m2 (and 1 more PW001 findings on this line that are not listed; at most 3 per rule and line are reported)',
      'a:1:PW004:n0', 'a:1:PW004:n1', 'a:1:PW004:n2',
      'a:2:PW001:o0', 'a:2:PW001:o1', 'a:2:PW001:o2 (and 2 more PW001 findings on this line that are not listed; at most 3 per rule and line are reported)',
      'b:1:PW001:p0', 'b:1:PW001:p1', 'b:1:PW001:p2 (and 2 more PW001 findings on this line that are not listed; at most 3 per rule and line are reported)',
    ]);
    expect(capFindingsPerLine(input.slice(4, 7), 2)).toEqual(input.slice(4, 7));
  });
});
