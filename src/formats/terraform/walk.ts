/**
 * A walk over a tree-sitter tree that costs a WASM call per step and nothing more.
 *
 * web-tree-sitter's TreeCursor keeps the cursor's four words in JS and copies them into the
 * runtime's transfer buffer before every call and back after every move, one `setValue` or
 * `getValue` per word: about 600 ns a node, two thirds of copying a large tree. The runtime's own
 * exports read and write the cursor in that buffer, so a walk that leaves it there and calls them
 * directly costs about 170 ns a node. That holds only while nothing else uses the buffer: the
 * walk's body must not call into web-tree-sitter (it reads the source text and builds plain
 * objects). The JS cursor is created and deleted as usual, and its words are copied in before
 * the walk and back after it (the cursor's stack may have moved), so its delete and its finalizer
 * free what the runtime allocated.
 *
 * Everything used here is what web-tree-sitter's own TreeCursor calls; if a release changes it,
 * `rawBinding` finds that at load and the walk goes through the TreeCursor instead, slower and
 * the same (test/terraform/walk.test.ts compares the two on the corpus).
 */
import type { Parser } from 'web-tree-sitter';

type Tree = NonNullable<ReturnType<Parser['parse']>>;
type Cursor = ReturnType<Tree['walk']>;

/** The steps a walk takes. Offsets are UTF-16 code units of the parsed text. */
export interface Walk {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  isMissing(): boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** The runtime's exports a walk calls; each takes the tree's address and reads the cursor from the transfer buffer. */
interface CursorExports {
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

export interface RawBinding extends CursorExports {
  /** The module's memory as words; replaced when the memory grows, so read it when used. */
  readonly HEAP32: Int32Array;
  /** Byte address of the transfer buffer. */
  readonly transfer: number;
}

const EXPORTS: readonly (keyof CursorExports)[] = [
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
];

/**
 * The runtime's exports, from the options object given to `Parser.init` (Emscripten makes that
 * object the module). `_ts_init` only writes two version words and returns the buffer's address.
 */
export function rawBinding(module: object): RawBinding | undefined {
  const m = module as Record<string, unknown>;
  if (!(m.HEAP32 instanceof Int32Array) || typeof m._ts_init !== 'function') return undefined;
  if (!EXPORTS.every((name) => typeof m[name] === 'function')) return undefined;
  const transfer = (m._ts_init as () => unknown)();
  if (typeof transfer !== 'number' || transfer <= 0 || transfer % 4 !== 0) return undefined;
  const binding: Record<string, unknown> = { transfer };
  for (const name of EXPORTS) binding[name] = m[name];
  Object.defineProperty(binding, 'HEAP32', { get: () => m.HEAP32 });
  return binding as unknown as RawBinding;
}

/** Runs `body` over a walk from the tree's root; the cursor is freed whatever `body` does. */
export function walkTree<T>(tree: Tree, binding: RawBinding | undefined, body: (walk: Walk) => T): T {
  const cursor = tree.walk();
  const handles = (cursor as unknown as { handles?: unknown }).handles;
  const address = (tree as unknown as { 0?: unknown })[0];
  try {
    if (!binding || typeof address !== 'number' || !isHandles(handles)) return body(cursorWalk(cursor));
    const slot = binding.transfer >> 2;
    binding.HEAP32.set(handles, slot);
    try {
      return body(rawWalk(binding, address));
    } finally {
      const words = binding.HEAP32;
      for (let i = 0; i < 4; i++) handles[i] = words[slot + i]!;
    }
  } finally {
    cursor.delete();
  }
}

function isHandles(value: unknown): value is number[] {
  return Array.isArray(value) && value.length === 4 && value.every((word) => typeof word === 'number');
}

function rawWalk(b: RawBinding, tree: number): Walk {
  const typeId = b._ts_tree_cursor_current_node_type_id_wasm;
  const start = b._ts_tree_cursor_start_index_wasm;
  const end = b._ts_tree_cursor_end_index_wasm;
  const missing = b._ts_tree_cursor_current_node_is_missing_wasm;
  const firstChild = b._ts_tree_cursor_goto_first_child_wasm;
  const nextSibling = b._ts_tree_cursor_goto_next_sibling_wasm;
  const parent = b._ts_tree_cursor_goto_parent_wasm;
  return {
    typeId: () => typeId(tree),
    startIndex: () => start(tree),
    endIndex: () => end(tree),
    isMissing: () => missing(tree) === 1,
    gotoFirstChild: () => firstChild(tree) === 1,
    gotoNextSibling: () => nextSibling(tree) === 1,
    gotoParent: () => parent(tree) === 1,
  };
}

/** The same walk through web-tree-sitter's TreeCursor (the fallback, and the tests' reference). */
function cursorWalk(cursor: Cursor): Walk {
  return {
    typeId: () => cursor.nodeTypeId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    isMissing: () => cursor.nodeIsMissing,
    gotoFirstChild: () => cursor.gotoFirstChild(),
    gotoNextSibling: () => cursor.gotoNextSibling(),
    gotoParent: () => cursor.gotoParent(),
  };
}
