/**
 * PW003 cases: image defaults, datastores identified by evidence, Knative Serving.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW003 exposure semantics', () => {
  it('identifies datastores by community image, MYSQL_ALLOW_EMPTY_PASSWORD under another name, a mongod command and discovery.type', async () => {
    const findings = await expectCaseFindings('PW003', 'compose', 'identified-by-evidence', [
      ['docker-compose.yml', 6, 12, 6, 63],
      ['docker-compose.yml', 10, 7, 10, 41],
      ['docker-compose.yml', 11, 3, 11, 11],
      ['docker-compose.yml', 19, 7, 19, 38],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'es' runs Elasticsearch 6.3 without authentication: Elasticsearch 6.x runs without security unless xpack.security.enabled=true",
      "service 'legacy-db' runs MySQL without authentication: MYSQL_ALLOW_EMPTY_PASSWORD is set: the root account has an empty password",
      "service 'sessions' runs MongoDB without authentication: MONGO_INITDB_ROOT_USERNAME is not set and mongod is not started with --auth",
      "service 'search' runs Elasticsearch without authentication: xpack.security.enabled=false in the environment: security is disabled",
    ]);
  });

  it('reads image defaults: Elasticsearch 5.x default password changeme, official Redis without --requirepass, an empty Mongo root user', async () => {
    const findings = await expectCaseFindings('PW003', 'compose', 'image-defaults', [
      ['docker-compose.yml', 7, 12, 7, 64],
      ['docker-compose.yml', 11, 12, 11, 21],
      ['docker-compose.yml', 17, 7, 17, 37],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'search' runs Elasticsearch 5.6 without authentication: X-Pack security is on with the default password changeme for user elastic (ELASTIC_PASSWORD is not set)",
      "service 'cache' runs Redis 7.2 without authentication: Redis is started without --requirepass: anyone who reaches the port can read and write",
      "service 'mongo' runs MongoDB 7.0 without authentication: MONGO_INITDB_ROOT_USERNAME is empty, so no root user is created and mongod runs without --auth",
    ]);
  });

  it('reads Knative Service, Configuration and Revision containers like Deployments', async () => {
    const findings = await expectCaseFindings('PW003', 'kubernetes', 'knative-serving', [
      ['redis.yaml', 11, 18, 11, 27],
      ['redis.yaml', 23, 18, 23, 27],
      ['redis.yaml', 33, 14, 33, 23],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "container '#0' of Service/cache runs Redis 7.2 without authentication: Redis is started without --requirepass: anyone who reaches the port can read and write",
      "container '#0' of Configuration/cache-config runs Redis 7.2 without authentication: Redis is started without --requirepass: anyone who reaches the port can read and write",
      "container '#0' of Revision/cache-00001 runs Redis 7.2 without authentication: Redis is started without --requirepass: anyone who reaches the port can read and write",
    ]);
  });

  it('sees auth on for the same evidence with credentials, and ignores client settings of app containers', async () => {
    await expectCaseSilent('PW003', 'compose', 'identified-by-evidence-near-miss');
  });

  it('sees auth on with ELASTIC_PASSWORD, --requirepass and a named Mongo root user', async () => {
    await expectCaseSilent('PW003', 'compose', 'image-defaults-near-miss');
  });

  it('sees a Redis password in Knative containers', async () => {
    await expectCaseSilent('PW003', 'kubernetes', 'knative-serving-near-miss');
  });
});
