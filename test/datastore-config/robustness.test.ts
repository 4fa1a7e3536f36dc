import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { datastoreConfigFormat } from '../../src/formats/datastore-config/index.js';
import { runText, sourceFile } from './helpers.js';

const NAMES = ['redis.conf', 'sentinel.conf', 'pg_hba.conf', 'postgresql.conf', 'my.cnf', 'memcached.conf', 'mongod.conf', 'mongodb.conf', 'elasticsearch.yml', 'opensearch.yml'];

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const PIECES = ['bind', ' ', '\t', '0.0.0.0', '"', "'", '#', '=', '[mysqld]', '\n', '\r\n', 'user default', ' nopass', '>', ':', '- ', '{', '}', '[', ']', '*', '&a', '-l', 'host', 'trust', '::/0', '\\', 'net:\n  ', '\uFEFF', 'security:', '!include x'];

describe('robustness', () => {
  it('never throws on arbitrary input, and every location lies inside the file', () => {
    const random = generator(42);
    for (let round = 0; round < 400; round++) {
      let text = '';
      const length = Math.floor(random() * 60);
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(random() * PIECES.length)];
      const name = NAMES[round % NAMES.length]!;
      const result = runText(name, text);
      const locations = [
        ...result.bindings.map((b) => b.location),
        ...result.workloads.flatMap((w) => [w.location, w.auth?.location]),
        ...result.allFailures.map((f) => f.location),
      ];
      for (const location of locations) {
        if (!location) continue;
        expect(location.region.startOffset).toBeGreaterThanOrEqual(0);
        expect(location.region.endOffset).toBeLessThanOrEqual(text.length);
        expect(location.region.endOffset).toBeGreaterThanOrEqual(location.region.startOffset);
      }
    }
  });

  it('bounded work: a 5 MB redis.conf and a deeply nested YAML file are read quickly', () => {
    const big = 'bind 127.0.0.1\n' + '# comment line that goes on for a while\nsave 900 1\n'.repeat(120_000) + 'bind 0.0.0.0\n';
    const started = performance.now();
    const result = runText('redis.conf', big);
    expect(result.bindings).toHaveLength(1);
    const deep = 'a:\n' + Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}b${i}:\n`).join('');
    expect(runText('elasticsearch.yml', deep).allFailures).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a YAML alias bomb does not blow up', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'network: {host: *d}'].join('\n');
    const result = runText('elasticsearch.yml', bomb);
    // Read as the Elasticsearch config it is; a list as network.host binds no judgeable address.
    expect(result.workloads.map((w) => w.datastore?.kind)).toEqual(['elasticsearch']);
    expect(result.bindings).toEqual([]);
    expect(result.allFailures).toEqual([]);
  });

  it('detect is by name (and bounded content) only, and does not claim unrelated files', () => {
    for (const path of ['docker-compose.yml', 'main.tf', 'nginx.conf', 'values.yaml', 'supervisord.conf', 'openssl.cnf', 'kibana.yml']) {
      expect(datastoreConfigFormat.detect(sourceFile(path, 'server {\n}\n'))).toBe(false);
    }
    for (const path of NAMES) expect(datastoreConfigFormat.detect(sourceFile(`deploy/${path}`, ''))).toBe(true);
  });

  it('one workload per file, with stable ids, across several files', () => {
    const a = sourceFile('a/redis.conf', 'bind 0.0.0.0\n');
    const b = sourceFile('b/pg_hba.conf', 'host all all 0.0.0.0/0 md5\n');
    const parsed = [a, b].map((file) => {
      const result = datastoreConfigFormat.parse(file);
      if (!result || !('parsed' in result)) throw new Error('not parsed');
      return { file, parsed: result.parsed };
    });
    const adapted = datastoreConfigFormat.adapt(parsed, { policy: defaultPolicy(), readFile: () => undefined, allFiles: [] });
    expect(adapted.model.workloads!.map((w) => w.id)).toEqual(['config-file:a/redis.conf', 'config-file:b/pg_hba.conf']);
    expect(adapted.model.bindings!.map((b) => b.workload?.id)).toEqual(['config-file:a/redis.conf', 'config-file:b/pg_hba.conf']);
  });
});
