/**
 * The commit a run is judged against, and its tree.
 *
 * - pull request, merge-commit checkout (actions/checkout's default for pull_request): the
 *   merge commit's first parent, i.e. the base branch the PR is merged into;
 * - pull request, head checkout (`ref: ${{ github.event.pull_request.head.sha }}`): the merge
 *   base of the PR's base sha and the head (what GitHub's own diff compares with), else the
 *   base sha;
 * - push: the commit before the push (`before`), when the payload names one.
 *
 * A commit the shallow checkout lacks is fetched alone (engine/diff-base.ts). Any failure is
 * returned as a reason: the caller then counts every finding as new (never silently passes).
 */
import { checkoutBase, commitParents, mergeBase, repositoryRoot, resolveCommit, type BaseTree } from '../engine/diff-base.js';
import type { RunContext } from './event.js';

export interface BaseChoice {
  /** The commit to compare with. */
  sha: string;
  /** How it was chosen, for the log and the summary. */
  how: string;
}

export function chooseBase(context: RunContext): BaseChoice | { reason: string } {
  const root = repositoryRoot(context.workspace);
  if (!root) return { reason: `the workspace ${context.workspace} is not a git checkout (run actions/checkout first)` };
  const pr = context.pullRequest;
  const checkedOut = resolveCommit(root, 'HEAD');
  if (pr) {
    if (checkedOut) {
      const parents = commitParents(root, checkedOut);
      if (parents.length === 2 && parents[1] === pr.headSha) return { sha: parents[0]!, how: 'the first parent of the merge commit that is checked out' };
    }
    if (!pr.baseSha) return { reason: 'the event does not name the base commit of the pull request' };
    if (checkedOut && resolveCommit(root, pr.baseSha)) {
      const base = mergeBase(root, pr.baseSha, checkedOut);
      // pull_request_target checks out the base branch: comparing it with itself would pass anything.
      if (base === checkedOut) return { reason: `the checked-out commit ${checkedOut.slice(0, 7)} is the base itself, not the pull request's code (pull_request_target checks out the base branch: check out the head or the merge commit)` };
      if (base) return { sha: base, how: 'the merge base of the head and the base branch' };
    }
    return { sha: pr.baseSha, how: 'the base commit of the pull request' };
  }
  if (context.before && !/^0+$/.test(context.before)) return { sha: context.before, how: 'the commit before the push' };
  return { reason: context.eventName === 'push' ? 'the push event names no previous commit (a new branch)' : `a ${context.eventName || 'non-pull-request'} run has no base commit` };
}

export function prepareBaseTree(context: RunContext, base: BaseChoice, token: string | undefined): BaseTree {
  return checkoutBase(context.workspace, base.sha, { head: 'HEAD', ...(token ? { token } : {}) });
}
