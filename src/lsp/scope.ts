/**
 * Which files one lint covers when a document changes: its deployment unit. A Helm chart is
 * linted from its root (templates read values.yaml); anything else is linted with the other
 * candidate files of its own folder (a Terraform module, a compose project with its .env, a
 * kustomization), not the whole tree below it, so a keystroke never rescans a repository.
 * Sibling reads outside the folder (modules, bases, include) are recorded per lint, so editing
 * such a file re-lints the units that read it.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { CANDIDATE_PATTERNS, DEFAULT_IGNORES } from '../engine/discover.js';

const isCandidate = picomatch(CANDIDATE_PATTERNS, { dot: true });
const isDefaultIgnored = picomatch(DEFAULT_IGNORES, { dot: true });

export interface Scope {
  /** Stable key: scan root and unit folder. */
  key: string;
  /** Scan root: finding locations are relative to it (the workspace folder). */
  root: string;
  /** Absolute folder of the unit. */
  folder: string;
  /** Lint the folder recursively (a chart) or only its own files. */
  recursive: boolean;
}

/**
 * Whether portwall would check this file when scanning `root` (same patterns and default
 * ignores as discovery: nothing under node_modules, .terraform, .vscode; no package.json).
 */
export function isCandidateFile(absolutePath: string, root = path.dirname(absolutePath)): boolean {
  const relative = path.relative(root, absolutePath).split(path.sep).join('/');
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? path.basename(absolutePath) : relative;
  return isCandidate(path.basename(absolutePath)) && !isDefaultIgnored(shown);
}

export function scopeOf(absolutePath: string, root: string): Scope {
  const folder = path.dirname(absolutePath);
  // Templates of a chart sit below Chart.yaml; the chart is the unit.
  for (let dir = folder; isInside(dir, root); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'Chart.yaml')) || existsSync(path.join(dir, 'Chart.yml'))) return { key: `${root}\u0000${dir}\u0000r`, root, folder: dir, recursive: true };
    if (dir === root || path.dirname(dir) === dir) break;
  }
  return { key: `${root}\u0000${folder}`, root, folder, recursive: false };
}

/** The lint `paths` of a scope (relative to its root), plus open buffers not yet on disk. */
export function scopePaths(scope: Scope, unsavedOnly: string[]): string[] {
  const rel = (p: string) => path.relative(scope.root, p).split(path.sep).join('/') || '.';
  if (scope.recursive) return [rel(scope.folder), ...unsavedOnly.map(rel)];
  let names: string[] = [];
  try {
    names = readdirSync(scope.folder, { withFileTypes: true }).filter((e) => e.isFile() && isCandidateFile(e.name)).map((e) => e.name);
  } catch {
    names = [];
  }
  const files = new Set([...names.map((n) => path.join(scope.folder, n)), ...unsavedOnly]);
  return [...files].sort().map(rel);
}

/** Whether `file` belongs to the scope (it is linted by it, not only read). */
export function scopeCovers(scope: Scope, file: string): boolean {
  return scope.recursive ? isInside(file, scope.folder) : path.dirname(file) === scope.folder;
}

export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
