/**
 * YAML with positions, shared by every YAML-based format (compose, Kubernetes, CloudFormation,
 * datastore configs). A file is parsed once and cached on the SourceFile.
 * Aliases and merge keys (`<<: *defaults`) are resolved here, with a budget, so a
 * "billion laughs" document cannot exhaust memory.
 */
import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from 'yaml';
import type { Location } from '../../core/location.js';
import type { ParseFailure, SourceFile } from '../types.js';
import { parseJsonAsYaml } from './json-fast.js';

type Token = CST.Token;

export type YamlDocument = Document.Parsed;

export interface YamlParse {
  documents: YamlDocument[];
  failure?: ParseFailure;
  /** Nodes counted while reading (the run's budget is charged with them, engine/run-budget.ts). */
  nodes?: number;
  /** The documents were let go (releaseYamlDocuments): only the count is left. */
  released?: boolean;
}

const CACHE_KEY = 'yaml';

/** Parse every document of a YAML file once; errors become a located ParseFailure. */
export function parseYaml(file: SourceFile): YamlParse {
  const cached = file.cache.get(CACHE_KEY) as YamlParse | undefined;
  if (cached && !cached.released) return cached;
  let result: YamlParse;
  // JSON (CloudFormation, cloud CLI dumps, `kubectl -o json`) at JSON speed. A `.json` file is
  // JSON: its syntax error or passing the budget is its PW000, found at that speed (`yaml` reads
  // a megabyte of `{a,a,...}` for seconds before failing). Other text that starts with a bracket
  // is YAML that the fast reader may not take; it goes through `yaml` below, as does what the
  // fast reader declines (lone surrogate escapes, very deep nesting).
  const fast = looksLikeJson(file.text) ? parseJsonAsYaml(file.text, MAX_JSON_DOCUMENT_NODES) : undefined;
  if (fast && !('failure' in fast)) {
    result = { documents: [fast], nodes: countNodes(fast) };
    file.cache.set(CACHE_KEY, result);
    return result;
  }
  if (fast && /\.json$/i.test(file.path)) {
    const { failure } = fast;
    result = { documents: [], nodes: 0, failure: failure.budget ? tooComplexFailure(file, failure.message) : jsonSyntaxFailure(file, failure.offset, failure.message) };
    file.cache.set(CACHE_KEY, result);
    return result;
  }
  try {
    const { docs, firstError, overBudget, tooDeep, nodes } = composeDocuments(file.text);
    if (tooDeep !== undefined) {
      result = { documents: [], nodes, failure: { file: file.path, message: `invalid YAML: ${TOO_DEEP}`, location: { file: file.path, region: file.index.region(tooDeep, Math.min(tooDeep + 1, file.text.length)) } } };
    } else if (overBudget && !firstError) {
      result = { documents: [], failure: tooComplexFailure(file, overBudget), nodes };
    } else if (firstError) {
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
        nodes,
        failure: {
          file: file.path,
          // The parser recursing past the stack is reported by yaml as an error of the document.
          message: /Maximum call stack size exceeded/.test(firstError.message) ? 'invalid YAML: the file is nested too deeply to read' : `invalid YAML: ${firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          location: { file: file.path, region: file.index.region(start, Math.max(start + 1, Math.min(end, file.text.length))) },
        },
      };
    } else {
      result = { documents: docs, nodes };
    }
  } catch (error) {
    // The parser recursing past the stack (20,000 nested brackets on one line) is a property of the file, not a crash.
    const tooDeep = error instanceof RangeError;
    result = { documents: [], failure: { file: file.path, message: tooDeep ? 'invalid YAML: the file is nested too deeply to read' : `invalid YAML: ${(error as Error).message}` } };
  }
  file.cache.set(CACHE_KEY, result);
  return result;
}

/** Nodes of a document read by the fast JSON reader (iterative: the document may be deep). */
function countNodes(doc: YamlDocument): number {
  let n = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    n++;
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
    else if (isPair(node)) stack.push(node.key, node.value);
  }
  return n;
}

/**
 * Lets a file's documents go once a format took what it needs from them (the Kubernetes format
 * keeps the objects it judges, not the ConfigMaps and CRDs beside them). Their count stays: the
 * run's budget is charged with what was read, and given it back when the engine releases the file.
 * A later parseYaml of the file reads it again.
 */
export function releaseYamlDocuments(file: SourceFile): void {
  const cached = file.cache.get(CACHE_KEY) as YamlParse | undefined;
  if (cached && !cached.released) file.cache.set(CACHE_KEY, { documents: [], nodes: cached.nodes, released: true });
}

/** Nodes the YAML reader counted for this file, once it was read (0 when it was not). */
export function yamlNodesOf(file: SourceFile): number {
  return (file.cache.get(CACHE_KEY) as YamlParse | undefined)?.nodes ?? 0;
}

function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return false;
  }
  return false;
}

/**
 * Node budget. `yaml` keeps the whole syntax tree of a document before composing it, and then
 * the composed nodes: measured at about 1 KB per node for one big document (a 1 MB
 * `[1,1,1,...]` took 0.5 GB and 5 s; 8 MB took 3.7 GB and 38 s). Real configuration is below
 * these limits (an 8 MB bundle of 7,800 CRDs has 0.87 million nodes, ~110 per document). Nodes
 * are counted from the lexer's tokens as parsing reads them (deterministic, no clock); past a
 * limit nothing more is parsed and the file is one PW000, so the cost of any file is bounded by
 * the limits (about 0.7 GB for one document, 1 GB for a whole file), not by its size.
 * - per JSON document: bounds the syntax tree held at once (a 5 MB JSON document, e.g. a cloud CLI
 *   dump or `kubectl get -o json` of a large cluster, still fits: such files must be checked,
 *   and the JSON reader takes them at JSON speed);
 * - per YAML document (what `yaml` itself reads): 150,000 nodes. `yaml` costs about 11 µs and
 *   1.1 KB per node, so a megabyte line of `a,a,…` in a flow sequence (500k nodes) took 9-11 s
 *   and 570 MB (fuzz seed 2603 #8713); under this limit one document costs at most ~1.7 s. The
 *   largest YAML document of the corpus has 7,798 nodes;
 * - per file: bounds the composed documents kept for the formats.
 */
export const MAX_JSON_DOCUMENT_NODES = 600_000;
export const MAX_YAML_DOCUMENT_NODES = 150_000;
export const MAX_FILE_NODES = 1_500_000;

/**
 * Lexer tokens that become a node, a pair or a document (an upper bound of what the composer
 * builds): scalars, aliases, anchors and tags (`[!t, !t]` makes empty nodes), flow collection
 * starts, `-`, `?`, `:` (`-\n-\n` is a list of nulls) and document markers. Whitespace,
 * comments, commas and closing brackets make nothing.
 */
const NODE_TOKENS = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'anchor',
  'tag',
  'flow-map-start',
  'flow-seq-start',
  'seq-item-ind',
  'explicit-key-ind',
  'map-value-ind',
  'doc-start',
  'doc-end',
]);

/** Counts the node tokens of a file as the lexer produces them; says when a limit is passed. */
class NodeBudget {
  inFile = 0;
  private inDocument = 0;
  private afterScalarMarker = false;

  /** The reason, once the token passes a limit. */
  spend(token: string): string | undefined {
    // The text of a plain scalar follows its marker and may look like anything ("---", "-").
    const type: string | null = this.afterScalarMarker ? null : CST.tokenType(token);
    this.afterScalarMarker = type === 'scalar';
    if (type === null || !NODE_TOKENS.has(type)) return undefined;
    if (type === 'doc-start' || type === 'doc-end') this.inDocument = 0;
    this.inFile++;
    this.inDocument++;
    if (this.inDocument > MAX_YAML_DOCUMENT_NODES) return `more than ${MAX_YAML_DOCUMENT_NODES} nodes in one document; the limit is ${MAX_YAML_DOCUMENT_NODES}`;
    if (this.inFile > MAX_FILE_NODES) return `more than ${MAX_FILE_NODES} nodes; the limit is ${MAX_FILE_NODES}`;
    return undefined;
  }
}

function jsonSyntaxFailure(file: SourceFile, offset: number, message: string): ParseFailure {
  // At the end of the file, the last real character (as for YAML's errors below).
  let start = offset;
  if (start >= file.text.length) {
    start = file.text.length;
    while (start > 0 && /\s/.test(file.text[start - 1]!)) start--;
    start = Math.max(0, start - 1);
  }
  return {
    file: file.path,
    message: `invalid JSON: ${message}`,
    location: { file: file.path, region: file.index.region(start, Math.min(start + 1, file.text.length)) },
  };
}

function tooComplexFailure(file: SourceFile, reason: string): ParseFailure {
  // The first line, but not all of it: a one-line flow document would copy megabytes into the report.
  const end = Math.min(Math.max(1, Math.min(file.index.lineText(1).length, 80)), file.text.length);
  return {
    file: file.path,
    message: `the file is too large or too complex to check (${reason})`,
    location: { file: file.path, region: file.index.region(0, end) },
  };
}

/**
 * Nesting the YAML reader is given. `yaml` composes nodes recursively: past about 800 levels it
 * overflows the stack, at a depth that depends on how far the JIT has optimized it (two runs of
 * one file failed at different columns). So depth is measured on the parsed CST, iteratively,
 * before composing, and a deeper document is refused where it passes the limit, always the same.
 */
export const MAX_YAML_DEPTH = 256;
const TOO_DEEP = `the file is nested too deeply to read (more than ${MAX_YAML_DEPTH} levels)`;

/** The offset of the first collection nested deeper than MAX_YAML_DEPTH in a CST token, if any. */
function tooDeepAt(token: Token): number | undefined {
  // Two parallel stacks, not an object per entry: a flow sequence may hold 150,000 items.
  const tokens: (Token | null | undefined)[] = [token];
  const depths: number[] = [0];
  while (tokens.length > 0) {
    const t = tokens.pop();
    const depth = depths.pop()!;
    if (!t) continue;
    if (t.type === 'document') {
      tokens.push(t.value);
      depths.push(depth);
      continue;
    }
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_YAML_DEPTH) return t.offset;
    const items = t.items as { key?: Token | null; value?: Token | null }[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (item.value) {
        tokens.push(item.value);
        depths.push(depth + 1);
      }
      if (item.key) {
        tokens.push(item.key);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/**
 * Only the first error is reported, but `yaml` builds an Error (with a stack trace) for every
 * problem it meets: a few MiB of flow-collection junk makes millions of them, which takes
 * minutes and GiBs. Past this many, composing stops; warnings (unknown tags) are not kept.
 */
const MAX_YAML_ERRORS = 1000;

class TooManyYamlErrors extends Error {}

/** Documents read, or the first error, the budget passed, or where the nesting passed MAX_YAML_DEPTH. */
interface ComposeResult {
  docs: YamlDocument[];
  firstError: YAMLError | undefined;
  overBudget?: string;
  tooDeep?: number;
  nodes: number;
}

/**
 * parseAllDocuments(), with the error budget and the node budget above. The lexer is driven
 * here so that nodes are counted as they are read: past the budget nothing more is parsed, so
 * the work and memory stay proportional to the limit, not to the file.
 */
function composeDocuments(text: string, options: ComposeOptions = {}): ComposeResult {
  // No stack traces for `yaml`'s errors: only their messages and positions are read, and a
  // template-laden file makes thousands of them (each capture walks the stack).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return composeUntraced(text, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Options of readers that need YAML 1.1 with merge keys (Helm's values and Chart.yaml). */
interface ComposeOptions {
  version?: '1.1';
  merge?: boolean;
}

/**
 * One document as `parseDocument` reads it, with the node and error budgets above (a megabyte of
 * flow junk made millions of errors there): the document, or the first problem and its offset.
 */
export function parseOneDocument(text: string, options: ComposeOptions): { doc?: YamlDocument; error?: { message: string; offset: number; budget?: true } } {
  const { docs, firstError, overBudget, tooDeep } = composeDocuments(text, options);
  if (tooDeep !== undefined) return { error: { message: TOO_DEEP, offset: tooDeep } };
  if (overBudget) return { error: { message: `the file is too large or too complex to check (${overBudget})`, offset: 0, budget: true } };
  if (firstError) return { error: { message: firstError.message.split('\n')[0]!, offset: firstError.pos[0] } };
  if (docs.length > 1) return { error: { message: 'the file holds more than one YAML document', offset: docs[1]!.range[0] } };
  return docs[0] ? { doc: docs[0] } : {};
}

function composeUntraced(text: string, options: ComposeOptions): ComposeResult {
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, strict: false, ...options });
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
  const parser = new Parser();
  const budget = new NodeBudget();
  let overBudget: string | undefined;
  let cutAt = text.length;
  let tooDeep: number | undefined;
  const compose = (tokens: Iterable<Token>): void => {
    for (const token of tokens) {
      if (tooDeep !== undefined) return;
      if (token.type === 'error') spend();
      // Only a document longer than the limit can be nested past it.
      if (token.type === 'document' && token.offset + MAX_YAML_DEPTH < parser.offset) tooDeep = tooDeepAt(token);
      if (tooDeep !== undefined) return;
      for (const doc of composer.next(token)) docs.push(doc as YamlDocument);
    }
  };
  try {
    for (const lexeme of new Lexer().lex(text)) {
      if (tooDeep !== undefined) break;
      overBudget = budget.spend(lexeme);
      if (overBudget) {
        cutAt = parser.offset;
        break;
      }
      compose(parser.next(lexeme));
    }
    compose(parser.end());
    for (const doc of composer.end()) docs.push(doc as YamlDocument);
  } catch (error) {
    if (!(error instanceof TooManyYamlErrors)) throw error;
    const pending = [...(internals.doc?.errors ?? []), ...internals.errors];
    return { docs, firstError: docs.flatMap((d) => d.errors)[0] ?? pending[0], nodes: budget.inFile };
  }
  const firstError = docs.flatMap((d) => d.errors)[0];
  // An error in an earlier document comes first; otherwise the depth is the file's problem.
  if (tooDeep !== undefined) return firstError ? { docs: [], firstError, nodes: budget.inFile } : { docs: [], firstError: undefined, tooDeep, nodes: budget.inFile };
  if (!overBudget) return { docs, firstError, nodes: budget.inFile };
  // The text before the cut is parsed: a syntax error there is the file's real problem and is
  // reported as usual; errors at the cut only say that the input stopped (an unclosed `[`).
  return firstError && firstError.pos[0] < cutAt ? { docs: [], firstError, nodes: budget.inFile } : { docs: [], firstError: undefined, overBudget, nodes: budget.inFile };
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
  /** Whether a resolution was refused: what it would have given is unknown, not absent. */
  get exhausted(): boolean {
    return this.remaining < 0;
  }
}

const resolved = new WeakMap<object, Node | null>();
const anchorsOf = new WeakMap<object, Map<string, { offset: number; node: Node }[]>>();

/**
 * An alias's node: the last node anchored with its name before it (YAML), from an index of the
 * document's anchors built once, instead of yaml's walk of the whole document per alias.
 */
function resolveAlias(alias: { source: string; range?: [number, number, number] }, doc: YamlDocument): Node | undefined {
  let anchors = anchorsOf.get(doc);
  if (!anchors) {
    anchors = new Map();
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0) {
      const n = stack.pop() as (Node & { anchor?: string; range?: [number, number, number]; items?: unknown[] }) | null | undefined;
      if (!n || typeof n !== 'object') continue;
      if (isPair(n)) {
        stack.push(n.value, n.key);
        continue;
      }
      if (n.anchor && n.range) {
        const list = anchors.get(n.anchor) ?? [];
        list.push({ offset: n.range[0], node: n });
        anchors.set(n.anchor, list);
      }
      if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    }
    for (const list of anchors.values()) list.sort((a, b) => a.offset - b.offset);
    anchorsOf.set(doc, anchors);
  }
  const list = anchors.get(alias.source);
  const at = alias.range?.[0];
  if (!list || at === undefined) return undefined;
  let found: Node | undefined;
  for (const a of list) {
    if (a.offset < at) found = a.node;
    else break;
  }
  return found;
}

/** Follow an alias to its anchored node. */
export function deref(node: unknown, doc: YamlDocument, budget?: AliasBudget): Node | undefined {
  let current = node;
  for (let i = 0; i < 32 && isAlias(current); i++) {
    if (budget && !budget.spend()) return undefined;
    // yaml's resolve() walks the whole document to find the anchor: once per alias node.
    const alias = current;
    const known = resolved.get(alias);
    if (known !== undefined) current = known ?? undefined;
    else {
      current = resolveAlias(alias as unknown as { source: string; range?: [number, number, number] }, doc);
      resolved.set(alias, (current as Node | undefined) ?? null);
    }
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
  // Every lookup of a key reads the entries: computed once per mapping (a 40k-key map merged into fifty services).
  const cached = entriesCache.get(map);
  if (cached) return cached;
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  const mergedKeys = new Set<string>();
  for (const pair of (map as YAMLMap).items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined) continue;
    if (key === '<<') {
      const sources = deref(pair.value, doc, budget);
      const list = isSeq(sources) ? sources.items : [sources];
      for (const src of list) {
        for (const entry of mapEntries(src, doc, budget, depth + 1)) {
          if (!mergedKeys.has(entry.key)) {
            mergedKeys.add(entry.key);
            merged.push(entry);
          }
        }
      }
      continue;
    }
    own.push({ key, keyNode, value: deref(pair.value, doc, budget), pair });
  }
  const ownKeys = new Set(own.map((e) => e.key));
  const entries = [...own, ...merged.filter((m) => !ownKeys.has(m.key))];
  entriesCache.set(map, entries);
  return entries;
}

const entriesCache = new WeakMap<object, MapEntry[]>();

export function getEntry(node: unknown, key: string, doc: YamlDocument, budget?: AliasBudget): MapEntry | undefined {
  const entries = mapEntries(node, doc, budget);
  if (entries.length < 16) return entries.find((e) => e.key === key);
  let index = keyIndex.get(entries);
  if (!index) {
    index = new Map();
    for (const e of entries) if (!index.has(e.key)) index.set(e.key, e);
    keyIndex.set(entries, index);
  }
  return index.get(key);
}

const keyIndex = new WeakMap<MapEntry[], Map<string, MapEntry>>();

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

export function isYamlFileName(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
