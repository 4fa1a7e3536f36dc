import { defineRule } from '../../src/core/rule.js';
import { exposureSites, siteDatastores, sitePortsText } from '../../src/model/sites.js';

export default defineRule({
  meta: {
    id: 'PW002',
    name: 'public-datastore',
    level: 'error',
    securitySeverity: 9.1,
    precision: 'high',
    tags: ['security', 'network', 'exposure', 'datastore'],
    formats: ['compose', 'kubernetes', 'terraform', 'cloudformation', 'cloud-json'],
    messages: {
      publicDatastore: '{{subject}} exposes {{datastores}} on {{ports}} to the internet (source: {{source}})',
    },
    supersedes: ['PW001', 'PW010'],
    shortDescription: 'A datastore, search engine, cache, broker or admin-plane port is reachable from the internet.',
    fullDescription:
      'Datastores (Elasticsearch 9200/9300, MongoDB 27017, Redis 6379, PostgreSQL 5432, MySQL 3306, ...) and admin planes (SSH 22, RDP 3389, Docker 2375, etcd 2379, Kibana 5601) must only be reachable from local or private networks. Internet-facing datastores are found by scanners within hours.',
    help: `## Why it matters
Tens of millions of medical records leaked from Elasticsearch and MongoDB servers whose
ports (9200, 27017) were open to the internet. Automated scanners index every such port within
hours; a single weak or default credential then gives away the data.

## What is a datastore here
A port of the catalogue (Elasticsearch 9200/9300, MongoDB 27017-27019, Redis 6379, PostgreSQL 5432,
MySQL 3306, memcached 11211, Kibana 5601, Cassandra 9042, CouchDB 5984, InfluxDB 8086, etcd 2379,
Docker 2375/2376, SQL Server 1433, Oracle 1521, Neo4j 7474, Kafka 9092, ZooKeeper 2181,
RabbitMQ 15672, ClickHouse 8123/9000, SSH 22, RDP 3389, ...; extend it with
\`extraDatastorePorts\`), or a container whose image is a datastore, whatever port it is published on.
Ports count per protocol (UDP 22 is not SSH, UDP 11211 is memcached). A datastore behind a public
entry point (an Ingress, a Gateway API route, an OpenShift Route, an internet-facing AWS load
balancer listener) is reported even on 443: TLS protects the wire, not the data.

## How to fix
Keep the datastore on a private network: publish it on \`127.0.0.1\` in compose (or not at all;
services on the same compose network reach it by name), use a ClusterIP Service in Kubernetes,
and restrict firewall sources to private ranges or security groups.

## Example
\`\`\`yaml
services:
  mongo:
    image: mongo:7
    environment:
      - MONGO_INITDB_ROOT_USERNAME=admin
      - MONGO_INITDB_ROOT_PASSWORD_FILE=/run/secrets/mongo
    ports:
      - "27017:27017"   # PW002
\`\`\``,
  },
  check(model, context) {
    // One finding per site: a rule opening three datastore ports from one source lists them all.
    const sites = exposureSites(model.exposures, context.policy, (a) => a.verdict.reach === 'internet' && !a.allTraffic && (a.datastoreWorkloads.length > 0 || a.datastorePorts.length > 0));
    for (const site of sites) {
      context.report({
        location: site.location,
        messageId: 'publicDatastore',
        data: { subject: site.subject, datastores: siteDatastores(site), ports: sitePortsText(site), source: site.analyses[0]!.verdict.label },
        subjects: site.subjects,
        ...(site.via ? { via: site.via } : {}),
        ...(site.related.length ? { related: site.related } : {}),
        ...(site.fix ? { fix: site.fix } : {}),
      });
    }
  },
});
