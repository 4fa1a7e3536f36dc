/**
 * The HCL grammar (tree-sitter, terraform dialect, WASM) loaded once per process, and a
 * conversion of its tree into plain objects so the WASM tree can be freed at once
 * (parsed files live until `adapt`, WASM memory should not).
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

/** A syntax node copied out of the tree-sitter tree. Offsets are UTF-16 code units, like JS strings. */
export interface CstNode {
  /** Node type; anonymous tokens have their text as type ("(", "=", "for"). */
  type: string;
  start: number;
  end: number;
  children: CstNode[];
}

export interface CstError {
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

export function isTerraformReady(): boolean {
  return parser !== undefined;
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
  const tree = parser.parse(text);
  if (!tree) return { error: { start: 0, end: 0, message: 'the HCL parser gave no result' } };
  try {
    const cursor = tree.walk();
    try {
      const root: CstNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
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
        if (hasError && !firstError) firstError = errorAt(cursor, text);
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
function enter(cursor: { nodeType: string; startIndex: number; endIndex: number }): CstNode {
  return { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, children: [] };
}

function errorAt(
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
      message: snippet ? `syntax error: unexpected "${snippet}"` : 'syntax error: unexpected end of input',
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
