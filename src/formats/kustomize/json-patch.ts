/**
 * RFC 6902 JSON patches (kustomize `patches` with a list body, `patchesJson6902`) on located
 * trees. Each value an operation writes is located at the operation's `value`.
 */
import { clone, get, str, type KMap, type KSeq, type KValue, type Origin } from './tree.js';

export class PatchError extends Error {}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: KValue;
  /** The operation item, for hops and errors. */
  origin: Origin;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`JSON pointer "${pointer}" does not start with "/"`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(container: KValue, token: string): KValue | undefined {
  if (container.t === 'map') return get(container, token);
  if (container.t === 'seq' && /^\d+$/.test(token)) return container.items[Number(token)];
  return undefined;
}

function resolve(root: KValue, tokens: string[], pointer: string): KValue {
  let current: KValue | undefined = root;
  for (const token of tokens) {
    current = current ? child(current, token) : undefined;
    if (!current) throw new PatchError(`path "${pointer}" does not exist`);
  }
  return current;
}

function parentOf(root: KValue, pointer: string): { parent: KMap | KSeq; token: string } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchError('operations on the whole document are not supported');
  const parent = resolve(root, tokens.slice(0, -1), pointer);
  if (parent.t === 'scalar') throw new PatchError(`path "${pointer}" goes through a scalar`);
  return { parent, token: tokens[tokens.length - 1]! };
}

function seqIndex(seq: KSeq, token: string, pointer: string, allowEnd: boolean): number {
  if (token === '-' && allowEnd) return seq.items.length;
  if (!/^\d+$/.test(token)) throw new PatchError(`"${token}" in "${pointer}" is not a list index`);
  const index = Number(token);
  if (index > seq.items.length || (!allowEnd && index === seq.items.length)) throw new PatchError(`index ${index} in "${pointer}" is out of range`);
  return index;
}

function add(root: KValue, pointer: string, value: KValue): void {
  const { parent, token } = parentOf(root, pointer);
  if (parent.t === 'seq') parent.items.splice(seqIndex(parent, token, pointer, true), 0, value);
  else {
    const entry = parent.entries.find((e) => e.key === token);
    if (entry) entry.value = value;
    else parent.entries.push({ key: token, keyOrigin: value.origin, value });
  }
}

function removeAt(root: KValue, pointer: string): KValue {
  const { parent, token } = parentOf(root, pointer);
  if (parent.t === 'seq') return parent.items.splice(seqIndex(parent, token, pointer, false), 1)[0]!;
  const index = parent.entries.findIndex((e) => e.key === token);
  if (index < 0) throw new PatchError(`path "${pointer}" does not exist`);
  return parent.entries.splice(index, 1)[0]!.value;
}

function withReplacedHop(value: KValue, previous: KValue | undefined, note: (o: Origin) => string): KValue {
  if (!previous || previous.t !== 'scalar' || value.t !== 'scalar') return value;
  return { ...value, origin: { location: value.origin.location, hops: [...(value.origin.hops ?? []), { location: previous.origin.location, note: note(previous.origin) }] } };
}

function equal(a: KValue, b: KValue): boolean {
  if (a.t !== b.t) return false;
  if (a.t === 'scalar') return a.value === (b as typeof a).value;
  if (a.t === 'seq') return a.items.length === (b as KSeq).items.length && a.items.every((x, i) => equal(x, (b as KSeq).items[i]!));
  const bm = b as KMap;
  return a.entries.length === bm.entries.length && a.entries.every((e) => {
    const other = get(bm, e.key);
    return !!other && equal(e.value, other);
  });
}

/** Apply operations in order to `root` (mutated). Throws PatchError on an operation that does not apply. */
export function applyJsonPatch(root: KValue, operations: JsonPatchOperation[], replacedNote: (o: Origin) => string): void {
  for (const op of operations) {
    switch (op.op) {
      case 'add': {
        if (!op.value) throw new PatchError(`add ${op.path} has no value`);
        add(root, op.path, clone(op.value));
        break;
      }
      case 'remove':
        removeAt(root, op.path);
        break;
      case 'replace': {
        if (!op.value) throw new PatchError(`replace ${op.path} has no value`);
        const previous = removeAt(root, op.path);
        add(root, op.path, withReplacedHop(clone(op.value), previous, replacedNote));
        break;
      }
      case 'move': {
        if (op.from === undefined) throw new PatchError(`move ${op.path} has no from`);
        add(root, op.path, removeAt(root, op.from));
        break;
      }
      case 'copy': {
        if (op.from === undefined) throw new PatchError(`copy ${op.path} has no from`);
        add(root, op.path, clone(resolve(root, parsePointer(op.from), op.from)));
        break;
      }
      case 'test': {
        const at = resolve(root, parsePointer(op.path), op.path);
        if (!op.value || !equal(at, op.value)) throw new PatchError(`test ${op.path} failed`);
        break;
      }
      default:
        throw new PatchError(`unknown JSON patch operation "${op.op}"`);
    }
  }
}

/** The operations of a patch body (a list of `{op, path, value}`). */
export function readOperations(body: KValue): JsonPatchOperation[] {
  if (body.t !== 'seq') throw new PatchError('a JSON 6902 patch is a list of operations');
  return body.items.map((item) => {
    if (item.t !== 'map') throw new PatchError('a JSON 6902 operation is a map');
    const op = str(get(item, 'op'));
    const path = str(get(item, 'path'));
    if (!op || path === undefined) throw new PatchError('a JSON 6902 operation needs op and path');
    const from = str(get(item, 'from'));
    const value = get(item, 'value');
    return { op, path, ...(from !== undefined ? { from } : {}), ...(value ? { value } : {}), origin: item.origin };
  });
}
