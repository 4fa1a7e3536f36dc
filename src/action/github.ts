/**
 * The GitHub REST calls the action makes, over @octokit/rest loaded lazily: a run that posts
 * nothing (comment-mode none on a branch) never loads it. The only place octokit is used.
 */
import type { Octokit } from '@octokit/rest';
import { VERSION } from '../version.js';
import type { PullFileEntry } from './diff.js';

/** Every request is bounded: a hung API must not hold the job until the 6-hour timeout. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface Repo {
  owner: string;
  repo: string;
}

interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ExistingReview {
  id: number;
  body: string;
  html_url?: string;
}

export interface ExistingReviewComment {
  id: number;
  pull_request_review_id: number | null;
  in_reply_to_id?: number;
  path: string;
  line?: number | null;
  start_line?: number | null;
  side?: string;
  body: string;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

export interface GitHubApi {
  pullHeadSha(repo: Repo, pull: number): Promise<string>;
  listPullFiles(repo: Repo, pull: number): Promise<PullFileEntry[]>;
  listReviews(repo: Repo, pull: number): Promise<ExistingReview[]>;
  createReview(repo: Repo, pull: number, review: { commit_id: string; body: string; comments: ReviewComment[] }): Promise<ExistingReview>;
  updateReview(repo: Repo, pull: number, reviewId: number, body: string): Promise<void>;
  listReviewComments(repo: Repo, pull: number): Promise<ExistingReviewComment[]>;
  deleteReviewComment(repo: Repo, commentId: number): Promise<void>;
  updateReviewComment(repo: Repo, commentId: number, body: string): Promise<void>;
  listIssueComments(repo: Repo, issue: number): Promise<{ id: number; body: string }[]>;
  createIssueComment(repo: Repo, issue: number, body: string): Promise<void>;
  updateIssueComment(repo: Repo, commentId: number, body: string): Promise<void>;
  createCheckRun(repo: Repo, run: { name: string; head_sha: string; title: string; summary: string; annotations: CheckAnnotation[]; conclusion?: 'success' | 'failure' | 'neutral' }): Promise<number>;
  updateCheckRun(repo: Repo, id: number, run: { title: string; summary: string; annotations: CheckAnnotation[]; conclusion?: 'success' | 'failure' | 'neutral' }): Promise<void>;
}

/** Exactly the route parameters: octokit sends unknown keys as query or body fields. */
function only(r: Repo): Repo {
  return { owner: r.owner, repo: r.repo };
}

/** How the client waits: injectable so tests never sleep, and counted for the run's log. */
interface ApiPacing {
  /** Wait; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Each single wait is capped at this (PORTWALL_ACTION_MAX_SLEEP_MS); default no cap below the budget. */
  maxSleepMs?: number;
  /** Minimum gap between two writes (GitHub asks for one second between mutative requests). */
  writeIntervalMs?: number;
  /** Retries per request after a rate limit or a 502/503/504. */
  maxRetries?: number;
  /** Longest wait GitHub may ask for before we give up instead (the job is not held for an hour). */
  maxWaitMs?: number;
  log?: (line: string) => void;
}

export interface ApiStats {
  reads: number;
  writes: number;
  retries: number;
  /** Time the client asked to wait (pacing and back-off), in ms. */
  waitedMs: number;
}

const DEFAULT_PACING = { writeIntervalMs: 1000, maxRetries: 4, maxWaitMs: 120_000 } as const;

/**
 * How long to wait before retrying a failed request, or undefined to give up: primary rate
 * limit (x-ratelimit-remaining 0: until x-ratelimit-reset), secondary rate limit (403/429 with
 * retry-after, else at least a minute as GitHub's docs say), and 502/503/504 (exponential).
 * A plain 403 (no permission) is never retried.
 */
export function retryDelay(error: unknown, attempt: number, nowMs: number): number | undefined {
  const e = error as { status?: number; response?: { headers?: Record<string, string | number | undefined>; data?: { message?: string } } };
  const status = e.status;
  const headers = e.response?.headers ?? {};
  const header = (name: string) => (headers[name] === undefined ? undefined : String(headers[name]));
  const retryAfter = header('retry-after');
  const message = e.response?.data?.message ?? '';
  if (status === 429 || status === 403) {
    if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    if (header('x-ratelimit-remaining') === '0' && header('x-ratelimit-reset')) return Math.max(1000, Number(header('x-ratelimit-reset')) * 1000 - nowMs + 1000);
    if (status === 429 || /secondary rate limit|abuse/i.test(message)) return 60_000 * 2 ** attempt;
    return undefined;
  }
  if (status === 502 || status === 503 || status === 504) return retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 1000 * 2 ** attempt;
  return undefined;
}

export async function createGitHubApi(token: string, baseUrl: string, pacing: ApiPacing = {}): Promise<GitHubApi & { stats: ApiStats }> {
  const { Octokit } = await import('@octokit/rest');
  const stats: ApiStats = { reads: 0, writes: 0, retries: 0, waitedMs: 0 };
  const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const sleep = async (ms: number) => {
    stats.waitedMs += ms;
    const capped = pacing.maxSleepMs === undefined ? ms : Math.min(ms, pacing.maxSleepMs);
    if (capped > 0) await (pacing.sleep ?? realSleep)(capped);
  };
  const writeInterval = pacing.writeIntervalMs ?? DEFAULT_PACING.writeIntervalMs;
  const maxRetries = pacing.maxRetries ?? DEFAULT_PACING.maxRetries;
  const maxWait = pacing.maxWaitMs ?? DEFAULT_PACING.maxWaitMs;
  let lastWrite = -Infinity;
  const octokit: Octokit = new Octokit({
    auth: token,
    baseUrl,
    userAgent: `portwall-action/${VERSION}`,
    request: { fetch: (url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
    // Octokit logs deprecations with console.warn; the job log should carry only our lines.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octokit.hook.wrap('request', async (request, options) => {
    const write = !['GET', 'HEAD'].includes(String(options.method).toUpperCase());
    let waitedHere = 0;
    for (let attempt = 0; ; attempt++) {
      if (write) {
        const gap = lastWrite + writeInterval - performance.now();
        if (gap > 0) await sleep(Math.ceil(gap));
        lastWrite = performance.now();
        stats.writes++;
      } else {
        stats.reads++;
      }
      try {
        return await request(options);
      } catch (error) {
        const delay = retryDelay(error, attempt, Date.now());
        // Never repeat a POST the server may have carried out (a 5xx): only rate limits, which refuse it.
        const unsafe = write && String(options.method).toUpperCase() === 'POST' && ((error as { status?: number }).status ?? 0) >= 500;
        if (delay === undefined || unsafe || attempt >= maxRetries || waitedHere + delay > maxWait) throw error;
        stats.retries++;
        waitedHere += delay;
        pacing.log?.(`GitHub answered ${(error as { status?: number }).status} to ${options.method} ${String(options.url)}; retrying in ${Math.round(delay / 1000)} s (attempt ${attempt + 2} of ${maxRetries + 1})`);
        await sleep(delay);
      }
    }
  });
  const rest = octokit.rest;
  return {
    stats,
    async pullHeadSha(r, pull) {
      return (await rest.pulls.get({ ...only(r), pull_number: pull })).data.head.sha;
    },
    listPullFiles: (r, pull) => octokit.paginate(rest.pulls.listFiles, { ...only(r), pull_number: pull, per_page: 100 }),
    listReviews: async (r, pull) =>
      (await octokit.paginate(rest.pulls.listReviews, { ...only(r), pull_number: pull, per_page: 100 })).map((x) => ({ id: x.id, body: x.body ?? '', html_url: x.html_url })),
    async createReview(r, pull, review) {
      const { data } = await rest.pulls.createReview({ ...only(r), pull_number: pull, event: 'COMMENT', ...review });
      return { id: data.id, body: data.body ?? '', html_url: data.html_url };
    },
    async updateReview(r, pull, reviewId, body) {
      await rest.pulls.updateReview({ ...only(r), pull_number: pull, review_id: reviewId, body });
    },
    listReviewComments: async (r, pull) =>
      (await octokit.paginate(rest.pulls.listReviewComments, { ...only(r), pull_number: pull, per_page: 100 })).map((c) => ({
        id: c.id,
        pull_request_review_id: c.pull_request_review_id,
        ...(c.in_reply_to_id ? { in_reply_to_id: c.in_reply_to_id } : {}),
        path: c.path,
        line: c.line ?? null,
        start_line: c.start_line ?? null,
        ...(c.side ? { side: c.side } : {}),
        body: c.body,
      })),
    async deleteReviewComment(r, commentId) {
      await rest.pulls.deleteReviewComment({ ...only(r), comment_id: commentId });
    },
    async updateReviewComment(r, commentId, body) {
      await rest.pulls.updateReviewComment({ ...only(r), comment_id: commentId, body });
    },
    listIssueComments: async (r, issue) =>
      (await octokit.paginate(rest.issues.listComments, { ...only(r), issue_number: issue, per_page: 100 })).map((c) => ({ id: c.id, body: c.body ?? '' })),
    async createIssueComment(r, issue, body) {
      await rest.issues.createComment({ ...only(r), issue_number: issue, body });
    },
    async updateIssueComment(r, commentId, body) {
      await rest.issues.updateComment({ ...only(r), comment_id: commentId, body });
    },
    async createCheckRun(r, run) {
      const { data } = await rest.checks.create({
        ...only(r),
        name: run.name,
        head_sha: run.head_sha,
        ...(run.conclusion ? { status: 'completed' as const, conclusion: run.conclusion } : { status: 'in_progress' as const }),
        output: { title: run.title, summary: run.summary, annotations: run.annotations },
      });
      return data.id;
    },
    async updateCheckRun(r, id, run) {
      await rest.checks.update({
        ...only(r),
        check_run_id: id,
        ...(run.conclusion ? { status: 'completed' as const, conclusion: run.conclusion } : {}),
        output: { title: run.title, summary: run.summary, annotations: run.annotations },
      });
    },
  };
}

interface ApiFailure {
  status?: number;
  /** The token may not write here: a fork PR's read-only token, or missing `permissions:`. */
  forbidden: boolean;
  message: string;
}

/** Octokit's RequestError, a timeout, or a network failure, described for the log. */
export function describeApiError(error: unknown): ApiFailure {
  const e = error as { status?: number; message?: string; name?: string; response?: { data?: { message?: string }; headers?: Record<string, string | undefined> } };
  const message = e.response?.data?.message ?? e.message ?? String(error);
  // Octokit reports a failed fetch (refused, DNS, timeout) as status 500 without a response.
  if (!e.response) {
    if (e.name === 'TimeoutError' || /timeout|aborted/i.test(message)) return { forbidden: false, message: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` };
    return { forbidden: false, message: `the API cannot be reached: ${message}` };
  }
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === 403 && e.response.headers?.['x-ratelimit-remaining'] === '0') return { status, forbidden: false, message: `HTTP 403: API rate limit exhausted (${message})` };
  if ((status === 403 || status === 429) && (e.response.headers?.['retry-after'] !== undefined || /secondary rate limit|abuse/i.test(message))) {
    return { status, forbidden: false, message: `HTTP ${status}: rate limited after ${DEFAULT_PACING.maxRetries} retries (${message})` };
  }
  return { ...(status !== undefined ? { status } : {}), forbidden: status === 403, message: `HTTP ${status ?? '?'}: ${message}` };
}
