import { describe, expect, it } from 'vitest';
import { expectRuleFindings, relatedOf } from '../../test/helpers/rule-tester.js';

describe('PW007 all-traffic-open', () => {
  it('fires on IpProtocol -1 from ::/0 in CloudFormation, at the CIDR', async () => {
    const [f] = await expectRuleFindings('PW007', 'cloudformation', [['web-stack.yaml', 55, 21, 55, 25]]);
    expect(f!.message).toBe('AWS::EC2::SecurityGroup WebSG allows all ports and protocols from the internet (source: ::/0)');
  });

  it('fires on protocol -1 and on every TCP port from the internet in Terraform, not on a port range or from a private range: at the source, a local related', async () => {
    const findings = await expectRuleFindings('PW007', 'terraform', [
      ['main.tf', 10, 20, 10, 34],
      ['main.tf', 18, 25, 18, 31],
      ['main.tf', 49, 23, 49, 34],
    ]);
    // The rule uses local.anywhere: reported at the use, the local's literal is related.
    expect(findings.map(relatedOf)).toEqual([[['main.tf', 54, 14, 54, 25, '0.0.0.0/0 comes from local.anywhere']], [], []]);
    expect(findings.map((f) => f.message)).toEqual([
      'aws_security_group.web allows all ports and protocols from the internet (source: 0.0.0.0/0)',
      'aws_security_group.web allows all ports (tcp) from the internet (source: ::/0)',
      'aws_vpc_security_group_ingress_rule.all_v4 allows all ports and protocols from the internet (source: 0.0.0.0/0)',
    ]);
  });
});
