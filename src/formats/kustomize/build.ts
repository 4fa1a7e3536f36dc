/**
 * `kustomize build`, natively and without side effects: a kustomization's resources (files and
 * folders), components, generators and transformers, in kustomize's order, on located trees.
 * Nothing is fetched or run: remote resources, KRM functions and charts that cannot be rendered
 * are values with a reason (PW010); a missing or broken file is a failure (PW000).
 */
import path from 'node:path';
import type { Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';
import { parseYaml, type YamlDocument } from '../yaml/index.js';
import { generatorDefaults, runGenerators } from './generators.js';
import { applyJsonPatch, PatchError, readOperations } from './json-patch.js';
import { mergeMap } from './merge.js';
import { applyReplacements, ReplacementError } from './replacements.js';
import { groupVersion, kindOf, matchesSelector, nameOf, namespaceOf, newResource, noteIdentity, selectorOf, type Resource, type Selector } from './resources.js';
import { applyAnnotations, applyHashes, applyImages, applyLabels, applyNamespace, applyPrefixSuffix, applyReplicas, fixBackReferences, type ImageRule } from './transformers.js';
import { fileStart, fromYaml, get, getPath, str, TreeTooComplex, type KMap, type KValue, type Origin } from './tree.js';
import { inlineDocuments } from './inline.js';
import { KUSTOMIZATION_FILES } from './detect.js';

/** Bounds on one build, so that a diamond of bases cannot make the work exponential. */
const MAX_BUILDS = 2_000;
const MAX_RESOURCES = 50_000;

function resourceId(r: Resource): string {
  const { group, version } = groupVersion(r);
  return `${kindOf(r)}.${version}${group ? `.${group}` : ''}/${nameOf(r)}.${namespaceOf(r) || '[noNs]'}`;
}

/**
 * A chart renderer for `helmCharts` (src/formats/helm, when the integrator wires it in index.ts):
 * the rendered documents with a map from rendered locations to template/values locations, or a
 * reason it cannot render (PW010).
 */
export type HelmChartRenderer = (
  chart: KMap,
  kustomizationDir: string,
  read: (p: string) => SourceFile | undefined,
  /** The kustomization's `helmGlobals` (chartHome), when it has one. */
  globals?: KValue,
) => { documents: { file: SourceFile; doc: YamlDocument }[]; locate?: (rendered: Location) => Origin | undefined } | { unresolved: string };

export interface BuildIo {
  readFile(relativePath: string): SourceFile | undefined;
  /** Hook for `helmCharts`; without it a chart is PW010 "not rendered yet". */
  renderHelmChart?: HelmChartRenderer;
}

export interface BuildProblem {
  kind: 'failure' | 'unresolved';
  message: string;
  location: Location;
}

export type BuildOutcome =
  | { ok: true; resources: Resource[]; files: string[]; notes: string[]; manifests: string[] }
  | { ok: false; problem: BuildProblem; files: string[] };

export class BuildFailure extends Error {
  constructor(message: string, readonly origin: Origin, readonly unresolved = false) {
    super(message);
  }
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(?:\/|$|\?)/i;

export function isRemote(entry: string): boolean {
  return REMOTE.test(entry.trim());
}

function list(value: KValue | undefined): KValue[] {
  return value?.t === 'seq' ? value.items : [];
}

function within(dir: string, file: string): boolean {
  return dir === '' || dir === '.' ? !file.startsWith('../') : file.startsWith(`${dir}/`);
}

export function joinPath(dir: string, entry: string): string {
  const joined = path.posix.normalize(path.posix.join(dir || '.', entry.trim()));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function findKustomization(dir: string, read: (p: string) => SourceFile | undefined): SourceFile | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = read(dir ? `${dir}/${name}` : name);
    if (file) return file;
  }
  return undefined;
}

class Builder {
  readonly files = new Set<string>();
  /** Files read as Kubernetes documents (resources, patches): the ones a successful build covers. */
  readonly manifests = new Set<string>();
  readonly notes: string[] = [];
  private readonly stack: string[] = [];
  private loaded = 0;
  private builds = 0;

  constructor(private readonly io: BuildIo) {}

  read(relativePath: string): SourceFile | undefined {
    const file = this.io.readFile(relativePath);
    if (file) this.files.add(file.path);
    return file;
  }

  fileIn(dir: string, entry: string, at: Origin): SourceFile {
    const target = joinPath(dir, entry);
    // kustomize's load restrictor: files (not folders) must lie in or below the kustomization's folder.
    if (!within(dir, target)) throw new BuildFailure(`file ${entry} is not in or below ${dir || '.'} (kustomize's load restrictor refuses it)`, at);
    const file = this.read(target);
    if (!file) throw new BuildFailure(`${entry} does not exist`, at);
    return file;
  }

  documents(file: SourceFile, at: Origin): { doc: YamlDocument; file: SourceFile }[] {
    this.manifests.add(file.path);
    const yaml = parseYaml(file);
    if (yaml.failure) throw new BuildFailure(`${file.path}: ${yaml.failure.message}`, yaml.failure.location ? { location: yaml.failure.location } : at);
    return yaml.documents.filter((d) => d.contents !== null && d.contents !== undefined).map((doc) => ({ doc, file }));
  }

  loadKustomization(dir: string, at: Origin | undefined): { file: SourceFile; root: KMap } {
    const file = findKustomization(dir, (p) => this.read(p));
    if (!file) throw new BuildFailure(`${dir || '.'} has no kustomization.yaml`, at ?? nowhere(dir));
    const docs = this.documents(file, at ?? { location: fileStart(file) });
    const root = docs[0] ? fromYaml(docs[0].doc.contents, docs[0].doc, file) : undefined;
    if (!root || root.t !== 'map') throw new BuildFailure(`${file.path} is not a mapping`, { location: fileStart(file) });
    return { file, root };
  }

  /** Build a Kustomization (fresh resources) or apply a Component to `resources`. */
  accumulate(dir: string, resources: Resource[], at: Origin | undefined, expect: 'Kustomization' | 'Component' | 'any'): Resource[] {
    if (this.stack.includes(dir)) throw new BuildFailure(`cycle: ${[...this.stack, dir].join(' -> ')}`, at ?? nowhere(dir));
    if (++this.builds > MAX_BUILDS) throw new BuildFailure(`more than ${MAX_BUILDS} kustomizations in one build: too large to build`, at ?? nowhere(dir));
    this.stack.push(dir);
    const { file, root } = this.loadKustomization(dir, at);
    const kind = str(get(root, 'kind')) ?? 'Kustomization';
    if (expect !== 'any' && kind !== expect) throw new BuildFailure(`${file.path} is a ${kind}; expected a ${expect} here`, at ?? root.origin);

    for (const key of ['generators', 'transformers', 'validators']) {
      const entry = get(root, key);
      if (list(entry).length > 0) throw new BuildFailure(`${key}: KRM functions and plugins are never run`, entry!.origin, true);
    }
    const charts = get(root, 'helmCharts');
    if (list(charts).length > 0) this.helmCharts(list(charts), dir, resources, get(root, 'helmGlobals'));
    for (const key of ['configurations', 'crds']) for (const entry of list(get(root, key))) this.fileIn(dir, str(entry) ?? '', entry.origin);
    if (get(root, 'vars')) this.notes.push(`${file.path}: vars are not substituted`);

    for (const entry of [...list(get(root, 'resources')), ...list(get(root, 'bases'))]) this.resourceEntry(dir, entry, resources);
    for (const entry of list(get(root, 'components'))) {
      const text = str(entry) ?? '';
      if (isRemote(text)) throw new BuildFailure(`remote component ${text} is never fetched`, entry.origin, true);
      this.accumulate(joinPath(dir, text), resources, entry.origin, 'Component');
    }

    const defaults = generatorDefaults(get(root, 'generatorOptions'));
    const io = {
      readRelative: (entry: string, at: Origin) => this.fileIn(dir, entry, at),
      fail: (message: string, at: Origin): never => {
        throw new BuildFailure(message, at);
      },
    };
    runGenerators('ConfigMap', get(root, 'configMapGenerator'), resources, defaults, io);
    runGenerators('Secret', get(root, 'secretGenerator'), resources, defaults, io);
    this.transform(dir, root, resources);
    this.stack.pop();
    return resources;
  }

  private helmCharts(charts: KValue[], dir: string, resources: Resource[], globals: KValue | undefined): void {
    for (const chart of charts) {
      const name = str(get(chart, 'name')) ?? '(unnamed)';
      // A chart with `repo:` is rendered only when it is vendored under chartHome (the renderer says PW010 otherwise).
      if (get(chart, 'repo') && !this.io.renderHelmChart) throw new BuildFailure(`helmCharts: chart ${name} comes from a repository and is never fetched`, chart.origin, true);
      const render = this.io.renderHelmChart;
      if (!render || chart.t !== 'map') throw new BuildFailure(`helmCharts: local chart ${name} is not rendered yet (no Helm renderer in this build of portwall)`, chart.origin, true);
      const out = render(chart, dir, (p) => this.read(p), globals);
      if ('unresolved' in out) throw new BuildFailure(`helmCharts: chart ${name}: ${out.unresolved}`, chart.origin, true);
      const before = resources.length;
      for (const { doc, file } of out.documents) this.addDocument(doc, file, resources, chart.origin);
      if (out.locate) for (const r of resources.slice(before)) relocateTree(r.tree, out.locate);
    }
  }

  private resourceEntry(dir: string, entry: KValue, resources: Resource[]): void {
    const text = str(entry) ?? '';
    if (isRemote(text)) throw new BuildFailure(`remote resource ${text} is never fetched`, entry.origin, true);
    const target = joinPath(dir, text);
    const file = this.read(target);
    if (file && !findKustomization(target, (p) => this.io.readFile(p))) {
      if (!within(dir, target)) throw new BuildFailure(`file ${text} is not in or below ${dir || '.'} (kustomize's load restrictor refuses it)`, entry.origin);
      for (const { doc } of this.documents(file, entry.origin)) this.addDocument(doc, file, resources, entry.origin);
      return;
    }
    if (!findKustomization(target, (p) => this.io.readFile(p))) throw new BuildFailure(`resource ${text} does not exist (no such file, or a folder without kustomization.yaml)`, entry.origin);
    this.append(resources, this.accumulate(target, [], entry.origin, 'Kustomization'), entry.origin);
  }

  /** kustomize refuses the same object twice (a base listed by two bases of one overlay). */
  private append(resources: Resource[], added: Resource[], at: Origin): void {
    const ids = new Set(resources.map(resourceId));
    for (const r of added) {
      const id = resourceId(r);
      if (ids.has(id)) throw new BuildFailure(`may not add resource with an already registered id: ${id}`, at);
      ids.add(id);
      resources.push(r);
    }
  }

  private addDocument(doc: YamlDocument, file: SourceFile, resources: Resource[], at: Origin): void {
    const value = fromYaml(doc.contents, doc, file);
    this.addValue(value, resources, at, 0);
  }

  private addValue(value: KValue, resources: Resource[], at: Origin, depth: number): void {
    if (value.t !== 'map') throw new BuildFailure(`a document of ${at.location.file} is not a Kubernetes object`, value.origin);
    const kind = str(get(value, 'kind'));
    if (!kind) throw new BuildFailure('a document has no kind', value.origin);
    const items = get(value, 'items');
    if (/List$/.test(kind) && items?.t === 'seq' && depth < 4) {
      for (const item of items.items) this.addValue(item, resources, at, depth + 1);
      return;
    }
    if (++this.loaded > MAX_RESOURCES) throw new BuildFailure(`more than ${MAX_RESOURCES} resources: too large to build`, at);
    this.append(resources, [newResource(value)], at);
  }

  private patchBodies(dir: string, entry: KValue): KValue[] {
    const pathValue = get(entry, 'path');
    if (pathValue) {
      const file = this.fileIn(dir, str(pathValue) ?? '', pathValue.origin);
      return this.documents(file, pathValue.origin).map(({ doc }) => fromYaml(doc.contents, doc, file));
    }
    const inline = get(entry, 'patch');
    if (!inline) throw new BuildFailure('a patch needs path or patch', entry.origin);
    return this.inline(inline);
  }

  private inline(value: KValue): KValue[] {
    const file = this.io.readFile(value.origin.location.file);
    if (!file) throw new BuildFailure('cannot read the inline patch', value.origin);
    try {
      return inlineDocuments(file, value);
    } catch (error) {
      if (error instanceof TreeTooComplex) throw error;
      throw new BuildFailure(`the inline patch is not valid YAML: ${(error as Error).message}`, value.origin);
    }
  }

  private applyPatch(body: KValue, target: Selector | undefined, resources: Resource[], at: Origin): void {
    const note = (o: Origin) => `overrides the value set in ${o.location.file}`;
    if (body.t === 'seq') {
      if (!target) throw new BuildFailure('a JSON 6902 patch needs a target', at);
      for (const r of resources.filter((x) => matchesSelector(x, target))) {
        try {
          applyJsonPatch(r.tree, readOperations(body), note);
        } catch (error) {
          if (error instanceof PatchError) throw new BuildFailure(`JSON patch on ${kindOf(r)}/${r.names.at(-1)}: ${error.message}`, at);
          throw error;
        }
        noteIdentity(r);
      }
      return;
    }
    if (body.t !== 'map') throw new BuildFailure('a patch is a mapping or a list of operations', at);
    const selector: Selector = target ?? this.selfSelector(body);
    const matched = resources.filter((x) => matchesSelector(x, selector));
    if (!target && matched.length === 0) throw new BuildFailure(`no resource matches the strategic merge patch ${selector.kind ?? ''}/${selector.name ?? ''}`, body.origin);
    const patch = stripIdentity(body);
    for (const r of matched) {
      const merged = mergeMap(r.tree, patch, [], { kind: kindOf(r), replacedNote: note });
      if (!merged) resources.splice(resources.indexOf(r), 1);
      else r.tree = merged;
    }
  }

  private selfSelector(patch: KMap): Selector {
    const api = str(get(patch, 'apiVersion')) ?? '';
    const slash = api.indexOf('/');
    const selector: Selector = { group: slash === -1 ? '' : api.slice(0, slash), version: slash === -1 ? api : api.slice(slash + 1) };
    const kind = str(get(patch, 'kind'));
    const name = str(getPath(patch, ['metadata', 'name']));
    const namespace = str(getPath(patch, ['metadata', 'namespace']));
    if (kind) selector.kind = escapeRegex(kind);
    if (name) selector.name = escapeRegex(name);
    if (namespace) selector.namespace = escapeRegex(namespace);
    return selector;
  }

  private transform(dir: string, root: KMap, resources: Resource[]): void {
    for (const entry of list(get(root, 'patchesStrategicMerge'))) {
      const text = str(entry) ?? '';
      const bodies = text.includes('\n') || !/\.(ya?ml|json)$/i.test(text.trim()) ? this.inline(entry) : this.documents(this.fileIn(dir, text, entry.origin), entry.origin).map(({ doc, file }) => fromYaml(doc.contents, doc, file));
      for (const body of bodies) this.applyPatch(body, undefined, resources, entry.origin);
    }
    for (const entry of list(get(root, 'patches'))) {
      const target = get(entry, 'target');
      for (const body of this.patchBodies(dir, entry)) this.applyPatch(body, target?.t === 'map' ? selectorOf(target) : undefined, resources, entry.origin);
    }
    const namespace = get(root, 'namespace');
    if (namespace && str(namespace)) applyNamespace(resources, namespace, namespace.origin);
    const prefix = get(root, 'namePrefix');
    const suffix = get(root, 'nameSuffix');
    if (str(prefix) || str(suffix)) applyPrefixSuffix(resources, str(prefix) ?? '', str(suffix) ?? '', (prefix ?? suffix)!.origin);
    const commonLabels = get(root, 'commonLabels');
    if (commonLabels?.t === 'map') applyLabels(resources, commonLabels.entries, { includeSelectors: true, includeTemplates: true }, commonLabels.origin);
    for (const labels of list(get(root, 'labels'))) {
      const pairs = get(labels, 'pairs');
      if (pairs?.t !== 'map') continue;
      applyLabels(resources, pairs.entries, { includeSelectors: str(get(labels, 'includeSelectors')) === 'true', includeTemplates: str(get(labels, 'includeTemplates')) === 'true' }, pairs.origin);
    }
    const commonAnnotations = get(root, 'commonAnnotations');
    if (commonAnnotations?.t === 'map') applyAnnotations(resources, commonAnnotations.entries, commonAnnotations.origin);
    for (const entry of list(get(root, 'patchesJson6902'))) {
      const target = get(entry, 'target');
      if (target?.t !== 'map') throw new BuildFailure('patchesJson6902 needs a target', entry.origin);
      for (const body of this.patchBodies(dir, entry)) this.applyPatch(body, { ...selectorOf(target), ...exactName(target) }, resources, entry.origin);
    }
    for (const entry of list(get(root, 'replicas'))) {
      const name = str(get(entry, 'name'));
      const count = get(entry, 'count');
      if (name && count) applyReplicas(resources, name, count, entry.origin);
    }
    const images: ImageRule[] = list(get(root, 'images')).flatMap((entry) => {
      const name = str(get(entry, 'name'));
      if (!name) return [];
      const field = (k: string) => str(get(entry, k));
      return [{ name, origin: entry.origin, ...(field('newName') !== undefined ? { newName: field('newName')! } : {}), ...(field('newTag') !== undefined ? { newTag: field('newTag')! } : {}), ...(field('digest') !== undefined ? { digest: field('digest')! } : {}), ...(field('tagSuffix') !== undefined ? { tagSuffix: field('tagSuffix')! } : {}) }];
    });
    if (images.length > 0) applyImages(resources, images);
    const replacements = list(get(root, 'replacements')).flatMap((entry) => {
      const file = get(entry, 'path');
      if (!file) return [entry];
      return this.documents(this.fileIn(dir, str(file) ?? '', file.origin), file.origin).flatMap(({ doc, file: f }) => {
        const value = fromYaml(doc.contents, doc, f);
        return value.t === 'seq' ? value.items : [value];
      });
    });
    try {
      applyReplacements(resources, replacements);
    } catch (error) {
      if (error instanceof ReplacementError) throw new BuildFailure(error.message, error.origin);
      throw error;
    }
  }
}

function relocateTree(value: KValue, locate: (rendered: Location) => Origin | undefined): void {
  const mapped = locate(value.origin.location);
  if (mapped) value.origin = mapped;
  if (value.t === 'map') {
    for (const e of value.entries) {
      e.keyOrigin = locate(e.keyOrigin.location) ?? e.keyOrigin;
      relocateTree(e.value, locate);
    }
  } else if (value.t === 'seq') for (const i of value.items) relocateTree(i, locate);
}

/** Line 1 of a path that has no file to point into. */
function nowhere(file: string): Origin {
  return { location: { file, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 } } };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactName(target: KMap): Partial<Selector> {
  const name = str(get(target, 'name'));
  return name ? { name: escapeRegex(name) } : {};
}

/** A strategic merge patch keeps the target's identity: kustomize copies it into the patch. */
function stripIdentity(patch: KMap): KMap {
  const entries = patch.entries.filter((e) => e.key !== 'apiVersion' && e.key !== 'kind').map((e) => {
    if (e.key !== 'metadata' || e.value.t !== 'map') return e;
    return { ...e, value: { ...e.value, entries: e.value.entries.filter((m) => m.key !== 'name' && m.key !== 'namespace') } };
  });
  return { ...patch, entries };
}

/** Build the kustomization in `dir` (relative to the scan root) as kustomize would. */
export function buildKustomization(dir: string, io: BuildIo): BuildOutcome {
  const builder = new Builder(io);
  try {
    // `kubectl kustomize` builds a Component on its own too (portwall never makes one a root).
    const resources = builder.accumulate(dir, [], undefined, 'any');
    applyHashes(resources);
    fixBackReferences(resources);
    return { ok: true, resources, files: [...builder.files], notes: builder.notes, manifests: [...builder.manifests] };
  } catch (error) {
    if (error instanceof TreeTooComplex) return { ok: false, problem: { kind: 'failure', message: error.message, location: error.origin.location }, files: [...builder.files] };
    if (error instanceof BuildFailure) return { ok: false, problem: { kind: error.unresolved ? 'unresolved' : 'failure', message: error.message, location: error.origin.location }, files: [...builder.files] };
    const root = findKustomization(dir, io.readFile);
    return { ok: false, problem: { kind: 'failure', message: `cannot build: ${(error as Error).message}`, location: root ? fileStart(root) : nowhere(dir).location }, files: [...builder.files] };
  }
}
