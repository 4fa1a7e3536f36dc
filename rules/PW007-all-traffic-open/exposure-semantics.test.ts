/**
 * PW007 cases: all ports per protocol, sets of CIDRs that cover every address.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW007 exposure semantics', () => {
  it('reads 512 /9 ranges that together cover every IPv4 address as the internet, with a short source label', async () => {
    const findings = await expectCaseFindings('PW007', 'terraform', 'cidrs-cover-every-address', [
      ['main.tf', 10, 42, 10, 71],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group.split allows all ports and protocols from the internet (source: 512 ranges, 0.0.0.0/9 to 255.128.0.0/9 (together every IPv4 address))",
    ]);
  });

  it('reports UDP 0-65535 and TCP 1-65535 from the internet as all traffic (all ports is per protocol)', async () => {
    const findings = await expectCaseFindings('PW007', 'terraform', 'udp-all-ports', [
      ['main.tf', 7, 24, 7, 35],
      ['main.tf', 17, 24, 17, 30],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group_rule.udp_all allows all ports (udp) from the internet (source: 0.0.0.0/0)",
      "aws_security_group_rule.tcp_from_one allows all ports (tcp) from the internet (source: ::/0)",
    ]);
  });

  it('does not read 511 of those ranges (one /9 missing) as the internet', async () => {
    await expectCaseSilent('PW007', 'terraform', 'cidrs-cover-every-address-near-miss');
  });

  it('does not call every UDP port from a private range, or TCP 2-65535, all traffic', async () => {
    await expectCaseSilent('PW007', 'terraform', 'udp-all-ports-near-miss');
  });
});
