/** Compose top-level `include:`: included services join the project, located in their own file. */
import { describe, expect, it } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

const notes = (r: Awaited<ReturnType<typeof lintTree>>) => r.notifications.map((n) => n.message);
const internalErrors = (r: Awaited<ReturnType<typeof lintTree>>) => notes(r).filter((m) => /internal error/.test(m));

describe('compose include', () => {
  it('short form: services of an included file are checked once, located in that file', async () => {
    // db/compose.yaml is also found by the scan on its own: its findings must not be doubled.
    const r = await lintTree({
      'compose.yaml': `include:
  - db/compose.yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "443:443"
`,
      'db/compose.yaml': `services:
  mongo:
    image: mongo:7.0
    ports:
      - "27017:27017"
`,
    });
    expect(internalErrors(r)).toEqual([]);
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'db/compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 22 }]);
    expect(r.findings[0]!.message).toContain("service 'mongo'");
  });

  it('long form: path list (main + override), project_directory and env_file drive interpolation', async () => {
    // The included files live in a folder the scan ignores (.gitignore), as vendored stacks often do:
    // they are read only because the project includes them.
    const r = await lintTree({
      '.gitignore': 'vendor-stacks/\n',
      'docker-compose.yml': `include:
  - path:
      - ./vendor-stacks/elastic/base.yml
      - ./vendor-stacks/elastic/public.yml
    project_directory: ./vendor-stacks/elastic
    env_file: ./config/elastic.env
`,
      'config/elastic.env': 'ES_VERSION=7.17.0\nES_SECURITY=false\n',
      'vendor-stacks/elastic/base.yml': `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:\${ES_VERSION}
    environment:
      - discovery.type=single-node
      - xpack.security.enabled=\${ES_SECURITY:-true}
`,
      'vendor-stacks/elastic/public.yml': `services:
  es:
    ports:
      - "9200:9200"
`,
    });
    expect(internalErrors(r)).toEqual([]);
    // One PW004 at the port of the override file, with the env entry of the main file as the auth setting.
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'vendor-stacks/elastic/public.yml', line: 4, column: 9, endLine: 4, endColumn: 20 }]);
    expect(r.findings[0]!.message).toContain("service 'es' exposes Elasticsearch 7.17 without authentication");
    expect(r.findings[0]!.related.map((l) => [l.location.file, l.location.region.startLine, l.location.region.startColumn])).toEqual([
      ['vendor-stacks/elastic/base.yml', 6, 9],
      ['vendor-stacks/elastic/base.yml', 2, 3],
    ]);
  });

  it("the including project's variables win over the included env file; paths are relative to the including file", async () => {
    const r = await lintTree({
      'app/.env': 'REDIS_BIND=0.0.0.0\n',
      'app/compose.yaml': 'include:\n  - ../shared/cache.yml\n',
      'shared/.env': 'REDIS_BIND=127.0.0.1\n',
      'shared/cache.yml': 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "${REDIS_BIND}:6379:6379"\n',
    });
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'shared/cache.yml', line: 5, column: 9, endLine: 5, endColumn: 34 }]);
  });

  it('nested includes are followed; a missing, remote or absolute include is a note, not a crash', async () => {
    const r = await lintTree({
      'compose.yaml': `include:
  - stacks/all.yml
  - stacks/missing.yml
  - oci://registry.example.com/stacks/monitoring:1.0
  - /etc/compose/global.yml
`,
      'stacks/all.yml': 'include:\n  - search/opensearch.yml\n',
      'stacks/search/opensearch.yml': `services:
  search:
    image: opensearchproject/opensearch:2.13.0
    environment:
      DISABLE_SECURITY_PLUGIN: "true"
    ports: ["9200:9200"]
`,
    });
    expect(internalErrors(r)).toEqual([]);
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'stacks/search/opensearch.yml', line: 6, column: 13, endLine: 6, endColumn: 24 }]);
    expect(notes(r)).toEqual([
      'compose.yaml: include at line 3: stacks/missing.yml was not found inside the scanned folders; its services are not checked',
      'compose.yaml: include at line 4: "oci://registry.example.com/stacks/monitoring:1.0" is a remote include; portwall reads only files inside the scanned folders, so its services are not checked',
      'compose.yaml: include at line 5: "/etc/compose/global.yml" is an absolute path; portwall reads only files inside the scanned folders, so its services are not checked',
    ]);
  });

  it('never reads outside the scanned folder', async () => {
    const r = await lintTree({ 'project/compose.yaml': 'include:\n  - ../../outside/compose.yaml\n' }, { paths: ['project'] });
    expect(internalErrors(r)).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(notes(r).some((m) => m.includes('../outside/compose.yaml was not found inside the scanned folders'))).toBe(true);
  });

  it('include cycles are cut and each service is still reported once', async () => {
    const r = await lintTree({
      'a/compose.yaml': 'include:\n  - ../b/compose.yaml\nservices:\n  cache:\n    image: memcached:1.6\n    ports: ["11211:11211"]\n',
      'b/compose.yaml': 'include:\n  - ../a/compose.yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n    ports: ["5432:5432"]\n',
    });
    expect(internalErrors(r)).toEqual([]);
    expect(views(r)).toEqual([
      { ruleId: 'PW004', file: 'a/compose.yaml', line: 6, column: 13, endLine: 6, endColumn: 26 },
      { ruleId: 'PW004', file: 'b/compose.yaml', line: 8, column: 13, endLine: 8, endColumn: 24 },
    ]);
    expect(notes(r).filter((m) => m.includes('include cycle'))).toHaveLength(2);
  });

  it('a broken included file is a PW000 of its own; the including project is still checked', async () => {
    const r = await lintTree({
      '.gitignore': 'private/\n',
      'compose.yaml': 'include:\n  - private/db.yml\nservices:\n  cache:\n    image: redis:7\n    ports: ["6379:6379"]\n',
      'private/db.yml': 'services:\n  db:\n    image: "postgres:16\n',
    });
    expect(internalErrors(r)).toEqual([]);
    expect(views(r).map((v) => [v.ruleId, v.file])).toEqual([
      ['PW004', 'compose.yaml'],
      ['PW000', 'private/db.yml'],
    ]);
  });
});
