/**
 * YAML with positions, shared by every YAML-based format (compose, Kubernetes, CloudFormation,
 * datastore configs). A file is parsed once and cached on the SourceFile.
 * Aliases and merge keys (`<<: *defaults`) are resolved here, with a budget, so a
 * "billion laughs" document cannot exhaust memory.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from 'yaml';
import type { Location } from '../../core/location.js';
import type { ParseFailure, SourceFile } from '../types.js';

export type YamlDocument = Document.Parsed;

export interface YamlParse {
  documents: YamlDocument[];
  failure?: ParseFailure;
}

const CACHE_KEY = 'yaml';

/** Parse every document of a YAML file once; errors become a located ParseFailure. */
export function parseYaml(file: SourceFile): YamlParse {
  const cached = file.cache.get(CACHE_KEY) as YamlParse | undefined;
  if (cached) return cached;
  let result: YamlParse;
  try {
    const { docs, firstError } = composeDocuments(file.text);
    if (firstError) {
      let [start, end] = firstError.pos;
      const quote = /Missing closing (["'])quote/.exec(firstError.message)?.[1];
      if (firstError.code === 'MISSING_CHAR' && quote) {
        // The string runs to the end of the input; the useful place is where it was opened.
        const open = file.text.lastIndexOf(quote, Math.max(0, start - 1));
        if (open !== -1) {
          const lineEnd = file.text.indexOf('\n', open);
          start = open;
          end = lineEnd === -1 ? file.text.length : lineEnd;
        }
      }
      // Errors found at the end of input point at the last real character, not past it.
      if (start >= file.text.length || /\s/.test(file.text[start] ?? '')) {
        while (start > 0 && (start >= file.text.length || /\s/.test(file.text[start]!))) start--;
        end = start + 1;
      }
      result = {
        documents: docs,
        failure: {
          file: file.path,
          message: `invalid YAML: ${firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          location: { file: file.path, region: file.index.region(start, Math.max(start + 1, Math.min(end, file.text.length))) },
        },
      };
    } else {
      result = { documents: docs };
    }
  } catch (error) {
    result = { documents: [], failure: { file: file.path, message: `invalid YAML: ${(error as Error).message}` } };
  }
  file.cache.set(CACHE_KEY, result);
  return result;
}

/**
 * Only the first error is reported, but `yaml` builds an Error (with a stack trace) for every
 * problem it meets: a few MiB of flow-collection junk makes millions of them, which takes
 * minutes and GiBs. Past this many, composing stops; warnings (unknown tags) are not kept.
 */
const MAX_YAML_ERRORS = 1000;

class TooManyYamlErrors extends Error {}

/** parseAllDocuments(), with the error budget above. */
function composeDocuments(text: string): { docs: YamlDocument[]; firstError: YAMLError | undefined } {
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, strict: false });
  const internals = composer as unknown as {
    onError: (source: unknown, code: string, message: string, warning?: boolean) => void;
    errors: YAMLError[];
    doc: YamlDocument | null;
  };
  const report = internals.onError;
  let problems = 0;
  const spend = (): void => {
    if (++problems > MAX_YAML_ERRORS) throw new TooManyYamlErrors();
  };
  internals.onError = (source, code, message, warning) => {
    if (warning) return;
    spend();
    report(source, code, message, warning);
  };
  const docs: YamlDocument[] = [];
  try {
    for (const token of new Parser().parse(text)) {
      if (token.type === 'error') spend();
      for (const doc of composer.next(token)) docs.push(doc as YamlDocument);
    }
    for (const doc of composer.end()) docs.push(doc as YamlDocument);
  } catch (error) {
    if (!(error instanceof TooManyYamlErrors)) throw error;
    const pending = [...(internals.doc?.errors ?? []), ...internals.errors];
    return { docs, firstError: docs.flatMap((d) => d.errors)[0] ?? pending[0] };
  }
  return { docs, firstError: docs.flatMap((d) => d.errors)[0] };
}

// CloudFormation's short-form tags (!Ref, !Sub...) stay tagged nodes: unknown tags are warnings
// in `yaml`, not errors, and formats read `node.tag` themselves.

/** The location of a node's value (not its trailing comment or line break). */
export function nodeLocation(file: SourceFile, node: Node | Pair | null | undefined): Location {
  const [start, rawEnd] = rangeOf(node);
  // Block collections end after their last line break: a region ends at the last character.
  let end = rawEnd;
  while (end > start && /\s/.test(file.text[end - 1]!)) end--;
  return { file: file.path, region: file.index.region(start, end) };
}

function rangeOf(node: Node | Pair | null | undefined): [number, number] {
  if (!node) return [0, 0];
  if (isPair(node)) {
    const k = node.key as Node | null;
    const v = node.value as Node | null;
    const start = k?.range?.[0] ?? v?.range?.[0] ?? 0;
    const end = v?.range?.[1] ?? k?.range?.[1] ?? start;
    return [start, end];
  }
  const r = (node as Node).range;
  if (!r) return [0, 0];
  return [r[0], r[1]];
}

/** Resolution budget per document: aliases expanded while walking. */
export class AliasBudget {
  private remaining: number;
  constructor(limit = 10_000) {
    this.remaining = limit;
  }
  spend(): boolean {
    this.remaining--;
    return this.remaining >= 0;
  }
}

/** Follow an alias to its anchored node. */
export function deref(node: unknown, doc: YamlDocument, budget?: AliasBudget): Node | undefined {
  let current = node;
  for (let i = 0; i < 32 && isAlias(current); i++) {
    if (budget && !budget.spend()) return undefined;
    current = current.resolve(doc);
  }
  if (isAlias(current)) return undefined;
  return (current ?? undefined) as Node | undefined;
}

export interface MapEntry {
  key: string;
  keyNode: Node;
  value: Node | undefined;
  pair: Pair;
}

/**
 * The entries of a mapping, with `<<` merge keys applied the way YAML 1.1 does:
 * explicit keys win over merged ones, earlier merged maps win over later ones.
 */
export function mapEntries(node: unknown, doc: YamlDocument, budget = new AliasBudget(), depth = 0): MapEntry[] {
  const map = deref(node, doc, budget);
  if (!isMap(map) || depth > 16) return [];
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of (map as YAMLMap).items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined) continue;
    if (key === '<<') {
      const sources = deref(pair.value, doc, budget);
      const list = isSeq(sources) ? sources.items : [sources];
      for (const src of list) {
        for (const entry of mapEntries(src, doc, budget, depth + 1)) {
          if (!merged.some((m) => m.key === entry.key)) merged.push(entry);
        }
      }
      continue;
    }
    own.push({ key, keyNode, value: deref(pair.value, doc, budget), pair });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  return [...own, ...merged.filter((m) => !ownKeys.has(m.key))];
}

export function getEntry(node: unknown, key: string, doc: YamlDocument, budget?: AliasBudget): MapEntry | undefined {
  return mapEntries(node, doc, budget).find((e) => e.key === key);
}

export function seqItems(node: unknown, doc: YamlDocument, budget = new AliasBudget()): Node[] {
  const seq = deref(node, doc, budget);
  if (!isSeq(seq)) return [];
  return seq.items.map((i) => deref(i, doc, budget)).filter((i): i is Node => !!i);
}

/** A scalar as a string (numbers and booleans in their source spelling), else undefined. */
export function scalarText(node: unknown, file?: SourceFile): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null) return '';
  if (typeof node.value === 'string') return node.value;
  if (file && node.range && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
    // Keep the author's spelling: 0o700 or 1e3 must not be reformatted by JS.
    return file.text.slice(node.range[0], node.range[1]).replace(/^["']|["']$/g, '');
  }
  return String(node.value);
}

export function isYamlMap(node: unknown): boolean {
  return isMap(node);
}

export function isYamlSeq(node: unknown): boolean {
  return isSeq(node);
}

export function isYamlScalar(node: unknown): boolean {
  return isScalar(node);
}

export function isYamlFileName(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
