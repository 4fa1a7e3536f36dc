/**
 * CloudFormation near misses, written for survivors of the adapters' mutation sample (issue #18)
 * in src/formats/cloudformation/security-groups.ts: a NetworkAclEntry whose RuleAction is
 * neither allow nor deny closes nothing (and one that cannot be resolved is reported, never
 * guessed); entries and ingress items that are no mapping are skipped without failing; the
 * second branch of an !If is named "when not <condition>"; an unresolved FromPort is PW010;
 * ICMP opens no port while protocol -1 is all traffic. Findings assert rule, file, line,
 * column, message, subjects and related locations.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';
const tpl = (resources: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Action:
    Type: String
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
${resources}`;
const entry = (name: string, n: number, action: string, port = 6379) => `  ${name}:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: ${n}
      Protocol: 6
      RuleAction: ${action}
      CidrBlock: 0.0.0.0/0
      PortRange:
        From: ${port}
        To: ${port}
`;
const acl = `  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-1
`;
const CASES: Record<string, string> = {
    maybe: tpl(acl + entry('E100', 100, 'maybe') + entry('E200', 200, 'allow')),
    unresolved: tpl(acl + entry('E100', 100, '!Ref Action') + entry('E200', 200, 'allow')),
    strProps: tpl(acl + '  E100:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: !Ref Action\n' + entry('E200', 200, 'allow')),
    ifItem: tpl(`  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - !Ref Action
        - !If
          - IsProd
          - IpProtocol: tcp
            FromPort: 6379
            ToPort: 6379
            CidrIp: 0.0.0.0/0
          - !Ref AWS::NoValue
`),
    ingStr: tpl(`  In:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: !Ref Action
`),
    notIf: tpl(`  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - !If
          - IsProd
          - IpProtocol: tcp
            FromPort: 6379
            ToPort: 6379
            CidrIp: 10.0.0.0/8
          - IpProtocol: tcp
            FromPort: 6379
            ToPort: 6379
            CidrIp: 0.0.0.0/0
`),
    unresPort: tpl(`  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: !Ref Action
          ToPort: 6379
          CidrIp: 0.0.0.0/0
`),
    icmp: tpl(`  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: icmp
          FromPort: -1
          ToPort: -1
          CidrIp: 0.0.0.0/0
        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
`),
};
type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = (name: string) => lintTree({ [`${name}.yaml`]: CASES[name]! });
const e200 = (file: string, line: number) => ({
  ruleId: 'PW002', file, line, column: 18, endLine: line, endColumn: 27,
  message: 'AWS::EC2::NetworkAclEntry E200 exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', subjects: [`cfn:${file}:E200`], related: [],
});
const unknownNotice = (file: string, what: string) => ({ level: 'warning', kind: 'unknown', file, message: `${file}: 1 CloudFormation resource could not be judged and was not checked: ${what}` });

describe('NetworkAclEntry RuleAction', () => {
  it('"maybe" is neither allow nor deny: the lower-numbered entry closes nothing', async () => {
    const result = await lint('maybe');
    expect(judged(result)).toEqual([e200('maybe.yaml', 30)]);
    expect(result.notifications).toEqual([]);
  });

  it('an unresolved RuleAction is reported, and closes nothing', async () => {
    const result = await lint('unresolved');
    expect(judged(result)).toEqual([e200('unresolved.yaml', 30)]);
    expect(result.notifications).toEqual([unknownNotice('unresolved.yaml', 'E100 (its RuleAction cannot be resolved)')]);
  });

  it('an entry whose Properties is no mapping is skipped; the others are judged', async () => {
    const result = await lint('strProps');
    expect(judged(result)).toEqual([e200('strProps.yaml', 22)]);
    expect(result.notifications).toEqual([]);
  });
});

describe('security group ingress', () => {
  it('an !If between two rules: the second is named "when not IsProd"', async () => {
    expect(judged(await lint('notIf'))).toEqual([
      {
        ruleId: 'PW002', file: 'notIf.yaml', line: 22, column: 21, endLine: 22, endColumn: 30,
        message: 'AWS::EC2::SecurityGroup Sg (when not IsProd) exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', subjects: ['cfn:notIf.yaml:Sg:SecurityGroupIngress[0]@415'], related: [],
      },
    ]);
  });

  it('an item that is no mapping is skipped; an !If item with AWS::NoValue applies when IsProd', async () => {
    const result = await lint('ifItem');
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'ifItem.yaml', line: 19, column: 21, endLine: 19, endColumn: 30,
        message: 'AWS::EC2::SecurityGroup Sg (when IsProd) exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', subjects: ['cfn:ifItem.yaml:Sg:SecurityGroupIngress[1]@326'], related: [],
      },
    ]);
    expect(result.notifications).toEqual([]);
  });

  it('an AWS::EC2::SecurityGroupIngress whose Properties is no mapping gives nothing and does not fail', async () => {
    const result = await lint('ingStr');
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
    expect(result.files.map((f) => [f.path, f.format])).toEqual([['ingStr.yaml', 'cloudformation']]);
  });

  it('an unresolved FromPort is PW010 naming the parameter', async () => {
    expect(judged(await lint('unresPort'))).toEqual([
      {
        ruleId: 'PW010', file: 'unresPort.yaml', line: 16, column: 19, endLine: 16, endColumn: 28,
        message: 'AWS::EC2::SecurityGroup Sg opens unresolved ports (parameter Action has no default) to the internet (source: 0.0.0.0/0)', subjects: ['cfn:unresPort.yaml:Sg:SecurityGroupIngress[0]'], related: [],
      },
    ]);
  });

  it('ICMP from 0.0.0.0/0 opens no port; protocol -1 is all traffic (PW007)', async () => {
    expect(judged(await lint('icmp'))).toEqual([
      {
        ruleId: 'PW007', file: 'icmp.yaml', line: 18, column: 19, endLine: 18, endColumn: 28,
        message: 'AWS::EC2::SecurityGroup Sg allows all ports and protocols from the internet (source: 0.0.0.0/0)', subjects: ['cfn:icmp.yaml:Sg:SecurityGroupIngress[1]'], related: [],
      },
    ]);
  });
});
