/**
 * The inline review, kept in step with the findings instead of replaced on every run.
 *
 * Each of our comments carries the ids (finding fingerprints, call-out keys) it stands for.
 * On a run, a wanted comment that shares an id with a standing one keeps that comment: edited
 * in place when its text changed, untouched otherwise (no delete and re-post, so replies and
 * the reviewer's "resolved" state stay). Standing comments whose ids are no longer wanted are
 * edited to say so (fixed, or no longer new) once. Only the remaining wanted comments are
 * posted, as one COMMENT review (which never blocks a merge: fail-on does, via the job status).
 * An outdated comment (GitHub lost its line) is closed and its findings are posted afresh.
 */
import type { ExistingReviewComment, GitHubApi, Repo } from './github.js';
import { COMMENT_MARKER, REVIEW_MARKER, SUPERSEDED_MARKER } from './markdown.js';
import { closedBody, idsOf, isClosed, newReviewBody, type Thread } from './comments.js';

interface ReviewSync {
  created: number;
  kept: number;
  edited: number;
  closed: number;
  reviewId?: number;
  /** Problems after the new comments were posted: logged, not a reason to fall back. */
  warnings: string[];
}

/** Why a standing comment's ids are no longer wanted, for its closing text. */
export type CloseReason = (ids: string[]) => string;

export async function syncReview(
  api: GitHubApi,
  repo: Repo,
  pull: number,
  wanted: { commitId: string; threads: Thread[]; closeReason: CloseReason },
): Promise<ReviewSync> {
  const outcome: ReviewSync = { created: 0, kept: 0, edited: 0, closed: 0, warnings: [] };
  const reviews = (await api.listReviews(repo, pull)).filter((r) => r.body.includes(REVIEW_MARKER) || r.body.includes(SUPERSEDED_MARKER));
  const reviewIds = new Set(reviews.map((r) => r.id));
  const standing: ExistingReviewComment[] =
    reviews.length === 0
      ? []
      : (await api.listReviewComments(repo, pull)).filter(
          (c) => c.pull_request_review_id !== null && reviewIds.has(c.pull_request_review_id) && c.in_reply_to_id === undefined && c.body.includes(COMMENT_MARKER),
        );

  const used = new Set<number>();
  const toPost: Thread[] = [];
  const edits: { id: number; body: string; close: boolean }[] = [];
  for (const thread of wanted.threads) {
    const match = standing.find((c) => !used.has(c.id) && c.path === thread.path && idsOf(c.body).some((id) => thread.ids.includes(id)));
    if (!match) {
      toPost.push(thread);
      continue;
    }
    used.add(match.id);
    if (match.line === null || match.line === undefined) {
      // Outdated: GitHub no longer shows it on the code. Post it again where the finding is now.
      toPost.push(thread);
      if (!isClosed(match.body)) edits.push({ id: match.id, body: closedBody(match.body, 'Moved: see the newer comment on this finding', wanted.commitId), close: true });
      continue;
    }
    if (match.body.trim() === thread.body.trim()) outcome.kept++;
    else edits.push({ id: match.id, body: thread.body, close: false });
  }
  for (const c of standing) {
    if (used.has(c.id) || isClosed(c.body)) continue;
    // A new comment on the very same line stands for what this one said (PW003 became PW004).
    const replaced = toPost.some((t) => t.path === c.path && t.line === c.line);
    const ids = idsOf(c.body);
    // A comment from before ids were kept (an older portwall) cannot say what became of its finding.
    const why = replaced ? 'Replaced by the newer comment on this line' : ids.length === 0 ? 'Superseded by the current portwall review' : wanted.closeReason(ids);
    edits.push({ id: c.id, body: closedBody(c.body, why, wanted.commitId), close: true });
  }

  // New comments first: a failure half-way must not leave findings unshown.
  if (toPost.length > 0) {
    const review = await api.createReview(repo, pull, {
      commit_id: wanted.commitId,
      body: newReviewBody(toPost.length, wanted.commitId),
      comments: toPost.map((t) => ({ path: t.path, ...(t.startLine < t.line ? { start_line: t.startLine, start_side: 'RIGHT' as const } : {}), line: t.line, side: 'RIGHT' as const, body: t.body })),
    });
    outcome.created = toPost.length;
    outcome.reviewId = review.id;
  }
  for (const edit of edits) {
    try {
      await api.updateReviewComment(repo, edit.id, edit.body);
      if (edit.close) outcome.closed++;
      else outcome.edited++;
    } catch (error) {
      outcome.warnings.push(`could not edit review comment ${edit.id}: ${(error as Error).message}`);
    }
  }
  return outcome;
}
