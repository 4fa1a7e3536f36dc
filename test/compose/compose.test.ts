import { describe, expect, it } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

describe('compose adapter end to end', () => {
  it('locates short-syntax entries exactly, quoted and unquoted', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  es:
    image: elasticsearch:8.13.0
    ports:
      - "9200:9200"
      - 9300:9300
`,
    });
    expect(views(r)).toEqual([
      { ruleId: 'PW002', file: 'docker-compose.yml', line: 5, column: 9, endLine: 5, endColumn: 20 },
      { ruleId: 'PW002', file: 'docker-compose.yml', line: 6, column: 9, endLine: 6, endColumn: 18 },
    ]);
    expect(r.findings[0]!.message).toBe("service 'es' exposes Elasticsearch 8.13 on port 9200/tcp to the internet (source: all interfaces (no host IP))");
  });

  it('does not report loopback or private host IPs, IPv4 or IPv6', async () => {
    const r = await lintTree({
      'compose.yaml': `services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
      - "[::1]:5433:5432"
      - "::1:5434:5432"
      - "10.0.0.5:5435:5432"
      - target: 5432
        published: 5436
        host_ip: 127.0.0.1
`,
    });
    expect(r.findings).toEqual([]);
  });

  it('treats 0.0.0.0 and :: host IPs as every interface', async () => {
    const r = await lintTree({
      'compose.yaml': `services:
  cache:
    image: memcached:1.6
    ports:
      - "0.0.0.0:11211:11211"
      - "[::]:11212:11211"
`,
    });
    expect(views(r).map((v) => [v.ruleId, v.line])).toEqual([
      ['PW004', 5],
      ['PW004', 6],
    ]);
  });

  it('reads long syntax with a ${VAR:-default} published port and locates the whole item', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  mongo:
    image: mongo:7.0
    environment:
      MONGO_INITDB_ROOT_USERNAME: root
      MONGO_INITDB_ROOT_PASSWORD: example
    ports:
      - target: 27017
        published: "\${MONGO_PORT:-27017}"
        protocol: tcp
        mode: host
`,
    });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'docker-compose.yml', line: 8, column: 9, endLine: 11, endColumn: 19 }]);
    expect(r.findings[0]!.message).toContain('port 27017/tcp');
    expect(r.findings[0]!.message).not.toContain('example');
  });

  it('takes interpolation values from the .env beside the compose file', async () => {
    const r = await lintTree({
      'stack/.env': 'BIND=127.0.0.1\nREDIS_PORT=6380\n',
      'stack/docker-compose.yml': `services:
  redis:
    image: redis:7
    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD}"]
    ports:
      - "\${BIND}:\${REDIS_PORT}:6379"
      - "\${REDIS_PORT}:6379"
`,
    });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'stack/docker-compose.yml', line: 7, column: 9, endLine: 7, endColumn: 29 }]);
    expect(r.findings[0]!.message).toContain('port 6380/tcp (container port 6379/tcp)');
  });

  it('reports an unresolved published port as PW010, never as a guess', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  api:
    image: ghcr.io/acme/api:1.2.3
    ports:
      - "\${API_PORT}:8080"
`,
    });
    expect(views(r)).toEqual([{ ruleId: "PW010", file: "docker-compose.yml", line: 5, column: 9, endLine: 5, endColumn: 27 }]);
    expect(r.findings[0]!.message).toContain('API_PORT is not set and has no default');
  });

  it('publishes a lone container port on an ephemeral host port, still on every interface', async () => {
    const r = await lintTree({ 'docker-compose.yml': 'services:\n  es:\n    image: opensearchproject/opensearch:2.11.0\n    ports:\n      - 9200\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'docker-compose.yml', line: 5, column: 9, endLine: 5, endColumn: 13 }]);
    expect(r.findings[0]!.message).toContain('ports 32768-60999/tcp (container port 9200/tcp)');
  });

  it('understands anchors and merge keys', async () => {
    const r = await lintTree({
      'docker-compose.yml': `x-es: &es
  image: docker.elastic.co/elasticsearch/elasticsearch:7.10.2
  environment: &esenv
    - discovery.type=single-node
services:
  es01:
    <<: *es
    ports:
      - "9200:9200"
  es02:
    <<: *es
    environment:
      - xpack.security.enabled=true
    ports:
      - "9201:9200"
`,
    });
    expect(views(r).map((v) => [v.ruleId, v.line])).toEqual([
      ['PW004', 9],
      ['PW002', 15],
    ]);
    // Security off by default on 7.x: the image is blamed.
    expect(r.findings[0]!.related[0]!.location.region.startLine).toBe(2);
  });

  it('reports network_mode: host at the value', async () => {
    const r = await lintTree({ 'compose.yml': 'services:\n  agent:\n    image: datadog/agent:7\n    network_mode: "host"\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW006', file: 'compose.yml', line: 4, column: 19, endLine: 4, endColumn: 25 }]);
  });

  it('detects compose by content whatever the file is called', async () => {
    const r = await lintTree({ 'deploy/stack-prod.yml': 'version: "3.8"\nservices:\n  kibana:\n    image: kibana:7.17.0\n    ports: ["5601:5601"]\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'deploy/stack-prod.yml', line: 5, column: 13, endLine: 5, endColumn: 24 }]);
    expect(r.files).toEqual([{ path: 'deploy/stack-prod.yml', format: 'compose', units: ['compose project deploy/stack-prod.yml'] }]);
  });

  it('reads the v1 file format (services at the top level) by file name', async () => {
    const r = await lintTree({ 'docker-compose.yml': 'redis:\n  image: redis:3\n  ports:\n    - "6379:6379"\n' });
    expect(views(r).map((v) => [v.ruleId, v.line, v.column])).toEqual([['PW004', 4, 7]]);
  });

  it('ignores YAML that is not compose', async () => {
    const r = await lintTree({ '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n', 'mkdocs.yml': 'site_name: x\n' });
    expect(r.files).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});

describe('compose override files', () => {
  it('appends ports and overrides environment, pointing at the file that contributed each value', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.12.0
    environment:
      - discovery.type=single-node
    ports:
      - "127.0.0.1:9200:9200"
`,
      'docker-compose.override.yml': `services:
  es:
    environment:
      - xpack.security.enabled=false
    ports:
      - "9201:9200"
`,
    });
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'docker-compose.override.yml', line: 6, column: 9, endLine: 6, endColumn: 20 }]);
    // The auth setting, then the base service the override's port joins.
    expect(r.findings[0]!.related.map((x) => [x.location.file, x.location.region.startLine, x.message])).toEqual([
      ['docker-compose.override.yml', 4, "authentication is off for service 'es': xpack.security.enabled=false in the environment: security is disabled"],
      ['docker-compose.yml', 2, "service 'es' is declared in docker-compose.yml, which docker-compose.override.yml overrides"],
    ]);
  });

  it('merges name.override.yaml into name.yaml and lets the override turn auth back on', async () => {
    const r = await lintTree({
      'prod.yaml': 'services:\n  mongo:\n    image: mongo:6\n    ports: ["27017:27017"]\n',
      'prod.override.yaml': 'services:\n  mongo:\n    environment:\n      MONGO_INITDB_ROOT_USERNAME: admin\n',
    });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'prod.yaml', line: 4, column: 13, endLine: 4, endColumn: 26 }]);
  });
});

describe('compose environment forms', () => {
  it('reads env_file entries with their own locations', async () => {
    const r = await lintTree({
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:15\n    env_file: db.env\n    ports: ["5432:5432"]\n',
      'db.env': '# database\nPOSTGRES_HOST_AUTH_METHOD=trust\n',
    });
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'docker-compose.yml', line: 5, column: 13, endLine: 5, endColumn: 24 }]);
    expect(r.findings[0]!.related[0]!.location).toMatchObject({ file: 'db.env', region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 32 } });
  });

  it('does not call auth off when env comes from a missing env_file', async () => {
    const r = await lintTree({ 'docker-compose.yml': 'services:\n  m:\n    image: mongo:5\n    env_file: [secrets.env]\n' });
    expect(r.findings).toEqual([]);
  });

  it('locates a command-line token inside a one-line command', async () => {
    const r = await lintTree({ 'docker-compose.yml': 'services:\n  es:\n    image: elasticsearch:8.11.1\n    command: elasticsearch -Expack.security.enabled=false -Ediscovery.type=single-node\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW003', file: 'docker-compose.yml', line: 4, column: 28, endLine: 4, endColumn: 58 }]);
  });
});

describe('compose sibling files and safety', () => {
  it('reads the .env of a folder named on the command line, outside the working directory', async () => {
    const { lint } = await import('../../src/engine/lint.js');
    const { tempDir, writeTree } = await import('../helpers/index.js');
    const cwd = tempDir();
    const project = tempDir();
    writeTree(project, { '.env': 'BIND=127.0.0.1\n', 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n    ports: ["${BIND}:5432:5432"]\n' });
    const r = await lint({ cwd, paths: [project] });
    expect(r.findings).toEqual([]);
  });

  it('never follows a symlinked .env out of the scanned folders', async () => {
    const { symlinkSync } = await import('node:fs');
    const path = await import('node:path');
    const { lint } = await import('../../src/engine/lint.js');
    const { tempDir, writeTree } = await import('../helpers/index.js');
    const outside = tempDir();
    const project = tempDir();
    writeTree(outside, { '.env': 'BIND=127.0.0.1\n' });
    writeTree(project, { 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n    ports: ["${BIND}:5432:5432"]\n' });
    symlinkSync(path.join(outside, '.env'), path.join(project, '.env'));
    const r = await lint({ cwd: project });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['PW010']);
  });
});

describe('compose extends', () => {
  it('inherits image and environment from a service in the same file, and ports from both', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  es-base:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    environment:
      - xpack.security.enabled=false
  es:
    extends: es-base
    ports:
      - "9200:9200"
`,
    });
    expect(views(r)).toEqual([
      { ruleId: 'PW003', file: 'docker-compose.yml', line: 5, column: 9, endLine: 5, endColumn: 37 },
      { ruleId: 'PW004', file: 'docker-compose.yml', line: 9, column: 9, endLine: 9, endColumn: 20 },
    ]);
    expect(r.findings[1]!.message).toContain("service 'es' exposes Elasticsearch 7.17 without authentication");
  });

  it('follows extends into another file, even one without a services-looking name', async () => {
    const r = await lintTree({
      'common.yml': 'services:\n  mongo-base:\n    image: mongo:6.0\n',
      'docker-compose.yml': 'services:\n  db:\n    extends:\n      file: common.yml\n      service: mongo-base\n    ports: ["27017:27017"]\n',
    });
    expect(views(r).filter((v) => v.file === 'docker-compose.yml')).toEqual([{ ruleId: 'PW004', file: 'docker-compose.yml', line: 6, column: 13, endLine: 6, endColumn: 26 }]);
  });

  it('stops on extends cycles', async () => {
    const r = await lintTree({ 'docker-compose.yml': 'services:\n  a:\n    extends: b\n    image: redis:7\n  b:\n    extends: a\n    ports: ["6379:6379"]\n' });
    expect(r.notifications.filter((n) => /internal error/.test(n.message))).toEqual([]);
    expect(views(r).map((v) => v.ruleId)).toContain('PW004');
  });
});
