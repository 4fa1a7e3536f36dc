import { describe, expect, it } from 'vitest';
import { expectRuleFindings, relatedOf } from '../../test/helpers/rule-tester.js';

describe('PW007 all-traffic-open', () => {
  it('fires on IpProtocol -1 from ::/0 in CloudFormation, at the CIDR', async () => {
    const [f] = await expectRuleFindings('PW007', 'cloudformation', [['web-stack.yaml', 55, 21, 55, 25]]);
    expect(f!.message).toBe('AWS::EC2::SecurityGroup WebSG allows all ports and protocols from the internet (source: ::/0)');
  });

  it('fires on protocol -1 in inline ingress and in aws_vpc_security_group_ingress_rule', async () => {
    const findings = await expectRuleFindings('PW007', 'terraform', [
      ['main.tf', 37, 20, 37, 34],
      ['rules.tf', 43, 23, 43, 34],
    ]);
    // The rule uses local.anywhere: reported at the use, the local's literal is related.
    expect(findings.map(relatedOf)).toEqual([[['main.tf', 54, 14, 54, 25, '0.0.0.0/0 comes from local.anywhere']], []]);
    expect(findings[1]!.message).toBe('aws_vpc_security_group_ingress_rule.all_v4 allows all ports and protocols from the internet (source: 0.0.0.0/0)');
  });
});
