/**
 * The HCL grammar (tree-sitter, terraform dialect, WASM) loaded once per process, and a
 * conversion of its tree into plain objects so the WASM tree can be freed at once
 * (parsed files live until `adapt`, WASM memory should not).
 */
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';
import { budgetMessage, countEmptyElements, DETECTION_MARGIN, errorDetector, lineStarts, MAX_EMPTY_ELEMENTS, operationCounter, probeCuts } from './parse-budget.js';

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
      await Parser.init({ locateFile: () => runtimeWasm });
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

/** Comments carry nothing the evaluator needs; dropping them keeps the copied tree small. */
const SKIPPED = new Set(['comment']);

/**
 * Parses HCL text. Returns the copied tree, or the first syntax error (an ERROR or MISSING
 * node in document order). The walk is iterative, so deeply nested input cannot overflow
 * the stack here.
 */
export function parseHcl(text: string): { root: CstNode } | { error: CstError } {
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
  if (!tree) {
    tree = parser.parse(compact, probed.from, { progressCallback: counter.progress });
    probed.from?.delete();
  }
  const stuckAt = tree ? undefined : counter.stuckAt();
  if (!tree && stuckAt !== undefined) {
    // Stopped in hopeless error recovery: the text up to there names the first error.
    parser.reset();
    tree = parser.parse(compact.slice(0, stuckAt), null, { progressCallback: operationCounter(stuckAt, undefined, Infinity).progress });
    if (tree && !tree.rootNode.hasError) {
      tree.delete();
      return { error: { start: toOriginal(stuckAt), end: toOriginal(stuckAt), message: 'syntax error' } };
    }
  }
  if (!tree) {
    parser.reset();
    const message = counter.spent() ? budgetMessage(counter.budget) : 'the HCL parser gave no result';
    return { error: { start: 0, end: 0, message } };
  }
  const enter = (c: { nodeType: string; startIndex: number; endIndex: number }): CstNode => ({ type: c.nodeType, start: toOriginal(c.startIndex), end: toOriginal(c.endIndex), children: [] });
  const errorAt = (c: Parameters<typeof syntaxError>[0]): CstError | undefined => syntaxError({ nodeType: c.nodeType, nodeIsMissing: c.nodeIsMissing, startIndex: toOriginal(c.startIndex), endIndex: toOriginal(c.endIndex) }, text);
  try {
    const cursor = tree.walk();
    try {
      const root = enter(cursor);
      const hasError = tree.rootNode.hasError;
      const stack: CstNode[] = [root];
      let firstError: CstError | undefined;
      for (;;) {
        if (cursor.gotoFirstChild()) {
          const node = enter(cursor);
          stack[stack.length - 1]!.children.push(node);
          stack.push(node);
        } else {
          for (;;) {
            if (stack.length <= 1) break;
            stack.pop();
            if (cursor.gotoNextSibling()) {
              const node = enter(cursor);
              stack[stack.length - 1]!.children.push(node);
              stack.push(node);
              break;
            }
            cursor.gotoParent();
          }
          if (stack.length <= 1) break;
        }
        if (hasError && !firstError) firstError = errorAt(cursor);
        if (firstError) return { error: firstError };
      }
      if (hasError) return { error: { start: 0, end: 0, message: 'syntax error' } };
      pruneSkipped(root);
      return { root };
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

// Every property read crosses into WASM, so only what the syntax builder needs is read.

type Tree = NonNullable<ReturnType<Parser['parse']>>;

/**
 * Probes a large file or one with long lines (parse-budget.ts): `error` is the tree of a prefix
 * that holds the file's first syntax error; otherwise `from` is the last probe's tree, edited to
 * the whole text's length, for the whole parse to reuse (null when nothing was probed).
 */
function probeFirstError(p: Parser, compact: string): { error: Tree | null; from: Tree | null } {
  const cuts = probeCuts(compact);
  if (cuts.length === 0) return { error: null, from: null };
  const starts = lineStarts(compact);
  const point = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - starts[lo]! };
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
      const detector = errorDetector(starts);
      p.setLogger(detector.log);
      let again: Tree | null = null;
      try {
        again = p.parse(prefix, tree, { progressCallback: operationCounter(cut).progress });
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

/** Removes comment nodes, iteratively (the tree may be deep). */
function pruneSkipped(root: CstNode): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children.some((c) => SKIPPED.has(c.type))) node.children = node.children.filter((c) => !SKIPPED.has(c.type));
    for (const child of node.children) stack.push(child);
  }
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
