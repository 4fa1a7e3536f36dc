/**
 * File discovery: which files of the scan are candidates for a format.
 * Respects .gitignore; skips dependency and VCS folders; explicit file arguments are always taken.
 */
import { statSync } from 'node:fs';
import { dedupeByRealPath, filesWithControlNames, followLinksOnce } from './discover-links.js';
import path from 'node:path';
import { globby } from 'globby';

/** Names and endings any format may claim. Content decides the rest (formats' detect). */
export const CANDIDATE_PATTERNS = [
  '**/*.{yml,yaml,json,tf,tfvars,conf,cnf,hcl}',
  '**/*.tf.json',
  '**/pg_hba.conf',
];

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/vendor/**', '**/.terraform/**', '**/bower_components/**', '**/.venv/**', '**/__pycache__/**', '**/package-lock.json', '**/package.json', '**/tsconfig*.json', '**/composer.lock', '**/.vscode/**', '**/.idea/**'];

export interface DiscoveredFile {
  absolutePath: string;
  /** Relative to the scan root, forward slashes. */
  path: string;
  explicit: boolean;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  missing: string[];
}

export function toRelative(root: string, absolutePath: string): string {
  const rel = path.relative(root, absolutePath).split(path.sep).join('/');
  return rel === '' ? path.basename(absolutePath) : rel;
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
    const found = await globby(CANDIDATE_PATTERNS, {
      cwd: absolute,
      absolute: true,
      dot: true,
      gitignore: true,
      followSymbolicLinks: false,
      onlyFiles: true,
      ignore: [...DEFAULT_IGNORES, ...extraIgnores],
      suppressErrors: true,
    });
    for (const f of found) {
      const abs = path.normalize(f);
      if (!files.has(abs)) files.set(abs, { absolutePath: abs, path: toRelative(root, abs), explicit: false });
    }
    for (const odd of await filesWithControlNames(root, absolute, extraIgnores)) {
      if (!files.has(odd.absolutePath)) files.set(odd.absolutePath, odd);
    }
    for (const linked of await followLinksOnce(root, absolute, extraIgnores)) {
      if (!files.has(linked.absolutePath)) files.set(linked.absolutePath, linked);
    }
  }
  dedupeByRealPath(files);
  const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: list, missing };
}
