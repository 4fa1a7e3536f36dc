import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW007 all-traffic-open', () => {
  it('fires on IpProtocol -1 from ::/0 in CloudFormation, at the CIDR', async () => {
    const [f] = await expectRuleFindings('PW007', 'cloudformation', [['web-stack.yaml', 55, 21, 55, 25]]);
    expect(f!.message).toBe('AWS::EC2::SecurityGroup WebSG allows all ports and protocols from the internet (source: ::/0)');
  });
});
