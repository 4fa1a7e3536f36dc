/**
 * Which datastore a container runs: its image first (model/datastores.ts), else the evidence
 * the container itself gives when the image says nothing (a private build, a renamed mirror):
 * the environment a datastore image reads (`discovery.type`, `MYSQL_ROOT_PASSWORD`,
 * `MONGO_INITDB_*`...) or the server it starts (`mongod`, `redis-server`, `postgres`).
 * Shared by every format that runs containers (compose, Kubernetes). Depends on model/ only.
 */
import type { Policy } from '../core/policy.js';
import type { ContainerSpec } from './auth.js';
import { identifyImage, parseImage, tagVersion, type ImageIdentity } from './datastores.js';
import type { DatastoreKind } from './types.js';

interface EnvEvidence {
  /** Variable names, matched case-sensitively (they are the images' own spellings). */
  names: RegExp;
  kind: DatastoreKind;
  name: string;
}

/**
 * Variables that only the datastore's own image (or an image built from it) reads. Client
 * settings that apps share (POSTGRES_PASSWORD, MYSQL_PASSWORD, MONGO_URL) are not evidence.
 */
const ENV_EVIDENCE: readonly EnvEvidence[] = [
  // OpenSearch first: it reads discovery.type too.
  { names: /^(OPENSEARCH_JAVA_OPTS|OPENSEARCH_INITIAL_ADMIN_PASSWORD|DISABLE_SECURITY_PLUGIN)$/, kind: 'opensearch', name: 'OpenSearch' },
  { names: /^(discovery\.type|ES_JAVA_OPTS)$/, kind: 'elasticsearch', name: 'Elasticsearch' },
  { names: /^MONGO_INITDB_/, kind: 'mongodb', name: 'MongoDB' },
  { names: /^(MARIADB_ROOT_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|MARIADB_RANDOM_ROOT_PASSWORD)$/, kind: 'mariadb', name: 'MariaDB' },
  { names: /^(MYSQL_ROOT_PASSWORD|MYSQL_ALLOW_EMPTY_PASSWORD|MYSQL_RANDOM_ROOT_PASSWORD)$/, kind: 'mysql', name: 'MySQL' },
];

/** Server programs, as the first word of the command line (or of a `sh -c` script). */
const SERVER_PROGRAMS: Readonly<Record<string, { kind: DatastoreKind; name: string }>> = {
  mongod: { kind: 'mongodb', name: 'MongoDB' },
  'redis-server': { kind: 'redis', name: 'Redis' },
  postgres: { kind: 'postgres', name: 'PostgreSQL' },
  mysqld: { kind: 'mysql', name: 'MySQL' },
  mariadbd: { kind: 'mariadb', name: 'MariaDB' },
  memcached: { kind: 'memcached', name: 'memcached' },
};

/**
 * Community images that are a datastore under a name the official patterns do not cover
 * (quay.io/pires/docker-elasticsearch-kubernetes is the Elasticsearch of many Kubernetes
 * tutorials). Matched against the repository path without registry and tag.
 */
const COMMUNITY_IMAGES: readonly { pattern: RegExp; kind: DatastoreKind; name: string }[] = [
  { pattern: /(^|\/)docker-elasticsearch(-kubernetes)?$/, kind: 'elasticsearch', name: 'Elasticsearch' },
];

/** Images that carry Elasticsearch-like settings without being a datastore (Logstash, Beats...). */
const STACK_COMPANIONS = /^(logstash(-oss)?|filebeat|metricbeat|heartbeat|auditbeat|packetbeat|journalbeat|apm-server|elastic-agent|fleet-server|enterprise-search|opensearch-dashboards|data-prepper)$/;

/** The datastore a container runs, by image, community image name, environment or command. */
export function identifyContainer(spec: ContainerSpec, policy?: Policy): ImageIdentity | undefined {
  const image = spec.image?.value;
  const byImage = image ? identifyImage(image, policy) : undefined;
  if (byImage) return byImage;
  if (image && !image.includes('${')) {
    const ref = parseImage(image);
    for (const rule of COMMUNITY_IMAGES) {
      if (!rule.pattern.test(ref.repository)) continue;
      const version = tagVersion(ref);
      const label = version ? `${rule.name} ${version.text}` : rule.name;
      return { kind: rule.kind, label, evidence: `image ${image}`, family: 'official', image: ref, ...(version ? { version } : {}) };
    }
  }
  const ref = image && !image.includes('${') ? parseImage(image) : { repository: '' };
  // Elastic Stack companions are configured next to Elasticsearch and copy its settings around.
  if (STACK_COMPANIONS.test(ref.repository.split('/').pop() ?? '')) return undefined;
  const program = serverProgram(spec);
  if (program) {
    const hit = SERVER_PROGRAMS[program.name]!;
    return { kind: hit.kind, label: hit.name, evidence: `command ${program.name}`, family: 'official', image: ref };
  }
  for (const rule of ENV_EVIDENCE) {
    const entry = spec.env.find((e) => rule.names.test(e.name));
    if (entry) return { kind: rule.kind, label: rule.name, evidence: `environment ${entry.name}`, family: 'official', image: ref };
  }
  return undefined;
}

function serverProgram(spec: ContainerSpec): { name: string } | undefined {
  const words: string[] = [];
  const first = spec.args[0]?.value.trim();
  if (!first) return undefined;
  const tokens = spec.args.map((a) => a.value.trim());
  if (/^(\/bin\/)?(sh|bash)$/.test(tokens[0]!) && tokens[1] === '-c' && tokens[2]) {
    words.push(...tokens[2].split(/&&|\|\||[;|\n]/).map((s) => s.trim().split(/\s+/).find((w) => w !== 'exec' && !/^[A-Za-z_]\w*=/.test(w)) ?? ''));
  } else {
    words.push(first.split(/\s+/)[0]!);
    // docker-entrypoint.sh mongod --auth: the entrypoint script hands over to the server.
    if (/docker-entrypoint(\.sh)?$/.test(words[0]!) && tokens.length > 1) words.push(tokens[1]!.split(/\s+/)[0]!);
  }
  for (const word of words) {
    const name = word.split('/').pop() ?? '';
    if (Object.hasOwn(SERVER_PROGRAMS, name)) return { name };
  }
  return undefined;
}
