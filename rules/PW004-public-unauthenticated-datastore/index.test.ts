import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW004 public-unauthenticated-datastore', () => {
  it('fires at the port entry with the auth setting as related location, replacing PW002 and PW003', async () => {
    const findings = await expectRuleFindings('PW004', 'compose', [
      ['docker-compose.yml', 8, 9, 8, 20],
      ['docker-compose.yml', 12, 9, 12, 30],
      ['docker-compose.yml', 17, 9, 18, 24],
    ]);
    expect(findings.map((f) => f.related.map((r) => [r.location.region.startLine, r.location.region.startColumn]))).toEqual([[[6, 9]], [[10, 12]], [[14, 12]]]);
    expect(findings[0]!.message).toBe(
      "service 'elasticsearch' exposes Elasticsearch 7.17 without authentication on port 9200/tcp to the internet (source: all interfaces (no host IP)): xpack.security.enabled=false in the environment: security is disabled",
    );
  });

  it('resolves a LoadBalancer to the Elasticsearch 7 StatefulSet with security off', async () => {
    const [f] = await expectRuleFindings('PW004', 'kubernetes', [['elasticsearch.yaml', 69, 7, 71, 20]]);
    expect(f!.related.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn])).toEqual([['elasticsearch.yaml', 38, 15]]);
  });
});
