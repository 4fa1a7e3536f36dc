/** A BuildIo over a folder on disk, as the engine's readFile gives it (cached, inside the root). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeSourceFile } from '../../src/engine/lint.js';
import type { SourceFile } from '../../src/formats/types.js';
import { buildKustomization } from '../../src/formats/kustomize/build.js';
import { toPlain } from '../../src/formats/kustomize/tree.js';
import { helmChartRenderer } from '../../src/formats/kustomize/helm-chart.js';
import type { AdaptContext } from '../../src/formats/types.js';

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

/** Every file under a folder of the root, as the engine's listFiles gives them. */
function listFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, rel));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const child = rel === '.' || rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(dir);
  return out;
}

export function buildPlain(root: string, dir: string, options: { helm?: boolean } = {}): { ok: true; documents: unknown[] } | { ok: false; error: string; kind: string } {
  const readFile = diskReader(root);
  const readBytes = (p: string): Uint8Array | undefined => {
    try {
      return readFileSync(path.join(root, p));
    } catch {
      return undefined;
    }
  };
  // Only what the chart renderer reads (the policy is the Kubernetes adapter's, which this build never calls).
  const context = { readFile, allFiles: [], listFiles: (d: string) => listFiles(root, d), readBytes } as unknown as AdaptContext;
  const outcome = buildKustomization(dir, { readFile, ...(options.helm ? { renderHelmChart: helmChartRenderer(context) } : {}) });
  if (!outcome.ok) return { ok: false, error: `${outcome.problem.location.file}:${outcome.problem.location.region.startLine}: ${outcome.problem.message}`, kind: outcome.problem.kind };
  return { ok: true, documents: outcome.resources.map((r) => toPlain(r.tree)) };
}
