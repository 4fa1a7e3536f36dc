/**
 * The bundled action against a fake GitHub on 127.0.0.1: review payloads, replacement of an
 * earlier review, the summary comment, check-run batches, the read-only (fork) fallback, the
 * job summary, outputs and exit status. Nothing leaves the machine.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RULE_DOCS_BASE } from '../../src/core/rule.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { makeGitWorkspace, makeScratch, makeWorkspace, prepareBundle, runBundledAction, type ActionRun, type RunOptions } from './harness.js';
import { FILES_A, FILES_B, HEAD_A, HEAD_B, moveSearchToLoopback, pullRequestEvent, toBase } from './scenario.js';

let scratch: string;
let bundle: string;
let github: FakeGitHub;
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
});

async function serve(headSha = HEAD_A, files = FILES_A) {
  github = await startFakeGitHub({ owner: 'acme', repo: 'shop', pull: 7, state: { headSha, files } });
  return github;
}

let baseSha = '';
/** The fixture PR with git history (base commit before it, head = the fixture), as actions/checkout leaves it. */
function gitWorkspace(name: string, edit?: (dir: string) => void): string {
  const w = makeGitWorkspace(scratch, name, toBase, edit);
  baseSha = w.baseSha;
  return w.dir;
}

function run(options: Partial<RunOptions> & { inputs?: Record<string, string> } = {}): Promise<ActionRun> {
  const workspace = options.workspace ?? gitWorkspace('workspace-a');
  return runBundledAction({
    bundle,
    scratch,
    workspace,
    apiUrl: github.apiUrl,
    event: options.event ?? { name: 'pull_request', payload: pullRequestEvent(HEAD_A, { baseSha }) },
    inputs: { 'github-token': TOKEN, ...options.inputs },
    env: { PORTWALL_ACTION_MAX_SLEEP_MS: '0' },
    ...(options.sha ? { sha: options.sha } : {}),
  });
}

/** The engine's own messages, from the run's SARIF: the tests check the action's rendering, not rule wording. */
function sarifFindings(action: ActionRun) {
  const sarif = JSON.parse(readFileSync(action.outputs['sarif-file']!, 'utf8'));
  return sarif.runs[0].results.map((r: any) => ({
    ruleId: r.ruleId as string,
    file: r.locations[0].physicalLocation.artifactLocation.uri as string,
    line: r.locations[0].physicalLocation.region.startLine as number,
    message: r.message.text as string,
    related: (r.relatedLocations ?? []).map((x: any) => ({ line: x.physicalLocation.region.startLine as number, message: x.message.text as string })),
  }));
}

function messageAt(action: ActionRun, file: string, line: number) {
  const found = sarifFindings(action).find((f: { file: string; line: number }) => f.file === file && f.line === line);
  if (!found) throw new Error(`no finding at ${file}:${line}`);
  const f = found as { ruleId: string; message: string; related: { line: number; message: string }[] };
  // SARIF links the related locations after the message; comments carry the plain message.
  const plain = f.related.length ? f.message.slice(0, f.message.lastIndexOf(' ([')).replace(/\\([[\]\\])/g, '$1') : f.message;
  return { ...f, message: plain };
}

const link = (id: string) => `[${id}](${RULE_DOCS_BASE}/${id.replace(' ', '-')}/README.md)`;
const writes = (g: FakeGitHub) => g.requests.filter((r) => r.method !== 'GET');

describe('review mode on a pull request', () => {
  it('posts one review with inline comments on changed lines, a suggestion, and a summary comment for the rest', async () => {
    await serve();
    const action = await run();

    // Pagination: the server hands out 2 files per page; all 4 were read through Link headers.
    const fileRequests = github.requests.filter((r) => r.path === '/api/v3/repos/acme/shop/pulls/7/files');
    expect(fileRequests.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}` && r.path.startsWith('/api/v3/'))).toBe(true);

    const search = messageAt(action, 'docker-compose.yml', 8);
    const cache = messageAt(action, 'docker-compose.yml', 26);
    const post = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/pulls/7/reviews'))!;
    expect(post.status).toBe(200);
    const withoutIds = { ...post.body, comments: post.body.comments.map((c: { body: string }) => ({ ...c, body: c.body.replace(/^<!-- portwall-ids: [0-9a-f ]+ -->\n/m, '') })) };
    expect(post.body.comments[0].body.split('\n')[1]).toMatch(/^<!-- portwall-ids: [0-9a-f]{32} -->$/);
    expect(withoutIds).toEqual({
      event: 'COMMENT',
      commit_id: HEAD_A,
      body: [
        '<!-- portwall-review -->',
        '### portwall: 2 new comments for commit aaaaaaa',
        '',
        'The portwall summary comment has the full picture: new and pre-existing findings, and what this pull request silences.',
        '',
        '<sub>portwall 0.1.0 · comments are kept across runs and edited when fixed</sub>',
      ].join('\n'),
      comments: [
        {
          path: 'docker-compose.yml',
          line: 8,
          side: 'RIGHT',
          body: [
            '<!-- portwall-review-comment -->',
            `**Error: ${link('PW004 public-unauthenticated-datastore')}**`,
            '',
            search.message,
            '',
            `Related: ${search.related[0]!.message} (\`docker-compose.yml\` line 6)`,
            '',
            '**Suggested fix:** Publish the port on 127.0.0.1 only',
            '```suggestion',
            '      - "127.0.0.1:9200:9200"',
            '```',
          ].join('\n'),
        },
        {
          path: 'docker-compose.yml',
          start_line: 26,
          start_side: 'RIGHT',
          line: 27,
          side: 'RIGHT',
          body: [
            '<!-- portwall-review-comment -->',
            `**Error: ${link('PW004 public-unauthenticated-datastore')}**`,
            '',
            cache.message,
            '',
            `Related: ${cache.related[0]!.message} (\`docker-compose.yml\` line 24)`,
            '',
            // Long syntax without host_ip: the fix adds `host_ip: 127.0.0.1` as the entry's first key.
            '**Suggested fix:** Publish the port on 127.0.0.1 only',
            '```suggestion',
            '      - host_ip: 127.0.0.1',
            '        target: 6379',
            '        published: 6379',
            '```',
          ].join('\n'),
        },
      ],
    });

    // deploy/legacy-compose.yml changed but has no patch: counted, listed in the summary comment, never inline.
    expect(github.state.issueComments).toHaveLength(1);
    const summary = github.state.issueComments[0]!.body;
    expect(summary.split('\n').slice(0, 6)).toEqual([
      '<!-- portwall-summary -->',
      '### portwall: 3 new findings (failing)',
      '',
      `**3 errors, 0 warnings, 0 notes** introduced at commit aaaaaaa compared with ${baseSha.slice(0, 7)} (the merge base of the head and the base branch).`,
      'Commented inline on a changed line: 2; listed below: 1.',
      '2 pre-existing findings (already in the base) do not fail this pull request; 1 finding of the base is no longer reported (fixed, or replaced by a more specific one).',
    ]);
    expect(summary).toContain('[deploy/legacy-compose.yml:6](https://github.test/acme/shop/blob/' + HEAD_A + '/deploy/legacy-compose.yml#L6)');
    expect(summary).not.toContain('docker-compose.yml:15');

    // The log's findings (file names and lines from the PR) sit inside a stop-commands block.
    const token = /::stop-commands::(portwall-[0-9a-f-]+)\n/.exec(action.stdout)?.[1];
    expect(token).toBeDefined();
    expect(action.stdout.indexOf(`::${token}::`)).toBeGreaterThan(action.stdout.indexOf('8 |       - "9200:9200"'));
    expect(action.outputs).toEqual({ errors: '3', warnings: '0', notes: '0', total: '3', 'sarif-file': action.outputs['sarif-file'] });
    expect(action.status).toBe(1); // fail-on defaults to error
    expect(action.stdout).toContain(`::error title=portwall::portwall: 3 errors, 0 warnings, 0 notes new since ${baseSha.slice(0, 7)}; failing because of findings at or above fail-on=error`);
    // SARIF keeps every finding, including the two the PR did not touch.
    expect(sarifFindings(action).map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      'deploy/legacy-compose.yml:6',
      'docker-compose.yml:8',
      'docker-compose.yml:15',
      'docker-compose.yml:22',
      'docker-compose.yml:26',
    ]);
    expect(action.summary).toContain(`## portwall\n\n**3 errors, 0 warnings, 0 notes** new since ${baseSha.slice(0, 7)}.\n\n2 file(s) checked; 5 finding(s) in total; 2 pre-existing (not failing), 1 fixed. The SARIF file has all of them.`);
    expect(action.summary).toContain(`| Error | ${link('PW004 public-unauthenticated-datastore')} | [docker-compose.yml:26](https://github.test/acme/shop/blob/${HEAD_A}/docker-compose.yml#L26-L27) | ${cache.message} |`);
  }, 30_000);

  it('keeps standing comments on the next push, edits the fixed one, posts only the new one, and does nothing on an identical re-run', async () => {
    await serve();
    await run();
    const [searchComment, cacheComment] = github.state.reviewComments;
    // Someone answers the first comment: that thread must survive.
    github.state.reviewComments.push({ id: 1, pull_request_review_id: 99, in_reply_to_id: searchComment!.id, path: 'docker-compose.yml', line: 8, start_line: null, side: 'RIGHT', body: 'We need it public for the demo.' });
    const cacheBody = cacheComment!.body;

    github.state.headSha = HEAD_B;
    github.state.files = FILES_B;
    const workspaceB = gitWorkspace('workspace-b', (dir) => {
      const file = path.join(dir, 'docker-compose.yml');
      writeFileSync(file, moveSearchToLoopback(readFileSync(file, 'utf8')));
    });
    const mark = github.requests.length;
    const second = await run({ workspace: workspaceB, event: { name: 'pull_request', payload: pullRequestEvent(HEAD_B, { baseSha }) } });
    expect(second.status).toBe(1);
    const w = github.requests.slice(mark).filter((r) => r.method !== 'GET');
    expect(w.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v3/repos/acme/shop/pulls/7/reviews',
      `PATCH /api/v3/repos/acme/shop/pulls/comments/${searchComment!.id}`,
      `PATCH /api/v3/repos/acme/shop/issues/comments/${github.state.issueComments[0]!.id}`,
    ]);
    // Nothing deleted: the search comment says it is fixed, the cache comment is untouched.
    expect(searchComment!.body).toContain('**Fixed as of commit bbbbbbb.**');
    expect(cacheComment!.body).toBe(cacheBody);
    expect(github.state.reviewComments.some((c) => c.id === 1)).toBe(true);
    const latest = github.state.reviews.at(-1)!;
    expect(latest.commit_id).toBe(HEAD_B);
    const byReview = github.state.reviewComments.filter((c) => c.pull_request_review_id === latest.id);
    expect(byReview.map((c) => [c.start_line, c.line])).toEqual([[null, 6]]);
    const auth = messageAt(second, 'docker-compose.yml', 6);
    expect(auth.ruleId).toBe('PW003');
    expect(byReview[0]!.body.replace(/^<!-- portwall-ids: [0-9a-f ]+ -->\n/m, '')).toBe(['<!-- portwall-review-comment -->', `**Error: ${link('PW003 auth-disabled')}**`, '', auth.message].join('\n'));
    expect(github.state.issueComments).toHaveLength(1);
    expect(github.state.issueComments[0]!.body).toContain('introduced at commit bbbbbbb');

    const before = github.requests.length;
    const third = await run({ workspace: workspaceB, event: { name: 'pull_request', payload: pullRequestEvent(HEAD_B, { baseSha }) } });
    expect(third.status).toBe(1);
    expect(third.stdout).toContain('portwall: review: 0 comment(s) posted, 2 kept, 0 edited, 0 closed');
    expect(github.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  }, 30_000);
});

describe('what is reported where', () => {
  it('never comments off the diff: with only-changed false, findings outside the hunks go to the summary comment', async () => {
    await serve();
    const action = await run({ inputs: { 'only-changed': 'false' } });
    const post = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/reviews'))!;
    expect(post.status).toBe(200);
    expect(github.requests.some((r) => r.status === 422)).toBe(false);
    // Line 22 (web 8080) is a context line of the second hunk, but the PR did not touch it: no inline comment.
    expect(post.body.comments.map((c: { line: number }) => c.line)).toEqual([8, 27]);
    const summary = github.state.issueComments[0]!.body;
    expect(summary).toContain('### portwall: 5 findings (failing)');
    expect(summary).toContain('#### Findings not on a changed line');
    for (const where of ['deploy/legacy-compose.yml:6', 'docker-compose.yml:15', 'docker-compose.yml:22']) expect(summary).toContain(`[${where}]`);
    expect(action.outputs).toMatchObject({ errors: '4', warnings: '1', total: '5' });
  }, 30_000);

  it('comment-mode summary: one summary comment with every reported finding, no review', async () => {
    await serve();
    const action = await run({ inputs: { 'comment-mode': 'summary' } });
    expect(action.status).toBe(1);
    expect(github.state.reviews).toEqual([]);
    expect(github.state.issueComments).toHaveLength(1);
    const body = github.state.issueComments[0]!.body;
    expect(body.split('\n').slice(0, 4)).toEqual(['<!-- portwall-summary -->', '### portwall: 3 new findings (failing)', '', `**3 errors, 0 warnings, 0 notes** introduced at commit aaaaaaa compared with ${baseSha.slice(0, 7)} (the merge base of the head and the base branch).`]);
    expect(body.match(/^\| Error \|/gm)).toHaveLength(3);
  }, 30_000);

  it('moves the findings to the summary comment when GitHub rejects the review (422)', async () => {
    await serve();
    github.mode = 'reject-reviews';
    const action = await run();
    expect(action.status).toBe(1);
    expect(action.stdout).toContain('GitHub rejected the review (HTTP 422: Unprocessable Entity)');
    expect(github.state.reviews).toHaveLength(0);
    expect(github.state.issueComments[0]!.body).toContain('### portwall: 3 new findings (failing)');
    expect(github.state.issueComments[0]!.body).toContain('Commented inline on a changed line: 0; listed below: 3.');
  }, 30_000);

  it('falls back to workflow annotations and the job summary on a fork PR with a read-only token (403)', async () => {
    await serve();
    github.mode = 'read-only';
    const workspace = gitWorkspace('workspace-a');
    const action = await run({ workspace, event: { name: 'pull_request', payload: pullRequestEvent(HEAD_A, { fork: true, baseSha }) } });
    expect(action.status).toBe(1);
    expect(action.stdout).toContain(
      '::warning title=portwall::portwall: GitHub refused to let this token write to pull request #7 (HTTP 403: Resource not accessible by integration). The pull request comes from a fork, and GitHub gives such runs a read-only token. Reporting the findings as workflow annotations and in the job summary instead.',
    );
    expect(action.stdout).toContain('::error file=docker-compose.yml,line=8,col=9,endLine=8,endColumn=20,title=PW004 public-unauthenticated-datastore::');
    expect(action.stdout).toContain('::error file=deploy/legacy-compose.yml,line=6,');
    expect(action.stdout).not.toContain('file=docker-compose.yml,line=15,');
    expect(action.summary).toContain('> [!NOTE]\n> GitHub refused to let this token write to pull request #7');
    expect(action.summary).toContain('| Error |');
    expect(action.outputs.total).toBe('3');
    expect(writes(github).every((r) => r.status === 403)).toBe(true);
  }, 30_000);

  it('leaves the review to the newer run when the pull request moved on during this one', async () => {
    await serve(HEAD_B);
    const action = await run();
    expect(action.stdout).toContain("the pull request's head is now bbbbbbb, not aaaaaaa: leaving the review to the run for the newer commit");
    expect(writes(github)).toEqual([]);
  }, 30_000);

  it('survives an unreachable API: annotations instead, exit status still per fail-on', async () => {
    await serve();
    const apiUrl = github.apiUrl;
    await github.close();
    const action = await runBundledAction({ bundle, scratch, workspace: makeWorkspace(scratch, 'workspace-a'), apiUrl, event: { name: 'pull_request', payload: pullRequestEvent(HEAD_A) }, inputs: { 'github-token': TOKEN } });
    expect(action.status).toBe(1);
    expect(action.stdout).toContain('portwall: cannot read the files of pull request #7 (the API cannot be reached');
    expect(action.stdout).toContain('::warning title=portwall::portwall: the GitHub API request failed (the API cannot be reached');
    expect(action.stdout).toContain('::error file=docker-compose.yml,line=15,');
    expect(action.outputs.total).toBe('5');
  }, 30_000);

  it('without a token still compares with the base (git) and reports the new findings through annotations', async () => {
    await serve();
    const action = await run({ inputs: { 'github-token': '' } });
    expect(github.requests).toEqual([]);
    expect(action.stdout).toContain('no github-token was given, so nothing can be posted through the API');
    expect(action.stdout).toContain('::error file=docker-compose.yml,line=8,');
    expect(action.stdout).not.toContain('::error file=docker-compose.yml,line=15,');
    expect(action.outputs).toMatchObject({ errors: '3', warnings: '0', total: '3' });
  }, 30_000);
});

describe('exit status and inputs', () => {
  it('follows fail-on, and comment-mode none posts nothing', async () => {
    await serve();
    const workspace = makeWorkspace(scratch, 'workspace-warn', (dir) => {
      mkdirSync(path.join(dir, 'edge'));
      writeFileSync(path.join(dir, 'edge/compose.yml'), 'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n');
    });
    const common = { 'comment-mode': 'none', 'only-changed': 'false', paths: 'edge\n' };
    const byLevel = await run({ workspace, inputs: { ...common } });
    expect(byLevel.outputs).toMatchObject({ errors: '0', warnings: '1', notes: '0', total: '1' });
    expect(byLevel.status).toBe(0);
    expect((await run({ workspace, inputs: { ...common, 'fail-on': 'warning' } })).status).toBe(1);
    expect((await run({ workspace, inputs: { ...common, 'fail-on': 'none' } })).status).toBe(0);
    expect((await run({ inputs: { 'comment-mode': 'none', 'fail-on': 'none' } })).status).toBe(0);
    expect(writes(github)).toEqual([]);
  }, 30_000);

  it('never runs JS rules from the checked-out tree unless allow-js-rules is true', async () => {
    await serve();
    const workspace = makeWorkspace(scratch, 'workspace-plugin', (dir) => {
      writeFileSync(path.join(dir, 'portwall.config.yml'), 'plugins:\n  - ./policy/org.mjs\n');
      mkdirSync(path.join(dir, 'policy'));
      // Importing the module leaves a mark: proof of whether PR-controlled code ran.
      writeFileSync(path.join(dir, 'policy/org.mjs'), "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran', import.meta.url), 'yes');\nexport default { meta: { id: 'ORG-1', name: 'org-rule', level: 'warning', shortDescription: 'Org rule.', help: 'Fix it.' }, check() {} };\n");
    });
    const refused = await run({ workspace, inputs: { 'comment-mode': 'none' } });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('JavaScript rules are not allowed in this run');
    expect(existsSync(path.join(workspace, 'policy/ran'))).toBe(false);
    const allowed = await run({ workspace, inputs: { 'comment-mode': 'none', 'allow-js-rules': 'true' } });
    expect(existsSync(path.join(workspace, 'policy/ran'))).toBe(true);
    expect(allowed.status).toBe(1);
  }, 30_000);

  it('rejects an unknown comment-mode with status 2 before touching the API', async () => {
    await serve();
    const action = await run({ inputs: { 'comment-mode': 'loud' } });
    expect(action.status).toBe(2);
    expect(action.stdout).toContain('::error title=portwall::portwall: input "comment-mode" must be review, annotations, summary, none, got "loud"');
    expect(github.requests).toEqual([]);
  }, 30_000);
});

describe('annotations mode', () => {
  it('sends check-run annotations in batches of 50 on a push', async () => {
    await serve();
    const ports = Array.from({ length: 120 }, (_, i) => `      - "${10001 + i}:${10001 + i}"`).join('\n');
    const workspace = makeWorkspace(scratch, 'workspace-many', (dir) => {
      writeFileSync(path.join(dir, 'many.yml'), `services:\n  app:\n    image: example/app:1\n    ports:\n${ports}\n`);
    });
    const sha = 'd'.repeat(40);
    const action = await run({ workspace, sha, event: { name: 'push', payload: { ref: 'refs/heads/main', after: sha } }, inputs: { 'comment-mode': 'annotations', paths: 'many.yml' } });
    expect(action.outputs).toMatchObject({ warnings: '120', total: '120' });
    expect(action.status).toBe(0); // warnings only, fail-on error
    const checkRequests = writes(github);
    expect(checkRequests.map((r) => [r.method, r.body.output.annotations.length, r.body.conclusion ?? null])).toEqual([
      ['POST', 50, null],
      ['PATCH', 50, null],
      ['PATCH', 20, 'success'],
    ]);
    const [checkRun] = github.state.checkRuns;
    expect(checkRun).toMatchObject({ name: 'portwall', head_sha: sha, status: 'completed', conclusion: 'success' });
    expect(checkRun!.annotations[0]).toEqual({
      path: 'many.yml',
      start_line: 5,
      end_line: 5,
      start_column: 9,
      end_column: 21,
      annotation_level: 'warning',
      title: 'PW001 public-port',
      message: messageAt(action, 'many.yml', 5).message,
    });
    expect(action.stdout).toContain('annotation(s) in 3 request(s)');
  }, 30_000);
});
