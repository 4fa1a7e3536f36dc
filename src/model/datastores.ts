/**
 * The datastore catalogue: which ports and images are datastores, search engines, caches,
 * brokers or admin planes. Extended at run time by the policy (extraDatastorePorts/Images).
 */
import type { Policy } from '../core/policy.js';
import type { DatastoreIdentity, DatastoreKind, PortRange, Protocol } from './types.js';

interface CatalogPort {
  port: number;
  to?: number;
  kind: DatastoreKind;
  name: string;
  /** The transport protocols the product serves on it; TCP only when absent. */
  protocols?: readonly ('tcp' | 'udp')[];
}

/** Well-known ports. Ranges are inclusive. */
export const DATASTORE_PORTS: readonly CatalogPort[] = [
  { port: 22, kind: 'ssh', name: 'SSH' },
  { port: 1433, kind: 'mssql', name: 'SQL Server' },
  { port: 1521, kind: 'oracle', name: 'Oracle' },
  { port: 2181, kind: 'zookeeper', name: 'ZooKeeper' },
  { port: 2375, kind: 'docker', name: 'Docker daemon (plain TCP)' },
  { port: 2376, kind: 'docker', name: 'Docker daemon (TLS)' },
  { port: 2379, to: 2380, kind: 'etcd', name: 'etcd' },
  { port: 3306, kind: 'mysql', name: 'MySQL/MariaDB' },
  { port: 3389, kind: 'rdp', name: 'RDP', protocols: ['tcp', 'udp'] },
  { port: 5432, kind: 'postgres', name: 'PostgreSQL' },
  { port: 5601, kind: 'kibana', name: 'Kibana' },
  { port: 5984, kind: 'couchdb', name: 'CouchDB' },
  { port: 6379, kind: 'redis', name: 'Redis' },
  { port: 7000, to: 7001, kind: 'cassandra', name: 'Cassandra inter-node' },
  { port: 7474, kind: 'neo4j', name: 'Neo4j' },
  { port: 7687, kind: 'neo4j', name: 'Neo4j Bolt' },
  { port: 8086, kind: 'influxdb', name: 'InfluxDB' },
  { port: 8091, to: 8096, kind: 'couchbase', name: 'Couchbase' },
  { port: 8123, kind: 'clickhouse', name: 'ClickHouse HTTP' },
  { port: 8983, kind: 'solr', name: 'Solr' },
  { port: 9000, kind: 'clickhouse', name: 'ClickHouse native' },
  { port: 9042, kind: 'cassandra', name: 'Cassandra CQL' },
  { port: 9092, kind: 'kafka', name: 'Kafka' },
  { port: 9200, kind: 'elasticsearch', name: 'Elasticsearch HTTP' },
  { port: 9300, kind: 'elasticsearch', name: 'Elasticsearch transport' },
  { port: 11211, kind: 'memcached', name: 'memcached', protocols: ['tcp', 'udp'] },
  { port: 15672, kind: 'rabbitmq', name: 'RabbitMQ management' },
  { port: 5672, kind: 'rabbitmq', name: 'RabbitMQ AMQP' },
  { port: 27017, to: 27019, kind: 'mongodb', name: 'MongoDB' },
  { port: 28017, kind: 'mongodb', name: 'MongoDB HTTP' },
];

interface ImageRule {
  /** Matched against the repository path without registry and tag (e.g. "bitnami/redis"). */
  pattern: RegExp;
  kind: DatastoreKind;
  name: string;
  family?: 'bitnami' | 'official' | 'opensearchproject' | 'elastic';
}

const IMAGE_RULES: readonly ImageRule[] = [
  { pattern: /^(library\/)?elasticsearch$|^elasticsearch\/elasticsearch$/, kind: 'elasticsearch', name: 'Elasticsearch', family: 'elastic' },
  { pattern: /^bitnami\/elasticsearch$/, kind: 'elasticsearch', name: 'Elasticsearch', family: 'bitnami' },
  { pattern: /(^|\/)elasticsearch(-oss)?$/, kind: 'elasticsearch', name: 'Elasticsearch' },
  { pattern: /^opensearchproject\/opensearch$/, kind: 'opensearch', name: 'OpenSearch', family: 'opensearchproject' },
  { pattern: /(^|\/)opensearch$/, kind: 'opensearch', name: 'OpenSearch' },
  { pattern: /(^|\/)(kibana|opensearch-dashboards)(-oss)?$/, kind: 'kibana', name: 'Kibana' },
  { pattern: /^bitnami\/mongodb(-sharded)?$/, kind: 'mongodb', name: 'MongoDB', family: 'bitnami' },
  { pattern: /(^|\/)(mongo|mongodb|mongodb-community-server|mongodb-enterprise-server)$/, kind: 'mongodb', name: 'MongoDB' },
  { pattern: /^bitnami\/redis(-cluster)?$/, kind: 'redis', name: 'Redis', family: 'bitnami' },
  { pattern: /(^|\/)(redis|redis-stack|redis-stack-server|valkey|keydb|eqalpha\/keydb)$/, kind: 'redis', name: 'Redis' },
  { pattern: /^bitnami\/postgresql(-repmgr)?$/, kind: 'postgres', name: 'PostgreSQL', family: 'bitnami' },
  { pattern: /(^|\/)(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector)$/, kind: 'postgres', name: 'PostgreSQL' },
  { pattern: /^bitnami\/mysql$/, kind: 'mysql', name: 'MySQL', family: 'bitnami' },
  { pattern: /(^|\/)(mysql|mysql-server|percona(-server)?)$/, kind: 'mysql', name: 'MySQL' },
  { pattern: /^bitnami\/mariadb(-galera)?$/, kind: 'mariadb', name: 'MariaDB', family: 'bitnami' },
  { pattern: /(^|\/)mariadb$/, kind: 'mariadb', name: 'MariaDB' },
  { pattern: /(^|\/)memcached$/, kind: 'memcached', name: 'memcached' },
  { pattern: /(^|\/)(cassandra|scylla)$/, kind: 'cassandra', name: 'Cassandra' },
  { pattern: /(^|\/)couchdb$/, kind: 'couchdb', name: 'CouchDB' },
  { pattern: /(^|\/)influxdb$/, kind: 'influxdb', name: 'InfluxDB' },
  { pattern: /(^|\/)etcd$/, kind: 'etcd', name: 'etcd' },
  { pattern: /^(library\/)?docker$/, kind: 'docker', name: 'Docker daemon' },
  { pattern: /(^|\/)mssql\/server$|(^|\/)mssql-server/, kind: 'mssql', name: 'SQL Server' },
  { pattern: /(^|\/)(oracle\/database|oracle-xe|gvenzl\/oracle-(xe|free))$/, kind: 'oracle', name: 'Oracle' },
  { pattern: /(^|\/)neo4j$/, kind: 'neo4j', name: 'Neo4j' },
  { pattern: /(^|\/)(kafka|cp-kafka|cp-server)$/, kind: 'kafka', name: 'Kafka' },
  { pattern: /(^|\/)(zookeeper|cp-zookeeper)$/, kind: 'zookeeper', name: 'ZooKeeper' },
  { pattern: /(^|\/)rabbitmq$/, kind: 'rabbitmq', name: 'RabbitMQ' },
  { pattern: /(^|\/)clickhouse(-server)?$/, kind: 'clickhouse', name: 'ClickHouse' },
  { pattern: /(^|\/)couchbase(-server)?$/, kind: 'couchbase', name: 'Couchbase' },
  { pattern: /(^|\/)solr$/, kind: 'solr', name: 'Solr' },
];

interface ImageReference {
  /** Registry host, when the reference names one (docker.elastic.co). */
  registry?: string;
  /** Repository path without registry (elasticsearch/elasticsearch, bitnami/redis, library/mongo -> mongo). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Split an image reference the way Docker does. */
export function parseImage(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash !== -1) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  rest = rest.toLowerCase().replace(/^library\//, '');
  return { ...(registry ? { registry } : {}), repository: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export interface ImageIdentity extends DatastoreIdentity {
  family: 'bitnami' | 'official' | 'opensearchproject' | 'elastic';
  image: ImageReference;
  /** Major.minor from the tag, when the tag starts with a version. */
  version?: { major: number; minor: number; text: string };
}

export function identifyImage(image: string, policy?: Policy): ImageIdentity | undefined {
  if (!image || image.includes('${')) return undefined;
  const ref = parseImage(image);
  const repo = ref.repository;
  for (const extra of policy?.extraDatastoreImages ?? []) {
    let re: RegExp;
    try {
      re = new RegExp(extra.pattern);
    } catch {
      continue;
    }
    if (re.test(image)) {
      return { kind: 'other', label: extra.name, evidence: `image ${image}`, family: 'official', image: ref };
    }
  }
  for (const rule of IMAGE_RULES) {
    // Match the last two path segments too, so mirrors (registry/team/mongo) are recognized.
    const tail2 = repo.split('/').slice(-2).join('/');
    if (rule.pattern.test(repo) || rule.pattern.test(tail2)) {
      const version = trustsTagVersion(ref) ? parseVersion(ref.tag) : undefined;
      const family = rule.family ?? (ref.repository.startsWith('bitnami/') ? 'bitnami' : 'official');
      const label = version ? `${rule.name} ${version.text}` : rule.name;
      return { kind: rule.kind, label, evidence: `image ${image}`, family, image: ref, ...(version ? { version } : {}) };
    }
  }
  return undefined;
}

/** The datastore version an image tag states, where the tag can be trusted to be one. */
export function tagVersion(ref: ImageReference): ImageIdentity['version'] {
  return trustsTagVersion(ref) ? parseVersion(ref.tag) : undefined;
}

/** Publishers whose tags are the datastore's own version. */
const VERSIONED_OWNERS = new Set(['pires', 'bitnami', 'elasticsearch', 'opensearchproject', 'mongodb', 'percona', 'mysql', 'mariadb', 'postgres', 'redis', 'clickhouse', 'couchbase', 'neo4j', 'confluentinc', 'apache', 'influxdata', 'cassandra']);

/**
 * A "v14" tag on someone else's image ("google-samples/cassandra:v14", "kubernetes/redis:v1") is
 * that image's version, not the datastore's: reading it as one would misjudge version-aware auth.
 */
function trustsTagVersion(ref: ImageReference): boolean {
  if (!ref.tag || !/^v\d/.test(ref.tag)) return true;
  const owner = ref.repository.includes('/') ? ref.repository.split('/')[0]! : undefined;
  return owner === undefined || VERSIONED_OWNERS.has(owner);
}

function parseVersion(tag: string | undefined): { major: number; minor: number; text: string } | undefined {
  if (!tag) return undefined;
  const m = /^v?(\d{1,4})(?:\.(\d{1,4}))?/.exec(tag);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === undefined ? 0 : Number(m[2]), text: m[2] === undefined ? m[1]! : `${m[1]}.${m[2]}` };
}

export interface DatastorePortMatch {
  port: number;
  to: number;
  kind: DatastoreKind;
  name: string;
}

/** Does the product of a catalogue entry listen on this protocol ('all'/'unknown': any of them)? */
function servesProtocol(entry: CatalogPort, protocol: Protocol | 'unknown' | undefined): boolean {
  if (protocol === undefined || protocol === 'all' || protocol === 'unknown') return true;
  if (protocol !== 'tcp' && protocol !== 'udp') return false;
  return (entry.protocols ?? ['tcp']).includes(protocol);
}

/**
 * Catalogue ports (built-in and from policy) that fall in the given ranges, on the given
 * protocol: UDP 22 is not SSH, UDP 11211 is memcached. Policy ports count on every protocol.
 */
export function datastorePortsIn(ranges: PortRange[], policy?: Policy, protocol?: Protocol | 'unknown'): DatastorePortMatch[] {
  const catalogue: CatalogPort[] = [
    ...DATASTORE_PORTS,
    ...(policy?.extraDatastorePorts ?? []).map((p) => ({ port: p.port, kind: 'other' as const, name: p.name, protocols: ['tcp', 'udp'] as const })),
  ];
  const out: DatastorePortMatch[] = [];
  for (const entry of catalogue) {
    if (!servesProtocol(entry, protocol)) continue;
    const to = entry.to ?? entry.port;
    for (const r of ranges) {
      const from = Math.max(r.from, entry.port);
      const end = Math.min(r.to, to);
      if (from <= end) {
        out.push({ port: from, to: end, kind: entry.kind, name: entry.name });
        break;
      }
    }
  }
  return out.sort((a, b) => a.port - b.port);
}
