import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { judgeAccessPolicy, policyDocumentFromJson, accessVerdictReason } from '../../src/model/access-policy.js';
import { lintTree } from '../helpers/index.js';

const loc = { file: 'p.json', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2, startOffset: 0, endOffset: 1 } };
const judge = (doc: unknown, policy = defaultPolicy()) => judgeAccessPolicy(policyDocumentFromJson(typeof doc === 'string' ? doc : JSON.stringify(doc), loc), policy);
const allow = (extra: Record<string, unknown> = {}) => ({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'es:*', ...extra }] });

describe('access-policy judge', () => {
  it('is public for Principal "*" and {"AWS": "*"} without a condition', () => {
    expect(judge(allow())).toMatchObject({ verdict: 'public', scope: 'no-condition' });
    expect(judge({ Statement: { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] } } })).toMatchObject({ verdict: 'public' });
  });

  it('is private for Deny, a named principal, or a source IP that is not the internet', () => {
    expect(judge({ Statement: [{ Effect: 'Deny', Principal: '*' }] })).toEqual({ verdict: 'private' });
    expect(judge({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' } }] })).toEqual({ verdict: 'private' });
    expect(judge(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } }))).toEqual({ verdict: 'private' });
  });

  it('applies the policy to source IPs: a wide public range is the internet, a trusted one is not', () => {
    expect(judge(allow({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))).toMatchObject({ verdict: 'public', scope: 'source-ip' });
    expect(judge(allow({ Condition: { IpAddress: { 'aws:SourceIp': '1.0.0.0/2' } } }))).toMatchObject({ verdict: 'public', scope: 'source-ip' });
    const trusting = { ...defaultPolicy(), trustedSources: ['0.0.0.0/0'] };
    expect(judge(allow({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }), trusting)).toEqual({ verdict: 'private' });
  });

  it('is unknown, never private, for what it cannot read', () => {
    expect(judge('{"Statement": [')).toMatchObject({ verdict: 'unknown', cause: 'invalid-json' });
    expect(judge('"just a string"')).toMatchObject({ verdict: 'unknown', cause: 'invalid-json' });
    expect(judge(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }))).toMatchObject({ verdict: 'unknown', cause: 'other-condition' });
    const v = judge('{');
    expect(v.verdict === 'unknown' && accessVerdictReason(v)).toBe('the access policy is not valid JSON');
  });

  it('a restricting condition wins over one it cannot evaluate', () => {
    expect(judge(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))).toEqual({ verdict: 'private' });
  });
});

describe('Terraform and CloudFormation give invalid policy JSON the same answer (PW010)', () => {
  it('reports both as may-be-public domains, not as private and not as public', async () => {
    const r = await lintTree({
      'main.tf': 'resource "aws_opensearch_domain" "logs" {\n  domain_name     = "logs"\n  access_policies = "{\\"Statement\\": ["\n}\n',
      'template.yaml':
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      AccessPolicies: '{\"Statement\": ['\n",
    });
    const byFile = r.findings.map((f) => [f.location.file, f.ruleId, f.message]);
    expect(byFile).toEqual([
      ['main.tf', 'PW010', 'aws_opensearch_domain.logs (Amazon OpenSearch domain) may be publicly reachable: it is outside a VPC and the access policy is not valid JSON'],
      ['template.yaml', 'PW010', 'AWS::OpenSearchService::Domain Logs (OpenSearch Service domain) may be publicly reachable: not in a VPC (no VPCOptions), and the access policy is not valid JSON'],
    ]);
  });
});
