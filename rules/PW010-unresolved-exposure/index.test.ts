import { describe, expect, it } from 'vitest';
import { expectRuleFindings, relatedOf } from '../../test/helpers/rule-tester.js';

describe('PW010 unresolved-exposure', () => {
  it('notes a datastore behind an unresolved host address and an unresolved public port', async () => {
    const findings = await expectRuleFindings('PW010', 'compose', [
      ['docker-compose.yml', 5, 9, 5, 31],
      ['docker-compose.yml', 9, 9, 9, 49],
    ]);
    expect(findings.map((f) => [f.level, f.message])).toEqual([
      ['note', "service 'es' opens Elasticsearch 8.13 on port 9200/tcp to a source portwall cannot resolve: host address of \"${ES_BIND}:9200:9200\": ES_BIND is not set and has no default"],
      ['note', "service 'api' opens unresolved ports (host port of \"${API_PORT:?API_PORT must be set}:8080\": API_PORT is not set and has no default) to the internet (source: all interfaces (no host IP))"],
    ]);
  });

  it('notes CloudFormation parameters without defaults and conditional public access', async () => {
    const findings = await expectRuleFindings('PW010', 'cloudformation', [
      ['datastores.yaml', 25, 27, 25, 52],
      ['datastores.yaml', 26, 3, 26, 11],
      ['web-stack.yaml', 49, 19, 49, 35],
    ]);
    expect(findings[2]!.message).toContain('parameter AllowedCidr has no default');
  });

  it('notes Terraform variables without defaults behind datastore ports and unresolved public ports, not on other ports or private sources', async () => {
    const findings = await expectRuleFindings('PW010', 'terraform', [
      ['main.tf', 10, 20, 10, 31],
      ['main.tf', 18, 19, 18, 38],
      ['main.tf', 34, 20, 34, 31],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'aws_security_group.db opens PostgreSQL 5432 on port 5432/tcp to a source portwall cannot resolve: var.db_cidr has no default',
      'aws_security_group.db opens Redis 6379 on port 6379/tcp to a source portwall cannot resolve: var.db_cidr has no default',
      'aws_security_group.db opens unresolved ports (var.debug_port has no default) to the internet (source: 0.0.0.0/0)',
    ]);
    // The source passes through a local: reported at the use, the local related.
    expect(findings.map(relatedOf)).toEqual([[], [['main.tf', 47, 20, 47, 31, 'the value comes from local.cache_sources']], []]);
  });
});
