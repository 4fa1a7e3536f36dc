/**
 * Puts the findings where the chosen comment-mode says, and falls back to workflow-command
 * annotations (plus the job summary, written by the caller) whenever GitHub refuses: a fork
 * PR's read-only token (403), missing `permissions:`, no token, or not a pull request.
 */
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { publishCheckRun } from './check-run.js';
import type { RunContext } from './event.js';
import { describeApiError, type GitHubApi, type ReviewComment } from './github.js';
import type { CommentMode } from './inputs.js';
import { countFindings, describeCounts, findingsTable, reviewBody, reviewCommentBody, summaryCommentBody } from './markdown.js';
import type { Placement } from './placement.js';
import { publishReview } from './review.js';
import { info, warning, type Runner } from './runner.js';
import { upsertSummaryComment } from './summary-comment.js';

/** Beyond this, inline comments bury the conversation; the rest go to the summary comment. */
export const MAX_INLINE_COMMENTS = 50;
const MAX_TABLE_ROWS = 100;

export interface PublishInput {
  runner: Runner;
  mode: CommentMode;
  context: RunContext;
  /** The findings this run reports (after only-changed), with their diff placement. */
  reported: Placement[];
  rules: Rule[];
  /** Returns the API client, or undefined when there is no token. */
  api: () => Promise<GitHubApi | undefined>;
  /** Workspace text of a scanned file, for suggestion blocks. */
  textOf: (file: string) => string | undefined;
  failed: boolean;
  /** The PR moved to another head since this run started: inline lines may no longer fit. */
  staleHead?: string;
}

export interface PublishOutcome {
  /** Why the findings went to workflow annotations instead, if they did (a clause, no final period). */
  fallback?: string;
  log: string[];
}

export async function publish(input: PublishInput): Promise<PublishOutcome> {
  const { mode, context } = input;
  const outcome: PublishOutcome = { log: [] };
  if (mode === 'none') return outcome;
  const pr = context.pullRequest;
  if (!pr && mode !== 'annotations') {
    outcome.fallback = `comment-mode ${mode} needs a pull request, and this is a ${context.eventName || 'non-pull-request'} run`;
    return outcome;
  }
  const api = await input.api();
  if (!api) {
    outcome.fallback = 'no github-token was given, so nothing can be posted through the API';
    return outcome;
  }
  const repo = { owner: context.owner, repo: context.repo };
  try {
    if (mode === 'annotations') {
      const findings = input.reported.map((p) => p.finding);
      const { id, requests } = await publishCheckRun(api, repo, {
        headSha: context.sha,
        title: findings.length ? describeCounts(countFindings(findings)) : 'No findings',
        summary: findings.length ? findingsTable(findings, { rules: input.rules, maxRows: MAX_TABLE_ROWS }) : 'portwall found nothing to report.',
        findings,
        failed: input.failed,
      });
      outcome.log.push(`check run ${id}: ${findings.length} annotation(s) in ${requests} request(s)`);
    } else if (mode === 'summary') {
      await summaryOnly(api, input, outcome, input.reported.map((p) => p.finding));
    } else if (input.staleHead) {
      outcome.log.push(`the pull request's head is now ${input.staleHead.slice(0, 7)}, not ${context.sha.slice(0, 7)}: leaving the review to the run for the newer commit`);
    } else {
      await reviewAndSummary(api, input, outcome);
    }
  } catch (error) {
    const failure = describeApiError(error);
    outcome.fallback = failure.forbidden
      ? `GitHub refused to let this token write to ${pr ? `pull request #${pr.number}` : 'the check runs'} (${failure.message}). ${pr?.fromFork ? 'The pull request comes from a fork, and GitHub gives such runs a read-only token' : `Grant the job the "${mode === 'annotations' ? 'checks: write' : 'pull-requests: write'}" permission`}`
      : `the GitHub API request failed (${failure.message})`;
  }
  return outcome;
}

async function summaryOnly(api: GitHubApi, input: PublishInput, outcome: PublishOutcome, findings: Finding[]): Promise<void> {
  const pr = input.context.pullRequest!;
  const body = findings.length > 0 ? summaryBody(input, findings, 'reported', '') : undefined;
  const result = await upsertSummaryComment(api, repoOf(input), pr.number, body, summaryBody(input, [], '', ''));
  outcome.log.push(`summary comment: ${result}`);
}

async function reviewAndSummary(api: GitHubApi, input: PublishInput, outcome: PublishOutcome): Promise<void> {
  const { context, runner } = input;
  const pr = context.pullRequest!;
  const anchored = input.reported.filter((p) => p.anchor);
  const inline = anchored.slice(0, MAX_INLINE_COMMENTS);
  const elsewhere = [...input.reported.filter((p) => !p.anchor), ...anchored.slice(MAX_INLINE_COMMENTS)].map((p) => p.finding);
  const comments: ReviewComment[] = [];
  for (const p of inline) {
    const a = p.anchor!;
    const text = input.textOf(p.finding.location.file) ?? '';
    comments.push({
      path: a.path,
      ...(a.startLine < a.line ? { start_line: a.startLine, start_side: 'RIGHT' as const } : {}),
      line: a.line,
      side: 'RIGHT',
      body: reviewCommentBody({ finding: p.finding, anchor: a, text }, input.rules),
    });
  }
  try {
    const review = await publishReview(api, repoOf(input), pr.number, {
      commitId: context.sha,
      body: reviewBody(inline.map((p) => p.finding), elsewhere.length, context.sha),
      comments,
    });
    outcome.log.push(
      `review: ${review.action}${review.reviewId ? ` (id ${review.reviewId})` : ''}, ${comments.length} inline comment(s); superseded ${review.superseded.length} earlier review(s), deleted ${review.deletedComments} old comment(s)${review.keptComments ? `, kept ${review.keptComments} with replies` : ''}`,
    );
    for (const w of review.warnings) warning(runner, `portwall: ${w}`);
  } catch (error) {
    const failure = describeApiError(error);
    // 422: GitHub rejected a comment position (the diff changed under us). Never retry a guess:
    // move those findings to the summary comment, which has no line constraint.
    if (failure.status !== 422) throw error;
    info(runner, `portwall: GitHub rejected the review (${failure.message}); listing its findings in the summary comment instead`);
    // No spread into call arguments: a review may hold tens of thousands of findings.
    const rest = elsewhere.splice(0);
    for (const p of inline) elsewhere.push(p.finding);
    for (const f of rest) elsewhere.push(f);
  }
  const body = elsewhere.length > 0 ? summaryBody(input, elsewhere, 'not shown inline', INLINE_NOTE) : undefined;
  const result = await upsertSummaryComment(api, repoOf(input), pr.number, body, summaryBody(input, [], '', ''));
  outcome.log.push(`summary comment: ${result} (${elsewhere.length} finding(s) not shown inline)`);
}

function repoOf(input: PublishInput) {
  return { owner: input.context.owner, repo: input.context.repo };
}

const INLINE_NOTE = 'These are outside the lines the diff shows, in files GitHub shows no diff for, or beyond the inline comment limit.';

function summaryBody(input: PublishInput, findings: Finding[], reason: string, note: string): string {
  const c = input.context;
  return summaryCommentBody(findings, { rules: input.rules, maxRows: MAX_TABLE_ROWS, sha: c.sha, reason, note, blobUrl: `${c.serverUrl}/${c.owner}/${c.repo}/blob/${c.sha}` });
}
