/**
 * The HCL grammar (tree-sitter, terraform dialect, WASM) loaded once per process, and a
 * conversion of its tree into plain objects so the WASM tree can be freed at once
 * (parsed files live until `adapt`, WASM memory should not).
 */
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';
import { LineIndex } from '../../core/location.js';
import { budgetMessage, countEmptyElements, DETECTION_MARGIN, errorDetector, MAX_EMPTY_ELEMENTS, operationCounter, probeCuts } from './parse-budget.js';
import { rawBinding, walkTree, type RawBinding, type Walk } from './walk.js';

/** A syntax node copied out of the tree-sitter tree. Offsets are UTF-16 code units, like JS strings. */
export interface CstNode {
  /** Node type; anonymous tokens have their text as type ("(", "=", "for"). */
  type: string;
  start: number;
  end: number;
  children: CstNode[];
}

interface CstError {
  start: number;
  end: number;
  message: string;
}

let parser: Parser | undefined;
let binding: RawBinding | undefined;
let initPromise: Promise<void> | undefined;
let initError: string | undefined;

/**
 * Loads web-tree-sitter and the terraform grammar. web-tree-sitter's initialisation is
 * asynchronous while the Format interface is synchronous, so the engine awaits this once
 * before parsing any Terraform file. Never rejects: a load failure is reported by `parse`.
 */
export function initTerraform(): Promise<void> {
  initPromise ??= (async () => {
    try {
      // Resolved through the packages, not relative paths, so src/ (vitest) and dist/ both work.
      const require = createRequire(import.meta.url);
      const runtimeWasm = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
      const grammarWasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
      // Loaded here, not at start-up: a run without Terraform files never needs the runtime.
      const { Language, Parser } = await import('web-tree-sitter');
      const module = { locateFile: () => runtimeWasm };
      await Parser.init(module);
      binding = rawBinding(module);
      const language = await Language.load(grammarWasm);
      const p = new Parser();
      p.setLanguage(language);
      parser = p;
    } catch (error) {
      initError = error instanceof Error ? error.message : String(error);
    }
  })();
  return initPromise;
}

/** Whether the tree walks call the runtime directly (walk.ts), as they do with the pinned web-tree-sitter. */
export function hclWalkIsDirect(): boolean {
  return binding !== undefined;
}

/**
 * Parses HCL text. Returns the copied tree, or the first syntax error (an ERROR or MISSING
 * node in document order). The walk is iterative, so deeply nested input cannot overflow
 * the stack here. `directWalk: false` walks through web-tree-sitter's TreeCursor (walk.ts), for
 * the tests that compare the two.
 */
export function parseHcl(text: string, options: { directWalk?: boolean } = {}): { root: CstNode } | { error: CstError } {
  if (!parser) {
    return {
      error: {
        start: 0,
        end: 0,
        message: initError
          ? `the Terraform grammar could not be loaded: ${initError}`
          : 'the Terraform grammar is not loaded (initTerraform() was not awaited)',
      },
    };
  }
  const { compact, toOriginal } = compactWhitespace(text);
  // Counted work, never a clock (parse-budget.ts): the one shape whose error recovery grows
  // faster than the operations tree-sitter counts is refused before parsing, the rest is bounded
  // by an operation budget far above a normal parse.
  const empty = countEmptyElements(text);
  if (empty.count > MAX_EMPTY_ELEMENTS) {
    return { error: { start: empty.first, end: empty.first + 1, message: `syntax error: unexpected "," (more than ${MAX_EMPTY_ELEMENTS} empty elements; the file is not parsed further)` } };
  }
  const probed = probeFirstError(parser, compact);
  let tree = probed.error;
  const counter = operationCounter(compact.length);
  try {
    if (!tree) tree = parser.parse(compact, probed.from, { progressCallback: counter.progress });
    const stuckAt = tree ? undefined : counter.stuckAt();
    if (!tree && stuckAt !== undefined) {
      // Stopped in hopeless error recovery: the text up to there names the first error. The stopped
      // parse resumes (tree-sitter keeps its state until reset) with its input ending there, rather
      // than parsing that text again from the start (1.4 s for a megabyte).
      const end = (index: number) => (index < stuckAt ? compact.slice(index, Math.min(stuckAt, index + RESUME_CHUNK)) : '');
      tree = parser.parse(end, null, { progressCallback: operationCounter(stuckAt, undefined, Infinity).progress });
      if (!tree) {
        parser.reset();
        tree = parser.parse(compact.slice(0, stuckAt), null, { progressCallback: operationCounter(stuckAt, undefined, Infinity).progress });
      }
      if (tree && !tree.rootNode.hasError) {
        tree.delete();
        return { error: { start: toOriginal(stuckAt), end: toOriginal(stuckAt), message: 'syntax error' } };
      }
    }
  } finally {
    // The probe's tree lives until here: a resumed parse still reuses its nodes.
    probed.from?.delete();
  }
  if (!tree) {
    parser.reset();
    const message = counter.spent() ? budgetMessage(counter.budget) : 'the HCL parser gave no result';
    return { error: { start: 0, end: 0, message } };
  }
  try {
    const { types } = tree.language;
    const walk = options.directWalk === false ? undefined : binding;
    return tree.rootNode.hasError
      ? walkTree(tree, walk, (cursor) => ({ error: firstSyntaxError(cursor, types, toOriginal, text) }))
      : walkTree(tree, walk, (cursor) => ({ root: copyTree(cursor, types, toOriginal) }));
  } finally {
    tree.delete();
  }
}

/**
 * The first ERROR or MISSING node in document order (the root itself is not one the message can
 * name). Nothing is copied: a tree with an error is reported, never built.
 */
function firstSyntaxError(cursor: Walk, types: readonly string[], toOriginal: (offset: number) => number, text: string): CstError {
  let depth = 0;
  for (;;) {
    if (cursor.gotoFirstChild()) depth++;
    else {
      while (depth > 0 && !cursor.gotoNextSibling()) {
        cursor.gotoParent();
        depth--;
      }
      if (depth === 0) break;
    }
    const nodeType = types[cursor.typeId()] || 'ERROR'; // what TreeCursor's nodeType reads
    const error = syntaxError({ nodeType, nodeIsMissing: cursor.isMissing(), startIndex: toOriginal(cursor.startIndex()), endIndex: toOriginal(cursor.endIndex()) }, text);
    if (error) return error;
  }
  return { start: 0, end: 0, message: 'syntax error' };
}

/**
 * Nodes the syntax builder (hcl-syntax.ts) never looks at, anywhere: comments, separators,
 * brackets it finds by position of what they enclose, and the literal chunks of templates (whose
 * text it takes from the source between the quotes and interpolations). They are not copied.
 */
const DROPPED = new Set(['comment', ',', '=', ':', 'tuple_start', 'tuple_end', 'object_start', 'object_end', 'block_start', 'block_end', 'template_literal', 'template_interpolation_start', 'template_interpolation_end', 'strip_marker']);

/**
 * Nodes whose children the syntax builder reads. Every other node is copied without children
 * (the builder reads its type, text or span only: identifiers, literals, variable_expr,
 * template_directive, legacy_index, anonymous tokens), so its subtree is not walked.
 */
const WITH_CHILDREN = new Set([
  'config_file', 'body', 'attribute', 'block', 'expression', 'conditional', 'operation', 'unary_operation', 'binary_operation',
  'literal_value', 'string_lit', 'template_expr', 'quoted_template', 'heredoc_template', 'template_interpolation',
  'collection_value', 'tuple', 'object', 'object_elem', 'function_call', 'function_arguments',
  'for_expr', 'for_tuple_expr', 'for_object_expr', 'for_intro', 'for_cond',
  'get_attr', 'index', 'new_index', 'splat', 'attr_splat', 'full_splat',
]);

/** Shared by every node copied without children; frozen, so a mutation would fail loudly. */
const NO_CHILDREN: CstNode[] = Object.freeze([]) as unknown as CstNode[];

/**
 * Copies an error-free tree. Every step of the walk is a call into WASM (walk.ts; most of the
 * copy's cost on a large file), so the walk makes as few as it can:
 * - dropped nodes (DROPPED) cost their type and the step past them;
 * - nodes without WITH_CHILDREN are not descended into;
 * - a node with children gets its span from its first and last children: tree-sitter spans a
 *   parent from its first to its last child, and leaves extras (comments, whitespace) before or
 *   after a node outside it. The one rule with an invisible token (a regex inside a sequence) is
 *   legacy_index (`.0`), which has no children here, so its span is read as it is.
 * The root's span is read as it is (it runs to the end of the input).
 */
function copyTree(cursor: Walk, types: readonly string[], toOriginal: (offset: number) => number): CstNode {
  const root: CstNode = { type: types[cursor.typeId()] || 'ERROR', start: toOriginal(cursor.startIndex()), end: toOriginal(cursor.endIndex()), children: NO_CHILDREN };
  const open: CstNode[] = [root]; // the nodes whose children the cursor is among, innermost last
  let unstarted = 0; // the innermost open nodes that start where their first child does, not yet visited
  const started = (start: number): number => {
    for (let i = open.length - unstarted; i < open.length; i++) open[i]!.start = start;
    unstarted = 0;
    return start;
  };
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const type = types[cursor.typeId()] || 'ERROR'; // what TreeCursor's nodeType reads
    let lastEnd: number | undefined;
    if (DROPPED.has(type)) {
      if (unstarted > 0) started(toOriginal(cursor.startIndex()));
    } else {
      const node: CstNode = { type, start: -1, end: -1, children: NO_CHILDREN };
      const parent = open[open.length - 1]!;
      if (parent.children === NO_CHILDREN) parent.children = [node];
      else parent.children.push(node);
      if (WITH_CHILDREN.has(type) && cursor.gotoFirstChild()) {
        open.push(node);
        unstarted++;
        continue;
      }
      node.start = started(toOriginal(cursor.startIndex()));
      node.end = lastEnd = toOriginal(cursor.endIndex());
    }
    // On to the next sibling; each parent left on the way ends where its last child ends.
    while (!cursor.gotoNextSibling()) {
      lastEnd ??= toOriginal(cursor.endIndex());
      const done = open.pop()!;
      if (open.length === 0) return root;
      done.end = lastEnd;
      cursor.gotoParent();
    }
  }
}

type Tree = NonNullable<ReturnType<Parser['parse']>>;

/**
 * Probes a large file or one with long lines (parse-budget.ts): `error` is the tree of a prefix
 * that holds the file's first syntax error; otherwise `from` is the last probe's tree, edited to
 * the whole text's length, for the whole parse to reuse (null when nothing was probed).
 */
function probeFirstError(p: Parser, compact: string): { error: Tree | null; from: Tree | null } {
  const cuts = probeCuts(compact);
  if (cuts.length === 0) return { error: null, from: null };
  const lines = new LineIndex(compact);
  const point = (offset: number) => {
    const { line, column } = lines.position(offset);
    return { row: line - 1, column: column - 1 };
  };
  const grow = (tree: Tree, from: number, to: number) => {
    const at = point(from);
    tree.edit({ startIndex: from, oldEndIndex: from, newEndIndex: to, startPosition: at, oldEndPosition: at, newEndPosition: point(to) } as Parameters<Tree['edit']>[0]);
  };
  let previous: Tree | null = null;
  let previousCut = 0;
  for (const cut of cuts) {
    const prefix = compact.slice(0, cut);
    if (previous) grow(previous, previousCut, cut);
    const tree: Tree | null = p.parse(prefix, previous, { progressCallback: operationCounter(cut).progress });
    previous?.delete();
    previous = null;
    if (!tree) {
      p.reset();
      return { error: null, from: null };
    }
    if (tree.rootNode.hasError) {
      // Did the parser find an error before the cut? Ask it again with its log on; the same
      // prefix, reusing this tree, costs little.
      const detector = errorDetector(lines);
      p.setLogger(detector.log);
      let again: Tree | null = null;
      const counter = operationCounter(cut);
      try {
        // Stopped as soon as the log has named the error: the rest of this parse only logs (and
        // every message is decoded into a JS string), it can no longer change the answer.
        again = p.parse(prefix, tree, { progressCallback: (state) => detector.foundAt() !== undefined || counter.progress(state) });
      } finally {
        p.setLogger(null);
      }
      if (!again) p.reset();
      again?.delete();
      const found = detector.foundAt();
      if (found !== undefined && found + DETECTION_MARGIN <= cut) return { error: tree, from: null };
    }
    previous = tree;
    previousCut = cut;
  }
  grow(previous!, previousCut, compact.length);
  return { error: null, from: previous };
}

/** What a resumed parse is given per read (web-tree-sitter copies at most 10 K code units a read). */
const RESUME_CHUNK = 10 * 1024;

/** Longest run of whitespace the grammar is given (see compactWhitespace). */
const MAX_BLANK_RUN = 16;

/**
 * The grammar's lexer rescans the whitespace ahead inside objects once per character, so a
 * long stretch of it (10k spaces, or thousands of blank lines) costs quadratic time: seconds to
 * minutes. How much whitespace there is carries no meaning, only whether it holds a line break;
 * so the grammar gets a copy where each longer run keeps its first and last characters (and a
 * line break if it had one), and offsets are mapped back: the tree points into the original text,
 * which is what the syntax builder reads.
 */
function compactWhitespace(text: string): { compact: string; toOriginal: (offset: number) => number } {
  const half = MAX_BLANK_RUN / 2;
  const cuts: number[] = []; // compact offset where characters were dropped (between head and tail)
  const dropped: number[] = []; // total dropped up to and including that cut
  let total = 0;
  const compact = text.replace(new RegExp(`[ \\t\\r\\n]{${MAX_BLANK_RUN + 1},}`, 'g'), (run: string, at: number) => {
    const head = run.slice(0, half);
    let tail = run.slice(-half);
    if (run.includes('\n') && !head.includes('\n') && !tail.includes('\n')) tail = `\n${tail.slice(1)}`;
    cuts.push(at - total + half);
    total += run.length - MAX_BLANK_RUN;
    dropped.push(total);
    return head + tail;
  });
  if (cuts.length === 0) return { compact, toOriginal: (offset) => offset };
  return {
    compact,
    toOriginal(offset) {
      // Offsets past a cut (in a run's tail or after it) move by everything dropped up to it.
      let lo = 0;
      let hi = cuts.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cuts[mid]! < offset) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found === -1 ? offset : offset + dropped[found]!;
    },
  };
}

function syntaxError(
  cursor: { nodeType: string; nodeIsMissing: boolean; startIndex: number; endIndex: number },
  text: string,
): CstError | undefined {
  if (cursor.nodeIsMissing) {
    return { start: cursor.startIndex, end: cursor.startIndex, message: `syntax error: missing ${describeToken(cursor.nodeType)}` };
  }
  if (cursor.nodeType === 'ERROR') {
    const snippet = text.slice(cursor.startIndex, Math.min(cursor.endIndex, cursor.startIndex + 40)).split('\n')[0]!.trim();
    return {
      start: cursor.startIndex,
      end: cursor.endIndex,
      message: snippet ? `syntax error: unexpected ${describeSnippet(snippet)}` : 'syntax error: unexpected end of input',
    };
  }
  return undefined;
}

function describeToken(type: string): string {
  const names: Record<string, string> = {
    block_end: '"}"',
    object_end: '"}"',
    tuple_end: '"]"',
    quoted_template_end: 'closing quote',
    template_interpolation_end: '"}" of an interpolation',
    heredoc_identifier: 'heredoc end marker',
  };
  return names[type] ?? (/^[a-z_]+$/.test(type) ? type.replace(/_/g, ' ') : `"${type}"`);
}

/**
 * Names the unexpected token without quoting string contents: a message goes into reports, and
 * the string may be a password.
 */
export function describeSnippet(snippet: string): string {
  if (/^["'<]/.test(snippet)) return 'a string';
  const token = /^[^\s"'<]+/.exec(snippet)?.[0] ?? snippet;
  return `"${token}"`;
}
