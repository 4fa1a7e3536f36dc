/** --shard i/n and merge-sarif: the shards' findings are disjoint and merge into the unsharded run. */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardKeys } from '../../src/units/shard.js';
import { ROOT, runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects();

const compose = (port: number) => `services:\n  db:\n    image: mongo:4.4\n    ports:\n      - "${port}:27017"\n  es:\n    image: elasticsearch:7.17.0\n    environment:\n      - xpack.security.enabled=false\n    ports:\n      - "9200:9200"\n`;

/** Several compose projects, and one Terraform module called by two roots (findings numbered among equal ones). */
function monorepo(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) files[`apps/app${i}/docker-compose.yml`] = compose(27017 + i);
  const dir = project(files);
  cpSync(path.join(ROOT, 'examples/vulnerable'), path.join(dir, 'infra/a'), { recursive: true });
  cpSync(path.join(ROOT, 'examples/vulnerable'), path.join(dir, 'infra/b'), { recursive: true });
  return dir;
}

const results = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]!.results.map((r) => JSON.stringify(r));

describe('--shard i/n', () => {
  it('parses i/n and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3']) expect(parseShard(bad)).toBeUndefined();
    const r = runBin(ROOT, ['examples', '--shard', '5/4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard needs i/n');
  });

  it('keeps units that read a common file in one shard, keyed by their smallest id', () => {
    const keys = shardKeys([
      { id: 'kustomize:overlays/prod', files: ['overlays/prod/kustomization.yaml', 'base/deploy.yaml'] },
      { id: 'kustomize:overlays/dev', files: ['overlays/dev/kustomization.yaml', 'base/deploy.yaml'] },
      { id: 'compose:app', files: ['app/compose.yaml'] },
    ]);
    expect(keys.unit('kustomize:overlays/prod')).toBe('kustomize:overlays/dev');
    expect(keys.file('base/deploy.yaml')).toBe('kustomize:overlays/dev');
    expect(keys.unit('compose:app')).toBe('compose:app');
    expect(keys.file('loose.yaml')).toBe('loose.yaml');
  });

  it('the union of the shards is the unsharded run, byte for byte per result, and shards do not overlap', () => {
    const dir = monorepo();
    const whole = runBin(dir, ['.', '--format', 'sarif', '--output', 'all.sarif', '--fail-on', 'none']);
    expect(whole.code).toBe(0);
    const n = 3;
    const shards: string[] = [];
    for (let i = 1; i <= n; i++) {
      const r = runBin(dir, ['.', '--shard', `${i}/${n}`, '--format', 'sarif', '--output', `s${i}.sarif`, '--fail-on', 'none']);
      expect(r.code).toBe(0);
      shards.push(`s${i}.sarif`);
    }
    const merged = runBin(dir, ['merge-sarif', ...shards, '--output', 'merged.sarif']);
    expect(merged.code, merged.stderr).toBe(0);
    const all = results(path.join(dir, 'all.sarif'));
    expect(all.length).toBeGreaterThan(10);
    const perShard = shards.map((s) => results(path.join(dir, s)));
    expect(perShard.filter((s) => s.length > 0).length).toBeGreaterThan(1);
    expect(perShard.flat().length).toBe(all.length);
    expect(results(path.join(dir, 'merged.sarif')).sort()).toEqual([...all].sort());
  });

  it('keeps a compose project in the shard of the file its service extends, where that service\'s ports lie', () => {
    // stack.yml extends base.yml's service: the exposure lies in base.yml, which is its own project too.
    // (The two projects' ids hash to different shards for 2, 3 and 4 shards.)
    const dir = project({
      'stack/base.yml': 'services:\n  console:\n    image: conduktor/console:1.21\n    ports:\n      - "8080:8080"\n',
      'stack/stack.yml': 'services:\n  console:\n    extends:\n      file: base.yml\n      service: console\n',
    });
    const findings = (args: string[]) => (JSON.parse(runBin(dir, ['.', '--format', 'json', '--fail-on', 'none', ...args]).stdout) as { findings: { fingerprint: string; file: string; startLine: number; units: string[] }[] }).findings;
    const whole = findings([]);
    expect(whole.map((f) => [f.file, f.startLine, f.units])).toEqual([['stack/base.yml', 5, ['compose project stack/base.yml', 'compose project stack/stack.yml']]]);
    for (let n = 2; n <= 4; n++) {
      const union = Array.from({ length: n }, (_, i) => findings(['--shard', `${i + 1}/${n}`])).flat();
      expect(union, `${n} shards`).toEqual(whole);
    }
  });

  it('a baseline does not call the other shards\' entries stale', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`apps/app${i}/docker-compose.yml`] = compose(27017 + i);
    const dir = project(files);
    expect(runBin(dir, ['baseline']).code).toBe(0);
    const r = runBin(dir, ['.', '--shard', '1/3']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/no longer match/);
  });

  it('merge-sarif writes to stdout and fails with exit 2 on a file that is not SARIF', () => {
    const dir = project({ 'a.sarif': '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"portwall"}},"results":[]}]}', 'b.sarif': '{"nope":1}' });
    const ok = runBin(dir, ['merge-sarif', 'a.sarif', 'a.sarif']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).runs).toHaveLength(1);
    const bad = runBin(dir, ['merge-sarif', 'a.sarif', 'b.sarif']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a SARIF 2.1.0 log');
    expect(runBin(dir, ['merge-sarif']).code).toBe(2);
  });
});
