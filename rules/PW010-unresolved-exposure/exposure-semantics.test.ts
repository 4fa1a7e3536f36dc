/**
 * PW010 cases: Azure priority ties, inverted port ranges, unknown load balancer classes.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW010 exposure semantics', () => {
  it('leaves a datastore behind an unknown loadBalancerClass undecided, at the class', async () => {
    const findings = await expectCaseFindings('PW010', 'kubernetes', 'unknown-load-balancer-class', [
      ['service.yaml', 9, 22, 9, 41],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "Service/redis opens Redis 7.2 on port 6379/tcp to a source portwall cannot resolve: loadBalancerClass example.com/edge-lb is served by a controller portwall does not know",
    ]);
  });

  it('never lets a same-priority Azure deny close an allow silently: PW010 naming both rules', async () => {
    const findings = await expectCaseFindings('PW010', 'terraform', 'azure-same-priority-deny', [
      ['main.tf', 16, 34, 16, 37],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "azurerm_network_security_group.web opens unresolved ports (allow \"allow-ssh\" and deny \"deny-ssh\" share priority 100, which Azure rejects) to the internet (source: *)",
    ]);
  });

  it('reports an inverted range (from 23 to 21, \"8090-8080\") as PW010 that says so, never swapped', async () => {
    const findings = await expectCaseFindings('PW010', 'terraform', 'inverted-port-range', [
      ['main.tf', 8, 24, 8, 35],
      ['main.tf', 20, 33, 20, 43],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_security_group_rule.inverted opens unresolved ports (port range 23-21 is inverted: 23 is above 21) to the internet (source: 0.0.0.0/0)",
      "azurerm_network_security_rule.inverted opens unresolved ports (port range 8090-8080 is inverted: 8090 is above 8080) to the internet (source: Internet)",
    ]);
  });

  it('decides a known loadBalancerClass (AWS LBC: internal by default)', async () => {
    await expectCaseSilent('PW010', 'kubernetes', 'known-load-balancer-class');
  });

  it('closes an Azure allow with a deny of a lower priority number', async () => {
    await expectCaseSilent('PW010', 'terraform', 'azure-deny-judged-first');
  });

  it('decides the same ranges written in order', async () => {
    await expectCaseSilent('PW010', 'terraform', 'inverted-port-range-near-miss');
  });
});
