/** The API client's manners, in-process against the fake GitHub: paced writes, retry-after, bounded back-off (sleep injected). */
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubApi, retryDelay } from '../../src/action/github.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});
const repo = { owner: 'acme', repo: 'shop' };

async function client() {
  github = await startFakeGitHub({ owner: 'acme', repo: 'shop', pull: 7, state: { headSha: 'a'.repeat(40), files: [] } });
  const sleeps: number[] = [];
  const api = await createGitHubApi('t', github.apiUrl, { sleep: async (ms) => void sleeps.push(ms) });
  return { api, sleeps, github };
}

describe('retryDelay', () => {
  const err = (status: number, headers: Record<string, string> = {}, message = '') => ({ status, response: { headers, data: { message } } });
  it('reads retry-after, the primary reset, secondary limits and gateway errors; never a plain 403', () => {
    expect(retryDelay(err(403, { 'retry-after': '7' }), 0, 0)).toBe(7000);
    expect(retryDelay(err(429), 1, 0)).toBe(120_000);
    expect(retryDelay(err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }), 0, 90_000)).toBe(11_000);
    expect(retryDelay(err(403, {}, 'You have exceeded a secondary rate limit'), 0, 0)).toBe(60_000);
    expect(retryDelay(err(502), 2, 0)).toBe(4000);
    expect(retryDelay(err(403, {}, 'Resource not accessible by integration'), 0, 0)).toBeUndefined();
    expect(retryDelay(err(404), 0, 0)).toBeUndefined();
  });
});

describe('createGitHubApi', () => {
  it('paces writes a second apart and waits as retry-after says', async () => {
    const { api, sleeps, github } = await client();
    github.faults = [{ method: 'POST', path: /\/issues\/7\/comments$/, status: 403, headers: { 'retry-after': '3' }, times: 1 }];
    await api.createIssueComment(repo, 7, 'one');
    await api.createIssueComment(repo, 7, 'two');
    expect(github.state.issueComments.map((c) => c.body)).toEqual(['one', 'two']);
    expect(sleeps[0]).toBe(3000);
    // The retry and the second comment each wait out the one-second gap after the previous write.
    expect(sleeps).toHaveLength(3);
    expect(sleeps.slice(1).every((ms) => ms > 0 && ms <= 1000)).toBe(true);
    expect(api.stats).toMatchObject({ writes: 3, retries: 1 });
  });

  it('gives up after the bounded retries and passes the error on', async () => {
    const { api, github } = await client();
    github.faults = [{ method: 'GET', path: /\/issues\/7\/comments$/, status: 502, times: 100, message: 'Bad Gateway' }];
    await expect(api.listIssueComments(repo, 7)).rejects.toMatchObject({ status: 502 });
    expect(api.stats).toMatchObject({ reads: 5, retries: 4 });
  });

  it('does not repeat a POST that failed with a server error (it may have been carried out)', async () => {
    const { api, github } = await client();
    github.faults = [{ method: 'POST', path: /\/issues\/7\/comments$/, status: 502, times: 1 }];
    await expect(api.createIssueComment(repo, 7, 'x')).rejects.toMatchObject({ status: 502 });
    expect(api.stats.retries).toBe(0);
  });
});
