/**
 * Compose near misses written for the survivors of the full mutation run over
 * src/formats/compose/services.ts (issue #18 item 1): long-syntax `host_ip` fixes (own key vs
 * merged from an anchor), an anchored port item, short ports with unset variables, long syntax
 * with an unset target or protocol, entrypoint, a missing env_file, .env provenance hops, and
 * which scalar styles get the short-syntax fix. Each case runs the whole linter on a tree.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const redisOff = 'Redis is started without --requirepass: anyone who reaches the port can read and write';
const authRelated = ["authentication is off for service 'cache': " + redisOff, 'compose.yaml', 3, 12];
const judged = (result: Awaited<ReturnType<typeof lintTree>>) =>
  result.findings.map((f) => ({
    ...view(f),
    message: f.message,
    related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]),
    fix: f.fix?.edits.map((e) => [e.startOffset, e.endOffset, e.text]),
  }));
const exposes = (ports: string, source: string) => `service 'cache' exposes Redis 7 without authentication on ${ports} to the internet (source: ${source}): ${redisOff}`;

describe('long-syntax host_ip fix', () => {
  it('an own `host_ip: 0.0.0.0` is replaced in place', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - target: 6379\n        published: 6379\n        host_ip: 0.0.0.0\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 7, endColumn: 25, message: exposes('port 6379/tcp', 'all interfaces (0.0.0.0)'), related: [authRelated], fix: [[111, 118, '127.0.0.1']] },
    ]);
    expect(text.slice(111, 118)).toBe('0.0.0.0');
  });

  it('a host_ip merged from an anchor is not edited (the anchor serves other entries too)', async () => {
    const text = 'x-port: &port\n  host_ip: 0.0.0.0\nservices:\n  cache:\n    image: redis:7\n    ports:\n      - <<: *port\n        target: 6379\n        published: 6379\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 7, column: 9, endLine: 9, endColumn: 24, message: exposes('port 6379/tcp', 'all interfaces (0.0.0.0)'), related: [["authentication is off for service 'cache': " + redisOff, 'compose.yaml', 5, 12]], fix: undefined },
    ]);
  });

  it('an anchored block mapping (`- &cache-port target: ...`) gets no inserted line', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - &cache-port target: 6379\n        published: 6379\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 21, endLine: 6, endColumn: 24, message: exposes('port 6379/tcp', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
    ]);
  });
});

describe('short ports with unset variables', () => {
  it('an unset host address, an unset host port on loopback, a named target, a bad host port, an empty host port', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "${BIND}:6379:6379"\n      - "127.0.0.1:${PORT}:6379"\n      - "${HOST_PORT}:http"\n      - "${BIND}:abc:6379"\n      - "${IP}::6379"\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 28, message: "service 'cache' opens Redis 7 on port 6379/tcp to a source portwall cannot resolve: host address of \"${BIND}:6379:6379\": BIND is not set and has no default", related: [], fix: undefined },
      { ruleId: 'PW004', file: 'compose.yaml', line: 7, column: 9, endLine: 7, endColumn: 28, message: exposes('unresolved ports ("${HOST_PORT}:http": HOST_PORT is not set and has no default)', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
      { ruleId: 'PW004', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 27, message: exposes('unresolved ports ("${BIND}:abc:6379": "abc" is not a host port)', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
      { ruleId: 'PW010', file: 'compose.yaml', line: 9, column: 9, endLine: 9, endColumn: 22, message: "service 'cache' opens Redis 7 on ports 32768-60999/tcp (container port 6379/tcp) to a source portwall cannot resolve: host address of \"${IP}::6379\": IP is not set and has no default", related: [], fix: undefined },
    ]);
  });
});

describe('long syntax with unset variables and protocols', () => {
  it('an unset target, an unset protocol, and udp', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - target: ${TARGET}\n        published: 6379\n      - target: 6379\n        published: 6380\n        protocol: ${PROTO}\n      - target: 6379\n        published: 6381\n        protocol: udp\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 6, endColumn: 24, message: exposes('unresolved ports ("target: ${TARGET}\n        published: 6379": TARGET is not set and has no default)', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
      { ruleId: 'PW004', file: 'compose.yaml', line: 7, column: 9, endLine: 9, endColumn: 27, message: exposes('unresolved ports ("target: 6379\n        published: 6380\n        protocol: ${PROTO}": PROTO is not set and has no default)', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
      { ruleId: 'PW004', file: 'compose.yaml', line: 10, column: 9, endLine: 12, endColumn: 22, message: exposes('port 6381/udp (container port 6379/udp)', 'all interfaces (no host IP)'), related: [authRelated], fix: [[179, 179, 'host_ip: 127.0.0.1\n        ']] },
    ]);
  });

  it('an unknown protocol is a parse error of that entry', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - target: 6379\n        published: 6379\n        protocol: icmp\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW003', file: 'compose.yaml', line: 3, column: 12, endLine: 3, endColumn: 19, message: `service 'cache' runs Redis 7 without authentication: ${redisOff}`, related: [], fix: undefined },
      { ruleId: 'PW000', file: 'compose.yaml', line: 5, column: 9, endLine: 7, endColumn: 23, message: 'invalid port mapping "target: 6379\n        published: 6379\n        protocol: icmp" of service \'cache\': unknown protocol "icmp"', related: [], fix: undefined },
    ]);
  });
});

describe('service facts', () => {
  it('entrypoint arguments count: --requirepass there turns auth on (PW002, not PW004)', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    entrypoint: ["redis-server", "--requirepass", "s3cret"]\n    ports:\n      - "6379:6379"\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'compose.yaml', line: 6, column: 9, endLine: 6, endColumn: 20, message: "service 'cache' exposes Redis 7 on port 6379/tcp to the internet (source: all interfaces (no host IP))", related: [], fix: [[117, 128, '"127.0.0.1:6379:6379"']] },
    ]);
  });

  it('a missing env_file is skipped; the explicit environment still decides', async () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    env_file: ./missing.env\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n    ports:\n      - "5432:5432"\n';
    const result = await lintTree({ 'compose.yaml': text });
    const trust = 'POSTGRES_HOST_AUTH_METHOD=trust: any client may connect without a password';
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW004', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 20,
        message: `service 'db' exposes PostgreSQL 16 without authentication on port 5432/tcp to the internet (source: all interfaces (no host IP)): ${trust}`,
        related: [[`authentication is off for service 'db': ${trust}`, 'compose.yaml', 6, 7]],
        fix: [[142, 153, '"127.0.0.1:5432:5432"']],
      },
    ]);
  });
});

describe('.env provenance of port values', () => {
  it('one hop per variable, none for a variable that only has a default', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "${PORT}:${PORT}"\n      - "${BIND:-0.0.0.0}:6380:6379"\n      - "${OTHER}${PORT}:6379"\n';
    const result = await lintTree({ '.env': 'PORT=6379\nOTHER=1\n', 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 26, message: exposes('port 6379/tcp', 'all interfaces (no host IP)'), related: [authRelated, ['PORT comes from .env', '.env', 1, 1]], fix: [[57, 74, '"127.0.0.1:${PORT}:${PORT}"']] },
      { ruleId: 'PW004', file: 'compose.yaml', line: 6, column: 9, endLine: 6, endColumn: 37, message: exposes('port 6380/tcp (container port 6379/tcp)', 'all interfaces (0.0.0.0)'), related: [authRelated], fix: undefined },
      { ruleId: 'PW004', file: 'compose.yaml', line: 7, column: 9, endLine: 7, endColumn: 31, message: exposes('port 16379/tcp (container port 6379/tcp)', 'all interfaces (no host IP)'), related: [authRelated, ['OTHER comes from .env', '.env', 2, 1], ['PORT comes from .env', '.env', 1, 1]], fix: [[120, 142, '"127.0.0.1:${OTHER}${PORT}:6379"']] },
    ]);
  });
});

describe('which short-syntax scalars get the loopback fix', () => {
  it('a single-quoted entry does, a folded block scalar does not', async () => {
    const text = "services:\n  cache:\n    image: redis:7\n    ports:\n      - '6379:6379'\n      - >-\n        6380:6379\n";
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 20, message: exposes('port 6379/tcp', 'all interfaces (no host IP)'), related: [authRelated], fix: [[57, 68, '"127.0.0.1:6379:6379"']] },
      { ruleId: 'PW004', file: 'compose.yaml', line: 6, column: 9, endLine: 7, endColumn: 18, message: exposes('port 6380/tcp (container port 6379/tcp)', 'all interfaces (no host IP)'), related: [authRelated], fix: undefined },
    ]);
  });
});

describe('command strings: each word located, in every scalar style', () => {
  const es = (command: string) => ({ 'compose.yaml': `services:\n  es:\n    image: elasticsearch:7.17.0\n    command: ${command}\n    ports:\n      - "9200:9200"\n` });
  const off = 'xpack.security.enabled=false on the command line: security is disabled';
  it.each([
    ['plain', 'elasticsearch -Expack.security.enabled=false', 28, 58],
    ['double-quoted', '"elasticsearch -Expack.security.enabled=false"', 29, 59],
    ['single-quoted', "'elasticsearch -Expack.security.enabled=false'", 29, 59],
    // An escape makes the source differ from the value: the whole scalar is the location.
    ['double-quoted with an escape', '"elasticsearch \\u002dExpack.security.enabled=false"', 14, 65],
  ])('%s', async (_style, command, column, endColumn) => {
    const result = await lintTree(es(command as string));
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endColumn]) }))).toEqual([
      {
        ruleId: 'PW004', file: 'compose.yaml', line: 6, column: 9, endLine: 6, endColumn: 20,
        message: `service 'es' exposes Elasticsearch 7.17 without authentication on port 9200/tcp to the internet (source: all interfaces (no host IP)): ${off}`,
        related: [[`authentication is off for service 'es': ${off}`, 'compose.yaml', 4, column, endColumn]],
      },
    ]);
  });
});

describe('environment entries without a value (taken from the shell)', () => {
  it.each([
    ['list', '      - MONGO_INITDB_ROOT_USERNAME\n      - MONGO_INITDB_ROOT_PASSWORD\n'],
    ['mapping', '      MONGO_INITDB_ROOT_USERNAME:\n      MONGO_INITDB_ROOT_PASSWORD:\n'],
  ])('%s: the root user is set, so MongoDB is not reported without authentication', async (_form, entries) => {
    const result = await lintTree({ 'compose.yaml': `services:\n  db:\n    image: mongo:7\n    environment:\n${entries}    ports:\n      - "27017:27017"\n` });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message }))).toEqual([
      { ruleId: 'PW002', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 22, message: "service 'db' exposes MongoDB 7 on port 27017/tcp to the internet (source: all interfaces (no host IP))" },
    ]);
  });
});
