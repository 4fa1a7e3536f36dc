/**
 * The Helm format: a chart (its Chart.yaml) is rendered natively, once per values set, and
 * the rendered documents go through the Kubernetes adapter; every location is then mapped back
 * to the template token, with the values-file lines as provenance hops. Each values set is a
 * deployment unit. Nothing is fetched and nothing from the chart is executed.
 * Depends on core/, model/, formats/kubernetes and formats/yaml.
 */
import path from 'node:path';
import { LineIndex, type Hop, type Location } from '../../core/location.js';
import { folderOf } from '../../core/paths.js';
import { unknownPorts } from '../../model/ports.js';
import type { Exposure, Model } from '../../model/types.js';
import type { AdaptContext, AdaptResult, Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import { adaptKubernetesDocuments } from '../kubernetes/index.js';
import { listChartFiles, loadChart, loadValuesFile, type Chart, type ChartFile } from './chart.js';
import { renderChart, type RenderProblem, type RenderResult } from './render.js';
import { remapModel, SourceMap } from './sourcemap.js';
import { detectHelm, HELM } from './detect.js';

interface HelmParsed {
  /** The chart folder, relative to the scan root ("" for the root). */
  dir: string;
}

function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** The chart's files through the engine's readers (text files, and archive bytes). */
function chartSource(dir: string, context: AdaptContext): { files: Map<string, ChartFile>; archives: string[]; readBytes: (n: string) => Uint8Array | undefined } {
  return { ...listChartFiles(dir, context, (p) => context.readFile(p)), readBytes: (n) => context.readBytes?.(joinPath(dir, n)) };
}

/** Values sets: values.yaml alone, then each values*.yaml / values/*.yaml beside it, then the config's. */
function valueSets(chart: Chart, dir: string, context: AdaptContext): { name: string; files: ChartFile[] }[] {
  const sets: { name: string; files: ChartFile[] }[] = [{ name: 'values.yaml', files: [] }];
  const extras = [...chart.files.keys()].filter((n) => (/^values[^/]*\.ya?ml$/.test(n) && n !== 'values.yaml' && n !== 'values.yml') || /^values\/[^/]+\.ya?ml$/.test(n)).sort();
  for (const name of extras) sets.push({ name, files: [chart.files.get(name)!] });
  const configured = context.helm?.valueFiles?.[dir || '.'] ?? context.helm?.valueFiles?.[dir] ?? [];
  for (const name of configured) {
    const scanPath = path.posix.normalize(joinPath(dir, name));
    const file = chart.files.get(name) ?? (context.readFile(scanPath) ? { name, text: context.readFile(scanPath)!.text, scanPath } : undefined);
    if (file && !sets.some((s) => s.files[0]?.scanPath === file.scanPath)) sets.push({ name, files: [file] });
    else if (!file) sets.push({ name, files: [] });
  }
  return sets;
}

function regionAt(text: string, offset: number): Location['region'] {
  const index = new LineIndex(text);
  const lineEnd = text.indexOf('\n', offset);
  return index.region(offset, Math.max(offset + 1, lineEnd === -1 ? text.length : lineEnd));
}

function unresolved(id: string, subject: string, reason: string, location: Location): Exposure {
  return {
    id,
    via: 'k8s-load-balancer',
    subject,
    ports: unknownPorts('not rendered'),
    sources: [{ value: { kind: 'unknown', reason, label: reason }, location }],
    location,
    workloads: [],
  };
}

function helmMessage(problem: RenderProblem, texts: Map<string, string>, templateName: (file: string) => string): string {
  const text = texts.get(problem.file);
  const pos = text !== undefined ? new LineIndex(text).position(problem.offset) : { line: 1, column: 1 };
  if (problem.kind === 'required') {
    // Which value: the `.Values...` path the `required` call checks.
    const action = text?.slice(problem.offset, text.indexOf('}}', problem.offset) === -1 ? undefined : text.indexOf('}}', problem.offset)) ?? '';
    const path = /\.Values(?:\.[\w-]+)+/.exec(action)?.[0];
    return `Helm template ${templateName(problem.file)} cannot be rendered: required value ${path ? `${path} is missing or empty` : 'missing'}: ${problem.message}`;
  }
  if (problem.kind === 'fail') return `Helm template ${templateName(problem.file)} fails: execution error at (${templateName(problem.file)}:${pos.line}:${pos.column}): ${problem.message}`;
  if (problem.kind === 'parse') return `Helm template does not parse: ${problem.message}`;
  return `Helm template ${templateName(problem.file)} cannot be rendered: ${problem.message}`;
}

function renderUnit(chart: Chart, dir: string, set: { name: string; files: ChartFile[] }, context: AdaptContext): UnitResult {
  const failures: ParseFailure[] = [];
  const extra: Exposure[] = [];
  const texts = new Map<string, string>();
  const collect = (c: Chart) => {
    for (const f of c.files.values()) texts.set(f.scanPath, f.text);
    c.subcharts.forEach(collect);
  };
  collect(chart);
  const unitName = `chart ${dir || '.'} with ${set.name}`;
  let user = new Map<string, unknown>();
  for (const file of set.files) {
    texts.set(file.scanPath, file.text);
    const loaded = loadValuesFile(file.text, file.scanPath);
    if (loaded.error) failures.push({ file: file.scanPath, message: `values file ${set.name}: ${loaded.error.message}`, location: { file: file.scanPath, region: regionAt(file.text, loaded.error.offset) } });
    user = loaded.values;
  }
  if (set.name !== 'values.yaml' && set.files.length === 0) {
    const chartYaml = chart.files.get('Chart.yaml');
    failures.push({ file: chartYaml?.scanPath ?? joinPath(dir, 'Chart.yaml'), message: `values file ${set.name} named in the config for chart ${dir || '.'} does not exist` });
  }
  for (const p of chart.problems) failures.push({ file: p.file, message: p.message, ...(p.offset !== undefined && texts.has(p.file) ? { location: { file: p.file, region: regionAt(texts.get(p.file)!, p.offset) } } : {}) });

  let result: RenderResult;
  try {
    result = renderChart(chart, user);
  } catch (error) {
    failures.push({ file: joinPath(dir, 'Chart.yaml'), message: `cannot render chart ${chart.name}: ${(error as Error).message}` });
    return { id: `helm:${dir || '.'}#${set.name}`, name: unitName, kind: 'helm', files: [...texts.keys()], model: {}, failures };
  }
  const nameByFile = new Map(result.templates.map((t) => [t.file.scanPath, t.name]));
  const templateName = (file: string) => nameByFile.get(file) ?? file;

  for (const problem of result.problems) {
    const text = texts.get(problem.file);
    const location: Location | undefined = text !== undefined ? { file: problem.file, region: regionAt(text, problem.offset) } : undefined;
    if (problem.kind === 'unsupported') {
      const what = /function "([^"]+)"/.exec(problem.message)?.[1] ?? problem.message;
      const reason = `the template uses ${/function/.test(problem.message) ? `the function '${what}'` : what}, which portwall does not support; what ${problem.file} renders is unknown`;
      if (location) extra.push(unresolved(`helm:${problem.file}:unsupported:${what}`, `Helm template ${problem.file}`, reason, location));
      continue;
    }
    failures.push({ file: problem.file, message: helmMessage(problem, texts, templateName), ...(location ? { location } : {}) });
  }
  for (const { chart: owner, dependency } of result.missing) {
    const chartYaml = owner.files.get(owner.apiVersion === 'v1' && owner.files.has('requirements.yaml') ? 'requirements.yaml' : 'Chart.yaml');
    if (!chartYaml) continue;
    const at = Math.max(0, chartYaml.text.search(new RegExp(`name:\\s*["']?${dependency.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm')));
    const location = { file: chartYaml.scanPath, region: regionAt(chartYaml.text, at) };
    const reason = `dependency '${dependency.name}'${dependency.repository ? ` (${dependency.repository})` : ''} is not vendored in charts/ and portwall fetches nothing; run \`helm dependency build\` and commit the archive to check what it exposes`;
    extra.push(unresolved(`helm:${chartYaml.scanPath}:dependency:${dependency.name}`, `chart ${owner.name}, dependency '${dependency.name}'`, reason, location));
  }

  // The rendered documents, as files of the Kubernetes adapter (named by their template).
  const rendered: SourceFile[] = result.templates.map((t) => ({ path: t.file.scanPath, text: t.text, index: new LineIndex(t.text), cache: new Map() }));
  const adapted: AdaptResult = adaptKubernetesDocuments(rendered, context);
  const valuesDir = dir ? `${dir}/` : '';
  const map = new SourceMap(result.templates, texts, (file) => (file.startsWith(valuesDir) ? file.slice(valuesDir.length) : file));
  const model = adapted.model as Partial<Model>;
  addServiceTypeHops(model, map);
  const authHops = authDecisionHops(model, map);
  remapModel(model, map);
  // After the remap, so that the hops of the auth setting's own line come first.
  for (const [auth, hops] of authHops) auth.via = [...(auth.via ?? []), ...hops.filter((h) => !(auth.via ?? []).some((e) => e.note === h.note))];
  for (const f of adapted.failures ?? []) {
    const mapped = f.location ? map.remap(f.location) : undefined;
    failures.push({ file: mapped?.location.file ?? f.file, message: `rendered ${templateName(f.file)}: ${f.message}`, ...(mapped ? { location: mapped.location } : {}) });
  }
  model.exposures = [...(model.exposures ?? []), ...extra];
  return {
    id: `helm:${dir || '.'}#${set.name}`,
    name: unitName,
    kind: 'helm',
    files: [...texts.keys()],
    model,
    ...(failures.length ? { failures } : {}),
    notices: [],
  };
}

/**
 * A LoadBalancer or NodePort is decided by the Service's `type:`, not by its port entry: the
 * values behind that line become hops of the exposure's sources too.
 */
function addServiceTypeHops(model: Partial<Model>, map: SourceMap): void {
  for (const exposure of model.exposures ?? []) {
    if (exposure.via !== 'k8s-load-balancer' && exposure.via !== 'k8s-node-port') continue;
    const r = map.rendered(exposure.location.file);
    if (!r) continue;
    const at = exposure.location.region.startOffset;
    const docStart = Math.max(0, r.text.lastIndexOf('\n---', at));
    const next = r.text.indexOf('\n---', at);
    const doc = r.text.slice(docStart, next === -1 ? r.text.length : next);
    const m = /^\s+type:\s*["']?(LoadBalancer|NodePort)/m.exec(doc);
    if (!m) continue;
    const valueStart = docStart + m.index + m[0].length - m[1]!.length;
    const mapped = map.remap({ file: r.file.scanPath, region: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, startOffset: valueStart, endOffset: valueStart + m[1]!.length } });
    if (!mapped) continue;
    const hops = map.hops(mapped.segments, m[1]!);
    if (hops.length === 0) continue;
    for (const source of exposure.sources) source.via = [...(source.via ?? []), ...hops.filter((h) => !(source.via ?? []).some((e) => e.note === h.note))];
  }
}

/** Values paths that turn authentication on or off. */
const AUTH_PATH = /(^|\.)(auth|security|password|usePassword|requirepass|sasl|xpack)/i;

/**
 * Auth that is off because a setting is missing: the setting was left out by an `if` on a
 * values entry (`{{ if .Values.security.enabled }}` around the env var). The falsy auth values
 * that the document's conditions read become hops of the auth state.
 */
type AuthWithVia = NonNullable<Model['workloads'][number]['auth']> & { via?: Hop[] };

function authDecisionHops(model: Partial<Model>, map: SourceMap): Map<AuthWithVia, Hop[]> {
  const out = new Map<AuthWithVia, Hop[]>();
  for (const workload of model.workloads ?? []) {
    const auth = workload.auth as AuthWithVia | undefined;
    if (!auth || auth.state !== 'disabled' || !auth.location) continue;
    const r = map.rendered(auth.location.file);
    if (!r) continue;
    const at = auth.location.region.startOffset;
    const docStart = Math.max(0, r.text.lastIndexOf('\n---', at));
    const next = r.text.indexOf('\n---', at);
    const docEnd = next === -1 ? r.text.length : next;
    const touches = r.decisions
      .filter((d) => d.outAt >= docStart && d.outAt <= docEnd)
      .flatMap((d) => d.touches)
      .filter((t) => AUTH_PATH.test(t.origin.path) && (t.value === false || t.value === '' || t.value === null || t.value === 0));
    const distinct = [...new Map(touches.map((t) => [`${t.origin.file}:${t.origin.start}`, t])).values()].slice(0, 3);
    const hops = map.touchHops(distinct, ', read by a condition of the template');
    if (hops.length) out.set(auth, hops);
  }
  return out;
}

/** Whether chart folder `dir` lies in chart folder `top`'s charts/ folder (at any depth). */
function isSubchartOf(dir: string, top: string): boolean {
  return top !== dir && (top === '' ? dir.startsWith('charts/') : dir.startsWith(`${top}/charts/`));
}

function adaptHelm(files: { file: SourceFile; parsed: HelmParsed }[], context: AdaptContext): AdaptResult {
  const dirs = files.map((f) => f.parsed.dir);
  // A chart inside another chart's charts/ folder is rendered as its subchart.
  const tops = dirs.filter((d) => !dirs.some((o) => isSubchartOf(d, o)));
  const units: UnitResult[] = [];
  const covers = new Set<string>();
  for (const dir of [...new Set(tops)].sort()) {
    const source = chartSource(dir, context);
    const chart = loadChart({ ...source, root: dir });
    const mark = (c: Chart) => {
      for (const f of c.files.values()) if (f.name.startsWith('templates/')) covers.add(f.scanPath);
      c.subcharts.forEach(mark);
    };
    mark(chart);
    if (chart.type === 'library') continue;
    for (const set of valueSets(chart, dir, context)) units.push(renderUnit(chart, dir, set, context));
  }
  return { model: {}, units, covers: [...covers] };
}

/**
 * Each chart with its subcharts is a group (Format.groupFiles): charts never see each other, and
 * the garbage of one chart's renders is collected before the next chart renders.
 */
function chartGroups(files: SourceFile[]): SourceFile[][] {
  const dirs = new Set(files.map((f) => folderOf(f.path)));
  // The outermost chart of the scan whose charts/ folder holds this one, else the chart itself.
  const topOf = (dir: string): string => {
    if (dir.startsWith('charts/') && dirs.has('')) return '';
    for (let at = dir.indexOf('/charts/'); at !== -1; at = dir.indexOf('/charts/', at + 1)) {
      if (dirs.has(dir.slice(0, at))) return dir.slice(0, at);
    }
    return dir;
  };
  const groups = new Map<string, SourceFile[]>();
  for (const file of files) {
    const top = topOf(folderOf(file.path));
    const group = groups.get(top);
    if (group) group.push(file);
    else groups.set(top, [file]);
  }
  return [...groups.values()];
}

export const helmFormat: Format<HelmParsed> = {
  ...HELM,
  detect: detectHelm,
  parse(file) {
    return { parsed: { dir: folderOf(file.path) } };
  },
  groupFiles: chartGroups,
  adapt(files, context) {
    try {
      return adaptHelm(files, context);
    } catch (error) {
      return { model: {}, failures: files.map(({ file }) => ({ file: file.path, message: `cannot render the Helm chart: ${(error as Error).message}` })) };
    }
  },
};
