/**
 * PW006 cases: network_mode host, Knative pod templates.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW006 exposure semantics', () => {
  it('reports network_mode: host at the setting, and nothing from its ignored ports', async () => {
    const findings = await expectCaseFindings('PW006', 'compose', 'network-mode-host', [
      ['docker-compose.yml', 7, 19, 7, 23],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'cache' shares the host's network (Redis 7.2: every port it listens on is on the host)",
    ]);
  });

  it('reads hostNetwork in a Knative Service pod template', async () => {
    const findings = await expectCaseFindings('PW006', 'kubernetes', 'knative-host-network', [
      ['service.yaml', 9, 20, 9, 24],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "container '#0' of Service/probe shares the host's network",
    ]);
  });

  it('stays silent for network_mode: bridge', async () => {
    await expectCaseSilent('PW006', 'compose', 'network-mode-bridge');
  });

  it('stays silent for hostNetwork: false in Knative', async () => {
    await expectCaseSilent('PW006', 'kubernetes', 'knative-host-network-near-miss');
  });
});
