/**
 * One portwall review per run, replacing the previous one instead of stacking.
 *
 * Submitted reviews cannot be deleted, and dismissal only applies to approvals and change
 * requests, so "replace" means: post the new review (event COMMENT, which never blocks a
 * merge — fail-on does that through the job status), then rewrite the old review's body to
 * say it is superseded and delete the old review's inline comments. A comment someone replied
 * to is kept: deleting it would orphan a human conversation. When the new comments equal the
 * standing ones (a re-run, or a push that did not move them), nothing is posted at all.
 *
 * The new review goes up before the old one is touched, so a failure half-way never leaves a
 * pull request with no current findings.
 */
import { COMMENT_MARKER, REVIEW_MARKER, supersededBody } from './markdown.js';
import type { ExistingReviewComment, GitHubApi, Repo, ReviewComment } from './github.js';

export interface ReviewOutcome {
  action: 'created' | 'unchanged' | 'cleared' | 'nothing';
  reviewId?: number;
  superseded: number[];
  deletedComments: number;
  keptComments: number;
  /** Problems after the new review was posted: logged, not a reason to fall back. */
  warnings: string[];
}

function commentKey(c: { path: string; line?: number | null; start_line?: number | null; body: string }): string {
  // A one-line comment reads back with start_line null; treat it as equal to line.
  const start = c.start_line ?? c.line;
  return JSON.stringify([c.path, start, c.line, c.body.trim()]);
}

export async function publishReview(
  api: GitHubApi,
  repo: Repo,
  pull: number,
  review: { commitId: string; body: string; comments: ReviewComment[] },
): Promise<ReviewOutcome> {
  const previous = (await api.listReviews(repo, pull)).filter((r) => r.body.includes(REVIEW_MARKER));
  const previousIds = new Set(previous.map((r) => r.id));
  const allComments = previous.length > 0 ? await api.listReviewComments(repo, pull) : [];
  const ours = allComments.filter((c) => c.pull_request_review_id !== null && previousIds.has(c.pull_request_review_id) && c.body.includes(COMMENT_MARKER));

  const outcome: ReviewOutcome = { action: 'nothing', superseded: [], deletedComments: 0, keptComments: 0, warnings: [] };
  if (previous.length === 1 && sameComments(ours, review.comments)) {
    return { ...outcome, action: 'unchanged', reviewId: previous[0]!.id };
  }
  if (review.comments.length === 0 && previous.length === 0) return outcome;

  let latestUrl: string | undefined;
  if (review.comments.length > 0) {
    const created = await api.createReview(repo, pull, { commit_id: review.commitId, body: review.body, comments: review.comments });
    outcome.action = 'created';
    outcome.reviewId = created.id;
    latestUrl = created.html_url;
  } else {
    outcome.action = 'cleared';
  }

  const repliedTo = new Set(allComments.map((c) => c.in_reply_to_id).filter((id): id is number => id !== undefined));
  for (const old of previous) {
    try {
      await api.updateReview(repo, pull, old.id, supersededBody(review.commitId, latestUrl));
      outcome.superseded.push(old.id);
    } catch (error) {
      outcome.warnings.push(`could not mark review ${old.id} as superseded: ${(error as Error).message}`);
    }
  }
  for (const comment of ours) {
    if (repliedTo.has(comment.id)) {
      outcome.keptComments++;
      continue;
    }
    try {
      await api.deleteReviewComment(repo, comment.id);
      outcome.deletedComments++;
    } catch (error) {
      outcome.warnings.push(`could not delete review comment ${comment.id}: ${(error as Error).message}`);
    }
  }
  return outcome;
}

function sameComments(existing: ExistingReviewComment[], wanted: ReviewComment[]): boolean {
  // Outdated comments (line null) no longer sit where the finding is: they never count as equal.
  if (existing.length !== wanted.length || existing.some((c) => c.line === null || c.line === undefined)) return false;
  const have = existing.map(commentKey).sort();
  const want = wanted.map(commentKey).sort();
  return have.every((key, i) => key === want[i]);
}
