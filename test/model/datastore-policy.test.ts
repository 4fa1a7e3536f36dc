/**
 * Domain access policies are facts from the formats; the scan policy judges their aws:SourceIp
 * in the model (model/access-policy.ts decideDatastore). A public /8 is the internet under the
 * default thresholds; a policy that trusts it makes the domain private, in both formats.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { cloudformationFormat } from '../../src/formats/cloudformation/index.js';
import { initTerraform, terraformFormat } from '../../src/formats/terraform/index.js';
import type { Format } from '../../src/formats/types.js';
import type { ManagedDatastore } from '../../src/model/types.js';
import { runFormat } from '../helpers/formats.js';
import { lintTree, sourceFile, view } from '../helpers/index.js';

beforeAll(async () => {
  await initTerraform();
});

/** What a format hands the model for its domains, whatever the policy it was given. */
function adapted(format: Format, path: string, text: string, trusted: string[]): ManagedDatastore[] {
  const { adapted: out } = runFormat(format, [sourceFile(path, text)], { policy: { ...defaultPolicy(), trustedSources: trusted } });
  return [...(out.model.managedDatastores ?? []), ...(out.units ?? []).flatMap((u) => u.model.managedDatastores ?? [])];
}

const TF = `resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"

  access_policies = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "es:*"
      Condition = { IpAddress = { "aws:SourceIp" = ["11.0.0.0/8"] } }
    }]
  })
}
`;

const CFN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::OpenSearchService::Domain
    Properties:
      AccessPolicies:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: 'es:*'
            Condition:
              IpAddress:
                aws:SourceIp: 11.0.0.0/8
`;

describe('access policies judged under the scan policy', () => {
  it('the formats keep the access policy as written, the same under any policy (no verdict at adapt time)', () => {
    for (const [format, path, text] of [[terraformFormat, 'main.tf', TF], [cloudformationFormat, 'template.yaml', CFN]] as const) {
      const plain = adapted(format as Format, path, text, []);
      expect(plain).toHaveLength(1);
      expect(plain[0]!.access?.documents).toHaveLength(1);
      expect('public' in plain[0]!).toBe(false);
      expect(JSON.stringify(adapted(format as Format, path, text, ['11.0.0.0/8']))).toBe(JSON.stringify(plain));
    }
  });

  it('without a trusted range, both domains are public from the aws:SourceIp /8, at the Principal', async () => {
    const result = await lintTree({ 'main.tf': TF, 'template.yaml': CFN }, { policy: defaultPolicy() });
    expect(result.findings.map(view)).toEqual([
      { ruleId: 'PW008', file: 'main.tf', line: 7, column: 19, endLine: 7, endColumn: 22 },
      { ruleId: 'PW008', file: 'template.yaml', line: 9, column: 24, endLine: 9, endColumn: 27 },
    ]);
    expect(result.findings.map((f) => f.message)).toEqual([
      'aws_opensearch_domain.logs (Amazon OpenSearch domain) is publicly reachable: it is outside a VPC and the access policy allows Principal "*" from 0.0.0.0/0',
      'AWS::OpenSearchService::Domain Logs (OpenSearch Service domain) is publicly reachable: not in a VPC (no VPCOptions), and the access policy allows Principal * from an aws:SourceIp that covers the internet',
    ]);
    expect(result.findings.map((f) => f.related)).toEqual([[], []]);
  });

  it('with the range trusted, neither domain is reported', async () => {
    const result = await lintTree({ 'main.tf': TF, 'template.yaml': CFN }, { policy: { ...defaultPolicy(), trustedSources: ['11.0.0.0/8'] } });
    expect(result.findings.map(view)).toEqual([]);
  });
});
