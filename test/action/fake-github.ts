/**
 * A local stand-in for the GitHub REST API (only the endpoints the action uses), on
 * 127.0.0.1 with a random port and a GitHub-Enterprise-style /api/v3 prefix. It keeps state
 * across runs (reviews, comments, check runs), paginates like GitHub (per_page, Link
 * headers), and rejects a review with 422 when a comment is off the declared diff — the
 * declared hunks are written by hand in the scenario, independent of the action's parser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePullFile {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
  /** Head-side line ranges of the hunks, [first, last], as GitHub would accept comments on. */
  hunks?: [number, number][];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
  authorization?: string;
  status: number;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  times: number;
}

export interface FakeState {
  headSha: string;
  files: FakePullFile[];
  reviews: { id: number; body: string; commit_id: string; html_url: string }[];
  reviewComments: { id: number; pull_request_review_id: number; in_reply_to_id?: number; path: string; line: number | null; start_line: number | null; side: string; body: string }[];
  issueComments: { id: number; body: string }[];
  checkRuns: { id: number; name: string; head_sha: string; status: string; conclusion?: string; output: any; annotations: any[] }[];
}

export interface FakeGitHub {
  apiUrl: string;
  state: FakeState;
  requests: RecordedRequest[];
  /** "read-only": every write gets 403 like a fork PR's token; "reject-reviews": POST review gets 422. */
  mode: 'normal' | 'read-only' | 'reject-reviews';
  /** Largest page the server hands out (GitHub: 100); small to force pagination. */
  maxPerPage: number;
  /** Canned failures: the next `times` requests matching method and path get this answer (rate limits, 502). */
  faults: Fault[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { owner: string; repo: string; pull: number; state: Pick<FakeState, 'headSha' | 'files'> }): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake = {
    apiUrl: '',
    state: { ...options.state, reviews: [], reviewComments: [], issueComments: [], checkRuns: [] } as FakeState,
    requests: [] as RecordedRequest[],
    mode: 'normal' as FakeGitHub['mode'],
    maxPerPage: 2,
    faults: [] as Fault[],
  };
  const prefix = `/api/v3/repos/${options.owner}/${options.repo}`;
  const pullPath = `${prefix}/pulls/${options.pull}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', fake.apiUrl);
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : undefined;
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), ...(body !== undefined ? { body } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), status: 0 };
    fake.requests.push(record);
    const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    const list = (items: unknown[]) => {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), fake.maxPerPage);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const link = (n: number, rel: string) => {
        const u = new URL(url);
        u.searchParams.set('page', String(n));
        u.searchParams.set('per_page', String(perPage));
        return `<${u.href}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
    };
    if (!req.headers.authorization) return send(401, { message: 'Requires authentication' });
    const fault = fake.faults.find((f) => f.times > 0 && f.method === method && f.path.test(url.pathname));
    if (fault) {
      fault.times--;
      return send(fault.status, { message: fault.message ?? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, fault.headers ?? {});
    }
    if (method !== 'GET' && fake.mode === 'read-only') return send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    const s = fake.state;
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === pullPath) return send(200, { number: options.pull, head: { sha: s.headSha } });
    if (method === 'GET' && path === `${pullPath}/files`) return list(s.files.map(({ hunks: _hunks, ...file }) => file));
    if (method === 'GET' && path === `${pullPath}/reviews`) return list(s.reviews);
    if (method === 'POST' && path === `${pullPath}/reviews`) {
      if (fake.mode === 'reject-reviews') return send(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
      const problem = offDiff(s.files, body.comments ?? []);
      if (problem) return send(422, { message: 'Unprocessable Entity', errors: [problem] });
      const id = nextId++;
      const review = { id, body: body.body, commit_id: body.commit_id, html_url: `https://github.test/${options.owner}/${options.repo}/pull/${options.pull}#pullrequestreview-${id}` };
      s.reviews.push(review);
      for (const c of body.comments ?? []) {
        s.reviewComments.push({ id: nextId++, pull_request_review_id: id, path: c.path, line: c.line, start_line: c.start_line ?? null, side: c.side, body: c.body });
      }
      return send(200, review);
    }
    if (method === 'PUT' && (m = new RegExp(`^${pullPath}/reviews/(\\d+)$`).exec(path))) {
      const review = s.reviews.find((r) => r.id === Number(m![1]));
      if (!review) return send(404, { message: 'Not Found' });
      review.body = body.body;
      return send(200, review);
    }
    if (method === 'GET' && path === `${pullPath}/comments`) return list(s.reviewComments);
    if (method === 'PATCH' && (m = new RegExp(`^${prefix}/pulls/comments/(\\d+)$`).exec(path))) {
      const comment = s.reviewComments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body.body;
      return send(200, comment);
    }
    if (method === 'DELETE' && (m = new RegExp(`^${prefix}/pulls/comments/(\\d+)$`).exec(path))) {
      const index = s.reviewComments.findIndex((c) => c.id === Number(m![1]));
      if (index < 0) return send(404, { message: 'Not Found' });
      s.reviewComments.splice(index, 1);
      return send(204);
    }
    if (method === 'GET' && path === `${prefix}/issues/${options.pull}/comments`) return list(s.issueComments);
    if (method === 'POST' && path === `${prefix}/issues/${options.pull}/comments`) {
      const comment = { id: nextId++, body: body.body };
      s.issueComments.push(comment);
      return send(201, comment);
    }
    if (method === 'PATCH' && (m = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(path))) {
      const comment = s.issueComments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body.body;
      return send(200, comment);
    }
    if (method === 'POST' && path === `${prefix}/check-runs`) {
      if ((body.output?.annotations ?? []).length > 50) return send(422, { message: 'Only 50 annotations are allowed per request' });
      const run = { id: nextId++, name: body.name, head_sha: body.head_sha, status: body.status, output: body.output, annotations: [...(body.output?.annotations ?? [])] };
      s.checkRuns.push(run);
      return send(201, run);
    }
    if (method === 'PATCH' && (m = new RegExp(`^${prefix}/check-runs/(\\d+)$`).exec(path))) {
      const run = s.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: 'Not Found' });
      if ((body.output?.annotations ?? []).length > 50) return send(422, { message: 'Only 50 annotations are allowed per request' });
      run.annotations.push(...(body.output?.annotations ?? []));
      run.output = body.output;
      if (body.status) run.status = body.status;
      if (body.conclusion) run.conclusion = body.conclusion;
      return send(200, run);
    }
    return send(404, { message: `Not Found: ${method} ${path}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: error.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  return {
    ...fake,
    get apiUrl() {
      return fake.apiUrl;
    },
    get mode() {
      return fake.mode;
    },
    set mode(value) {
      fake.mode = value;
    },
    get maxPerPage() {
      return fake.maxPerPage;
    },
    get faults() {
      return fake.faults;
    },
    set faults(value) {
      fake.faults = value;
    },
    set maxPerPage(value) {
      fake.maxPerPage = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** GitHub's rule: RIGHT side, line (and start_line) inside one hunk of a file that has a patch. */
function offDiff(files: FakePullFile[], comments: { path: string; line: number; side: string; start_line?: number; start_side?: string }[]): string | undefined {
  for (const c of comments) {
    const file = files.find((f) => f.filename === c.path);
    if (!file?.patch || !file.hunks) return `${c.path}: not part of the diff`;
    if (c.side !== 'RIGHT' || (c.start_line !== undefined && c.start_side !== 'RIGHT')) return `${c.path}:${c.line}: side must be RIGHT`;
    const start = c.start_line ?? c.line;
    const hunk = file.hunks.find(([first, last]) => c.line >= first && c.line <= last);
    if (!hunk || start < hunk[0] || start > c.line) return `${c.path}:${start}-${c.line}: pull_request_review_thread.line must be part of the diff`;
  }
  return undefined;
}
