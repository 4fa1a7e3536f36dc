import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW006 host-network', () => {
  it('points at the network_mode value, plain or quoted', async () => {
    const findings = await expectRuleFindings('PW006', 'compose', [
      ['docker-compose.yml', 4, 19, 4, 23],
      ['docker-compose.yml', 8, 19, 8, 25],
    ]);
    expect(findings[1]!.message).toBe("service 'redis' shares the host's network (Redis 7: every port it listens on is on the host)");
  });

  it('reports hostNetwork once per pod, at the value', async () => {
    await expectRuleFindings('PW006', 'kubernetes', [['daemonset.yaml', 13, 20, 13, 24]]);
  });
});
