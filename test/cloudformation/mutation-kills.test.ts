/**
 * CloudFormation near misses for the survivors of a full mutation run over
 * src/formats/cloudformation/security-groups.ts (issue #18): groups and ingress resources without
 * rules or properties, an ingress list under !If, portless and unset protocols, protocol
 * parameters, -1 and ICMP with port parameters, ESP network ACL entries and an allow split by a
 * deny. Real parser, adapter and rules; every finding (rule, file, line, column, message,
 * subjects, related locations) and notification.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.yaml': text });
const notices = (result: Result) => result.notifications.map((n) => n.message);

describe("CloudFormation security groups", () => {
  it("a group without SecurityGroupIngress, and an AWS::EC2::SecurityGroupIngress without Properties, open nothing and fail nothing", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no ingress
      VpcId: vpc-1
  Ingress:
    Type: AWS::EC2::SecurityGroupIngress
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an ingress list under !If is named by its condition: PW002 (when IsProd)", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: redis in prod
      VpcId: vpc-1
      SecurityGroupIngress: !If
        - IsProd
        - - IpProtocol: tcp
            FromPort: 6379
            ToPort: 6379
            CidrIp: 0.0.0.0/0
        - !Ref AWS::NoValue
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.yaml", "line": 20, "column": 21, "endLine": 20, "endColumn": 30, "message": "AWS::EC2::SecurityGroup Sg (when IsProd) exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cfn:main.yaml:Sg:SecurityGroupIngress[0]@345"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an ESP rule opens no port; a rule without IpProtocol is PW010 saying so", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: esp and no protocol
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: "50"
          CidrIp: 0.0.0.0/0
        - FromPort: 6379
          ToPort: 6379
          CidrIp: 0.0.0.0/0
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.yaml", "line": 20, "column": 19, "endLine": 20, "endColumn": 28, "message": "AWS::EC2::SecurityGroup Sg opens unresolved ports (IpProtocol is not set) to the internet (source: 0.0.0.0/0)", "subjects": ["cfn:main.yaml:Sg:SecurityGroupIngress[1]"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an IpProtocol from a parameter without default is PW010 naming the parameter", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: unresolved protocol
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: !Ref Proto
          FromPort: 6379
          ToPort: 6379
          CidrIp: 0.0.0.0/0
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.yaml", "line": 19, "column": 19, "endLine": 19, "endColumn": 28, "message": "AWS::EC2::SecurityGroup Sg opens unresolved ports (parameter Proto has no default) to the internet (source: 0.0.0.0/0)", "subjects": ["cfn:main.yaml:Sg:SecurityGroupIngress[0]"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("IpProtocol -1 ignores unresolved ports: all traffic (PW007), not PW010", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: all traffic with a port parameter
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: "-1"
          FromPort: !Ref Port
          ToPort: !Ref Port
          CidrIp: 0.0.0.0/0
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW007", "file": "main.yaml", "line": 19, "column": 19, "endLine": 19, "endColumn": 28, "message": "AWS::EC2::SecurityGroup Sg allows all ports and protocols from the internet (source: 0.0.0.0/0)", "subjects": ["cfn:main.yaml:Sg:SecurityGroupIngress[0]"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("ICMP with unresolved ports opens no port", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: icmp with a port parameter
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: icmp
          FromPort: !Ref Port
          ToPort: !Ref Port
          CidrIp: 0.0.0.0/0
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });
});

describe("CloudFormation network ACL entries", () => {
  it("an ESP allow opens no port and fails nothing", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-1
  Esp:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 50
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an allow split by a deny on 22: one finding per piece, each with its own numbered subject", async () => {
    const result = await lint(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Proto:
    Type: String
  Port:
    Type: Number
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-1
  DenySsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: deny
      CidrBlock: 0.0.0.0/0
      PortRange:
        From: 22
        To: 22
  AllowAll:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 200
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      Ipv6CidrBlock: ::/0
      PortRange:
        From: 0
        To: 65535
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.yaml", "line": 32, "column": 18, "endLine": 32, "endColumn": 27, "message": "AWS::EC2::NetworkAclEntry AllowAll exposes SQL Server 1433, Oracle 1521, ZooKeeper 2181 and 26 more datastore ports on ports 0-21, 23-65535/tcp to the internet (source: 0.0.0.0/0)", "subjects": ["cfn:main.yaml:AllowAll:0"], "related": []},
      {"ruleId": "PW007", "file": "main.yaml", "line": 33, "column": 22, "endLine": 33, "endColumn": 26, "message": "AWS::EC2::NetworkAclEntry AllowAll allows all ports (tcp) from the internet (source: ::/0)", "subjects": ["cfn:main.yaml:AllowAll:1"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});
