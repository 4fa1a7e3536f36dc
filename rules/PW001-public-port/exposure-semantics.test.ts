/**
 * PW001 cases: ports judged per protocol.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW001 exposure semantics', () => {
  it('reports UDP 22 as a public port, not as SSH (the catalogue is per protocol)', async () => {
    const findings = await expectCaseFindings('PW001', 'terraform', 'udp-port-not-in-catalogue', [
      ['main.tf', 7, 24, 7, 35],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group_rule.udp_22 exposes port 22/udp to the internet (source: 0.0.0.0/0); only 443 may be public",
    ]);
  });

  it('allows UDP 443 like TCP 443', async () => {
    await expectCaseSilent('PW001', 'terraform', 'udp-port-not-in-catalogue-near-miss');
  });
});
