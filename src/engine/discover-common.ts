/**
 * What discovery and the link walk share: the candidate patterns, the default ignores, the
 * discovered-file record and relative paths. Its own module, so that discover.ts and
 * discover-links.ts do not import each other.
 */
import path from 'node:path';

/** Names and endings any format may claim. Content decides the rest (formats' detect). */
export const CANDIDATE_PATTERNS = [
  '**/*.{yml,yaml,json,tf,tfvars,conf,cnf,hcl}',
  '**/*.tf.json',
  '**/pg_hba.conf',
  // kustomize also reads a kustomization file named `Kustomization`, without extension.
  '**/Kustomization',
];

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/vendor/**', '**/.terraform/**', '**/bower_components/**', '**/.venv/**', '**/__pycache__/**', '**/package-lock.json', '**/package.json', '**/tsconfig*.json', '**/composer.lock', '**/.vscode/**', '**/.idea/**'];

export interface DiscoveredFile {
  absolutePath: string;
  /** Relative to the scan root, forward slashes. */
  path: string;
  explicit: boolean;
}

export function toRelative(root: string, absolutePath: string): string {
  const rel = path.relative(root, absolutePath).split(path.sep).join('/');
  return rel === '' ? path.basename(absolutePath) : rel;
}
