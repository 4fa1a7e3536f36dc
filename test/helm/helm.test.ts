/** Charts through lint(): units per values set, findings on template lines, values lines as related locations, loud failures. */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { loadConfig } from '../../src/engine/config.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { Finding } from '../../src/core/finding.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const redisChart = [path.resolve(fixtures, '../../../../shared/corpus/bitnami__charts/bitnami/redis'), '/work/shared/corpus/bitnami__charts/bitnami/redis'].find((p) => existsSync(p));

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) makeWritable(full);
    else chmodSync(full, 0o644);
  }
}

function at(f: Finding): string {
  return `${f.location.file}:${f.location.region.startLine}`;
}

describe('Helm charts in a scan', () => {
  it('renders each values set as a unit and points at the template line with the values line as related', async () => {
    const result = await lint({ cwd: fixtures, paths: ['webstack'] });
    const lb = result.findings.find((f) => f.ruleId === 'PW001' && /LoadBalancer/.test(f.message))!;
    expect(at(lb)).toBe('webstack/templates/service.yaml:16');
    expect(lb.units).toEqual(['chart webstack with values-prod.yaml']);
    expect(lb.related.map((r) => `${r.location.file}:${r.location.region.startLine} ${r.message}`)).toContain('webstack/values-prod.yaml:3 LoadBalancer set in values-prod.yaml line 3 (service.type)');
    const nodePort = result.findings.find((f) => f.ruleId === 'PW001' && /NodePort/.test(f.message))!;
    expect(nodePort.units).toEqual(['chart webstack with values/edge.yaml']);
    expect(nodePort.message).toMatch(/30080/);

    // The subchart's Service, enabled by condition, made public by the parent's values-prod.yaml.
    const redis = result.findings.find((f) => f.ruleId === 'PW004')!;
    expect(at(redis)).toBe('webstack/charts/cache/templates/service.yaml:10');
    expect(redis.related.map((r) => r.message)).toContain('LoadBalancer set in values-prod.yaml line 8 (cache.service.type)');

    // One finding for the auth state, shared by the values sets where the cache is not public
    // (with values-prod.yaml it is, and PW004 replaces it there).
    const auth = result.findings.filter((f) => f.ruleId === 'PW003');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.units).toEqual(['chart webstack with values.yaml', 'chart webstack with values/edge.yaml']);
    // Auth is off because an `if` on an empty password left the argument out: that values line.
    expect(auth[0]!.related.map((r) => `${r.location.file}:${r.location.region.startLine} ${r.message}`)).toEqual(['webstack/values.yaml:21 cache.password set in values.yaml line 21, read by a condition of the template']);
    expect(redis.units).toEqual(['chart webstack with values-prod.yaml']);

    // Templates are not skipped with a notice any more.
    expect(result.notifications.filter((n) => /Helm template skipped/.test(n.message))).toEqual([]);
  });

  it('adds the values sets the config names', async () => {
    const result = await lint({ cwd: fixtures, paths: ['broken'], helm: { valueFiles: { broken: ['values-missing.yaml'] } } });
    expect(result.findings.some((f) => f.ruleId === 'PW000' && /values-missing\.yaml named in the config/.test(f.message))).toBe(true);
  });

  it('reads helm.valueFiles from the config file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portwall-helm-config-'));
    cpSync(path.join(fixtures, 'missing-dep'), path.join(dir, 'charts', 'app'), { recursive: true });
    writeFileSync(path.join(dir, 'charts', 'app', 'public.yaml'), 'type: LoadBalancer\n');
    writeFileSync(path.join(dir, 'portwall.config.yml'), 'helm:\n  valueFiles:\n    charts/app: [public.yaml]\n');
    const config = await loadConfig({ cwd: dir, builtinRules: BUILTIN_RULES });
    expect(config.helm).toEqual({ valueFiles: { 'charts/app': ['public.yaml'] } });
    const result = await lint({ cwd: dir, policy: config.policy, rules: config.rules, helm: config.helm! });
    const f = result.findings.find((x) => x.ruleId === 'PW001')!;
    expect(f.units).toEqual(['chart charts/app with public.yaml']);
    expect(f.related.map((r) => r.message)).toContain('LoadBalancer set in public.yaml line 1 (type)');
  });

  it.skipIf(!redisChart)('names the values lines of a Bitnami chart made public without auth (values set beside values.yaml)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portwall-helm-redis-'));
    cpSync(redisChart!, path.join(dir, 'redis'), { recursive: true });
    makeWritable(dir);
    writeFileSync(path.join(dir, 'redis', 'values-public.yaml'), 'auth:\n  enabled: false\narchitecture: standalone\nmaster:\n  service:\n    type: LoadBalancer\n');
    const result = await lint({ cwd: dir });
    const f = result.findings.find((x) => x.ruleId === 'PW004')!;
    expect(`${at(f)} ${f.units}`).toBe('redis/templates/master/service.yaml:46 chart redis with values-public.yaml');
    const related = f.related.map((r) => `${r.location.file}:${r.location.region.startLine} ${r.message}`);
    expect(related).toContain('redis/values-public.yaml:6 LoadBalancer set in values-public.yaml line 6 (master.service.type)');
    expect(related).toContain('redis/values-public.yaml:2 false set in values-public.yaml line 2 (auth.enabled)');
    expect(related.some((r) => r.startsWith('redis/templates/master/application.yaml:144 authentication is off'))).toBe(true);
    // With values.yaml alone the chart is not public and has auth on: nothing.
    expect(result.findings.filter((x) => x.units?.includes('chart redis with values.yaml'))).toEqual([]);
  });

  it('is loud about templates it cannot render and still checks the rest', async () => {
    const result = await lint({ cwd: fixtures, paths: ['broken'] });
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id).map((f) => `${at(f)} ${f.message}`);
    expect(byRule('PW000')).toEqual([
      expect.stringMatching(/^broken\/templates\/required\.yaml:6 .*required value \.Values\.auth\.password is missing or empty: auth\.password is required/),
      expect.stringMatching(/^broken\/templates\/unclosed\.yaml:6 Helm template does not parse: .*\{\{if\}\} is never closed/),
    ]);
    expect(byRule('PW010')).toEqual([expect.stringMatching(/^broken\/templates\/unsupported\.yaml:6 .*the function 'getHostByName'/)]);
    // The service template renders: its public PostgreSQL port is found, with the values line.
    const pg = result.findings.find((f) => f.ruleId === 'PW002')!;
    expect(at(pg)).toBe('broken/templates/service.yaml:8');
    expect(pg.related.map((r) => r.message)).toContain('LoadBalancer set in values.yaml line 2 (service.type)');
  });

  it('names a dependency that is not vendored (PW010), fetching nothing', async () => {
    const result = await lint({ cwd: fixtures, paths: ['missing-dep'] });
    const f = result.findings.find((x) => x.ruleId === 'PW010')!;
    expect(at(f)).toBe('missing-dep/Chart.yaml:5');
    expect(f.message).toMatch(/dependency 'postgresql' .*not vendored/);
  });

  it('reads subcharts from .tgz archives (alias, requirements.yaml)', async () => {
    const result = await lint({ cwd: fixtures, paths: ['archived'] });
    const f = result.findings.find((x) => x.ruleId === 'PW001')!;
    expect(f.message).toMatch(/15432/);
    expect(f.location.file).toBe('archived/charts/db-0.1.0.tgz/db/templates/service.yaml');
    expect(f.related.map((r) => r.message)).toContain('15432 set in values.yaml line 3 (database.service.port)');
  });

  it('maps piped `helm template` output through its # Source: comments', async () => {
    const rendered = '---\n# Source: db/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 5432\n';
    const result = await lint({ cwd: fixtures, paths: ['-'], stdin: { text: rendered } });
    const f = result.findings.find((x) => x.ruleId === 'PW002')!;
    expect(f.related.map((r) => `${r.location.region.startLine} ${r.message}`)).toContain('2 rendered by Helm from db/templates/service.yaml');
  });
});
