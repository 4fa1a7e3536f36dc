/**
 * The bundled action judging pull requests by what they change: real git history (base and
 * head commits in a temp repository), the fake GitHub REST API on 127.0.0.1, `node index.js`
 * as the runner starts it. A finding is new when the base commit lacks its fingerprint,
 * wherever its lines are.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBaseline, serializeBaseline } from '../../src/engine/baseline.js';
import { lint } from '../../src/engine/lint.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { gitPull, pullEvent, sh, type GitPull, type Tree } from './git-scenario.js';
import { makeScratch, prepareBundle, runBundledAction, type ActionRun } from './harness.js';

let scratch: string;
let bundle: string;
let github: FakeGitHub | undefined;
const TOKEN = 'ghs_fake-token-for-tests';

beforeAll(async () => {
  scratch = makeScratch();
  bundle = (await prepareBundle(scratch)).entry;
}, 60_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function serve(pull: GitPull, maxPerPage = 100) {
  github = await startFakeGitHub({ owner: 'acme', repo: 'shop', pull: 7, state: { headSha: pull.headSha, files: pull.files } });
  github.maxPerPage = maxPerPage;
  return github;
}

function run(pull: GitPull, inputs: Record<string, string> = {}, options: { fork?: boolean } = {}): Promise<ActionRun> {
  return runBundledAction({
    bundle,
    scratch,
    workspace: pull.workspace,
    apiUrl: github!.apiUrl,
    event: { name: 'pull_request', payload: pullEvent(pull, options) },
    inputs: { 'github-token': TOKEN, ...inputs },
    sha: pull.headSha,
    env: { PORTWALL_ACTION_MAX_SLEEP_MS: '0' },
  });
}

const writes = (g: FakeGitHub) => g.requests.filter((r) => r.method !== 'GET');
const reviewPosts = (g: FakeGitHub) => g.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls/7/reviews'));
const summaryComment = (g: FakeGitHub) => g.state.issueComments.find((c) => c.body.includes('<!-- portwall-summary -->'))?.body ?? '';

const SEARCH_K8S = (type: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels:
      app: search
  template:
    metadata:
      labels:
        app: search
    spec:
      containers:
        - name: elasticsearch
          image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
          env:
            - name: xpack.security.enabled
              value: "false"
          ports:
            - containerPort: 9200
---
apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  type: ${type}
  selector:
    app: search
  ports:
    - port: 9200
      targetPort: 9200
`;

const SG = (port: number) => `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const LOCALS = (ports: string) => `locals {
  public_ports = [${ports}]
}
`;
const SG_RULE = `resource "aws_security_group_rule" "public" {
  for_each          = toset([for p in local.public_ports : tostring(p)])
  type              = "ingress"
  security_group_id = "sg-123"
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
`;

const COMPOSE_OLD = `services:
  web:
    image: nginx:1.25
    ports:
      - "8080:80"
`;

describe('the three pull requests only-changed let through', () => {
  it('ClusterIP -> LoadBalancer in front of Elasticsearch without auth: fails; the finding (on the unchanged port item) is in the summary with a link', async () => {
    const pull = gitPull(scratch, 'lb', { 'k8s/search.yaml': SEARCH_K8S('ClusterIP') }, { 'k8s/search.yaml': SEARCH_K8S('LoadBalancer') });
    await serve(pull);
    const action = await run(pull);
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ errors: '1', total: '1' });
    // The finding sits on the port item (lines 32-33), which the diff does not touch: no inline
    // comment can go there, so it is in the summary comment with a link to its line.
    const summary = summaryComment(github!);
    expect(summary).toContain('### portwall: 1 new finding (failing)');
    expect(summary).toContain(`[k8s/search.yaml:32](https://github.test/acme/shop/blob/${pull.headSha}/k8s/search.yaml#L32-L33)`);
    expect(summary).toContain('PW004');
    expect(action.stdout).toContain(`portwall: base ${pull.baseSha.slice(0, 7)}`);
  }, 30_000);

  it('an open 0.0.0.0/0 rule whose port changes from 443 to 9200: fails; the finding (on the unchanged CIDR line) is in the summary with a link', async () => {
    const pull = gitPull(scratch, 'sg', { 'tf/main.tf': SG(443) }, { 'tf/main.tf': SG(9200) });
    await serve(pull);
    const action = await run(pull);
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ errors: '1', total: '1' });
    const summary = summaryComment(github!);
    expect(summary).toContain('### portwall: 1 new finding (failing)');
    expect(summary).toMatch(/\[tf\/main\.tf:7\]/);
  }, 30_000);

  it('a locals port list gaining 9200 while the open rule is in another file: fails, listed with a link', async () => {
    const pull = gitPull(scratch, 'locals', { 'tf/locals.tf': LOCALS('443'), 'tf/sg.tf': SG_RULE }, { 'tf/locals.tf': LOCALS('443, 9200') });
    await serve(pull);
    const action = await run(pull);
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ errors: '1', total: '1' });
    expect(summaryComment(github!)).toContain(`[tf/sg.tf:8](https://github.test/acme/shop/blob/${pull.headSha}/tf/sg.tf#L8)`);
  }, 30_000);
});

describe('old findings never fail a pull request', () => {
  it('an unrelated edit beside an old finding passes quietly: no comment at all', async () => {
    const pull = gitPull(scratch, 'quiet', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD.replace('nginx:1.25', 'nginx:1.27') });
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.status).toBe(0);
    expect(action.outputs).toMatchObject({ total: '0' });
    expect(writes(github!)).toEqual([]);
    expect(action.stdout).toContain('1 pre-existing, 0 fixed');
    expect(action.summary).toContain('1 pre-existing (not failing)');
  }, 30_000);

  it('a renamed file keeps its old findings old, a deleted file only fixes', async () => {
    const base: Tree = { 'a/docker-compose.yml': COMPOSE_OLD, 'b/docker-compose.yml': COMPOSE_OLD.replace('8080', '8081') };
    const pull = gitPull(scratch, 'rename', base, { 'b/docker-compose.yml': null, 'c/docker-compose.yml': COMPOSE_OLD + '    restart: always\n' }, { renames: [['a/docker-compose.yml', 'c/docker-compose.yml']] });
    expect(pull.files.map((f) => [f.filename, f.status])).toEqual([
      ['b/docker-compose.yml', 'removed'],
      ['c/docker-compose.yml', 'renamed'],
    ]);
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.status).toBe(0);
    expect(action.stdout).toContain('1 pre-existing, 1 fixed');
    expect(writes(github!)).toEqual([]);
  }, 30_000);
});

describe('trust', () => {
  it('a suppression comment added by the PR is called out on its line and in the summary', async () => {
    const head = COMPOSE_OLD + `  search:\n    image: elasticsearch:8.13.0\n    ports:\n      # portwall-ignore PW002: demo box\n      - "9200:9200"\n`;
    const pull = gitPull(scratch, 'suppress', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': head });
    await serve(pull);
    const action = await run(pull);
    expect(action.status).toBe(0);
    const [post] = reviewPosts(github!);
    expect(post!.body.comments).toHaveLength(1);
    expect(post!.body.comments[0]).toMatchObject({ path: 'docker-compose.yml', line: 9 });
    expect(post!.body.comments[0].body).toContain('**Trust: a portwall-ignore comment silences 1 finding.**');
    expect(post!.body.comments[0].body).toContain('PW002');
    expect(summaryComment(github!)).toContain('#### What this pull request silences');
  }, 30_000);

  it('a baseline entry added by the PR is called out on its line; config-from base does not apply it', async () => {
    const head = COMPOSE_OLD + '  search:\n    image: elasticsearch:8.13.0\n    ports:\n      - "9200:9200"\n';
    const dir = path.join(scratch, 'baseline-calc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'docker-compose.yml'), head);
    const baseline = serializeBaseline(createBaseline((await lint({ cwd: dir })).findings.filter((f) => f.ruleId === 'PW002')));
    const pull = gitPull(scratch, 'baseline', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': head, 'portwall-baseline.json': baseline });
    await serve(pull);
    const fromHead = await run(pull);
    expect(fromHead.status).toBe(0);
    const call = reviewPosts(github!)[0]!.body.comments.find((c: { path: string }) => c.path === 'portwall-baseline.json');
    expect(call.line).toBe(4); // the entry's fingerprint key
    expect(call.body).toContain('**Trust: a baseline entry in portwall-baseline.json silences 1 finding.**');
    expect(call.body).toContain('PW002');
    await github!.close();
    await serve(pull);
    const fromBase = await run(pull, { 'config-from': 'base' });
    expect(fromBase.status).toBe(1);
    expect(summaryComment(github!)).toContain('a baseline entry in portwall-baseline.json would silence (not applied: config-from base) PW002');
  }, 60_000);

  it('config-from base: an invalid head config is one call-out, and the base policy still judges', async () => {
    const pull = gitPull(scratch, 'badconfig', { 'docker-compose.yml': COMPOSE_OLD, 'portwall.config.yml': 'allowedPublicPorts: [443]\n' }, { 'portwall.config.yml': 'allowedPublicPorts: [443\n' });
    await serve(pull);
    const action = await run(pull, { 'config-from': 'base', 'fail-on': 'warning' });
    expect(action.status).toBe(0);
    const summary = summaryComment(github!);
    expect(summary).toContain('an invalid portwall.config.yml (');
    expect(summary.match(/portwall\.config\.yml:1\]/g)).toHaveLength(1);
  }, 30_000);

  it('config-from base: a config change that allows the port is called out and not applied', async () => {
    const pull = gitPull(
      scratch,
      'config',
      { 'docker-compose.yml': COMPOSE_OLD, 'portwall.config.yml': 'allowedPublicPorts: [443]\n' },
      { 'docker-compose.yml': COMPOSE_OLD.replace('"8080:80"', '"8080:80"\n      - "8443:8443"'), 'portwall.config.yml': 'allowedPublicPorts: [443, 8443]\n' },
    );
    await serve(pull);
    const fromBase = await run(pull, { 'config-from': 'base', 'fail-on': 'warning' });
    expect(fromBase.status).toBe(1);
    const posted = reviewPosts(github!)[0]!.body.comments.map((c: { path: string; body: string }) => c.path);
    expect(posted).toEqual(expect.arrayContaining(['docker-compose.yml', 'portwall.config.yml']));
    const call = reviewPosts(github!)[0]!.body.comments.find((c: { path: string }) => c.path === 'portwall.config.yml');
    expect(call.body).toContain('would silence 1 finding');
    expect(call.body).toContain('config-from: base');
    await github!.close();
    await serve(pull);
    const fromHead = await run(pull, { 'fail-on': 'warning' });
    expect(fromHead.status).toBe(0);
    expect(reviewPosts(github!)[0]!.body.comments[0].body).toContain('**Trust: a change of `allowedPublicPorts` in portwall.config.yml silences 1 finding.**');
  }, 60_000);
});

describe('review noise', () => {
  it('keeps an unchanged comment, edits a fixed one, and shares one comment per line', async () => {
    const head1 = `services:\n  search:\n    image: elasticsearch:8.13.0\n    ports:\n      - "9200:9200"\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n`;
    const pull = gitPull(scratch, 'noise', { 'docker-compose.yml': 'services: {}\n' }, { 'docker-compose.yml': head1 });
    await serve(pull);
    const first = await run(pull);
    expect(first.status).toBe(1);
    expect(github!.state.reviewComments).toHaveLength(2);
    const before = github!.requests.length;
    // Re-run: nothing written.
    const again = await run(pull);
    expect(again.status).toBe(1);
    expect(github!.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    // Next push fixes the web port: its comment is edited to say so; the search comment stays untouched.
    const pull2 = gitPull(scratch, 'noise2', { 'docker-compose.yml': 'services: {}\n' }, { 'docker-compose.yml': head1.replace('"8080:80"', '"127.0.0.1:8080:80"') });
    github!.state.headSha = pull2.headSha;
    github!.state.files = pull2.files;
    const mark = github!.requests.length;
    const second = await run(pull2);
    expect(second.status).toBe(1);
    const w = github!.requests.slice(mark).filter((r) => r.method !== 'GET');
    expect(w.map((r) => r.method + ' ' + r.path.replace(/\d+$/, 'N'))).toEqual(['PATCH /api/v3/repos/acme/shop/pulls/comments/N', 'PATCH /api/v3/repos/acme/shop/issues/comments/N']);
    const [search, web] = github!.state.reviewComments;
    expect(search!.body).not.toContain('Fixed');
    expect(web!.body).toContain(`**Fixed as of commit ${pull2.headSha.slice(0, 7)}.**`);
    expect(github!.state.reviews).toHaveLength(1);
  }, 60_000);
});

describe('one comment per line', () => {
  it('two findings on one changed line share one review comment', async () => {
    const config = `customRules:
  - id: ORG001
    name: no-public-admin-port
    level: warning
    shortDescription: Admin port 8080 must not be public.
    help: Publish it on 127.0.0.1.
    message: "{subject} exposes the admin port {matchedPorts}"
    match:
      exposure:
        ports: [8080]
        reach: [internet]
`;
    const pull = gitPull(scratch, 'oneline', { 'portwall.config.yml': config, 'docker-compose.yml': 'services: {}\n' }, { 'docker-compose.yml': COMPOSE_OLD });
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ warnings: '2', total: '2' });
    const comments = reviewPosts(github!)[0]!.body.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ path: 'docker-compose.yml', line: 5 });
    expect(comments[0].body).toContain('**portwall: 2 new findings on this line**');
    expect(comments[0].body).toContain('PW001');
    expect(comments[0].body).toContain('ORG001');
    expect(comments[0].body.match(/<!-- portwall-ids: ([0-9a-f]{32}) ([0-9a-f]{32}) -->/)).not.toBeNull();
  }, 30_000);
});

describe('hard cases', () => {
  it('a fork PR with a read-only token: annotations with the new findings only', async () => {
    const pull = gitPull(scratch, 'fork', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD + '  db:\n    image: mongo:7\n    ports:\n      - "27017:27017"\n' });
    await serve(pull);
    github!.mode = 'read-only';
    const action = await run(pull, {}, { fork: true });
    expect(action.status).toBe(1);
    expect(action.stdout).toContain('The pull request comes from a fork, and GitHub gives such runs a read-only token');
    expect(action.stdout).toMatch(/::error file=docker-compose\.yml,line=9,/);
    expect(action.stdout).not.toMatch(/file=docker-compose\.yml,line=5,/);
  }, 30_000);

  it('a base that does not parse: the findings of that file count as new, and the summary says why', async () => {
    const pull = gitPull(scratch, 'broken', { 'docker-compose.yml': 'services:\n  web: [\n' }, { 'docker-compose.yml': COMPOSE_OLD });
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.status).toBe(1);
    expect(summaryComment(github!)).toContain('The base commit has 1 file(s) portwall cannot parse (docker-compose.yml)');
  }, 30_000);

  it('a shallow checkout: the base commit is fetched alone', async () => {
    const pull = gitPull(scratch, 'shallow', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD.replace('nginx:1.25', 'nginx:1.27') }, { shallow: true });
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.stdout).toContain('fetched with --depth=1 (shallow checkout)');
    expect(action.status).toBe(0);
  }, 30_000);

  it('rate limits: honours retry-after (secondary, 403), 429 and 502 with bounded retries', async () => {
    const pull = gitPull(scratch, 'rate', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD + '  db:\n    image: mongo:7\n    ports:\n      - "27017:27017"\n' });
    await serve(pull);
    github!.faults = [
      { method: 'GET', path: /\/pulls\/7\/files$/, status: 502, message: 'Bad Gateway', times: 1 },
      { method: 'POST', path: /\/pulls\/7\/reviews$/, status: 403, headers: { 'retry-after': '7' }, times: 1 },
      { method: 'POST', path: /\/issues\/7\/comments$/, status: 429, times: 1 },
    ];
    const action = await run(pull);
    expect(action.status).toBe(1);
    expect(action.stdout).toContain('GitHub answered 502 to GET');
    expect(action.stdout).toContain('retrying in 7 s');
    expect(action.stdout).toContain('GitHub answered 429 to POST');
    expect(github!.state.reviewComments).toHaveLength(1);
    expect(github!.state.issueComments).toHaveLength(1);
    expect(action.stdout).toMatch(/3 retries/);
  }, 30_000);

  it('gives up on an endless rate limit and reports through annotations', async () => {
    const pull = gitPull(scratch, 'rate2', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD + '  db:\n    image: mongo:7\n    ports:\n      - "27017:27017"\n' });
    await serve(pull);
    github!.faults = [{ method: 'POST', path: /\/pulls\/7\/reviews$/, status: 403, headers: { 'retry-after': '30' }, times: 100 }];
    const action = await run(pull);
    expect(action.status).toBe(1);
    expect(reviewPosts(github!).length).toBe(5);
    expect(action.stdout).toContain('::warning title=portwall::portwall: the GitHub API request failed (HTTP 403: rate limited after 4 retries');
    expect(action.stdout).toMatch(/::error file=docker-compose\.yml,line=9,/);
  }, 30_000);

  it('a 300-file pull request: every page of files read, one review, measured', async () => {
    const base: Tree = {};
    const head: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      base[`svc/${String(i).padStart(3, '0')}/docker-compose.yml`] = `services:\n  app:\n    image: example/app:1\n    ports:\n      - "127.0.0.1:${10000 + i}:80"\n`;
      head[`svc/${String(i).padStart(3, '0')}/docker-compose.yml`] = i % 30 === 0 ? `services:\n  app:\n    image: example/app:2\n    ports:\n      - "${10000 + i}:80"\n` : `services:\n  app:\n    image: example/app:2\n    ports:\n      - "127.0.0.1:${10000 + i}:80"\n`;
    }
    const pull = gitPull(scratch, 'big', base, head);
    expect(pull.files).toHaveLength(300);
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ warnings: '10', total: '10' });
    const pages = github!.requests.filter((r) => r.path.endsWith('/pulls/7/files')).map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(reviewPosts(github!)).toHaveLength(1);
    expect(reviewPosts(github!)[0]!.body.comments).toHaveLength(10);
    const line = /GitHub API: (\d+) request\(s\) \((\d+) read\(s\), (\d+) write\(s\)\).*run took ([\d.]+) s/.exec(action.stdout);
    expect(line).not.toBeNull();
    process.stdout.write(`300-file PR: ${line![1]} API requests (${line![2]} reads, ${line![3]} writes), action ${line![4]} s, process ${action.durationMs} ms\n`);
    expect(Number(line![1])).toBeLessThanOrEqual(10);
  }, 60_000);
});

describe('checkouts and events', () => {
  it('the default merge-commit checkout is compared with its first parent, also when main moved on', async () => {
    // main fixes the old web port after the branch was cut; the PR's tree still has it, but the
    // merge commit does not: only the PR's own finding is new.
    const base: Tree = { 'docker-compose.yml': COMPOSE_OLD, 'other/docker-compose.yml': COMPOSE_OLD };
    const pull = gitPull(scratch, 'merge', base, { 'docker-compose.yml': COMPOSE_OLD + '  db:\n    image: mongo:7\n    ports:\n      - "27017:27017"\n' }, { mainLater: { 'other/docker-compose.yml': COMPOSE_OLD.replace('"8080:80"', '"127.0.0.1:8080:80"') }, merge: true });
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.stdout).toContain('(the first parent of the merge commit that is checked out)');
    expect(action.status).toBe(1);
    expect(action.outputs).toMatchObject({ errors: '1', warnings: '0', total: '1' });
    expect(reviewPosts(github!)[0]!.body.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toEqual(['docker-compose.yml:9']);
  }, 30_000);

  it('a checkout of the base itself (pull_request_target) is not compared with itself: every finding counts', async () => {
    const pull = gitPull(scratch, 'target', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD.replace('nginx:1.25', 'nginx:1.27') });
    sh(pull.workspace, ['checkout', '-q', 'main']);
    await serve(pull);
    const action = await run(pull, { 'fail-on': 'warning' });
    expect(action.stdout).toContain('is the base itself, not the pull request');
    expect(action.status).toBe(1);
    expect(summaryComment(github!)).toContain('No base comparison');
  }, 30_000);

  it('a push is judged against the commit before it, and comment-mode review does not warn there', async () => {
    const pull = gitPull(scratch, 'push', { 'docker-compose.yml': COMPOSE_OLD }, { 'docker-compose.yml': COMPOSE_OLD.replace('nginx:1.25', 'nginx:1.27') });
    await serve(pull);
    const action = await runBundledAction({
      bundle,
      scratch,
      workspace: pull.workspace,
      apiUrl: github!.apiUrl,
      event: { name: 'push', payload: { ref: 'refs/heads/main', before: pull.baseSha, after: pull.headSha } },
      inputs: { 'github-token': TOKEN, 'fail-on': 'warning' },
      sha: pull.headSha,
      env: { PORTWALL_ACTION_MAX_SLEEP_MS: '0' },
    });
    expect(action.status).toBe(0);
    expect(action.stdout).toContain('(the commit before the push)');
    expect(action.stdout).not.toContain('::warning');
    expect(github!.requests).toEqual([]);
  }, 30_000);

  it('config-from base: JavaScript rules the head adds never load without allow-js-rules', async () => {
    const plugin = "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran', import.meta.url), 'yes');\nexport default { meta: { id: 'ORG-1', name: 'org-rule', level: 'warning', shortDescription: 'x', help: 'x' }, check() {} };\n";
    const pull = gitPull(scratch, 'plugin', { 'docker-compose.yml': COMPOSE_OLD }, { 'portwall.config.yml': 'plugins:\n  - ./policy/org.mjs\n', 'policy/org.mjs': plugin });
    await serve(pull);
    const action = await run(pull, { 'config-from': 'base', 'fail-on': 'warning' });
    expect(existsSync(path.join(pull.workspace, 'policy/ran'))).toBe(false);
    expect(action.status).toBe(0);
    expect(summaryComment(github!)).toContain('could not be measured');
    expect(summaryComment(github!)).toContain('JavaScript rules are not allowed');
  }, 30_000);
});

describe('check runs', () => {
  it('never stays in_progress: a failing PATCH still completes the run', async () => {
    const ports = Array.from({ length: 60 }, (_, i) => `      - "${20001 + i}:80"`).join('\n');
    const pull = gitPull(scratch, 'check', { 'docker-compose.yml': 'services: {}\n' }, { 'docker-compose.yml': `services:\n  app:\n    image: example/app:1\n    ports:\n${ports}\n` });
    await serve(pull);
    github!.faults = [{ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 500, message: 'boom', times: 1 }];
    const action = await run(pull, { 'comment-mode': 'annotations' });
    expect(action.status).toBe(0);
    const [checkRun] = github!.state.checkRuns;
    expect(checkRun).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(checkRun!.output.summary).toContain('portwall could not attach every annotation');
    expect(readFileSync(action.outputs['sarif-file']!, 'utf8')).toContain('PW001');
  }, 30_000);
});
