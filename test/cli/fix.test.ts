/**
 * --fix and --fix-dry-run through the built CLI: every way compose publishes a port on all
 * interfaces becomes loopback-only, and nothing else in the file changes (comments, anchors,
 * aliases, quotes, merge keys).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-fix-');

const COMPOSE = `# analytics stack
x-es-port: &es-port "0.0.0.0:9200:9200"   # anchored short syntax
x-base: &base
  restart: always   # kept
services:
  es:
    <<: *base
    image: elasticsearch:8.13.0
    environment:
      - ELASTIC_PASSWORD_FILE=/run/secrets/es
    ports:
      - *es-port
      - '0.0.0.0:9300:9300' # transport
      - "[::]:9201:9200"
  db:
    image: mongo:7
    environment:
      - MONGO_INITDB_ROOT_USERNAME=admin
      - MONGO_INITDB_ROOT_PASSWORD_FILE=/run/secrets/mongo
    ports:
      - target: 27017   # long syntax, no host_ip
        published: 27017
      - { target: 27018, published: 27018 }
      - target: 27019
        published: 27019
        host_ip: 0.0.0.0 # long syntax, every interface
      - target: 27020
        published: 27020
        host_ip: "::"
      - &cache-port 6379:6379
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "$\${REDIS_PASSWORD}"]
    ports:
      - *cache-port
`;

const FIXED = `# analytics stack
x-es-port: &es-port "127.0.0.1:9200:9200"   # anchored short syntax
x-base: &base
  restart: always   # kept
services:
  es:
    <<: *base
    image: elasticsearch:8.13.0
    environment:
      - ELASTIC_PASSWORD_FILE=/run/secrets/es
    ports:
      - *es-port
      - '127.0.0.1:9300:9300' # transport
      - "[::1]:9201:9200"
  db:
    image: mongo:7
    environment:
      - MONGO_INITDB_ROOT_USERNAME=admin
      - MONGO_INITDB_ROOT_PASSWORD_FILE=/run/secrets/mongo
    ports:
      - host_ip: 127.0.0.1
        target: 27017   # long syntax, no host_ip
        published: 27017
      - { host_ip: 127.0.0.1, target: 27018, published: 27018 }
      - target: 27019
        published: 27019
        host_ip: 127.0.0.1 # long syntax, every interface
      - target: 27020
        published: 27020
        host_ip: "::1"
      - &cache-port "127.0.0.1:6379:6379"
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "$\${REDIS_PASSWORD}"]
    ports:
      - *cache-port
`;

describe('--fix', () => {
  it('publishes 0.0.0.0/[::] short syntax, long syntax with and without host_ip, and anchored entries on loopback', () => {
    const dir = project({ 'docker-compose.yml': COMPOSE });
    const r = runBin(dir, ['--fix']);
    expect(r.stderr).toBe('portwall: applied 8 fixes in 1 file\n');
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(FIXED);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No problems found');
  });

  it('keeps the YAML document the same apart from the host addresses: comments, anchors, aliases and merge keys intact', () => {
    const dir = project({ 'docker-compose.yml': COMPOSE });
    runBin(dir, ['--fix']);
    const after = readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8');
    const comments = (t: string) => t.split('\n').map((l) => /#.*$/.exec(l)?.[0]).filter(Boolean);
    expect(comments(after)).toEqual(comments(COMPOSE));
    const anchors = (t: string) => t.match(/[&*][\w-]+/g);
    expect(anchors(after)).toEqual(anchors(COMPOSE));
    const before = parse(COMPOSE, { merge: true });
    const fixed = parse(after, { merge: true });
    expect(fixed.services.es.restart).toBe('always');
    expect(fixed.services.cache.ports).toEqual(['127.0.0.1:6379:6379']);
    // Only the ports changed.
    for (const s of Object.keys(before.services)) expect({ ...fixed.services[s], ports: 0 }).toEqual({ ...before.services[s], ports: 0 });
    expect(fixed.services.db.ports[0]).toEqual({ host_ip: '127.0.0.1', target: 27017, published: 27017 });
  });

  it('--fix-dry-run prints a unified diff that `git apply` turns into exactly what --fix writes, and changes nothing', () => {
    const dir = project({ 'docker-compose.yml': COMPOSE });
    const dry = runBin(dir, ['--fix-dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toBe('portwall: 8 fixes in 1 file (dry run: nothing was changed)\n');
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(COMPOSE);
    expect(dry.stdout.split('\n').slice(0, 3)).toEqual(['--- a/docker-compose.yml', '+++ b/docker-compose.yml', '@@ -1,5 +1,5 @@']);
    expect(dry.stdout).toContain('-      - target: 27017   # long syntax, no host_ip\n+      - host_ip: 127.0.0.1\n+        target: 27017   # long syntax, no host_ip\n');
    writeFileSync(path.join(dir, 'fix.diff'), dry.stdout);
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const apply = spawnSync('git', ['apply', 'fix.diff'], { cwd: dir, encoding: 'utf8' });
    expect(apply.stderr).toBe('');
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(FIXED);
    // Nothing left to fix: empty diff, exit 0.
    expect(runBin(dir, ['--fix-dry-run'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('separate hunks for distant fixes, with correct line numbers after an insertion', () => {
    const filler = Array.from({ length: 12 }, (_, i) => `      - LINE_${i}=x`).join('\n');
    const text = `services:\n  db:\n    image: mongo:7\n    ports:\n      - target: 27017\n        published: 27017\n    environment:\n${filler}\n  es:\n    image: elasticsearch:8.13.0\n    ports:\n      - "0.0.0.0:9200:9200"\n`;
    const dir = project({ 'docker-compose.yml': text });
    const dry = runBin(dir, ['--fix-dry-run']);
    const headers = dry.stdout.split('\n').filter((l) => l.startsWith('@@'));
    expect(headers).toEqual(['@@ -2,7 +2,8 @@', '@@ -20,4 +21,4 @@']);
    writeFileSync(path.join(dir, 'fix.diff'), dry.stdout);
    spawnSync('git', ['init', '-q'], { cwd: dir });
    expect(spawnSync('git', ['apply', '--check', 'fix.diff'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
  });

  it('--fix and --fix-dry-run together are a usage error', () => {
    expect(runBin(project({}), ['--fix', '--fix-dry-run']).code).toBe(2);
  });
});
