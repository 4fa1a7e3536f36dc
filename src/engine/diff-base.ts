/**
 * Differential analysis: what a change does, judged against the commit it starts from.
 *
 * A finding of the new tree is *new* when its fingerprint is absent from the base tree's
 * findings, wherever its lines are (SPEC "Pull requests and commits"); the others are
 * pre-existing. The base tree is read straight from git into a temporary folder (no checkout,
 * no change to the repository's working tree or index), with files the change renamed placed
 * at their new names, so a moved file keeps its findings' identity. Shared by the CLI
 * (`--diff-base REF`) and the GitHub Action (the pull request's base commit).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Finding, LintResult } from '../core/finding.js';

export class GitError extends Error {}

/** Same bound as the linter's MAX_FILE_BYTES. */
const MAX_BLOB_BYTES = 8 * 1024 * 1024;

/** Runs git; throws GitError with git's own message on failure. */
function git(repo: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; maxBuffer?: number } = {}): Buffer {
  // fsmonitor is the one repository setting that would make these read-only commands run a program.
  const result = spawnSync('git', ['-c', 'core.fsmonitor=false', ...args], {
    cwd: repo,
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env },
    maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024,
  });
  if (result.error) throw new GitError(`git ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new GitError(`git ${args[0]} failed: ${result.stderr.toString('utf8').trim().split('\n').slice(-3).join(' ')}`);
  return result.stdout;
}

function gitText(repo: string, args: string[]): string {
  return git(repo, args).toString('utf8').trim();
}

/** The repository's top folder, or undefined when `dir` is not inside a git work tree. */
export function repositoryRoot(dir: string): string | undefined {
  try {
    return gitText(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
}

/** The full commit id a ref names, or undefined when git does not have it. */
export function resolveCommit(repo: string, ref: string): string | undefined {
  try {
    return gitText(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) || undefined;
  } catch {
    return undefined;
  }
}

/** Parents of a commit as its object records them (also in a shallow clone, where git hides them). */
export function commitParents(repo: string, commit: string): string[] {
  try {
    const raw = gitText(repo, ['cat-file', 'commit', commit]);
    return raw.split('\n\n')[0]!.split('\n').filter((l) => l.startsWith('parent ')).map((l) => l.slice(7).trim());
  } catch {
    return [];
  }
}

export function mergeBase(repo: string, a: string, b: string): string | undefined {
  try {
    return gitText(repo, ['merge-base', a, b]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the commit is in the local repository. A shallow checkout (actions/checkout's
 * default fetch-depth 1) lacks the base commit: it is fetched alone, `--depth=1`. The
 * credentials actions/checkout persisted are tried first; then, for an https remote, the
 * token as an Authorization header (never written to the config or the log).
 */
function ensureCommit(repo: string, sha: string, options: { token?: string; remote?: string } = {}): { fetched: boolean } {
  if (resolveCommit(repo, sha)) return { fetched: false };
  const remote = options.remote ?? 'origin';
  const fetchArgs = ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', remote, sha];
  let firstError: unknown;
  try {
    git(repo, fetchArgs);
  } catch (error) {
    firstError = error;
    let url = '';
    try {
      url = gitText(repo, ['remote', 'get-url', remote]);
    } catch {
      /* no such remote */
    }
    if (!options.token || !/^https?:\/\//i.test(url)) throw error;
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    // Clear any persisted header for this URL first: two Authorization headers are rejected.
    const host = new URL(url).origin;
    git(repo, ['-c', `http.${host}/.extraheader=`, '-c', `http.extraheader=AUTHORIZATION: basic ${basic}`, ...fetchArgs]);
  }
  if (!resolveCommit(repo, sha)) throw (firstError as Error) ?? new GitError(`commit ${sha} is not available after fetching it`);
  return { fetched: true };
}

/** Files renamed between two trees (old path -> new path), from git's rename detection. */
function renamesBetween(repo: string, base: string, head?: string): Map<string, string> {
  const renames = new Map<string, string>();
  let out: string;
  try {
    out = git(repo, ['diff', '--no-ext-diff', '--name-status', '-z', '-M', base, ...(head ? [head] : []), '--']).toString('utf8');
  } catch {
    return renames;
  }
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++] ?? '';
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[i++]!;
      const to = parts[i++]!;
      if (status.startsWith('R')) renames.set(from, to);
    } else {
      i++;
    }
  }
  return renames;
}

interface MaterializedTree {
  /** Temporary folder holding the commit's files (the repository root of that commit). */
  dir: string;
  commit: string;
  files: number;
  remove(): void;
}

/**
 * Writes the commit's tree into a new temporary folder from git's object store: regular files
 * and symlinks; submodules are skipped. Paths in `renames` (old -> new) are written at their
 * new names. Nothing of the repository changes.
 */
function materializeCommit(repo: string, commit: string, options: { renames?: Map<string, string>; prefix?: string } = {}): MaterializedTree {
  const dir = mkdtempSync(path.join(tmpdir(), 'portwall-base-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const listing = git(repo, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]).toString('utf8');
    const entries: { mode: string; sha: string; file: string }[] = [];
    for (const record of listing.split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
      if (type !== 'blob' || !sha || !mode) continue;
      // lint skips files this large anyway: do not hold them in memory.
      if (Number(size) > MAX_BLOB_BYTES) continue;
      const file = record.slice(tab + 1);
      if (options.prefix && !file.startsWith(options.prefix)) continue;
      entries.push({ mode, sha, file });
    }
    // One `cat-file --batch` for every blob: a 10,000-file tree is one process, not 10,000.
    const batch = git(repo, ['cat-file', '--batch'], { input: entries.map((e) => e.sha).join('\n') + '\n' });
    let offset = 0;
    const root = path.resolve(dir);
    for (const entry of entries) {
      const newline = batch.indexOf(0x0a, offset);
      const header = batch.subarray(offset, newline).toString('utf8').split(' ');
      const size = Number(header[2]);
      const content = batch.subarray(newline + 1, newline + 1 + size);
      offset = newline + 1 + size + 1;
      const name = options.renames?.get(entry.file) ?? entry.file;
      const target = path.resolve(root, name);
      if (!target.startsWith(root + path.sep)) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      if (entry.mode === '120000') {
        try {
          symlinkSync(content.toString('utf8'), target);
        } catch {
          /* a platform without symlinks: the link is not configuration */
        }
      } else {
        writeFileSync(target, content);
      }
    }
    return { dir, commit, files: entries.length, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface DiffBaseComparison {
  /** Unsuppressed findings of the new tree whose fingerprint the base lacks. */
  newFindings: Finding[];
  /** Unsuppressed findings of the new tree that the base has too: they never fail a change. */
  preExisting: Finding[];
  /** Unsuppressed findings of the base that the new tree no longer has (fixed or changed). */
  fixed: Finding[];
  /**
   * Suppressed findings of the new tree that were not suppressed in the base (new, or active
   * there): a suppression comment or baseline entry silences them, so reviewers should see it.
   */
  newlySilenced: Finding[];
  /** Files the base could not parse: what was there is unknown, so their findings count as new. */
  baseParseFailures: string[];
}

const isActive = (f: Finding) => f.suppressions.length === 0;

export function compareWithBase(head: Pick<LintResult, 'findings'>, base: Pick<LintResult, 'findings'>): DiffBaseComparison {
  const baseByFingerprint = new Map(base.findings.map((f) => [f.fingerprint, f]));
  const headFingerprints = new Set(head.findings.map((f) => f.fingerprint));
  // PW000 in the base (and not the same failure in the new tree): the base file could not be read.
  const baseParseFailures = [...new Set(base.findings.filter((f) => f.ruleId === 'PW000' && !headFingerprints.has(f.fingerprint)).map((f) => f.location.file))].sort();
  const unknown = new Set(baseParseFailures);
  const newFindings: Finding[] = [];
  const preExisting: Finding[] = [];
  const newlySilenced: Finding[] = [];
  for (const f of head.findings) {
    const before = baseByFingerprint.get(f.fingerprint);
    if (isActive(f)) {
      if (before && !unknown.has(f.location.file)) preExisting.push(f);
      else newFindings.push(f);
    } else if (!before || isActive(before)) {
      newlySilenced.push(f);
    }
  }
  const fixed = base.findings.filter((f) => isActive(f) && !headFingerprints.has(f.fingerprint));
  return { newFindings, preExisting, fixed, newlySilenced, baseParseFailures };
}

export interface BaseTree {
  /** Folder to lint as the base: the materialized commit at the same place the scan root has in the repository. */
  cwd: string;
  commit: string;
  /** The commit had to be fetched (shallow checkout). */
  fetched: boolean;
  remove(): void;
}

/**
 * The base commit's tree for a scan root inside a git work tree: resolves `ref`, fetches it
 * when missing, and materializes it with the renames between it and `head` (a commit, or the
 * working tree when undefined) applied.
 */
export function checkoutBase(scanRoot: string, ref: string, options: { head?: string; token?: string } = {}): BaseTree {
  const repo = repositoryRoot(scanRoot);
  if (!repo) throw new GitError(`${scanRoot} is not inside a git repository`);
  let fetched = false;
  let commit = resolveCommit(repo, ref);
  if (!commit) {
    if (!/^[0-9a-f]{40}$/i.test(ref)) throw new GitError(`unknown revision "${ref}"`);
    fetched = ensureCommit(repo, ref, options.token ? { token: options.token } : {}).fetched;
    commit = resolveCommit(repo, ref)!;
  }
  const renames = renamesBetween(repo, commit, options.head);
  const prefix = path.relative(realpath(repo), realpath(scanRoot)).split(path.sep).join('/');
  // Only the scan root's part of the tree: lint never reads outside its root anyway.
  const tree = materializeCommit(repo, commit, { renames, ...(prefix ? { prefix: `${prefix}/` } : {}) });
  const cwd = path.join(tree.dir, prefix);
  mkdirSync(cwd, { recursive: true });
  return { cwd, commit, fetched, remove: tree.remove };
}

interface DiffBaseRun {
  base: LintResult;
  commit: string;
  fetched: boolean;
  comparison: DiffBaseComparison;
}

/**
 * Lints the base (`ref`) of a scan root with the caller's lint options (same config, so the
 * two trees are judged by one policy) and compares the new tree's result with it. The base
 * tree is removed afterwards.
 */
export async function diffAgainstBase(options: {
  scanRoot: string;
  ref: string;
  headResult: LintResult;
  lintBase: (cwd: string) => Promise<LintResult>;
  /** The new tree's commit; undefined for the working tree (renames are then detected against it). */
  head?: string;
  token?: string;
}): Promise<DiffBaseRun> {
  const tree = checkoutBase(options.scanRoot, options.ref, { ...(options.head ? { head: options.head } : {}), ...(options.token ? { token: options.token } : {}) });
  try {
    const base = await options.lintBase(tree.cwd);
    return { base, commit: tree.commit, fetched: tree.fetched, comparison: compareWithBase(options.headResult, base) };
  } finally {
    tree.remove();
  }
}

/** The new tree's result restricted to what the change introduced (new findings, and new ones a suppression silences). */
export function onlyNew(head: LintResult, base: Pick<LintResult, 'findings'>): LintResult {
  const known = new Set(base.findings.map((f) => f.fingerprint));
  const { baseParseFailures } = compareWithBase(head, base);
  const unknown = new Set(baseParseFailures);
  return { ...head, findings: head.findings.filter((f) => !known.has(f.fingerprint) || unknown.has(f.location.file)) };
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
