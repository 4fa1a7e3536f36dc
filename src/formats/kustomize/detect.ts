/**
 * Which files are kustomizations, by name. Kept apart from the format (index.ts) so that the
 * registry can tell whether a scan needs the overlay builder before loading it.
 */
import path from 'node:path';
import type { SourceFile } from '../types.js';

export const KUSTOMIZE = { id: 'kustomize', name: 'Kustomize', mayCover: true } as const;

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function detectKustomize(file: SourceFile): boolean {
  return KUSTOMIZATION_FILES.includes(path.posix.basename(file.path));
}
