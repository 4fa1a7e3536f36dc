/**
 * Pull requests with real git history: a temp repository with a base commit and a head commit,
 * the workspace checked out at the head (as `actions/checkout` with `ref: head.sha` does, or
 * shallow with fetch-depth 1), and the PR's files as GitHub's files API would list them, taken
 * from `git diff` (the hunks for the fake's 422 check come from the hunk headers, read here
 * independently of the action's patch parser).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FakePullFile } from './fake-github.js';

export type Tree = Record<string, string>;

export function sh(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' }, maxBuffer: 64 * 1024 * 1024 });
}

function writeTree(dir: string, tree: Tree) {
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

export interface GitPull {
  /** The checkout the action scans (GITHUB_WORKSPACE). */
  workspace: string;
  origin: string;
  baseSha: string;
  headSha: string;
  files: FakePullFile[];
}

/**
 * head: the files to write over the base (null deletes); renames are `git mv`ed first.
 * shallow: the workspace is a --depth=1 clone of the head, without the base commit.
 */
export function gitPull(
  scratch: string,
  name: string,
  base: Tree,
  head: Record<string, string | null>,
  options: { renames?: [string, string][]; shallow?: boolean; /** main moves on after the branch: these files change there */ mainLater?: Tree; /** check out the merge commit, as actions/checkout does for pull_request */ merge?: boolean } = {},
): GitPull {
  const origin = path.join(scratch, `${name}-origin`);
  rmSync(origin, { recursive: true, force: true });
  mkdirSync(origin, { recursive: true });
  sh(origin, ['init', '-q', '-b', 'main']);
  sh(origin, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  writeTree(origin, base);
  sh(origin, ['add', '-A']);
  sh(origin, ['commit', '-q', '-m', 'base']);
  const baseSha = sh(origin, ['rev-parse', 'HEAD']).trim();
  sh(origin, ['checkout', '-q', '-b', 'feature']);
  for (const [from, to] of options.renames ?? []) {
    mkdirSync(path.dirname(path.join(origin, to)), { recursive: true });
    sh(origin, ['mv', from, to]);
  }
  for (const [file, text] of Object.entries(head)) {
    if (text === null) sh(origin, ['rm', '-q', file]);
    else writeTree(origin, { [file]: text });
  }
  sh(origin, ['add', '-A']);
  sh(origin, ['commit', '-q', '--allow-empty', '-m', 'head']);
  const headSha = sh(origin, ['rev-parse', 'HEAD']).trim();
  const files = pullFiles(origin, baseSha, headSha);
  if (options.mainLater) {
    sh(origin, ['checkout', '-q', 'main']);
    writeTree(origin, options.mainLater);
    sh(origin, ['add', '-A']);
    sh(origin, ['commit', '-q', '-m', 'main moves on']);
    sh(origin, ['checkout', '-q', 'feature']);
  }
  if (options.merge) {
    sh(origin, ['checkout', '-q', '--detach', 'main']);
    sh(origin, ['merge', '-q', '--no-ff', '--no-edit', 'feature']);
  }
  let workspace = origin;
  if (options.shallow) {
    workspace = path.join(scratch, `${name}-shallow`);
    rmSync(workspace, { recursive: true, force: true });
    sh(scratch, ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin}`, workspace]);
  }
  return { workspace, origin, baseSha, headSha, files };
}

export function pullFiles(repo: string, base: string, head: string): FakePullFile[] {
  const out = sh(repo, ['diff', '--no-color', '-M', '-U3', base, head]);
  const files: FakePullFile[] = [];
  for (const chunk of out.split(/^diff --git /m).slice(1)) {
    const lines = chunk.split('\n');
    const header = lines.slice(0, lines.findIndex((l) => l.startsWith('@@')) === -1 ? lines.length : lines.findIndex((l) => l.startsWith('@@')));
    const plus = header.find((l) => l.startsWith('+++ '));
    const renameTo = header.find((l) => l.startsWith('rename to '));
    const renameFrom = header.find((l) => l.startsWith('rename from '));
    const deleted = header.some((l) => l.startsWith('deleted file mode'));
    const added = header.some((l) => l.startsWith('new file mode'));
    const minus = header.find((l) => l.startsWith('--- '));
    const filename = renameTo ? renameTo.slice('rename to '.length) : plus && plus !== '+++ /dev/null' ? plus.slice(6) : minus!.slice(6);
    const body = lines.slice(header.length).join('\n').replace(/\n$/, '');
    const hunks: [number, number][] = [];
    for (const m of body.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) hunks.push([start, start + count - 1]);
    }
    files.push({
      filename,
      status: renameTo ? 'renamed' : deleted ? 'removed' : added ? 'added' : 'modified',
      ...(renameFrom ? { previous_filename: renameFrom.slice('rename from '.length) } : {}),
      ...(body ? { patch: body } : {}),
      hunks,
    } as FakePullFile);
  }
  return files;
}

export function pullEvent(pull: GitPull, options: { fork?: boolean; number?: number } = {}) {
  return {
    action: 'synchronize',
    number: options.number ?? 7,
    pull_request: {
      number: options.number ?? 7,
      changed_files: pull.files.length,
      head: { sha: pull.headSha, ref: 'feature', repo: { full_name: options.fork ? 'contributor/shop' : 'acme/shop' } },
      base: { sha: pull.baseSha, ref: 'main', repo: { full_name: 'acme/shop' } },
    },
    repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
  };
}
