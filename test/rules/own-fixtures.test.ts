/**
 * Every rule owns its fixtures: no symlinks into another test's folder (a change there would
 * silently change what the rule is tested on), and each rule that used to borrow a shared
 * fixture has a near-miss pair of its own, asserted here at the exact region.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/index.js';
import { caseFindings, expectCaseFindings } from '../helpers/rule-tester.js';

function symlinksUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const st = lstatSync(full);
    if (st.isSymbolicLink()) out.push(path.relative(ROOT, full));
    else if (st.isDirectory()) symlinksUnder(full, out);
  }
  return out;
}

describe('rule fixtures', () => {
  it('are real files, never symlinks', () => {
    expect(symlinksUnder(path.join(ROOT, 'rules'))).toEqual([]);
  });
});

describe('near-miss pairs of the rules that borrowed shared fixtures', () => {
  it('PW002 cloudformation: PostgreSQL from 0.0.0.0/0 fires; from the VPC range or a security group does not', async () => {
    const [f] = await expectCaseFindings('PW002', 'cloudformation', 'datastore-port', [['template.yaml', 14, 19, 14, 28]]);
    expect(f!.message).toBe('AWS::EC2::SecurityGroup AppSecurityGroup exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: 0.0.0.0/0)');
    expect((await caseFindings('PW002', 'valid', 'cloudformation', 'datastore-port')).findings).toEqual([]);
  });

  it('PW004 kubernetes: Redis without --requirepass behind a public LB fires; with a password only PW002 remains', async () => {
    const [f] = await expectCaseFindings('PW004', 'kubernetes', 'redis-password', [['redis.yaml', 26, 7, 27, 23]]);
    expect(f!.message).toContain('Redis is started without --requirepass');
    const valid = await caseFindings('PW004', 'valid', 'kubernetes', 'redis-password');
    expect(valid.findings).toEqual([]);
    expect(valid.result.findings.map((x) => x.ruleId)).toEqual(['PW002']);
  });

  it('PW007 cloudformation: protocol -1 from the internet fires; from the VPC range (and 443 public) does not', async () => {
    const [f] = await expectCaseFindings('PW007', 'cloudformation', 'all-protocols', [['template.yaml', 12, 19, 12, 28]]);
    expect(f!.message).toBe('AWS::EC2::SecurityGroup AppSecurityGroup allows all ports and protocols from the internet (source: 0.0.0.0/0)');
    const valid = await caseFindings('PW007', 'valid', 'cloudformation', 'all-protocols');
    expect(valid.result.findings).toEqual([]);
  });

  it('PW010 cloudformation: a parameter without default is unresolved; with a private default it is judged', async () => {
    const [f] = await expectCaseFindings('PW010', 'cloudformation', 'parameter-default', [['template.yaml', 16, 19, 16, 33]]);
    expect(f!.message).toContain('parameter AdminCidr has no default');
    const valid = await caseFindings('PW010', 'valid', 'cloudformation', 'parameter-default');
    expect(valid.result.findings).toEqual([]);
  });
});
