import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';
import { lintTree, views } from '../../test/helpers/index.js';

describe('PW003 auth-disabled', () => {
  it('points at the setting that turns auth off, or at the image when a setting is missing', async () => {
    const findings = await expectRuleFindings('PW003', 'compose', [
      ['docker-compose.yml', 6, 7, 6, 39],
      ['docker-compose.yml', 10, 9, 10, 39],
      ['docker-compose.yml', 12, 12, 12, 32],
      ['docker-compose.yml', 17, 9, 17, 37],
      ['docker-compose.yml', 21, 7, 21, 29],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'db' runs PostgreSQL 16 without authentication: POSTGRES_HOST_AUTH_METHOD=trust: any client may connect without a password",
      "service 'mysql' runs MySQL 8.0 without authentication: MYSQL_ALLOW_EMPTY_PASSWORD is set: the root account has an empty password",
      "service 'cache' runs memcached 1.6 without authentication: memcached has no authentication unless started with SASL (-S)",
      "service 'search' runs OpenSearch 2.13 without authentication: DISABLE_SECURITY_PLUGIN is true: the security plugin is disabled",
      "service 'dind' runs Docker daemon 26 without authentication: DOCKER_TLS_CERTDIR is empty: the dind daemon serves its API on 2375 without TLS",
    ]);
  });

  it('is version-aware for Elasticsearch', async () => {
    const es = (image: string, env = '') => ({ 'compose.yaml': `services:\n  es:\n    image: ${image}\n${env}` });
    expect(views(await lintTree(es('elasticsearch:6.8.23'))).map((v) => [v.ruleId, v.line])).toEqual([['PW003', 3]]);
    expect(views(await lintTree(es('docker.elastic.co/elasticsearch/elasticsearch:7.17.0')))).toHaveLength(1);
    expect(views(await lintTree(es('docker.elastic.co/elasticsearch/elasticsearch:8.13.0')))).toEqual([]);
    expect(views(await lintTree(es('elasticsearch:7.17.0', '    environment:\n      xpack.security.enabled: "true"\n')))).toEqual([]);
    expect(views(await lintTree(es('elasticsearch:8.13.0', '    environment:\n      xpack.security.enabled: "false"\n'))).map((v) => [v.line, v.column])).toEqual([[5, 7]]);
    expect(views(await lintTree(es('bitnami/elasticsearch:8.13.0')))).toHaveLength(1);
    expect(views(await lintTree(es('bitnami/elasticsearch:8.13.0', '    environment:\n      - ELASTICSEARCH_ENABLE_SECURITY=true\n')))).toEqual([]);
  });

  it('reads MongoDB, Redis and bitnami variants', async () => {
    const svc = (body: string) => ({ 'compose.yaml': `services:\n  s:\n${body}` });
    expect(views(await lintTree(svc('    image: mongo:7\n    command: ["mongod", "--auth"]\n')))).toEqual([]);
    expect(views(await lintTree(svc('    image: bitnami/mongodb:7.0\n    environment:\n      - ALLOW_EMPTY_PASSWORD=yes\n'))).map((v) => v.line)).toEqual([5]);
    expect(views(await lintTree(svc('    image: bitnami/redis:7.2\n    environment:\n      ALLOW_EMPTY_PASSWORD: "yes"\n'))).map((v) => v.line)).toEqual([5]);
    expect(views(await lintTree(svc('    image: redis:7\n    command: redis-server /usr/local/etc/redis/redis.conf\n')))).toEqual([]);
    expect(views(await lintTree(svc('    image: redis:7\n    command: redis-server --requirepass "${REDIS_PASSWORD}"\n')))).toEqual([]);
  });

  it('never copies a value into the message', async () => {
    const r = await lintTree({ 'compose.yaml': 'services:\n  db:\n    image: mariadb:11\n    environment:\n      MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: "1"\n      MARIADB_PASSWORD: Sup3rS3cret!\n' });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['PW003']);
    expect(JSON.stringify(r.findings)).not.toContain('Sup3rS3cret');
  });

  it('reads Kubernetes args: Redis without --requirepass (at the image), mongod --noauth (at the arg)', async () => {
    await expectRuleFindings('PW003', 'kubernetes', [
      ['redis.yaml', 14, 18, 14, 34],
      ['redis.yaml', 21, 15, 21, 23],
    ]);
  });

  it('reads the datastores own config files', async () => {
    const findings = await expectRuleFindings('PW003', 'datastore-config', [
      ['mongod.conf', 3, 1, 3, 8],
      ['my.cnf', 21, 1, 21, 18],
      ['pg_hba.conf', 5, 1, 5, 73],
    ]);
    expect(findings[1]!.message).toBe('my.cnf runs MySQL without authentication: skip-grant-tables in [mysqld] lets every client in without a password, with all privileges');
  });
});
