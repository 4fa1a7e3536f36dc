/** A BuildIo over a folder on disk, as the engine's readFile gives it (cached, inside the root). */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeSourceFile } from '../../src/engine/lint.js';
import type { SourceFile } from '../../src/formats/types.js';
import { buildKustomization } from '../../src/formats/kustomize/build.js';
import { toPlain } from '../../src/formats/kustomize/tree.js';

export function diskReader(root: string): (relativePath: string) => SourceFile | undefined {
  const cache = new Map<string, SourceFile | undefined>();
  return (relativePath) => {
    const normalized = path.posix.normalize(relativePath);
    if (normalized.startsWith('../')) return undefined;
    if (cache.has(normalized)) return cache.get(normalized);
    let file: SourceFile | undefined;
    try {
      const absolute = path.join(root, normalized);
      if (statSync(absolute).isFile()) file = makeSourceFile(normalized, readFileSync(absolute, 'utf8'), absolute);
    } catch {
      file = undefined;
    }
    cache.set(normalized, file);
    return file;
  };
}

export function buildPlain(root: string, dir: string): { ok: true; documents: unknown[] } | { ok: false; error: string; kind: string } {
  const outcome = buildKustomization(dir, { readFile: diskReader(root) });
  if (!outcome.ok) return { ok: false, error: `${outcome.problem.location.file}:${outcome.problem.location.region.startLine}: ${outcome.problem.message}`, kind: outcome.problem.kind };
  return { ok: true, documents: outcome.resources.map((r) => toPlain(r.tree)) };
}
