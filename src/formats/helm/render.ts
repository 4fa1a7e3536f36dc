/**
 * Rendering a chart with a values set, as `helm template` does: values layered (user files over
 * values.yaml, parent over subchart, globals down), dependencies enabled by condition/tags,
 * aliases, import-values; every template of every enabled chart parsed into one set and each
 * non-partial template executed. Output keeps its source map (segments).
 */
import picomatch from 'picomatch';
import type { Chart, ChartFile, Dependency } from './chart.js';
import { Engine, type Decision, type Segment } from './template/exec.js';
import { buildFuncs } from './template/funcs.js';
import { toYaml } from './template/goyaml.js';
import { parseTemplate, TemplateError } from './template/parse.js';
import { GoStruct, ORIGINS, type Origin } from './template/values.js';

const RELEASE_NAME = 'release-name';
const KUBE_VERSION = 'v1.35.0';
const HELM_VERSION = 'v4.1.4';
const API_VERSIONS =
  'v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 apps/v1 apps/v1beta1 apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 batch/v1beta1 certificates.k8s.io/v1 certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 coordination.k8s.io/v1 discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta1 flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 policy/v1beta1 rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 apiextensions.k8s.io/v1'.split(
    ' ',
  );

export interface RenderedTemplate {
  /** Helm's template name ("redis/templates/master/service.yaml"), as in `# Source:`. */
  name: string;
  file: ChartFile;
  text: string;
  /** Segments with their offsets in `text`. */
  segments: (Segment & { outStart: number; outEnd: number })[];
  /** The `if`/`with` decisions of the template, placed at their output offset. */
  decisions: (Decision & { outAt: number })[];
}

export interface RenderProblem {
  file: string;
  offset: number;
  message: string;
  kind: TemplateError['kind'] | 'values';
}

export interface RenderResult {
  templates: RenderedTemplate[];
  problems: RenderProblem[];
  /** Enabled dependencies that are not vendored in charts/. */
  missing: { chart: Chart; dependency: Dependency }[];
}

// ------------------------------------------------------------ values layering

/** `over` layered on `base` (over wins, maps merge, null deletes a default); origins follow the winning side. */
export function layer(base: unknown, over: unknown): unknown {
  if (!(over instanceof Map) || !(base instanceof Map)) return over === undefined ? base : over;
  const out = new Map<string, unknown>();
  const origins = new Map<string, Origin>();
  const baseOrigins = ORIGINS.get(base);
  const overOrigins = ORIGINS.get(over);
  for (const [k, v] of base) {
    out.set(k, v);
    const o = baseOrigins?.get(k);
    if (o) origins.set(k, o);
  }
  for (const [k, v] of over) {
    if (v === null && base.has(k)) {
      out.delete(k);
      origins.delete(k);
      continue;
    }
    const merged = base.has(k) && v instanceof Map && base.get(k) instanceof Map ? layer(base.get(k), v) : v;
    out.set(k, merged);
    const o = overOrigins?.get(k);
    if (o) origins.set(k, o);
  }
  ORIGINS.set(out, origins);
  return out;
}

function getPath(values: Map<string, unknown>, path: string): unknown {
  let cur: unknown = values;
  for (const part of path.split('.')) {
    if (!(cur instanceof Map) || !cur.has(part)) return undefined;
    cur = cur.get(part);
  }
  return cur;
}

function setPath(values: Map<string, unknown>, path: string, value: unknown): Map<string, unknown> {
  const parts = path.split('.').filter(Boolean);
  if (parts.length === 0) return layer(value, values) as Map<string, unknown>;
  const wrapped = parts.reduceRight<unknown>((acc, part) => new Map([[part, acc]]), value);
  // Parent values win over imported ones.
  return layer(wrapped, values) as Map<string, unknown>;
}

function enabled(dep: Dependency, values: Map<string, unknown>): boolean {
  if (dep.condition) {
    for (const path of dep.condition.split(',').map((p) => p.trim())) {
      const v = getPath(values, path);
      if (typeof v === 'boolean') return v;
    }
  }
  if (dep.tags.length > 0) {
    const tags = values.get('tags');
    let hasTrue = false;
    let hasFalse = false;
    for (const t of dep.tags) {
      const v = tags instanceof Map ? tags.get(t) : undefined;
      if (v === true) hasTrue = true;
      if (v === false) hasFalse = true;
    }
    if (!hasTrue && hasFalse) return false;
  }
  return true;
}

interface Scoped {
  chart: Chart;
  /** Name of the chart as its parent sees it (alias). */
  name: string;
  /** Helm's template path prefix: "redis", "redis/charts/common". */
  prefix: string;
  values: Map<string, unknown>;
  subcharts: Scoped[];
}

/** Values of a chart with `overrides` on top, its enabled subcharts scoped below it. */
function scope(chart: Chart, name: string, prefix: string, overrides: Map<string, unknown>, missing: RenderResult['missing'], depth = 0): Scoped {
  let values = layer(chart.values, overrides) as Map<string, unknown>;
  const subs: { sub: Chart; name: string }[] = [];
  const listed = new Set<string>();
  for (const dep of chart.dependencies) {
    const sub = chart.subcharts.find((c) => c.name === dep.name);
    listed.add(dep.name);
    if (!enabled(dep, values)) continue;
    if (!sub) {
      missing.push({ chart, dependency: dep });
      continue;
    }
    subs.push({ sub, name: dep.alias ?? dep.name });
  }
  // Charts in charts/ that Chart.yaml does not list are used as they are.
  for (const sub of chart.subcharts) if (!listed.has(sub.name)) subs.push({ sub, name: sub.name });
  const scoped: Scoped[] = [];
  for (const { sub, name: subName } of subs) {
    const dep = chart.dependencies.find((d) => (d.alias ?? d.name) === subName);
    const own = values.get(subName);
    let subOver = own instanceof Map ? own : new Map<string, unknown>();
    const global = values.get('global');
    if (global instanceof Map) subOver = layer(subOver, new Map([['global', layer(subOver.get('global') ?? new Map(), global)]])) as Map<string, unknown>;
    const child = depth < 10 ? scope(sub, subName, `${prefix}/charts/${subName}`, subOver, missing, depth + 1) : undefined;
    if (!child) continue;
    values = new Map(values);
    ORIGINS.set(values, new Map(ORIGINS.get(values as Map<string, unknown>) ?? []));
    values.set(subName, child.values);
    // import-values: child values copied into the parent (parent values win).
    for (const imp of dep?.importValues ?? []) {
      if (typeof imp === 'string') {
        const exported = getPath(child.values, `exports.${imp}`);
        if (exported instanceof Map) values = setPath(values, '', exported);
      } else if (imp instanceof Map) {
        const from = getPath(child.values, String(imp.get('child') ?? ''));
        if (from !== undefined) values = setPath(values, String(imp.get('parent') ?? ''), from);
      }
    }
    scoped.push(child);
  }
  return { chart, name, prefix, values, subcharts: scoped };
}

// ------------------------------------------------------------ render objects

const META_FIELDS: [string, string][] = [
  ['name', 'Name'],
  ['home', 'Home'],
  ['sources', 'Sources'],
  ['version', 'Version'],
  ['description', 'Description'],
  ['keywords', 'Keywords'],
  ['maintainers', 'Maintainers'],
  ['icon', 'Icon'],
  ['apiVersion', 'APIVersion'],
  ['condition', 'Condition'],
  ['tags', 'Tags'],
  ['appVersion', 'AppVersion'],
  ['deprecated', 'Deprecated'],
  ['annotations', 'Annotations'],
  ['kubeVersion', 'KubeVersion'],
  ['dependencies', 'Dependencies'],
  ['type', 'Type'],
];

function chartStruct(chart: Chart, name: string): GoStruct {
  const fields: Record<string, unknown> = {};
  for (const [key, field] of META_FIELDS) {
    const v = chart.metadata.get(key);
    fields[field] = typeof v === 'number' ? String(v) : (v ?? (['Sources', 'Keywords', 'Maintainers', 'Dependencies'].includes(field) ? null : field === 'Deprecated' ? false : field === 'Annotations' ? null : ''));
  }
  // An alias renames the chart (Helm sets the metadata name to the alias).
  fields.Name = name;
  return new GoStruct('*chart.Metadata', fields);
}

function filesStruct(files: Map<string, string>): GoStruct {
  const sorted = [...files.keys()].sort();
  return new GoStruct(
    'files',
    {},
    {
      Get: (name: unknown) => files.get(String(name)) ?? '',
      GetBytes: (name: unknown) => files.get(String(name)) ?? '',
      Glob: (pattern: unknown) => {
        const match = picomatch(String(pattern), { dot: true });
        return filesStruct(new Map(sorted.filter((n) => match(n)).map((n) => [n, files.get(n)!])));
      },
      AsConfig: () => toYaml(new Map(sorted.map((n) => [n.split('/').pop()!, files.get(n)!]))),
      AsSecrets: () => toYaml(new Map(sorted.map((n) => [n.split('/').pop()!, Buffer.from(files.get(n)!).toString('base64')]))),
      Lines: (name: unknown) => {
        const text = files.get(String(name)) ?? '';
        if (text === '') return [];
        return text.replace(/\n$/, '').split('\n');
      },
    },
  );
}

function capabilities(): GoStruct {
  const major = KUBE_VERSION.replace(/^v/, '').split('.')[0]!;
  const minor = KUBE_VERSION.replace(/^v/, '').split('.')[1]!;
  const kube = new GoStruct('chartutil.KubeVersion', { Version: KUBE_VERSION, Major: major, Minor: minor, GitVersion: KUBE_VERSION }, {}, () => KUBE_VERSION);
  const apis = new GoStruct('chartutil.VersionSet', {}, { Has: (v: unknown) => API_VERSIONS.includes(String(v)) });
  return new GoStruct('*chartutil.Capabilities', {
    KubeVersion: kube,
    APIVersions: apis,
    HelmVersion: new GoStruct('chartutil.BuildInfo', { Version: HELM_VERSION, GitCommit: '', GitTreeState: 'clean', GoVersion: 'go1.25' }),
  });
}

function flatten(s: Scoped): Scoped[] {
  return [s, ...s.subcharts.flatMap(flatten)];
}

/**
 * Parsed templates, shared by the values sets of a chart (trees are not changed by execution).
 * Kept with the chart's file itself (a weak map): a chart's trees go with the chart, rather than
 * a module-wide cache holding every template text and tree of the run until its end (#17).
 */
const PARSE_CACHE = new WeakMap<ChartFile, Map<string, { text: string; trees: ReturnType<typeof parseTemplate> }>>();

function parseCached(name: string, file: ChartFile): ReturnType<typeof parseTemplate> {
  let byName = PARSE_CACHE.get(file);
  const cached = byName?.get(name);
  if (cached && cached.text === file.text) return cached.trees;
  const trees = parseTemplate(name, file.text, file.scanPath);
  if (!byName) PARSE_CACHE.set(file, (byName = new Map()));
  byName.set(name, { text: file.text, trees });
  return trees;
}

/** Renders a chart with user values layered over its values.yaml. */
export function renderChart(chart: Chart, userValues: Map<string, unknown>, options: { releaseName?: string; namespace?: string } = {}): RenderResult {
  const missing: RenderResult['missing'] = [];
  const problems: RenderProblem[] = [];
  const top = scope(chart, chart.name, chart.name, userValues, missing);
  const all = flatten(top);

  const includeCache = new Map<string, number>();
  void includeCache;
  const tplCache = new Map<string, string>();
  let tplCount = 0;
  const engine: Engine = new Engine(
    buildFuncs(
      {
        include(name, data, call) {
          return engine.execute(name, data, null, call.state.depth + 1, { state: call.state, pos: call.pos });
        },
        tpl(text, data, call) {
          let name = tplCache.get(text);
          if (!name) {
            name = `${call.state.tree.name}#tpl${++tplCount}`;
            try {
              const trees = parseTemplate(name, text, call.state.tree.file);
              // Offsets of a tpl string are not file offsets: errors point at the tpl call.
              for (const tree of trees.values()) tree.file = call.state.tree.file;
              engine.addTrees(trees);
            } catch (error) {
              if (error instanceof TemplateError) throw new TemplateError(`error calling tpl: ${error.message}`, call.state.tree.file, call.pos, error.kind);
              throw error;
            }
            tplCache.set(text, name);
          }
          try {
            return engine.execute(name, data, null, call.state.depth + 1, { state: call.state, pos: call.pos }).replace(/<no value>/g, '');
          } catch (error) {
            if (error instanceof TemplateError && error.template === call.state.tree.file && error.kind === 'exec') throw new TemplateError(`error calling tpl: ${error.message}`, call.state.tree.file, call.pos, error.kind);
            throw error;
          }
        },
      },
      chart.name,
    ),
  );

  // Every template of every chart, parsed into one set: deeper paths first, so that a parent's
  // `define` overrides a subchart's (Helm's sortTemplates order).
  const entries: { name: string; file: ChartFile; scoped: Scoped }[] = [];
  for (const s of all) {
    for (const [inner, file] of s.chart.files) {
      if (!inner.startsWith('templates/')) continue;
      entries.push({ name: `${s.prefix}/${inner}`, file, scoped: s });
    }
  }
  entries.sort((a, b) => {
    const ca = a.name.split('/').length;
    const cb = b.name.split('/').length;
    if (ca !== cb) return cb - ca;
    return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
  });
  const parsed = new Set<string>();
  for (const entry of entries) {
    try {
      engine.addTrees(parseCached(entry.name, entry.file));
      parsed.add(entry.name);
    } catch (error) {
      if (error instanceof TemplateError) problems.push({ file: entry.file.scanPath, offset: error.offset, message: error.message, kind: 'parse' });
      else throw error;
    }
  }

  const release = new Map<string, unknown>([
    ['Name', options.releaseName ?? RELEASE_NAME],
    ['Namespace', options.namespace ?? 'default'],
    ['Revision', 1n],
    ['IsUpgrade', false],
    ['IsInstall', true],
    ['Service', 'Helm'],
  ]);
  const caps = capabilities();
  const templates: RenderedTemplate[] = [];
  const roots = new Map<Scoped, Map<string, unknown>>();
  for (const s of all) {
    const files = new Map<string, string>();
    for (const [inner, file] of s.chart.files) if (!inner.startsWith('templates/') && !['Chart.yaml', 'values.yaml'].includes(inner)) files.set(inner, file.text);
    roots.set(
      s,
      new Map<string, unknown>([
        ['Values', s.values],
        ['Release', release],
        ['Chart', chartStruct(s.chart, s.name)],
        ['Capabilities', caps],
        ['Files', filesStruct(files)],
        ['Subcharts', new Map(s.subcharts.map((c) => [c.name, null]))],
      ]),
    );
  }
  const renderable = entries
    .filter((e) => parsed.has(e.name) && e.scoped.chart.type !== 'library' && !e.name.split('/').pop()!.startsWith('_') && /\.(ya?ml|json)$/i.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of renderable) {
    const root = roots.get(entry.scoped)!;
    root.set('Template', new Map([
      ['Name', entry.name],
      ['BasePath', `${entry.scoped.prefix}/templates`],
    ]));
    const segments: Segment[] = [];
    engine.decisions = [];
    try {
      engine.steps = 0;
      engine.execute(entry.name, root, segments);
    } catch (error) {
      if (error instanceof TemplateError) {
        problems.push({ file: error.template, offset: error.offset, message: error.message, kind: error.kind });
        continue;
      }
      problems.push({ file: entry.file.scanPath, offset: 0, message: `cannot render: ${(error as Error).message}`, kind: 'exec' });
      continue;
    }
    // Helm removes "<no value>" from the output.
    let at = 0;
    const mapped: RenderedTemplate['segments'] = [];
    const offsetOfSegment: number[] = [];
    for (const seg of segments) {
      offsetOfSegment.push(at);
      let text = seg.text;
      let kind = seg.kind;
      if (text.includes('<no value>')) {
        text = text.replace(/<no value>/g, '');
        kind = 'value';
      }
      if (text === '') continue;
      mapped.push({ ...seg, text, kind, outStart: at, outEnd: at + text.length });
      at += text.length;
    }
    const text = mapped.map((s) => s.text).join('');
    if (text.trim() === '') continue;
    const decisions = engine.decisions.map((d) => ({ ...d, outAt: offsetOfSegment[d.segmentIndex] ?? at }));
    templates.push({ name: entry.name, file: entry.file, text, segments: mapped, decisions });
  }
  return { templates, problems, missing };
}
