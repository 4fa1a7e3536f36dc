/**
 * Puts the findings where the chosen comment-mode says, and falls back to workflow-command
 * annotations (plus the job summary, written by the caller) whenever GitHub refuses: a fork
 * PR's read-only token (403), missing `permissions:`, no token, or not a pull request.
 */
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { publishCheckRun } from './check-run.js';
import type { Thread } from './comments.js';
import type { RunContext } from './event.js';
import { describeApiError, type GitHubApi } from './github.js';
import type { CommentMode } from './inputs.js';
import { countFindings, describeCounts, findingsTable } from './markdown.js';
import { syncReview, type CloseReason } from './review.js';
import { info, warning, type Runner } from './runner.js';
import { upsertSummaryComment } from './summary-comment.js';

/** Beyond this, inline comments bury the conversation; the rest go to the summary comment. */
export const MAX_INLINE_COMMENTS = 50;
const MAX_TABLE_ROWS = 100;

interface PublishInput {
  runner: Runner;
  mode: CommentMode;
  context: RunContext;
  /** The findings this run reports (new ones on a pull request). */
  findings: Finding[];
  /** Inline comments wanted (findings grouped by line, and call-outs). */
  threads: Thread[];
  /** Summary comment body for review mode, built with and without the inline threads. */
  summary: (inlineWorked: boolean) => string | undefined;
  /** Body when nothing is to be said but an earlier summary comment exists. */
  clearedSummary: string;
  closeReason: CloseReason;
  rules: Rule[];
  /** Returns the API client, or undefined when there is no token. */
  api: () => Promise<GitHubApi | undefined>;
  failed: boolean;
  /** The PR moved to another head since this run started: inline lines may no longer fit. */
  staleHead?: string;
}

interface PublishOutcome {
  /** Why the findings went to workflow annotations instead, if they did (a clause, no final period). */
  fallback?: string;
  /** Not a pull request: the findings are in annotations and the job summary, as they should be (no warning). */
  quiet?: string;
  log: string[];
}

export async function publish(input: PublishInput): Promise<PublishOutcome> {
  const { mode, context } = input;
  const outcome: PublishOutcome = { log: [] };
  if (mode === 'none') return outcome;
  const pr = context.pullRequest;
  if (!pr && mode !== 'annotations') {
    outcome.quiet = `comment-mode ${mode} applies to pull requests; on this ${context.eventName || 'non-pull-request'} run the findings are reported as workflow annotations and in the job summary`;
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
      const findings = input.findings;
      const { id, requests } = await publishCheckRun(api, repo, {
        headSha: context.sha,
        title: findings.length ? describeCounts(countFindings(findings)) : 'No findings',
        summary: findings.length ? findingsTable(findings, { rules: input.rules, maxRows: MAX_TABLE_ROWS }) : 'portwall found nothing to report.',
        findings,
        failed: input.failed,
      });
      outcome.log.push(`check run ${id}: ${findings.length} annotation(s) in ${requests} request(s)`);
    } else if (mode === 'summary') {
      const result = await upsertSummaryComment(api, repo, pr!.number, input.summary(false), input.clearedSummary);
      outcome.log.push(`summary comment: ${result}`);
    } else if (input.staleHead) {
      outcome.log.push(`the pull request's head is now ${input.staleHead.slice(0, 7)}, not ${context.sha.slice(0, 7)}: leaving the review to the run for the newer commit`);
    } else {
      let inlineWorked = true;
      try {
        const sync = await syncReview(api, repo, pr!.number, { commitId: context.sha, threads: input.threads, closeReason: input.closeReason });
        outcome.log.push(`review: ${sync.created} comment(s) posted${sync.reviewId ? ` (review ${sync.reviewId})` : ''}, ${sync.kept} kept, ${sync.edited} edited, ${sync.closed} closed`);
        for (const w of sync.warnings) warning(input.runner, `portwall: ${w}`);
      } catch (error) {
        const failure = describeApiError(error);
        // 422: GitHub rejected a comment position (the diff changed under us). Never retry a guess:
        // list those findings in the summary comment, which has no line constraint.
        if (failure.status !== 422) throw error;
        info(input.runner, `portwall: GitHub rejected the review (${failure.message}); listing its findings in the summary comment instead`);
        inlineWorked = false;
      }
      const result = await upsertSummaryComment(api, repo, pr!.number, input.summary(inlineWorked), input.clearedSummary);
      outcome.log.push(`summary comment: ${result}`);
    }
  } catch (error) {
    const failure = describeApiError(error);
    outcome.fallback = failure.forbidden
      ? `GitHub refused to let this token write to ${pr ? `pull request #${pr.number}` : 'the check runs'} (${failure.message}). ${pr?.fromFork ? 'The pull request comes from a fork, and GitHub gives such runs a read-only token' : `Grant the job the "${mode === 'annotations' ? 'checks: write' : 'pull-requests: write'}" permission`}`
      : `the GitHub API request failed (${failure.message})`;
  }
  return outcome;
}
