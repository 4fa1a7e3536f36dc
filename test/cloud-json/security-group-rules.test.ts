/**
 * `aws ec2 describe-security-group-rules` output: each ingress rule is judged on its own and
 * named by its rule id; egress rules and rules from another security group reach nothing from
 * the internet. (No test read this shape before: survivors of the mutation run in
 * src/formats/cloud-json/aws.ts.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const rules = {
  SecurityGroupRules: [
    { SecurityGroupRuleId: 'sgr-0a1', GroupId: 'sg-0cache', IsEgress: false, IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, CidrIpv4: '0.0.0.0/0' },
    { SecurityGroupRuleId: 'sgr-0a2', GroupId: 'sg-0cache', IsEgress: true, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '0.0.0.0/0' },
    { SecurityGroupRuleId: 'sgr-0a3', GroupId: 'sg-0cache', IsEgress: false, IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, ReferencedGroupInfo: { GroupId: 'sg-0app' } },
  ],
};
describe('describe-security-group-rules', () => {
  it('reports the ingress rule open to the world, at its CIDR, named by its rule id', async () => {
    const result = await lintTree({ 'sg-rules.json': JSON.stringify(rules, null, 2) });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related }))).toEqual([
      {
        ruleId: 'PW002', file: 'sg-rules.json', line: 10, column: 19, endLine: 10, endColumn: 30,
        message: 'security group sg-0cache rule sgr-0a1 exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)',
        related: [],
      },
    ]);
  });
});
