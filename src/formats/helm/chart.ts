/**
 * Charts: Chart.yaml (apiVersion v1 with requirements.yaml, or v2), values.yaml with the
 * position of every value, templates, and subcharts in charts/ (folders and .tgz archives read
 * in memory). Nothing is fetched: a dependency that is not vendored is reported by name.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { readTgz } from './tar.js';
import { parseOneDocument } from '../yaml/index.js';
import type { AdaptContext, SourceFile } from '../types.js';
import { ORIGINS, type Origin } from './template/values.js';

/** One file of a chart, by its path inside the chart. */
export interface ChartFile {
  /** Path inside the chart ("templates/service.yaml"). */
  name: string;
  text: string;
  /** Path relative to the scan root for locations ("charts/es/templates/service.yaml"); for files inside an archive, the archive's path + "/" + the entry. */
  scanPath: string;
}

export interface Dependency {
  name: string;
  alias?: string;
  condition?: string;
  tags: string[];
  importValues: unknown[];
  repository?: string;
  version?: string;
}

export interface Chart {
  name: string;
  /** Scan path of the chart folder ("" for the scan root) or of its archive. */
  root: string;
  metadata: Map<string, unknown>;
  apiVersion: string;
  type: string;
  files: Map<string, ChartFile>;
  values: Map<string, unknown>;
  dependencies: Dependency[];
  subcharts: Chart[];
  /** Problems found while loading (invalid Chart.yaml / values.yaml). */
  problems: { file: string; message: string; offset?: number }[];
}

interface ChartSource {
  /** Files of the chart folder, by path inside the chart. */
  files: Map<string, ChartFile>;
  /** Bytes of an archive inside the chart (charts/x.tgz). */
  readBytes(name: string): Uint8Array | undefined;
  /** Names of archives under charts/. */
  archives: string[];
  root: string;
}

/** Parses a values file keeping, for every key, where its value is (file offsets). */
/**
 * The files of a chart folder (relative to the scan root) by their name inside the chart, and
 * its `charts/*.tgz` archives, read through the given reader (the engine's, or a kustomize build's).
 */
export function listChartFiles(chartDir: string, context: Pick<AdaptContext, 'listFiles' | 'allFiles'>, read: (scanPath: string) => SourceFile | undefined): { files: Map<string, ChartFile>; archives: string[] } {
  const prefix = chartDir ? `${chartDir}/` : '';
  const listed = context.listFiles ? context.listFiles(chartDir || '.') : context.allFiles.filter((f) => f.startsWith(prefix));
  const files = new Map<string, ChartFile>();
  const archives: string[] = [];
  for (const scanPath of listed) {
    if (!scanPath.startsWith(prefix)) continue;
    const inner = scanPath.slice(prefix.length);
    if (/(^|\/)\.git\//.test(inner)) continue;
    if (/^charts\/.+\.tgz$/.test(inner)) {
      archives.push(inner);
      continue;
    }
    const file = read(scanPath);
    if (file) files.set(inner, { name: inner, text: file.text, scanPath });
  }
  return { files, archives };
}

/**
 * Values a values file may expand to through aliases and merge keys (`<<: [*a, *a]` nested a few
 * levels doubles at each one): more is the file's error, not minutes of work.
 */
export const MAX_VALUE_NODES = 250_000;

class ValuesTooComplex extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function loadValuesFile(text: string, scanPath: string): { values: Map<string, unknown>; error?: { message: string; offset: number } } {
  // Through the shared reader's node and error budgets (YAML 1.1 with merge keys, as Helm reads values).
  const { doc, error } = parseOneDocument(text, { version: '1.1', merge: true });
  if (error) return { values: new Map(), error: { message: error.budget ? error.message : `invalid YAML: ${error.message}`, offset: error.offset } };
  if (!doc) return { values: new Map() };
  let value: unknown;
  try {
    value = convert(doc, doc.contents as Node | null, scanPath, '', 0, { nodes: 0, expanding: new Set(), targets: new Map() });
  } catch (error) {
    if (!(error instanceof ValuesTooComplex)) throw error;
    return { values: new Map(), error: { message: error.message, offset: error.offset } };
  }
  if (value === null || value === undefined) return { values: new Map() };
  if (!(value instanceof Map)) return { values: new Map(), error: { message: 'values must be a mapping', offset: 0 } };
  return { values: value };
}

/** Work of one conversion: values built (through aliases too) and the aliased nodes being expanded. */
interface ConvertWork {
  nodes: number;
  expanding: Set<Node>;
  /** Each alias's anchored node, found once (`resolve` searches the whole document each time). */
  targets: Map<Node, Node | undefined>;
}

function convert(doc: Document, node: Node | null | undefined, file: string, path: string, depth: number, work: ConvertWork): unknown {
  if (!node || depth > 200) return null;
  if (++work.nodes > MAX_VALUE_NODES) throw new ValuesTooComplex(`the file is too large or too complex to check (its aliases expand to more than ${MAX_VALUE_NODES} values)`, node.range?.[0] ?? 0);
  if (isAlias(node)) {
    let target = work.targets.get(node);
    if (!work.targets.has(node)) work.targets.set(node, (target = node.resolve(doc) as Node | undefined));
    // An anchor used inside itself has no value (Helm's YAML reader refuses it too).
    if (target && work.expanding.has(target)) throw new ValuesTooComplex(`invalid YAML: the alias *${node.source} is used inside its own anchor`, node.range?.[0] ?? 0);
    if (target) work.expanding.add(target);
    try {
      return convert(doc, target, file, path, depth + 1, work);
    } finally {
      if (target) work.expanding.delete(target);
    }
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return v.toISOString();
    return v ?? null;
  }
  if (isSeq(node)) return node.items.map((item, i) => convert(doc, item as Node, file, `${path}[${i}]`, depth + 1, work));
  if (isMap(node)) {
    const m = new Map<string, unknown>();
    const origins = new Map<string, Origin>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      if (key === '<<') {
        const src = convert(doc, pair.value as Node, file, path, depth + 1, work);
        const sources = Array.isArray(src) ? src : [src];
        for (const s of sources) if (s instanceof Map) for (const [k, v] of s) if (!m.has(k)) m.set(k, v);
        continue;
      }
      const childPath = path ? `${path}.${key}` : key;
      m.set(key, convert(doc, pair.value as Node, file, childPath, depth + 1, work));
      const anchor = (pair.value as Node | null)?.range ?? keyNode?.range;
      if (anchor) origins.set(key, { file, start: anchor[0], end: anchor[1], path: childPath });
    }
    ORIGINS.set(m, origins);
    return m;
  }
  return null;
}

function metaString(m: Map<string, unknown>, key: string): string | undefined {
  const v = m.get(key);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function parseDependencies(list: unknown): Dependency[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((d): d is Map<string, unknown> => d instanceof Map)
    .map((d) => ({
      name: metaString(d, 'name') ?? '',
      ...(metaString(d, 'alias') ? { alias: metaString(d, 'alias') } : {}),
      ...(metaString(d, 'condition') ? { condition: metaString(d, 'condition') } : {}),
      tags: Array.isArray(d.get('tags')) ? (d.get('tags') as unknown[]).map(String) : [],
      importValues: Array.isArray(d.get('import-values')) ? (d.get('import-values') as unknown[]) : [],
      ...(metaString(d, 'repository') ? { repository: metaString(d, 'repository') } : {}),
      ...(metaString(d, 'version') ? { version: metaString(d, 'version') } : {}),
    }))
    .filter((d) => d.name);
}

/** Loads a chart and its vendored subcharts. */
export function loadChart(source: ChartSource, depth = 0): Chart {
  const problems: Chart['problems'] = [];
  const chartYaml = source.files.get('Chart.yaml');
  const meta = chartYaml ? loadValuesFile(chartYaml.text, chartYaml.scanPath) : { values: new Map<string, unknown>() };
  if (chartYaml && meta.error) problems.push({ file: chartYaml.scanPath, message: `Chart.yaml: ${meta.error.message}`, offset: meta.error.offset });
  const metadata = meta.values;
  const apiVersion = metaString(metadata, 'apiVersion') ?? 'v1';
  const valuesFile = source.files.get('values.yaml') ?? source.files.get('values.yml');
  let values = new Map<string, unknown>();
  if (valuesFile) {
    const loaded = loadValuesFile(valuesFile.text, valuesFile.scanPath);
    if (loaded.error) problems.push({ file: valuesFile.scanPath, message: `values.yaml: ${loaded.error.message}`, offset: loaded.error.offset });
    values = loaded.values;
  }
  let dependencies = parseDependencies(metadata.get('dependencies'));
  const requirements = source.files.get('requirements.yaml');
  if (apiVersion === 'v1' && requirements) dependencies = parseDependencies(loadValuesFile(requirements.text, requirements.scanPath).values.get('dependencies'));

  const own = new Map<string, ChartFile>();
  const subFolders = new Map<string, Map<string, ChartFile>>();
  for (const [name, file] of source.files) {
    const m = /^charts\/([^/]+)\/(.+)$/.exec(name);
    if (m && source.files.has(`charts/${m[1]}/Chart.yaml`)) {
      const folder = subFolders.get(m[1]!) ?? new Map<string, ChartFile>();
      folder.set(m[2]!, { ...file, name: m[2]! });
      subFolders.set(m[1]!, folder);
    } else own.set(name, file);
  }
  const subcharts: Chart[] = [];
  if (depth < 10) {
    for (const [folder, files] of [...subFolders].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const root = source.root ? `${source.root}/charts/${folder}` : `charts/${folder}`;
      const archives = source.archives.filter((a) => a.startsWith(`charts/${folder}/charts/`)).map((a) => a.slice(`charts/${folder}/`.length));
      subcharts.push(loadChart({ files, archives, root, readBytes: (n) => source.readBytes(`charts/${folder}/${n}`) }, depth + 1));
    }
    for (const archive of source.archives.filter((a) => /^charts\/[^/]+\.tgz$/.test(a)).sort()) {
      const bytes = source.readBytes(archive);
      const archivePath = source.root ? `${source.root}/${archive}` : archive;
      if (!bytes) continue;
      try {
        const entries = readTgz(bytes);
        const files = new Map<string, ChartFile>();
        const nested: string[] = [];
        const nestedBytes = new Map<string, Uint8Array>();
        for (const [entry, data] of entries) {
          const inner = entry.replace(/^[^/]+\//, '');
          if (/^charts\/[^/]+\.tgz$/.test(inner)) {
            nested.push(inner);
            nestedBytes.set(inner, data);
            continue;
          }
          if (data.subarray(0, 8000).includes(0)) continue;
          files.set(inner, { name: inner, text: data.toString('utf8'), scanPath: `${archivePath}/${entry}` });
        }
        subcharts.push(loadChart({ files, archives: nested, root: archivePath, readBytes: (n) => nestedBytes.get(n) }, depth + 1));
      } catch (error) {
        problems.push({ file: archivePath, message: `cannot read the chart archive: ${(error as Error).message}` });
      }
    }
  }
  return {
    name: metaString(metadata, 'name') ?? (source.root.split('/').pop() || 'chart'),
    root: source.root,
    metadata,
    apiVersion,
    type: metaString(metadata, 'type') ?? 'application',
    files: own,
    values,
    dependencies,
    subcharts,
    problems,
  };
}
