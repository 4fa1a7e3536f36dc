import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { expectRuleFindings, relatedOf } from '../../test/helpers/rule-tester.js';
import { lintTree, views } from '../../test/helpers/index.js';

describe('PW002 public-datastore', () => {
  it('fires on datastores with auth on, identified by image (registry mirror, digest) or by port', async () => {
    const findings = await expectRuleFindings('PW002', 'compose', [
      ['docker-compose.yml', 9, 9, 9, 20],
      ['docker-compose.yml', 15, 9, 15, 25],
      ['docker-compose.yml', 19, 9, 20, 27],
      ['docker-compose.yml', 24, 9, 24, 30],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'mongo' exposes MongoDB 7.0 on port 27017/tcp to the internet (source: all interfaces (no host IP))",
      "service 'cache' exposes Redis 7.2 on port 6379/tcp to the internet (source: all interfaces (::))",
      "service 'db' exposes PostgreSQL 16.2 on port 15432/tcp (container port 5432/tcp) to the internet (source: all interfaces (no host IP))",
      "service 'legacy' exposes Elasticsearch HTTP 9200 on ports 9200-9201/tcp to the internet (source: all interfaces (no host IP))",
    ]);
  });

  it('replaces PW001 for the same port (one exposure, one finding)', async () => {
    const r = await lintTree({ 'compose.yaml': 'services:\n  ssh:\n    image: linuxserver/openssh-server:9.3\n    ports: ["2222:22"]\n' });
    expect(views(r).map((v) => v.ruleId)).toEqual(['PW002']);
    expect(r.findings[0]!.message).toContain('SSH');
  });

  it('takes extra datastore ports from the policy', async () => {
    const files = { 'compose.yaml': 'services:\n  app:\n    image: ghcr.io/acme/queue:1\n    ports: ["7777:7777"]\n' };
    expect(views(await lintTree(files)).map((v) => v.ruleId)).toEqual(['PW001']);
    const policy = { ...defaultPolicy(), extraDatastorePorts: [{ port: 7777, name: 'Acme Queue' }] };
    const r = await lintTree(files, { policy });
    expect(views(r).map((v) => v.ruleId)).toEqual(['PW002']);
    expect(r.findings[0]!.message).toContain('Acme Queue');
  });

  it('does not fire on trusted sources', async () => {
    const files = { 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n    ports: ["203.0.113.10:5432:5432"]\n' };
    expect(views(await lintTree(files)).map((v) => v.ruleId)).toEqual(['PW002']);
    const policy = { ...defaultPolicy(), trustedSources: ['203.0.113.0/24'] };
    expect(views(await lintTree(files, { policy }))).toEqual([]);
  });

  it('follows a NodePort Service through a named targetPort to the PostgreSQL pod', async () => {
    const [f] = await expectRuleFindings('PW002', 'kubernetes', [['postgres.yaml', 34, 7, 36, 22]]);
    expect(f!.message).toBe('Service/postgres-external exposes PostgreSQL 16.2 on port 30432/tcp (container port 5432/tcp) to the internet (source: every node address (NodePort))');
  });

  it('fires on CloudFormation security groups, standalone ingress and network ACLs, at the CIDR', async () => {
    const findings = await expectRuleFindings('PW002', 'cloudformation', [
      ['ingress-stack.json', 15, 84, 15, 95],
      ['ingress-stack.json', 26, 19, 26, 43],
      ['ingress-stack.json', 53, 22, 53, 33],
      ['web-stack.yaml', 45, 19, 45, 35],
    ]);
    // `!Ref SSHLocation` is primary; the parameter's Default is related.
    expect(findings.map(relatedOf)).toEqual([
      [],
      [['ingress-stack.json', 6, 18, 6, 29, '0.0.0.0/0 comes from the default of parameter SSHLocation']],
      [],
      [['web-stack.yaml', 8, 14, 8, 23, '0.0.0.0/0 comes from the default of parameter SSHLocation']],
    ]);
    expect(findings[3]!.message).toBe('AWS::EC2::SecurityGroup WebSG exposes SSH 22 on port 22/tcp to the internet (source: 0.0.0.0/0)');
  });

  it('fires on datastore ports open to 0.0.0.0/0 and ::/0 in Terraform, not from a private range, a security group or on 443: at the source, a variable default related', async () => {
    const findings = await expectRuleFindings('PW002', 'terraform', [
      ['main.tf', 10, 20, 10, 31],
      ['main.tf', 34, 19, 34, 37],
      ['main.tf', 41, 23, 41, 29],
    ]);
    expect(findings.map(relatedOf)).toEqual([[], [['variables.tf', 3, 14, 3, 25, '0.0.0.0/0 comes from the default of var.search_sources']], []]);
    expect(findings.map((f) => f.message)).toEqual([
      'aws_security_group.db exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: 0.0.0.0/0)',
      'aws_security_group.db exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: 0.0.0.0/0)',
      'aws_vpc_security_group_ingress_rule.mongo_v6 exposes MongoDB 27017 on port 27017/tcp to the internet (source: ::/0)',
    ]);
  });
});
