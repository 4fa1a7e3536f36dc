/** CloudFormation: real-shaped templates through detect → parse → adapt, with exact locations. */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { cloudformationFormat } from '../../src/formats/cloudformation/index.js';
import type { Format } from '../../src/formats/types.js';
import { decidedDatastores } from '../../src/model/access-policy.js';
import { assessSources } from '../../src/model/net.js';
import type { Exposure } from '../../src/model/types.js';
import { at, fixtureFrom, run, sourceFile } from './helpers.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const cfn = cloudformationFormat as Format;
const load = (...paths: string[]) => run(cfn, ...paths.map((p) => fixtureFrom(FIXTURES, p)));
const byId = (exposures: Exposure[] | undefined, suffix: string) => exposures?.find((e) => e.id.endsWith(suffix));

describe('CloudFormation security groups (YAML short form)', () => {
  const r = load('invalid/web-stack.yaml');
  const exposures = r.model.exposures ?? [];

  it('claims the template and reads every inline rule', () => {
    expect(r.failures).toEqual([]);
    expect(r.notClaimed).toEqual([]);
    expect(exposures.map((e) => e.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `cfn:invalid/web-stack.yaml:WebSG:SecurityGroupIngress[${i}]`));
    expect(exposures.every((e) => e.subject === 'AWS::EC2::SecurityGroup WebSG' && e.via === 'firewall-rule' && e.workloads.length === 0)).toBe(true);
  });

  it('locates a literal 0.0.0.0/0 and reports the rule entry as the exposure', () => {
    const e = byId(exposures, '[0]')!;
    expect(e.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 443, to: 443 }] });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:41:19-41:28 = 0.0.0.0/0');
    expect(at(e.location, r.files)).toMatch(/^invalid\/web-stack.yaml:38:11-41:28 = IpProtocol: tcp/);
  });

  it('resolves !Ref to the parameter Default: located at the !Ref, the Default is the hop', () => {
    const e = byId(exposures, '[1]')!;
    expect(e.sources.map((s) => s.value)).toEqual([{ kind: 'cidr', cidr: '0.0.0.0/0' }]);
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:45:19-45:35 = !Ref SSHLocation');
    expect(e.sources[0]!.via?.map((h) => `${at(h.location, r.files)} | ${h.note}`)).toEqual(['invalid/web-stack.yaml:8:14-8:23 = 0.0.0.0/0 | 0.0.0.0/0 comes from the default of parameter SSHLocation']);
  });

  it('makes a parameter without Default an unknown, located at the !Ref', () => {
    const e = byId(exposures, '[2]')!;
    expect(e.sources[0]!.value).toEqual({ kind: 'unknown', reason: 'parameter AllowedCidr has no default', label: 'AllowedCidr' });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:49:19-49:35 = !Ref AllowedCidr');
  });

  it('treats SourceSecurityGroupId as a reference, never the internet', () => {
    const e = byId(exposures, '[3]')!;
    expect(e.sources[0]!.value).toEqual({ kind: 'reference', label: 'security group AppSG' });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:53:34-53:55 = !GetAtt AppSG.GroupId');
    expect(assessSources(e.sources, defaultPolicy()).reach).toBe('private');
  });

  it('reads protocol -1 from ::/0 as all traffic', () => {
    const e = byId(exposures, '[4]')!;
    expect(e.ports).toEqual({ protocol: 'all', ranges: [{ from: 0, to: 65535 }] });
    expect(e.sources[0]!.value).toEqual({ kind: 'cidr', cidr: '::/0' });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:55:21-55:25 = ::/0');
    expect(assessSources(e.sources, defaultPolicy()).reach).toBe('internet');
  });

  it('keeps port ranges and follows !FindInMap to the mapping value', () => {
    const e = byId(exposures, '[5]')!;
    expect(e.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 8000, to: 8100 }] });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/web-stack.yaml:59:19-59:53 = !FindInMap [Network, Office, Cidr]');
    expect(e.sources[0]!.via?.map((h) => `${at(h.location, r.files)} | ${h.note}`)).toEqual(['invalid/web-stack.yaml:23:13-23:28 = 198.51.100.0/24 | 198.51.100.0/24 comes from mapping Network (Office.Cidr)']);
  });

  it('keeps both branches of an !If as a policy-free choice, located at the !If', () => {
    const e = byId(exposures, '[6]')!;
    const source = e.sources[0]!;
    expect(source.value.kind).toBe('choice');
    const choice = source.value as Extract<typeof source.value, { kind: 'choice' }>;
    expect(choice.reason).toBe('CidrIp depends on condition IsAdminPublic');
    expect(choice.options.map((o) => `${JSON.stringify(o.value)} @ ${at(o.location, r.files)}`)).toEqual([
      '{"kind":"cidr","cidr":"0.0.0.0/0"} @ invalid/web-stack.yaml:63:39-63:48 = 0.0.0.0/0',
      '{"kind":"cidr","cidr":"10.0.0.0/8"} @ invalid/web-stack.yaml:63:50-63:60 = 10.0.0.0/8',
    ]);
    expect(at(source.location, r.files)).toBe('invalid/web-stack.yaml:63:19-63:61 = !If [IsAdminPublic, 0.0.0.0/0, 10.0.0.0/8]');
  });

  it('judges an !If whose branches disagree as an unknown naming the condition (in the model)', () => {
    const e = byId(exposures, '[6]')!;
    const verdict = assessSources(e.sources, defaultPolicy());
    expect(verdict.reach).toBe('unknown');
    expect(verdict.source?.value).toEqual({
      kind: 'unknown',
      reason: 'CidrIp depends on condition IsAdminPublic: 0.0.0.0/0 or 10.0.0.0/8',
      label: '0.0.0.0/0 or 10.0.0.0/8',
    });
    expect(at(verdict.location, r.files)).toBe('invalid/web-stack.yaml:63:19-63:61 = !If [IsAdminPublic, 0.0.0.0/0, 10.0.0.0/8]');
  });
});

describe('CloudFormation JSON long form', () => {
  const r = load('invalid/ingress-stack.json');
  const exposures = r.model.exposures ?? [];

  it('reads string ports and quoted sources of inline rules', () => {
    const e = byId(exposures, 'InstanceSecurityGroup:SecurityGroupIngress[0]')!;
    expect(e.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 27017, to: 27019 }] });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/ingress-stack.json:15:84-15:95 = "0.0.0.0/0"');
  });

  it('resolves {"Ref": ...} in an AWS::EC2::SecurityGroupIngress to the parameter Default', () => {
    const e = byId(exposures, ':SSHIngress')!;
    expect(e.subject).toBe('AWS::EC2::SecurityGroupIngress SSHIngress');
    expect(e.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 22, to: 22 }] });
    expect(at(e.sources[0]!.location, r.files)).toBe('invalid/ingress-stack.json:26:19-26:43 = { "Ref": "SSHLocation" }');
    expect(e.sources[0]!.via?.map((h) => `${at(h.location, r.files)} | ${h.note}`)).toEqual(['invalid/ingress-stack.json:6:18-6:29 = "0.0.0.0/0" | 0.0.0.0/0 comes from the default of parameter SSHLocation']);
    expect(at(e.location, r.files)).toBe('invalid/ingress-stack.json:19:5-19:17 = "SSHIngress"');
  });

  it('judges network ACL entries by rule number: the earlier deny removes port 22, egress is ignored', () => {
    const acl = exposures.filter((e) => e.subject.startsWith('AWS::EC2::NetworkAclEntry'));
    expect(acl.map((e) => e.subject)).toEqual(['AWS::EC2::NetworkAclEntry AllowTcp']);
    expect(acl[0]!.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 0, to: 21 }, { from: 23, to: 65535 }] });
    expect(at(acl[0]!.sources[0]!.location, r.files)).toBe('invalid/ingress-stack.json:53:22-53:33 = "0.0.0.0/0"');
  });
});

describe('CloudFormation managed datastores', () => {
  const r = load('invalid/datastores.yaml');
  const ds = new Map(decidedDatastores(r.model.managedDatastores ?? [], defaultPolicy()).map((d) => [d.subject, d]));

  it('reports PubliclyAccessible: true at the value', () => {
    const d = ds.get('AWS::RDS::DBInstance OrdersDb')!;
    expect([d.public, d.kind, d.reason]).toEqual(['yes', 'RDS postgres', 'PubliclyAccessible is true']);
    expect(at(d.location, r.files)).toBe('invalid/datastores.yaml:15:27-15:31 = true');
  });

  it('follows !Ref to a "true" Default for a DB cluster', () => {
    const d = ds.get('AWS::RDS::DBCluster ReportsDb')!;
    expect(d.public).toBe('yes');
    expect(at(d.location, r.files)).toBe('invalid/datastores.yaml:20:27-20:38 = !Ref Public');
    expect(d.via?.map((h) => `${at(h.location, r.files)} | ${h.note}`)).toEqual(["invalid/datastores.yaml:5:14-5:20 = 'true' | true comes from the default of parameter Public"]);
  });

  it('makes a conditional Redshift flag unknown', () => {
    const d = ds.get('AWS::Redshift::Cluster Warehouse')!;
    expect([d.public, d.reason]).toEqual(['unknown', 'PubliclyAccessible depends on condition IsProd: false or true']);
    expect(at(d.location, r.files)).toBe('invalid/datastores.yaml:25:27-25:52 = !If [IsProd, false, true]');
  });

  it('notes an RDS instance left in the default VPC at its logical id', () => {
    const d = ds.get('AWS::RDS::DBInstance LegacyDb')!;
    expect(d.public).toBe('unknown');
    expect(at(d.location, r.files)).toBe('invalid/datastores.yaml:26:3-26:11 = LegacyDb');
  });

  it('reports an OpenSearch domain outside a VPC with Principal AWS: * at the star', () => {
    const d = ds.get('AWS::OpenSearchService::Domain Logs')!;
    expect([d.public, d.kind]).toEqual(['yes', 'OpenSearch Service domain']);
    expect(at(d.location, r.files)).toBe("invalid/datastores.yaml:40:20-40:23 = '*'");
  });

  it('reads an access policy written as a JSON string', () => {
    const d = ds.get('AWS::Elasticsearch::Domain OldSearch')!;
    expect(d.public).toBe('yes');
    expect(d.location.region.startLine).toBe(47);
  });
});

describe('CloudFormation: what must not fire', () => {
  it('finds no internet source and no public datastore in a private stack', () => {
    const r = load('valid/private-stack.yaml');
    expect(r.failures).toEqual([]);
    expect(r.model.managedDatastores).toEqual([]);
    const reaches = (r.model.exposures ?? []).map((e) => [e.ports.ranges[0]!.from, assessSources(e.sources, defaultPolicy()).reach]);
    // Only 443 is public; the VPC CIDR is followed through !GetAtt VPC.CidrBlock.
    expect(reaches).toEqual([[5432, 'private'], [6379, 'private'], [443, 'internet']]);
  });

  it('does not claim compose files or Kubernetes manifests that mention AWS types', () => {
    const r = load('other/docker-compose.yml', 'other/deployment.yaml');
    expect(r.notClaimed).toEqual(['other/docker-compose.yml', 'other/deployment.yaml']);
  });

  it('reports a broken template as a located parse failure', () => {
    const r = load('other/broken.yaml');
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.message).toMatch(/^invalid YAML/);
    expect(r.failures[0]!.location?.region.startLine).toBe(8);
  });

  it('recognizes a template without AWSTemplateFormatVersion by its AWS:: resource types', () => {
    const text = 'Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      IpProtocol: tcp\n      FromPort: 6379\n      ToPort: 6379\n      CidrIp: !Sub "${Open}"\nParameters:\n  Open:\n    Type: String\n    Default: 0.0.0.0/0\n';
    const r = run(cfn, sourceFile('stack.yml', text));
    const e = r.model.exposures![0]!;
    expect(e.sources[0]!.value).toEqual({ kind: 'cidr', cidr: '0.0.0.0/0' });
    expect(at(e.sources[0]!.location, r.files)).toBe('stack.yml:8:15-8:29 = !Sub "${Open}"');
  });

  it('never throws on hostile input (deep nesting, cycles through GetAtt)', () => {
    const deep = `${'a: '.repeat(1)}${'['.repeat(200)}${']'.repeat(200)}`;
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress: !If [C, !Select [0, !Split [",", !Join ["", [!GetAtt SG.GroupId]]]], !Ref AWS::NoValue]\n  X:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { ${deep} }\n`;
    const r = run(cfn, sourceFile('hostile.yaml', text));
    // Claimed and read to the end: the self-referencing ingress and the nested junk judge nothing.
    expect(r.notClaimed).toEqual([]);
    expect(r.model.exposures).toEqual([]);
  });
});
