/**
 * Which datastore a config file belongs to: by file name first (the datastores read fixed
 * names), by a bounded look at the content where names vary (`6379.conf`, `50-server.cnf`).
 */
import type { SourceFile } from '../types.js';

export type ConfigKind =
  | 'elasticsearch'
  | 'opensearch'
  | 'mongod'
  | 'redis'
  | 'sentinel'
  | 'valkey'
  | 'keydb'
  | 'pg_hba'
  | 'postgresql'
  | 'mysql'
  | 'memcached';

export interface Classification {
  kind: ConfigKind;
  /**
   * The name is the datastore's own (elasticsearch.yml, mongod.conf, pg_hba.conf...): the file is
   * claimed even when broken (PW000). Otherwise the content must confirm it, and a file that
   * does not parse is left to other formats.
   */
  exactName: boolean;
}

const CACHE_KEY = 'datastore-config:kind';
/** Content sniffing reads at most this much: detection must stay cheap on any input. */
const SNIFF_LIMIT = 64 * 1024;

const EXACT_NAMES: Record<string, ConfigKind> = {
  'elasticsearch.yml': 'elasticsearch',
  'opensearch.yml': 'opensearch',
  'mongod.conf': 'mongod',
  'mongod.yaml': 'mongod',
  'mongod.yml': 'mongod',
  'mongodb.conf': 'mongod',
  'redis.conf': 'redis',
  'sentinel.conf': 'sentinel',
  'valkey.conf': 'valkey',
  'keydb.conf': 'keydb',
  'pg_hba.conf': 'pg_hba',
  'postgresql.conf': 'postgresql',
  'postgresql.auto.conf': 'postgresql',
  'my.cnf': 'mysql',
  '.my.cnf': 'mysql',
  'mysqld.cnf': 'mysql',
  'mariadb.cnf': 'mysql',
  'memcached.conf': 'memcached',
};

/** Name patterns that still need the content to agree (checked in parse). */
const NAME_PATTERNS: [RegExp, ConfigKind][] = [
  [/^elasticsearch[\w.-]*\.ya?ml$/, 'elasticsearch'],
  [/^opensearch(?![-_]dashboards)[\w.-]*\.ya?ml$/, 'opensearch'],
  [/^mongod[-_.][\w.-]*\.(conf|ya?ml)$/, 'mongod'],
  [/^pg_hba[\w.-]*\.conf$/, 'pg_hba'],
  [/^postgresql[\w.-]*\.conf$/, 'postgresql'],
  [/^memcached[\w.-]*\.conf$/, 'memcached'],
];

/** Redis-family names: redis-master.conf, redis_6379.conf, redis-sentinel.conf, valkey-7.conf. */
const REDIS_NAME = /^(redis|valkey|keydb|sentinel)[\w.-]*\.conf$|^[\w.-]*[-_](redis|sentinel|valkey)\.conf$/;

/** Directives only Redis has: two distinct ones make a `.conf` a Redis config. */
const REDIS_DIRECTIVES = /^[ \t]*(protected-mode|appendonly|appendfsync|requirepass|maxmemory-policy|tcp-backlog|dbfilename|replicaof|slaveof|aclfile|repl-diskless-sync|sentinel[ \t]+monitor)[ \t]/gim;
const POSTGRESQL_DIRECTIVES = /^[ \t]*(listen_addresses|shared_buffers|max_connections|wal_level|hba_file|effective_cache_size)[ \t]*=/gim;
const MYSQL_SERVER_GROUP = /^[ \t]*\[[ \t]*(mysqld|server|mariadb|mariadbd|galera)(-[\d.]+)?[ \t]*\]/im;

function distinctMatches(text: string, pattern: RegExp): number {
  const seen = new Set<string>();
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) seen.add(m[1]!.toLowerCase().replace(/\s+/g, ' '));
  return seen.size;
}

function classifyUncached(file: SourceFile): Classification | undefined {
  const name = (file.path.split('/').pop() ?? '').toLowerCase();
  const exact = EXACT_NAMES[name];
  if (exact) return { kind: exact, exactName: true };
  if (REDIS_NAME.test(name)) {
    const kind: ConfigKind = name.includes('sentinel') ? 'sentinel' : name.startsWith('valkey') ? 'valkey' : name.startsWith('keydb') ? 'keydb' : 'redis';
    return { kind, exactName: true };
  }
  for (const [pattern, kind] of NAME_PATTERNS) {
    if (pattern.test(name)) return { kind, exactName: false };
  }
  const head = file.text.slice(0, SNIFF_LIMIT);
  if (name.endsWith('.cnf')) return MYSQL_SERVER_GROUP.test(head) ? { kind: 'mysql', exactName: false } : undefined;
  if (!name.endsWith('.conf')) return undefined;
  if (distinctMatches(head, REDIS_DIRECTIVES) >= 2) return { kind: /^[ \t]*sentinel[ \t]+monitor/im.test(head) ? 'sentinel' : 'redis', exactName: false };
  if (distinctMatches(head, POSTGRESQL_DIRECTIVES) >= 2) return { kind: 'postgresql', exactName: false };
  return undefined;
}

export function classify(file: SourceFile): Classification | undefined {
  if (file.cache.has(CACHE_KEY)) return file.cache.get(CACHE_KEY) as Classification | undefined;
  const result = classifyUncached(file);
  file.cache.set(CACHE_KEY, result);
  return result;
}

export function isYamlKind(kind: ConfigKind): kind is 'elasticsearch' | 'opensearch' | 'mongod' {
  return kind === 'elasticsearch' || kind === 'opensearch' || kind === 'mongod';
}
