/**
 * The datastores' own config files (elasticsearch.yml, opensearch.yml, mongod.conf, redis.conf,
 * sentinel.conf, pg_hba.conf, postgresql.conf, my.cnf, memcached.conf): detect by name (and
 * content where names vary), parse with positions, adapt each file into one config-file
 * Workload (datastore + auth, for PW003) and the InterfaceBindings PW005 reports.
 */
import { isMap } from 'yaml';
import type { InterfaceBinding, Notice, Workload } from '../../model/types.js';
import type { Format, ParseFailure, SourceFile } from '../types.js';
import { parseYaml, type YamlDocument } from '../yaml/index.js';
import { type Classification, classify, type ConfigKind, isYamlKind } from './detect.js';
import { ELASTIC_SETTING_PREFIX, readElasticsearch } from './elasticsearch.js';
import { type ConfigFacts, factsToModel, newFacts } from './facts.js';
import { type DirectiveLine, type LineOptions, readDirectiveLines } from './lines.js';
import { MEMCACHED_LINE_OPTIONS, readMemcached } from './memcached.js';
import { looksLikeLegacyMongo, MONGO_LEGACY_LINE_OPTIONS, MONGOD_SECTIONS, readLegacyMongod, readMongod } from './mongodb.js';
import { MYSQL_LINE_OPTIONS, readMysql } from './mysql.js';
import { PG_HBA_LINE_OPTIONS, POSTGRESQL_CONF_LINE_OPTIONS, readPgHba, readPostgresqlConf } from './postgres.js';
import { REDIS_LINE_OPTIONS, readRedis } from './redis.js';
import { topLevelKeys } from './yaml-settings.js';
import { pushAll } from '../../core/arrays.js';

type DatastoreConfigParsed =
  | { kind: ConfigKind; syntax: 'yaml'; doc: YamlDocument | undefined }
  | { kind: ConfigKind; syntax: 'lines'; lines: DirectiveLine[] };

const LINE_OPTIONS: Partial<Record<ConfigKind, LineOptions>> = {
  redis: REDIS_LINE_OPTIONS,
  sentinel: REDIS_LINE_OPTIONS,
  valkey: REDIS_LINE_OPTIONS,
  keydb: REDIS_LINE_OPTIONS,
  pg_hba: PG_HBA_LINE_OPTIONS,
  postgresql: POSTGRESQL_CONF_LINE_OPTIONS,
  mysql: MYSQL_LINE_OPTIONS,
  memcached: MEMCACHED_LINE_OPTIONS,
  mongod: MONGO_LEGACY_LINE_OPTIONS,
};

/** Top-level keys that make a YAML file a manifest or template of another format, whatever its name. */
const OTHER_FORMAT_KEYS = new Set(['apiVersion', 'kind', 'services', 'Resources', 'AWSTemplateFormatVersion']);

/** For names that are not the datastore's own, the keys must look like its settings. */
function contentAgrees(kind: ConfigKind, keys: string[]): boolean {
  if (kind === 'mongod') return keys.some((k) => MONGOD_SECTIONS.has(k));
  return keys.some((k) => ELASTIC_SETTING_PREFIX.test(k));
}

function parseYamlConfig(file: SourceFile, classification: Classification): { parsed: DatastoreConfigParsed } | { failure: ParseFailure } | null {
  const { kind, exactName } = classification;
  const { documents, failure } = parseYaml(file);
  if (failure) return exactName ? { failure } : null;
  const doc = documents.find((d) => d.contents !== null);
  if (doc && !isMap(doc.contents)) return null;
  const keys = doc ? topLevelKeys(doc) : [];
  if (keys.some((k) => OTHER_FORMAT_KEYS.has(k))) return null;
  if (!exactName && !contentAgrees(kind, keys)) return null;
  return { parsed: { kind, syntax: 'yaml', doc } };
}

function parseConfig(file: SourceFile): { parsed: DatastoreConfigParsed } | { failure: ParseFailure } | null {
  const classification = classify(file);
  if (!classification) return null;
  const { kind, exactName } = classification;
  if (kind === 'mongod' && looksLikeLegacyMongo(file.text)) {
    return { parsed: { kind, syntax: 'lines', lines: readDirectiveLines(file, MONGO_LEGACY_LINE_OPTIONS) } };
  }
  if (isYamlKind(kind)) return parseYamlConfig(file, classification);
  const lines = readDirectiveLines(file, LINE_OPTIONS[kind]!);
  // memcached*.conf that is not an option list (a Telegraf or collectd snippet) is not ours.
  if (!exactName && kind === 'memcached' && !lines.some((l) => l.tokens[0]!.text.startsWith('-'))) return null;
  return { parsed: { kind, syntax: 'lines', lines } };
}

export const datastoreConfigFormat: Format<DatastoreConfigParsed> = {
  id: 'datastore-config',
  name: 'datastore config file',
  detect: (file) => classify(file) !== undefined,
  parse(file) {
    try {
      return parseConfig(file);
    } catch (error) {
      // Parsing is bounded and total by design; this only keeps a bug from aborting the scan.
      return { failure: { file: file.path, message: `could not parse this config file: ${(error as Error).message}` } };
    }
  },
  adapt(files) {
    const workloads: Workload[] = [];
    const bindings: InterfaceBinding[] = [];
    const notices: Notice[] = [];
    const failures: ParseFailure[] = [];
    for (const { file, parsed } of files) {
      let facts: ConfigFacts;
      try {
        facts = readFacts(file, parsed);
      } catch (error) {
        // A reader bug must cost one file, not the scan: it is reported like a parse error.
        failures.push({ file: file.path, message: `could not read this ${parsed.kind} config: ${(error as Error).message}` });
        continue;
      }
      const part = factsToModel(file, facts);
      workloads.push(part.workload);
      pushAll(bindings, part.bindings);
      pushAll(notices, facts.notices);
    }
    return { model: { workloads, bindings }, ...(notices.length ? { notices } : {}), ...(failures.length ? { failures } : {}) };
  },
};

function readFacts(file: SourceFile, parsed: DatastoreConfigParsed): ConfigFacts {
  if (parsed.syntax === 'yaml') {
    const kind = parsed.kind as 'elasticsearch' | 'opensearch' | 'mongod';
    if (!parsed.doc) {
      const empty = newFacts(kind === 'mongod' ? 'mongodb' : kind, kind === 'mongod' ? 'MongoDB' : kind === 'opensearch' ? 'OpenSearch' : 'Elasticsearch', undefined);
      empty.auth = { state: 'unknown', reason: 'the file sets nothing' };
      return empty;
    }
    return kind === 'mongod' ? readMongod(file, parsed.doc) : readElasticsearch(file, parsed.doc, kind);
  }
  const { lines } = parsed;
  switch (parsed.kind) {
    case 'mongod':
      return readLegacyMongod(file, lines);
    case 'redis':
    case 'sentinel':
    case 'valkey':
    case 'keydb':
      return readRedis(file, lines, parsed.kind);
    case 'pg_hba':
      return readPgHba(file, lines);
    case 'postgresql':
      return readPostgresqlConf(file, lines);
    case 'mysql':
      return readMysql(file, lines);
    case 'memcached':
      return readMemcached(file, lines);
    default:
      throw new Error(`no line reader for ${parsed.kind}`);
  }
}
