/**
 * The fixture pull request #7 of acme/shop, as GitHub's files API would describe it.
 * Run 1 (head A): opens Elasticsearch (line 8, with security turned off on line 6) and adds a
 * Redis service (lines 23-27); kibana's 5601 (line 15) and web's 8080 (line 22) were there
 * before. deploy/legacy-compose.yml changed but GitHub shows no patch (too large); the PNG is
 * binary. Run 2 (head B): the author moved Elasticsearch to 127.0.0.1; security is still off.
 */
import type { FakePullFile } from './fake-github.js';

export const HEAD_A = 'a'.repeat(40);
export const HEAD_B = 'b'.repeat(40);

export function pullRequestEvent(headSha: string, options: { fork?: boolean; baseSha?: string } = {}) {
  return {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      changed_files: 4,
      head: { sha: headSha, ref: 'open-search', repo: { full_name: options.fork ? 'contributor/shop' : 'acme/shop' } },
      base: { sha: options.baseSha ?? 'c'.repeat(40), ref: 'main', repo: { full_name: 'acme/shop' } },
    },
    repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
  };
}

const CACHE_HUNK = `@@ -19,3 +20,8 @@ services:
     ports:
       - "443:443"
       - "8080:80"
+  cache:
+    image: redis:7-alpine
+    ports:
+      - target: 6379
+        published: 6379`;

const README: FakePullFile = {
  filename: 'README.md',
  status: 'modified',
  patch: `@@ -1,3 +1,3 @@
 # shop
 
-Local stack.
+Local development stack: \`docker compose up\`.`,
  hunks: [[1, 3]],
};

const UNPATCHED: FakePullFile[] = [
  { filename: 'deploy/legacy-compose.yml', status: 'modified' },
  { filename: 'assets/logo.png', status: 'added' },
];

export const FILES_A: FakePullFile[] = [
  {
    filename: 'docker-compose.yml',
    status: 'modified',
    patch: `@@ -3,8 +3,9 @@ services:
     image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
     environment:
       - discovery.type=single-node
+      - xpack.security.enabled=false
     ports:
-      - "127.0.0.1:9200:9200"
+      - "9200:9200"
   kibana:
     image: docker.elastic.co/kibana/kibana:8.13.0
     environment:
${CACHE_HUNK}`,
    hunks: [
      [3, 11],
      [20, 27],
    ],
  },
  README,
  ...UNPATCHED,
];

export const FILES_B: FakePullFile[] = [
  {
    filename: 'docker-compose.yml',
    status: 'modified',
    patch: `@@ -3,6 +3,7 @@ services:
     image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
     environment:
       - discovery.type=single-node
+      - xpack.security.enabled=false
     ports:
       - "127.0.0.1:9200:9200"
   kibana:
${CACHE_HUNK}`,
    hunks: [
      [3, 9],
      [20, 27],
    ],
  },
  README,
  ...UNPATCHED,
];

/** Run 2's workspace: Elasticsearch published on loopback only. */
export function moveSearchToLoopback(text: string): string {
  return text.replace('      - "9200:9200"', '      - "127.0.0.1:9200:9200"');
}

/**
 * The fixture repository as it was before the PR (its base commit): Elasticsearch on loopback
 * with security on, no Redis, the old README line, and the legacy MongoDB on loopback.
 */
export function toBase(files: Record<string, string>): Record<string, string> {
  return {
    ...files,
    'docker-compose.yml': files['docker-compose.yml']!
      .replace('      - xpack.security.enabled=false\n', '')
      .replace('      - "9200:9200"', '      - "127.0.0.1:9200:9200"')
      .replace(/  cache:\n[\s\S]*$/, ''),
    'README.md': '# shop\n\nLocal stack.\n',
    'deploy/legacy-compose.yml': files['deploy/legacy-compose.yml']!.replace('"27017:27017"', '"127.0.0.1:27017:27017"'),
  };
}
