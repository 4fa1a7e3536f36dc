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

export interface ReviewComment {
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
  listIssueComments(repo: Repo, issue: number): Promise<{ id: number; body: string }[]>;
  createIssueComment(repo: Repo, issue: number, body: string): Promise<void>;
  updateIssueComment(repo: Repo, commentId: number, body: string): Promise<void>;
  createCheckRun(repo: Repo, run: { name: string; head_sha: string; title: string; summary: string; annotations: CheckAnnotation[] }): Promise<number>;
  updateCheckRun(repo: Repo, id: number, run: { title: string; summary: string; annotations: CheckAnnotation[]; conclusion?: 'success' | 'failure' | 'neutral' }): Promise<void>;
}

/** Exactly the route parameters: octokit sends unknown keys as query or body fields. */
function only(r: Repo): Repo {
  return { owner: r.owner, repo: r.repo };
}

export async function createGitHubApi(token: string, baseUrl: string): Promise<GitHubApi> {
  const { Octokit } = await import('@octokit/rest');
  const octokit: Octokit = new Octokit({
    auth: token,
    baseUrl,
    userAgent: `portwall-action/${VERSION}`,
    request: { fetch: (url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
    // Octokit logs deprecations with console.warn; the job log should carry only our lines.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const rest = octokit.rest;
  return {
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
        status: 'in_progress',
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

export interface ApiFailure {
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
  return { ...(status !== undefined ? { status } : {}), forbidden: status === 403, message: `HTTP ${status ?? '?'}: ${message}` };
}
