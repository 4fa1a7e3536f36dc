/** publishReview against an in-memory GitHub: the replace / clear / keep-replies decisions. */
import { describe, expect, it } from 'vitest';
import type { ExistingReview, ExistingReviewComment, GitHubApi, ReviewComment } from '../../src/action/github.js';
import { COMMENT_MARKER, REVIEW_MARKER } from '../../src/action/markdown.js';
import { publishReview } from '../../src/action/review.js';

function memoryApi(reviews: ExistingReview[], comments: ExistingReviewComment[]) {
  const calls: string[] = [];
  const api: Partial<GitHubApi> = {
    listReviews: async () => reviews,
    listReviewComments: async () => comments,
    createReview: async (_r, _p, review) => {
      calls.push(`create ${review.comments.length}`);
      return { id: 50, body: review.body, html_url: 'https://github.test/r/50' };
    },
    updateReview: async (_r, _p, id, body) => {
      calls.push(`update ${id}: ${body}`);
    },
    deleteReviewComment: async (_r, id) => {
      calls.push(`delete ${id}`);
    },
  };
  return { api: api as GitHubApi, calls };
}

const repo = { owner: 'acme', repo: 'shop' };
const comment = (id: number, reviewId: number, line: number, extra: Partial<ExistingReviewComment> = {}): ExistingReviewComment => ({ id, pull_request_review_id: reviewId, path: 'a.yml', line, start_line: null, side: 'RIGHT', body: `${COMMENT_MARKER}\nfinding ${line}`, ...extra });
const wanted = (line: number): ReviewComment => ({ path: 'a.yml', line, side: 'RIGHT', body: `${COMMENT_MARKER}\nfinding ${line}` });

describe('publishReview', () => {
  it('clears the earlier review when nothing is left to comment on', async () => {
    const { api, calls } = memoryApi([{ id: 10, body: `${REVIEW_MARKER}\nold` }], [comment(11, 10, 4), comment(12, 10, 9)]);
    const outcome = await publishReview(api, repo, 7, { commitId: 'f'.repeat(40), body: 'unused', comments: [] });
    expect(outcome).toMatchObject({ action: 'cleared', superseded: [10], deletedComments: 2 });
    expect(calls).toEqual(['update 10: <!-- portwall-review-superseded -->\n_As of commit fffffff, portwall finds nothing on the lines this pull request changes._', 'delete 11', 'delete 12']);
  });

  it('posts nothing when the standing comments are the wanted ones, and replaces outdated ones', async () => {
    const same = memoryApi([{ id: 10, body: REVIEW_MARKER }], [comment(11, 10, 4)]);
    expect((await publishReview(same.api, repo, 7, { commitId: 'f'.repeat(40), body: REVIEW_MARKER, comments: [wanted(4)] })).action).toBe('unchanged');
    expect(same.calls).toEqual([]);
    const outdated = memoryApi([{ id: 10, body: REVIEW_MARKER }], [comment(11, 10, 4, { line: null })]);
    expect((await publishReview(outdated.api, repo, 7, { commitId: 'f'.repeat(40), body: REVIEW_MARKER, comments: [wanted(4)] })).action).toBe('created');
  });

  it('ignores reviews and comments without the markers (people, other bots, superseded reviews)', async () => {
    const { api, calls } = memoryApi(
      [{ id: 10, body: 'LGTM' }, { id: 20, body: '<!-- portwall-review-superseded -->\n_old_' }],
      [comment(11, 10, 4, { body: 'a human comment' })],
    );
    const outcome = await publishReview(api, repo, 7, { commitId: 'f'.repeat(40), body: REVIEW_MARKER, comments: [] });
    expect(outcome.action).toBe('nothing');
    expect(calls).toEqual([]);
  });
});
