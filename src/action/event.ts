/**
 * Where the run is: repository, pull request, commits and endpoints, from the variables
 * and the event payload the runner provides. GITHUB_API_URL makes GitHub Enterprise work.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './runner.js';

interface PullRequestInfo {
  number: number;
  /** The commit the review and check run are attached to (the PR head, not the merge commit). */
  headSha: string;
  /** Number of changed files GitHub reports, to notice a truncated file list. */
  changedFiles?: number;
  /** The head lives in another repository: the workflow token is read-only there. */
  fromFork: boolean;
  /** The base branch's commit when the event fired. */
  baseSha?: string;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  /** Scan root: the checked-out repository. */
  workspace: string;
  /** The commit being checked: the PR head for pull requests, GITHUB_SHA otherwise. */
  sha: string;
  pullRequest?: PullRequestInfo;
  /** push: the commit the branch pointed at before the push. */
  before?: string;
}

interface PullRequestPayload {
  number?: number;
  changed_files?: number;
  head?: { sha?: string; repo?: { full_name?: string } | null };
  base?: { sha?: string; repo?: { full_name?: string } };
}

export function readContext(env: Env): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: { pull_request?: PullRequestPayload; number?: number; before?: string } = {};
  if (env.GITHUB_EVENT_PATH) {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  }
  const pr = payload.pull_request;
  let pullRequest: PullRequestInfo | undefined;
  // pull_request and pull_request_target both carry the PR; anything else is a branch run.
  if (pr?.head?.sha && typeof (pr.number ?? payload.number) === 'number') {
    const headRepo = pr.head.repo?.full_name;
    const baseRepo = pr.base?.repo?.full_name;
    pullRequest = {
      number: (pr.number ?? payload.number)!,
      headSha: pr.head.sha,
      ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
      fromFork: !!headRepo && !!baseRepo && headRepo !== baseRepo,
      ...(typeof pr.base?.sha === 'string' && /^[0-9a-f]{40}$/i.test(pr.base.sha) ? { baseSha: pr.base.sha } : {}),
    };
  }
  return {
    eventName,
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    workspace,
    sha: pullRequest?.headSha ?? env.GITHUB_SHA ?? '',
    ...(pullRequest ? { pullRequest } : {}),
    ...(!pullRequest && typeof payload.before === 'string' && /^[0-9a-f]{40}$/i.test(payload.before) ? { before: payload.before } : {}),
  };
}
