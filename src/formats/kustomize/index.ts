/**
 * The Kustomize format: every root kustomization (one no other kustomization of the scan
 * references) is a deployment unit, built natively (build.ts) and handed to the Kubernetes
 * adapter; bases, components and patches are judged inside the roots that use them, and the
 * files a successful build read are covered (not checked again on their own). A build that fails
 * is PW000 (missing or broken file) or PW010 (remote resource, KRM function, chart not rendered)
 * at the entry that stopped it, and its files are still checked raw.
 * Depends on core/, model/, formats/yaml, formats/kubernetes and formats/helm (helmCharts).
 */
import path from 'node:path';
import { folderOf } from '../../core/paths.js';
import { unknownPorts } from '../../model/ports.js';
import type { Exposure } from '../../model/types.js';
import type { AdaptContext, AdaptResult, Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import { parseYaml } from '../yaml/index.js';
import { adaptBuild } from './adapt.js';
import { buildKustomization, isRemote, joinPath, type BuildIo, type BuildProblem, type HelmChartRenderer } from './build.js';
import { fromYaml, get, str, TreeTooComplex, type KValue } from './tree.js';
import { helmChartRenderer } from './helm-chart.js';
import { detectKustomize, KUSTOMIZE } from './detect.js';

/**
 * Hook for `helmCharts`: portwall's own Helm renderer over the chart vendored under
 * helmGlobals.chartHome (helm-chart.ts); a chart that is not vendored is PW010.
 */
const HELM_CHART_RENDERER: ((context: AdaptContext) => HelmChartRenderer) | undefined = helmChartRenderer;

interface KustomizeParsed {
  root: KValue;
}

function unitName(dir: string): string {
  return `kustomization ${dir || '.'}`;
}

function entries(root: KValue, key: string): string[] {
  const value = get(root, key);
  return value?.t === 'seq' ? value.items.map((i) => str(i) ?? '').filter((e) => e && !isRemote(e)) : [];
}

/** Root kustomizations: not a Component, and not referenced by another kustomization of the scan. */
export function findRoots(files: { path: string; root: KValue }[]): string[] {
  const dirs = new Set(files.map((f) => folderOf(f.path)));
  const referenced = new Set<string>();
  for (const f of files) {
    const dir = folderOf(f.path);
    for (const entry of [...entries(f.root, 'resources'), ...entries(f.root, 'bases'), ...entries(f.root, 'components')]) {
      const target = joinPath(dir, entry);
      if (target !== dir && dirs.has(target)) referenced.add(target);
    }
  }
  return files.filter((f) => (str(get(f.root, 'kind')) ?? 'Kustomization') !== 'Component' && !referenced.has(folderOf(f.path))).map((f) => f.path).sort();
}

function unresolvedExposure(dir: string, problem: BuildProblem): Exposure {
  const reason = problem.message;
  return {
    id: `kustomize:${dir}:unrendered`,
    via: 'unrendered-unit',
    subject: unitName(dir),
    ports: unknownPorts('the build is not rendered'),
    sources: [{ value: { kind: 'unknown', reason, label: 'unrendered kustomization' }, location: problem.location }],
    location: problem.location,
    workloads: [],
  };
}

function adaptKustomize(files: { file: SourceFile; parsed: KustomizeParsed }[], context: AdaptContext): AdaptResult {
  const units: UnitResult[] = [];
  const covers = new Set<string>();
  const byPath = new Map(files.map((f) => [f.file.path, f.file]));
  const io: BuildIo = { readFile: (p) => byPath.get(path.posix.normalize(p)) ?? context.readFile(p), ...(HELM_CHART_RENDERER ? { renderHelmChart: HELM_CHART_RENDERER(context) } : {}) };
  for (const rootPath of findRoots(files.map((f) => ({ path: f.file.path, root: f.parsed.root })))) {
    const dir = folderOf(rootPath);
    const base = { id: `kustomize:${dir || '.'}`, name: unitName(dir), kind: 'kustomize' };
    const outcome = buildKustomization(dir, io);
    if (!outcome.ok) {
      const { problem } = outcome;
      if (problem.kind === 'unresolved') units.push({ ...base, files: outcome.files, model: { exposures: [unresolvedExposure(dir, problem)] } });
      else {
        const failure: ParseFailure = { file: problem.location.file, message: `${unitName(dir)} cannot be built: ${problem.message}`, location: problem.location };
        units.push({ ...base, files: outcome.files, model: {}, failures: [failure] });
      }
      continue;
    }
    const adapted = adaptBuild(rootPath, outcome.resources, context);
    // Generator inputs (an elasticsearch.yml in configMapGenerator files) stay checked by their own format.
    for (const file of outcome.manifests) covers.add(file);
    const notices = [...adapted.notices, ...outcome.notes.map((message) => ({ file: rootPath, level: 'note' as const, message }))];
    units.push({ ...base, files: outcome.files, model: adapted.model, ...(adapted.failures.length ? { failures: adapted.failures } : {}), ...(notices.length ? { notices } : {}) });
  }
  return { model: {}, units, covers: [...covers].sort() };
}

export const kustomizeFormat: Format<KustomizeParsed> = {
  ...KUSTOMIZE,
  detect: detectKustomize,
  parse(file) {
    const yaml = parseYaml(file);
    if (yaml.failure) return { failure: yaml.failure };
    const doc = yaml.documents[0];
    let root: KValue | undefined;
    try {
      root = doc ? fromYaml(doc.contents, doc, file) : undefined;
    } catch (error) {
      if (error instanceof TreeTooComplex) return { failure: { file: file.path, message: error.message, location: error.origin.location } };
      throw error;
    }
    if (!root || root.t !== 'map') return { failure: { file: file.path, message: 'a kustomization is a mapping of fields' } };
    return { parsed: { root } };
  },
  adapt(files, context) {
    try {
      return adaptKustomize(files, context);
    } catch (error) {
      return { model: {}, failures: files.map(({ file }) => ({ file: file.path, message: `cannot build the kustomization: ${(error as Error).message}` })) };
    }
  },
};
