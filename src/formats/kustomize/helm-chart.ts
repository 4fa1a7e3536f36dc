/**
 * `helmCharts` through portwall's own Helm renderer: the chart under helmGlobals.chartHome
 * (default `charts`) of the kustomization, its values.yaml layered with `valuesFile` and
 * `valuesInline` (by `valuesMerge`), then `additionalValuesFiles`, rendered with `releaseName`
 * and `namespace`. Every rendered location maps back
 * to the template token, with the values lines it read as hops. Nothing is fetched: a chart with
 * `repo:` that is not vendored under chartHome stays unresolved (PW010).
 */
import { LineIndex, type Location } from '../../core/location.js';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { listChartFiles, loadChart, loadValuesFile } from '../helm/chart.js';
import { layer, renderChart } from '../helm/render.js';
import { SourceMap } from '../helm/sourcemap.js';
import type { AdaptContext, SourceFile } from '../types.js';
import { parseYaml } from '../yaml/index.js';
import { BuildFailure, joinPath, type HelmChartRenderer } from './build.js';
import { get, str, type KMap, type Origin } from './tree.js';

/**
 * The `valuesInline` mapping of a chart entry as values whose origins are lines of the
 * kustomization: the kustomization's text with everything but that node blanked (offsets kept).
 */
function inlineValues(chart: KMap, kustomization: SourceFile): { values: Map<string, unknown>; error?: string } {
  if (!get(chart, 'valuesInline')) return { values: new Map() };
  const doc = parseDocument(kustomization.text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  const at = chart.origin.location.region.startOffset;
  const charts = isMap(doc.contents) ? doc.contents.get('helmCharts', true) : undefined;
  const entry = isSeq(charts) ? (charts.items as Node[]).find((n) => isMap(n) && n.range && n.range[0] <= at && at < n.range[2]) : undefined;
  const node = isMap(entry) ? (entry.get('valuesInline', true) as Node | undefined) : undefined;
  if (!node?.range) return { values: new Map() };
  const [start, end] = node.range;
  const blanked = kustomization.text.replace(/[^\n]/g, ' ');
  const text = blanked.slice(0, start) + kustomization.text.slice(start, end) + blanked.slice(end);
  const loaded = loadValuesFile(text, kustomization.path);
  return loaded.error ? { values: new Map(), error: `valuesInline: ${loaded.error.message}` } : { values: loaded.values };
}

export function helmChartRenderer(context: AdaptContext): HelmChartRenderer {
  return (chart, dir, read, globals) => {
    const name = str(get(chart, 'name'));
    if (!name) return { unresolved: 'a chart entry needs a name' };
    const home = joinPath(dir, str(get(globals, 'chartHome')) ?? 'charts');
    const repo = str(get(chart, 'repo'));
    const version = str(get(chart, 'version'));
    // kustomize keeps a pulled chart at chartHome/<name>-<version>/<name>, an unversioned one at chartHome/<name>.
    const candidates = [...(repo && version ? [joinPath(home, `${name}-${version}/${name}`)] : []), joinPath(home, name)];
    const chartDir = candidates.find((c) => context.readFile(`${c}/Chart.yaml`));
    if (chartDir === undefined) {
      return {
        unresolved: repo
          ? `chart ${name} comes from a repository (${repo}) and is never fetched; it is not vendored under ${candidates.join(' or ')}`
          : `local chart ${name} does not exist: no ${candidates[0]}/Chart.yaml`,
      };
    }
    // kustomize's load restrictor: it reads the chart's values.yaml only in or below the kustomization's folder.
    if (dir ? !chartDir.startsWith(`${dir}/`) : chartDir.startsWith('../')) throw new BuildFailure(`helmCharts: chart ${chartDir} is not in or below ${dir || '.'} (kustomize's load restrictor refuses its values.yaml)`, chart.origin);
    read(`${chartDir}/Chart.yaml`);
    const { files, archives } = listChartFiles(chartDir, context, read);
    const loaded = loadChart({ files, archives, root: chartDir, readBytes: (n) => context.readBytes?.(joinPath(chartDir, n)) });
    if (loaded.problems.length > 0) return { unresolved: `chart ${chartDir}: ${loaded.problems[0]!.message}` };
    if (loaded.type === 'library') return { documents: [] };

    const texts = new Map<string, string>();
    const collect = (c: typeof loaded) => {
      for (const f of c.files.values()) texts.set(f.scanPath, f.text);
      c.subcharts.forEach(collect);
    };
    collect(loaded);
    const valuesOf = (entry: string, field: string, at: Origin): Map<string, unknown> => {
      const file = read(joinPath(dir, entry));
      if (!file) throw new BuildFailure(`helmCharts: ${field} ${entry} does not exist`, at);
      const values = loadValuesFile(file.text, file.path);
      if (values.error) throw new BuildFailure(`helmCharts: ${field} ${entry}: ${values.error.message}`, at);
      texts.set(file.path, file.text);
      return values.values;
    };
    // kustomize's values file: valuesFile (or the chart's values.yaml) combined with valuesInline by valuesMerge.
    const valuesFile = get(chart, 'valuesFile');
    let user = str(valuesFile) ? valuesOf(str(valuesFile)!, 'valuesFile', valuesFile!.origin) : loaded.values;
    const kustomization = read(chart.origin.location.file);
    if (kustomization && get(chart, 'valuesInline')) {
      const inline = inlineValues(chart, kustomization);
      if (inline.error) return { unresolved: inline.error };
      texts.set(kustomization.path, kustomization.text);
      const merge = str(get(chart, 'valuesMerge')) ?? 'override';
      if (merge === 'replace') user = inline.values;
      else if (merge === 'merge') user = layer(inline.values, user) as Map<string, unknown>;
      else if (merge === 'override') user = layer(user, inline.values) as Map<string, unknown>;
      else throw new BuildFailure(`helmCharts: valuesMerge must be override, replace or merge, not ${merge}`, get(chart, 'valuesMerge')!.origin);
    }
    // helm's later --values files: each additionalValuesFiles entry over that.
    const additional = get(chart, 'additionalValuesFiles');
    if (additional?.t === 'seq') for (const item of additional.items) user = layer(user, valuesOf(str(item) ?? '', 'additionalValuesFiles', item.origin)) as Map<string, unknown>;

    const releaseName = str(get(chart, 'releaseName'));
    const namespace = str(get(chart, 'namespace'));
    const result = renderChart(loaded, user, { ...(releaseName ? { releaseName } : {}), ...(namespace ? { namespace } : {}) });
    const fatal = result.problems.find((p) => p.kind !== 'unsupported');
    if (fatal) return { unresolved: `chart ${chartDir} cannot be rendered: ${fatal.message} (${fatal.file})` };
    // A template portwall cannot render is left out of the output: what the build holds is unknown, never guessed.
    const unsupported = result.problems.find((p) => p.kind === 'unsupported');
    if (unsupported) return { unresolved: `chart ${chartDir} uses what portwall does not support (${unsupported.message} in ${unsupported.file}); what it renders is unknown` };
    const missing = result.missing[0];
    if (missing) return { unresolved: `chart ${chartDir}: dependency '${missing.dependency.name}' is not vendored in charts/ and portwall fetches nothing` };

    const map = new SourceMap(result.templates, texts, (file) => file);
    const documents: { file: SourceFile; doc: ReturnType<typeof parseYaml>['documents'][number] }[] = [];
    for (const t of result.templates) {
      const file: SourceFile = { path: t.file.scanPath, text: t.text, index: new LineIndex(t.text), cache: new Map() };
      const yaml = parseYaml(file);
      if (yaml.failure) return { unresolved: `rendered ${t.name} does not parse: ${yaml.failure.message}` };
      for (const doc of yaml.documents) if (doc.contents !== null && doc.contents !== undefined && !(isScalarNull(doc.contents))) documents.push({ file, doc });
    }
    const locate = (rendered: Location): Origin | undefined => {
      const r = map.rendered(rendered.file);
      const mapped = map.remap(rendered);
      if (!r || !mapped) return undefined;
      const hops = map.hops(mapped.segments, r.text.slice(rendered.region.startOffset, rendered.region.endOffset));
      return hops.length > 0 ? { location: mapped.location, hops } : { location: mapped.location };
    };
    return { documents, locate };
  };
}

function isScalarNull(node: unknown): boolean {
  return !!node && typeof node === 'object' && 'value' in node && (node as { value: unknown }).value === null && !('items' in node);
}
