/**
 * File discovery: which files of the scan are candidates for a format.
 * Respects .gitignore; skips dependency and VCS folders; explicit file arguments are always taken,
 * and so is a folder named on the command line that an enclosing .gitignore ignores (rendered
 * manifests in build/): only the .gitignore files inside it apply then.
 */
import { existsSync, statSync } from 'node:fs';
import { dedupeByRealPath, followLinksOnce, oddEntries } from './discover-links.js';
import path from 'node:path';
import { GitignoreRules, walkFiles } from './walk.js';
import { DEFAULT_IGNORES, toRelative, type DiscoveredFile } from './discover-common.js';

export { CANDIDATE_PATTERNS, DEFAULT_IGNORES, toRelative, type DiscoveredFile } from './discover-common.js';

/** CANDIDATE_PATTERNS on a file's name: the walk matches names, then the ignores on paths. */
const CANDIDATE_NAMES = ['*.{yml,yaml,json,tf,tfvars,conf,cnf,hcl}', '*.tf.json', 'pg_hba.conf'];

interface DiscoverResult {
  files: DiscoveredFile[];
  missing: string[];
}

export async function discoverFiles(root: string, inputs: string[], extraIgnores: string[] = []): Promise<DiscoverResult> {
  const files = new Map<string, DiscoveredFile>();
  const missing: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(root, input);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isFile()) {
      files.set(absolute, { absolutePath: absolute, path: toRelative(root, absolute), explicit: true });
      continue;
    }
    if (!stat.isDirectory()) continue;
    // A folder an enclosing .gitignore ignores was named on purpose: only the .gitignore files inside it apply.
    const ignoredByParent = isIgnoredByEnclosingGitignore(absolute);
    const gitRoot = ignoredByParent ? undefined : findGitRoot(absolute);
    const found = walkFiles(absolute, {
      names: CANDIDATE_NAMES,
      ignores: [...DEFAULT_IGNORES, ...extraIgnores],
      gitignore: new GitignoreRules(gitRoot ?? absolute),
    });
    for (const f of found) {
      const abs = path.normalize(f);
      if (!files.has(abs)) files.set(abs, { absolutePath: abs, path: toRelative(root, abs), explicit: false });
    }
    const odd = await oddEntries(root, absolute, extraIgnores);
    for (const f of odd.files) {
      if (!files.has(f.absolutePath)) files.set(f.absolutePath, f);
    }
    for (const linked of await followLinksOnce(root, absolute, extraIgnores, odd.mayHaveLinks)) {
      if (!files.has(linked.absolutePath)) files.set(linked.absolutePath, linked);
    }
  }
  dedupeByRealPath(files);
  const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: list, missing };
}

/**
 * The files a named file's units may need (pre-commit passes only the staged files): the
 * candidates in its folder and in every folder above it up to the scan root, one level each
 * (a compose project's other files, a Terraform module's other files, the root module that
 * calls a module folder below it). Named files themselves are not repeated.
 */
export async function discoverContext(root: string, named: DiscoveredFile[], extraIgnores: string[] = []): Promise<DiscoveredFile[]> {
  const folders = new Set<string>();
  for (const f of named) {
    let dir = path.dirname(f.absolutePath);
    const rel = path.relative(root, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    for (;;) {
      folders.add(dir);
      if (dir === root) break;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  const seen = new Set(named.map((f) => f.absolutePath));
  const out: DiscoveredFile[] = [];
  const gitignores = new Map<string, GitignoreRules>();
  // The folders share their ancestors: each folder's .git check is made once.
  const gitRoots = new Map<string, string | undefined>();
  const gitRootOf = (folder: string): string | undefined => {
    if (gitRoots.has(folder)) return gitRoots.get(folder);
    const parent = path.dirname(folder);
    const found = existsSync(path.join(folder, '.git')) ? folder : parent === folder ? undefined : gitRootOf(parent);
    gitRoots.set(folder, found);
    return found;
  };
  for (const folder of [...folders].sort()) {
    const gitRoot = gitRootOf(folder);
    const rules = gitRoot ? (gitignores.get(gitRoot) ?? gitignores.set(gitRoot, new GitignoreRules(gitRoot)).get(gitRoot)!) : new GitignoreRules(folder);
    const found = walkFiles(folder, { names: CANDIDATE_NAMES, ignores: [...DEFAULT_IGNORES, ...extraIgnores], gitignore: rules, shallow: true });
    for (const f of found) {
      const abs = path.normalize(f);
      if (seen.has(abs)) continue;
      seen.add(abs);
      out.push({ absolutePath: abs, path: toRelative(root, abs), explicit: false });
    }
  }
  // A named Terraform file may be a module called from a sibling tree (envs/prod calls
  // ../../modules/sg): the module tree needs every caller, so the scan's Terraform files come too.
  if (named.some((f) => isTerraformFile(f.absolutePath) && insideRoot(root, f.absolutePath))) {
    for (const f of terraformFilesUnder(root, extraIgnores)) {
      if (seen.has(f.absolutePath)) continue;
      seen.add(f.absolutePath);
      out.push(f);
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Terraform configuration (not tfvars): the files a module tree is built from. */
function isTerraformFile(file: string): boolean {
  return file.endsWith('.tf') || file.endsWith('.tf.json');
}

function insideRoot(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Every Terraform file (configuration and tfvars) under the scan root, with the walk's ignores: one walk. */
function terraformFilesUnder(root: string, extraIgnores: string[]): DiscoveredFile[] {
  const gitRoot = isIgnoredByEnclosingGitignore(root) ? undefined : findGitRoot(root);
  const found = walkFiles(root, {
    names: ['*.tf', '*.tf.json', '*.tfvars', '*.tfvars.json'],
    ignores: [...DEFAULT_IGNORES, ...extraIgnores],
    gitignore: new GitignoreRules(gitRoot ?? root),
  });
  return found.map((f) => {
    const abs = path.normalize(f);
    return { absolutePath: abs, path: toRelative(root, abs), explicit: false };
  });
}

/** The git work tree that holds `start` (the nearest folder with a .git entry), if any. */
export function findGitRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether a .gitignore above `folder` (within its repository) ignores the folder or one of its parents. */
function isIgnoredByEnclosingGitignore(folder: string): boolean {
  const gitRoot = findGitRoot(folder);
  if (!gitRoot || gitRoot === folder) return false;
  // Only the .gitignore files above the folder can ignore it.
  const rules = new GitignoreRules(gitRoot);
  for (let dir = folder; dir !== gitRoot && dir.startsWith(gitRoot); dir = path.dirname(dir)) {
    if (rules.ignored(path.dirname(dir), dir, true)) return true;
  }
  return false;
}
