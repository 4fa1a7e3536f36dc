/**
 * Helm charts rendered chart by chart (issue 17: flat memory): each chart with its subcharts is a
 * group the engine adapts on its own, with a garbage collection point between charts, and the scan
 * reports exactly what one adapt of all charts reports.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lint, makeSourceFile } from '../../src/engine/lint.js';
import { helmFormat } from '../../src/formats/helm/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const roots: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('Helm groups', () => {
  it('a chart and the charts in its charts/ folder, at any depth, are one group; others apart', () => {
    const chart = (p: string) => makeSourceFile(p, 'apiVersion: v2\nname: x\nversion: 1.0.0\n');
    const files = ['web/Chart.yaml', 'web/charts/cache/Chart.yaml', 'api/Chart.yaml', 'web/charts/cache/charts/deep/Chart.yaml', 'lone/charts/sub/Chart.yaml', 'charts/x/Chart.yaml'].map(chart);
    expect(helmFormat.groupFiles!(files).map((g) => g.map((f) => f.path))).toEqual([
      ['web/Chart.yaml', 'web/charts/cache/Chart.yaml', 'web/charts/cache/charts/deep/Chart.yaml'],
      ['api/Chart.yaml'],
      // Its parent folder is no chart: a chart of its own.
      ['lone/charts/sub/Chart.yaml'],
      ['charts/x/Chart.yaml'],
    ]);
    // A chart at the root holds charts/x.
    expect(helmFormat.groupFiles!([chart('Chart.yaml'), ...files.slice(5)]).map((g) => g.map((f) => f.path))).toEqual([['Chart.yaml', 'charts/x/Chart.yaml']]);
  });

  it('each chart is adapted on its own, and the scan reports what one adapt of all charts reports', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'portwall-helm-groups-'));
    roots.push(root);
    for (const name of ['webstack', 'broken', 'missing-dep']) cpSync(path.join(fixtures, name), path.join(root, name), { recursive: true });
    cpSync(path.join(fixtures, 'webstack'), path.join(root, 'another'), { recursive: true });
    const adapt = helmFormat.adapt;
    const calls: string[][] = [];
    vi.spyOn(helmFormat, 'adapt').mockImplementation((list, context) => {
      calls.push(list.map((f) => f.file.path));
      return adapt(list, context);
    });
    const grouped = await lint({ cwd: root });
    expect(calls).toEqual([['another/Chart.yaml', 'another/charts/cache/Chart.yaml', 'another/charts/lib/Chart.yaml'], ['broken/Chart.yaml'], ['missing-dep/Chart.yaml'], ['webstack/Chart.yaml', 'webstack/charts/cache/Chart.yaml', 'webstack/charts/lib/Chart.yaml']]);
    vi.spyOn(helmFormat, 'groupFiles').mockImplementation((all) => [all]);
    calls.length = 0;
    const whole = await lint({ cwd: root });
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(grouped.findings)).toBe(JSON.stringify(whole.findings));
    expect(JSON.stringify(grouped.files)).toBe(JSON.stringify(whole.files));
    expect(JSON.stringify(grouped.notifications)).toBe(JSON.stringify(whole.notifications));
    expect(grouped.findings.filter((f) => f.units?.some((u) => u.startsWith('chart '))).length).toBeGreaterThan(5);
  }, 60_000);
});
