/**
 * Symbolic links in the scanned tree: a link to a file or folder inside the scan root is
 * followed once (links inside a linked folder are not followed again, so loops cannot
 * recurse), and every file is checked once: files reached twice are de-duplicated by real
 * path, keeping the path that is not a link. Links out of the root are never followed: a linked
 * configuration file is listed, so the engine's confined read reports it as skipped.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { CANDIDATE_PATTERNS, DEFAULT_IGNORES, toRelative, type DiscoveredFile } from './discover-common.js';
import { isInside } from './read-source.js';

let candidateMatcher: ((p: string) => boolean) | undefined;
const isCandidate = (p: string): boolean => (candidateMatcher ??= picomatch(CANDIDATE_PATTERNS, { dot: true }))(p);
/** The glob engine, loaded only for a tree with links or control-character names (a one-file run never needs it). */
const loadGlobby = () => import('globby');
/** At most this many links are followed per input folder (a link farm is not configuration). */
const MAX_LINKS = 1000;

export async function followLinksOnce(root: string, folder: string, extraIgnores: string[], mayHaveLinks = true): Promise<DiscoveredFile[]> {
  // The control-name walk saw every folder this glob would enter, and no link in them.
  if (!mayHaveLinks) return [];
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return [];
  }
  const { globby } = await loadGlobby();
  const entries = await globby('**', {
    cwd: folder,
    absolute: true,
    dot: true,
    gitignore: true,
    followSymbolicLinks: false,
    onlyFiles: false,
    objectMode: true,
    ignore: [...DEFAULT_IGNORES, ...extraIgnores],
    suppressErrors: true,
  });
  const out: DiscoveredFile[] = [];
  for (const entry of entries.filter((e) => e.dirent.isSymbolicLink()).slice(0, MAX_LINKS)) {
    const link = path.normalize(entry.path);
    let real: string;
    let isDir: boolean;
    try {
      real = realpathSync(link);
      const stat = statSync(real);
      if (!stat.isFile() && !stat.isDirectory()) continue;
      isDir = stat.isDirectory();
    } catch {
      continue;
    }
    if (!isInside(real, realRoot)) {
      // Never followed, never silent: a linked configuration file is listed, and the engine's
      // confined read reports it as skipped (outside the repository). A linked folder is not
      // walked at all (a link to / must not make the scan list the whole disk).
      if (!isDir && isCandidate(toRelative(folder, link))) out.push({ absolutePath: link, path: toRelative(root, link), explicit: false });
      continue;
    }
    if (!isDir) {
      if (isCandidate(toRelative(folder, link))) out.push({ absolutePath: link, path: toRelative(root, link), explicit: false });
      continue;
    }
    // A linked folder: its files (not its links) under the link's name.
    const found = await globby(CANDIDATE_PATTERNS, { cwd: real, dot: true, gitignore: true, followSymbolicLinks: false, onlyFiles: true, ignore: [...DEFAULT_IGNORES, ...extraIgnores], suppressErrors: true });
    for (const f of found) {
      const abs = path.join(link, f);
      out.push({ absolutePath: abs, path: toRelative(root, abs), explicit: false });
    }
  }
  return out;
}

/** One entry per real file: the path without links wins, then the shortest, then the first in order. */
export function dedupeByRealPath(files: Map<string, DiscoveredFile>): void {
  const byReal = new Map<string, DiscoveredFile>();
  for (const f of [...files.values()]) {
    let real: string;
    try {
      real = realpathSync.native(f.absolutePath);
    } catch {
      continue;
    }
    const kept = byReal.get(real);
    if (!kept) {
      byReal.set(real, f);
      continue;
    }
    const score = (d: DiscoveredFile) => [d.absolutePath === real ? 0 : 1, d.path.length, d.path] as const;
    const [a, b] = [score(kept), score(f)];
    const fBetter = a[0] !== b[0] ? b[0] < a[0] : a[1] !== b[1] ? b[1] < a[1] : b[2] < a[2];
    if (fBetter) {
      files.delete(kept.absolutePath);
      byReal.set(real, f);
    } else {
      files.delete(f.absolutePath);
    }
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const PRUNED = new Set(['node_modules', '.git', 'vendor', '.terraform', 'bower_components', '.venv', '__pycache__', '.vscode', '.idea']);
const CANDIDATE_END = /\.(ya?ml|json|tf|tfvars|conf|cnf|hcl)$/i;
/** Directory entries looked at, at most, when searching for names the glob engine cannot match. */
const MAX_WALK = 200_000;

/**
 * Files whose path has a control character (a newline in a folder name): the glob engine's
 * `*` never matches one, so they would be skipped silently. A pruned walk finds them. Also
 * whether the folder may hold a symbolic link: false only when the
 * whole pruned walk (which enters every folder the link glob enters, and more) met none, so
 * followLinksOnce need not glob the tree a second time.
 */
export async function oddEntries(root: string, folder: string, extraIgnores: string[]): Promise<{ files: DiscoveredFile[]; mayHaveLinks: boolean }> {
  const out: DiscoveredFile[] = [];
  let links = false;
  let unlisted = false;
  const queue: string[] = [folder];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_WALK) {
    const dir = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = (await import('node:fs')).readdirSync(dir, { withFileTypes: true });
    } catch {
      unlisted = true;
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_WALK) break;
      const full = path.join(dir, e.name);
      if (e.isSymbolicLink()) links = true;
      if (e.isDirectory()) {
        if (PRUNED.has(e.name)) continue;
        if (CONTROL.test(e.name)) {
          // Everything below it is invisible to the glob: glob inside it instead.
          const { globby } = await loadGlobby();
          const found = await globby(CANDIDATE_PATTERNS, { cwd: full, dot: true, followSymbolicLinks: false, onlyFiles: true, ignore: [...DEFAULT_IGNORES, ...extraIgnores], suppressErrors: true });
          for (const f of found) out.push({ absolutePath: path.join(full, f), path: toRelative(root, path.join(full, f)), explicit: false });
        }
        queue.push(full);
      } else if (e.isFile() && CONTROL.test(e.name) && CANDIDATE_END.test(e.name)) {
        out.push({ absolutePath: full, path: toRelative(root, full), explicit: false });
      }
    }
  }
  // A walk cut short (or a folder it could not list) may have missed a link.
  return { files: out, mayHaveLinks: links || queue.length > 0 || seen >= MAX_WALK || unlisted };
}
