import { defineRule } from '../../src/core/rule.js';
import { authLocation } from '../../src/model/auth.js';

export default defineRule({
  meta: {
    id: 'PW003',
    name: 'auth-disabled',
    level: 'error',
    securitySeverity: 8.1,
    precision: 'high',
    tags: ['security', 'authentication', 'datastore'],
    formats: ['compose', 'kubernetes', 'datastore-config'],
    messages: {
      authDisabled: '{{workload}} runs {{datastore}} without authentication: {{reason}}',
    },
    shortDescription: 'A datastore is configured to run without authentication.',
    fullDescription:
      'The datastore accepts clients without credentials: Elasticsearch with security off (or a 6.x/7.x image left at its default), MongoDB without a root user or --auth, Redis without a password, PostgreSQL trust authentication, MySQL with an empty root password, memcached, a Docker daemon on TCP without TLS.',
    help: `## Why it matters
A datastore without authentication is one network mistake away from a leak: anyone who can
reach the port can read, change or delete everything, or encrypt it for ransom.

## What is checked
- Elasticsearch: \`xpack.security.enabled=false\`; 6.x/7.x images without security enabled; bitnami
  images without \`ELASTICSEARCH_ENABLE_SECURITY=true\`. 8.x enables security by default.
- OpenSearch: \`DISABLE_SECURITY_PLUGIN=true\`, \`plugins.security.disabled=true\`.
- MongoDB: no \`MONGO_INITDB_ROOT_USERNAME\` and no \`--auth\`; \`--noauth\`; bitnami \`ALLOW_EMPTY_PASSWORD=yes\`.
- Redis: started without \`--requirepass\`; bitnami \`ALLOW_EMPTY_PASSWORD=yes\`.
- PostgreSQL: \`POSTGRES_HOST_AUTH_METHOD=trust\`. MySQL/MariaDB: \`MYSQL_ALLOW_EMPTY_PASSWORD\`.
- memcached (no auth without SASL), Docker daemon on TCP without TLS, CouchDB 2 admin party,
  InfluxDB 1.x, Cassandra's AllowAllAuthenticator, etcd, Neo4j \`NEO4J_AUTH=none\`, Solr.

The datastores' own config files are read too: mongod.conf without \`security.authorization\`,
redis.conf without \`requirepass\` or a \`user default\` password, pg_hba.conf \`trust\` for network
clients, my.cnf \`skip-grant-tables\`, elasticsearch.yml \`xpack.security.enabled: false\`.

The finding points at the setting that turns authentication off, or at the \`image:\` when it
is off because a setting is missing. Values are never copied into the report.

## How to fix
Enable authentication (set the root user / password from a secret, \`--requirepass\`,
\`xpack.security.enabled=true\`) even on private networks.`,
  },
  check(model, context) {
    for (const workload of model.workloads) {
      if (!workload.datastore || workload.auth?.state !== 'disabled') continue;
      context.report({
        location: authLocation(workload),
        messageId: 'authDisabled',
        data: { workload: workload.name, datastore: workload.datastore.label, reason: workload.auth.reason },
        subjects: [workload.id],
        ...(workload.auth.via?.length ? { via: workload.auth.via } : {}),
      });
    }
  },
});
