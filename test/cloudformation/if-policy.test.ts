/**
 * An `!If` whose branches are a public range and a range the policy may trust: the adapter
 * keeps both branches (policy-free), and the policy given to the scan judges them in the model.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import type { Finding } from '../../src/core/finding.js';
import { lintTree, view } from '../helpers/index.js';

const STACK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  OfficeOnly:
    Type: String
    Default: 'false'
Conditions:
  IsOfficeOnly: !Equals [!Ref OfficeOnly, 'true']
Resources:
  SearchSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: search
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 9200
          ToPort: 9200
          CidrIp: !If [IsOfficeOnly, 11.0.0.0/8, 0.0.0.0/0]
`;

const related = (f: Finding) => f.related.map((r) => `${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn} ${r.message}`);

describe('CloudFormation !If with a public and a trustable branch', () => {
  it('without a policy that trusts the range, both branches are the internet (11.0.0.0/8 is a /8): PW002 at the first branch', async () => {
    const result = await lintTree({ 'stack.yaml': STACK }, { policy: defaultPolicy() });
    expect(result.findings.map(view)).toEqual([{ ruleId: 'PW002', file: 'stack.yaml', line: 17, column: 38, endLine: 17, endColumn: 48 }]);
    const [f] = result.findings;
    expect(f!.message).toBe('AWS::EC2::SecurityGroup SearchSG exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: 11.0.0.0/8)');
    expect(related(f!)).toEqual(['stack.yaml:7:3 applies when condition IsOfficeOnly is true']);
  });

  it('with a policy that trusts 11.0.0.0/8 the branches disagree: PW010 at the !If, naming both branches', async () => {
    const result = await lintTree({ 'stack.yaml': STACK }, { policy: { ...defaultPolicy(), trustedSources: ['11.0.0.0/8'] } });
    expect(result.findings.map(view)).toEqual([{ ruleId: 'PW010', file: 'stack.yaml', line: 17, column: 19, endLine: 17, endColumn: 60 }]);
    const [f] = result.findings;
    expect(f!.message).toBe(
      'AWS::EC2::SecurityGroup SearchSG opens Elasticsearch HTTP 9200 on port 9200/tcp to a source portwall cannot resolve: CidrIp depends on condition IsOfficeOnly: 11.0.0.0/8 or 0.0.0.0/0',
    );
    expect(related(f!)).toEqual([
      'stack.yaml:17:38 11.0.0.0/8 is one of the alternatives',
      'stack.yaml:7:3 applies when condition IsOfficeOnly is true',
      'stack.yaml:17:50 0.0.0.0/0 is one of the alternatives',
    ]);
  });

});
