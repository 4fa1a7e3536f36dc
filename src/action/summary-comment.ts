/**
 * The one portwall summary comment on the PR conversation, found by its hidden marker and
 * edited in place on later runs. It carries what an inline comment cannot: findings outside
 * the diff, in files GitHub shows no patch for, or beyond the inline-comment cap.
 */
import type { GitHubApi, Repo } from './github.js';
import { SUMMARY_MARKER } from './markdown.js';

type SummaryOutcome = 'created' | 'updated' | 'unchanged' | 'nothing';

/** `body` undefined: nothing to say; an earlier comment, if any, is then updated with `clearedBody`. */
export async function upsertSummaryComment(api: GitHubApi, repo: Repo, issue: number, body: string | undefined, clearedBody: string): Promise<SummaryOutcome> {
  const existing = (await api.listIssueComments(repo, issue)).find((c) => c.body.includes(SUMMARY_MARKER));
  if (!existing) {
    if (body === undefined) return 'nothing';
    await api.createIssueComment(repo, issue, body);
    return 'created';
  }
  const wanted = body ?? clearedBody;
  if (existing.body.trim() === wanted.trim()) return 'unchanged';
  await api.updateIssueComment(repo, existing.id, wanted);
  return 'updated';
}
