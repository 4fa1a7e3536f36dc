/** syncReview against an in-memory GitHub: keep, edit, close and post decisions; one comment per line. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { findingThread, idsLine, type Thread } from '../../src/action/comments.js';
import type { ExistingReview, ExistingReviewComment, GitHubApi } from '../../src/action/github.js';
import { COMMENT_MARKER, REVIEW_MARKER } from '../../src/action/markdown.js';
import { syncReview } from '../../src/action/review.js';

function memoryApi(reviews: ExistingReview[], comments: ExistingReviewComment[]) {
  const calls: string[] = [];
  const api: Partial<GitHubApi> = {
    listReviews: async () => reviews,
    listReviewComments: async () => comments,
    createReview: async (_r, _p, review) => {
      calls.push(`create ${review.comments.map((c) => `${c.path}:${c.line}`).join(',')}`);
      return { id: 50, body: review.body, html_url: 'https://github.test/r/50' };
    },
    updateReviewComment: async (_r, id, body) => {
      calls.push(`edit ${id}: ${body.split('\n').slice(2).join(' | ')}`);
    },
    deleteReviewComment: async (_r, id) => {
      calls.push(`delete ${id}`);
    },
  };
  return { api: api as GitHubApi, calls };
}

const repo = { owner: 'acme', repo: 'shop' };
const body = (ids: string[], text: string) => `${COMMENT_MARKER}\n${idsLine(ids)}\n${text}`;
const comment = (id: number, reviewId: number, line: number | null, ids: string[], text = `**finding ${ids.join(',')}**`, extra: Partial<ExistingReviewComment> = {}): ExistingReviewComment => ({
  id,
  pull_request_review_id: reviewId,
  path: 'a.yml',
  line,
  start_line: null,
  side: 'RIGHT',
  body: body(ids, text),
  ...extra,
});
const thread = (line: number, ids: string[], text = `**finding ${ids.join(',')}**`): Thread => ({ ids, path: 'a.yml', startLine: line, line, body: body(ids, text) });
const sync = (api: GitHubApi, threads: Thread[]) => syncReview(api, repo, 7, { commitId: 'f'.repeat(40), threads, closeReason: () => 'Fixed' });

describe('syncReview', () => {
  it('posts nothing when the standing comments are the wanted ones', async () => {
    const { api, calls } = memoryApi([{ id: 10, body: REVIEW_MARKER }], [comment(11, 10, 4, ['aa'])]);
    expect(await sync(api, [thread(4, ['aa'])])).toMatchObject({ created: 0, kept: 1, edited: 0, closed: 0 });
    expect(calls).toEqual([]);
  });

  it('edits a comment whose text changed, closes a fixed one, and posts only the new one; never deletes', async () => {
    const { api, calls } = memoryApi([{ id: 10, body: REVIEW_MARKER }], [comment(11, 10, 4, ['aa']), comment(12, 10, 9, ['bb'])]);
    const outcome = await sync(api, [thread(4, ['aa'], '**finding aa, reworded**'), thread(20, ['cc'])]);
    expect(outcome).toMatchObject({ created: 1, kept: 0, edited: 1, closed: 1 });
    expect(calls).toEqual(['create a.yml:20', 'edit 11: **finding aa, reworded**', 'edit 12: <!-- portwall-closed --> | **Fixed as of commit fffffff.** |  | ~~**finding bb**~~']);
  });

  it('re-posts a finding whose comment is outdated and closes the outdated one', async () => {
    const { api, calls } = memoryApi([{ id: 10, body: REVIEW_MARKER }], [comment(11, 10, null, ['aa'])]);
    await sync(api, [thread(5, ['aa'])]);
    expect(calls[0]).toBe('create a.yml:5');
    expect(calls[1]).toContain('edit 11: <!-- portwall-closed --> | **Moved');
  });

  it('closes a comment of an older portwall (no ids) as superseded, not fixed', async () => {
    const old: ExistingReviewComment = { id: 31, pull_request_review_id: 30, path: 'a.yml', line: 4, start_line: null, side: 'RIGHT', body: `${COMMENT_MARKER}\n**Error: PW004**` };
    const { api, calls } = memoryApi([{ id: 30, body: REVIEW_MARKER }], [old]);
    await sync(api, []);
    expect(calls).toEqual(['edit 31: <!-- portwall-closed --> | **Superseded by the current portwall review as of commit fffffff.** |  | ~~**Error: PW004**~~']);
  });

  it('ignores reviews and comments without the markers, replies, and already closed comments', async () => {
    const { api, calls } = memoryApi(
      [{ id: 10, body: 'LGTM' }, { id: 20, body: REVIEW_MARKER }],
      [comment(11, 10, 4, ['aa']), comment(21, 20, 4, ['aa'], '<!-- portwall-closed -->\nold'), comment(22, 20, 4, ['bb'], 'reply', { in_reply_to_id: 21 })],
    );
    expect(await sync(api, [])).toMatchObject({ created: 0, closed: 0 });
    expect(calls).toEqual([]);
  });
});

describe('findingThread', () => {
  const f = (id: string, message: string, fix = false): Finding => ({
    ruleId: 'PW001',
    ruleName: 'public-port',
    level: 'warning',
    message,
    location: { file: 'a.yml', region: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 20, startOffset: 30, endOffset: 41 } },
    related: [],
    subjects: [],
    fingerprint: id,
    suppressions: [],
    ...(fix ? { fix: { description: 'Publish on 127.0.0.1', edits: [] } } : {}),
  });
  const anchor = { path: 'a.yml', startLine: 3, line: 3, shift: 0, onPrimary: true };

  it('puts the findings of one line in one comment, with every id and at most one fix', () => {
    const t = findingThread([{ finding: f('aa', 'first', true), anchor }, { finding: f('bb', 'second', true), anchor }], [], () => 'services:\n  a:\n      - "8080:80"\n');
    expect(t.ids).toEqual(['aa', 'bb']);
    expect(t.body.split('\n').slice(0, 3)).toEqual([COMMENT_MARKER, '<!-- portwall-ids: aa bb -->', '**portwall: 2 new findings on this line**']);
    expect(t.body).toContain('first');
    expect(t.body).toContain('second');
    expect(t.body.match(/Fix available|Suggested fix/g)).toHaveLength(1);
  });
});
