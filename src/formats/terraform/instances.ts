/**
 * Resources, data sources and module calls of a module expanded into instances (count,
 * for_each) with their bodies evaluated: nested blocks become lists of objects, `dynamic`
 * blocks are unrolled. The result has the same shape as a plan's resource values, so one
 * set of adapters serves HCL and plan JSON.
 */
import type { Location } from '../../core/location.js';
import type { Block, Body } from './ast.js';
import type { ExpressionEvaluator as Evaluator, Scope } from './scope.js';
import type { Declaration } from './module-config.js';
import type { ObjectValue, TfValue } from './values.js';
import { list, num, object, region, str, unknown } from './values.js';

export interface ResourceInstance {
  mode: 'managed' | 'data' | 'module';
  /** Resource type; "module" for module calls. */
  type: string;
  name: string;
  /** Instance address used in messages: aws_security_group.web, aws_security_group.web[0], module.sg["a"]. */
  address: string;
  /** Address without instance key or module path prefix, as references name it. */
  resourceAddress: string;
  value: ObjectValue;
  /** The block header (`resource "aws_security_group" "web"`), or the plan's address value. */
  header: Location;
  file: string;
  /**
   * For a module call whose local `source` is a vendored copy of a known module, the
   * registry address it stands for (terraform-aws-modules/security-group/aws//modules/ssh).
   */
  knownSource?: string;
  /** count.index or each.key of this instance, for `module.x[0]` / `module.x["a"]` references. */
  instanceKey?: number | string;
}

/** Instances beyond this are not expanded (a count of a million is not a configuration to read). */
const MAX_INSTANCES = 1000;
const META_ATTRIBUTES = new Set(['count', 'for_each', 'depends_on', 'provider', 'providers']);
const SKIPPED_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection', 'precondition', 'postcondition', 'timeouts']);

export function expandDeclaration(decl: Declaration, evaluator: Evaluator): ResourceInstance[] {
  const file = decl.file;
  const base: Scope = { file, bindings: new Map() };
  const header = region(file, decl.block.start, decl.block.headerEnd);
  const prefix = decl.mode === 'module' ? `module.${decl.name}` : decl.mode === 'data' ? `data.${decl.type}.${decl.name}` : `${decl.type}.${decl.name}`;
  const eachNote = new Map([['each', `comes from the for_each of ${prefix}`]]);
  const make = (suffix: string, bindings: Map<string, TfValue>, instanceKey?: number | string): ResourceInstance => ({
    mode: decl.mode,
    type: decl.type,
    name: decl.name,
    address: prefix + suffix,
    resourceAddress: prefix,
    value: evaluateBody(decl.block.body, { file, bindings, ...(bindings.has('each') ? { notes: eachNote } : {}) }, evaluator, header),
    header,
    file: file.path,
    ...(instanceKey !== undefined ? { instanceKey } : {}),
  });

  const count = evaluator.attributeValue(decl.block.body, 'count', base);
  if (count) {
    if (count.kind === 'number') {
      const n = Math.max(0, Math.min(MAX_INSTANCES, Math.floor(count.value)));
      return Array.from({ length: n }, (_, i) => make(`[${i}]`, new Map([['count', object(new Map([['index', num(i, count.loc)]]), count.loc)]]), i));
    }
    if (count.kind === 'bool') return count.value ? [make('', new Map())] : [];
    // Unknown count: the resource may exist; read it once with count.index unknown.
    const reason = count.kind === 'unknown' ? count.reason : 'count is not a number';
    return [make('', new Map([['count', object(new Map([['index', unknown(reason, 'count.index', count.loc)]]), count.loc)]]))];
  }
  const forEach = evaluator.attributeValue(decl.block.body, 'for_each', base);
  if (forEach) {
    const pairs = iterationPairs(forEach);
    if (!pairs) {
      const reason = forEach.kind === 'unknown' ? forEach.reason : 'for_each is not a map or set';
      const each = object(
        new Map<string, TfValue>([
          ['key', unknown(reason, 'each.key', forEach.loc)],
          ['value', unknown(reason, 'each.value', forEach.loc)],
        ]),
        forEach.loc,
      );
      return [make('', new Map([['each', each]]))];
    }
    return pairs.slice(0, MAX_INSTANCES).map(([key, value]) => {
      const each = object(new Map<string, TfValue>([['key', key], ['value', value]]), forEach.loc);
      const k = key.kind === 'string' ? key.value : String(key.kind === 'number' ? key.value : '?');
      return make(`[${JSON.stringify(k)}]`, new Map([['each', each]]), k);
    });
  }
  return [make('', new Map())];
}

/** for_each / dynamic for_each: a map gives key/value pairs, a set of strings gives key = value. */
function iterationPairs(collection: TfValue, setKeysAreValues = true): [TfValue, TfValue][] | undefined {
  if (collection.kind === 'object') return [...collection.entries].map(([k, v]) => [str(k, collection.attributeLocs.get(k) ?? v.loc), v]);
  if (collection.kind === 'list') {
    return collection.items.map((item, i) => [setKeysAreValues && item.kind === 'string' ? item : num(i, item.loc), item]);
  }
  return undefined;
}

export function evaluateBody(body: Body, scope: Scope, evaluator: Evaluator, header: Location): ObjectValue {
  const value = object(new Map(), header);
  for (const attribute of body.attributes) {
    if (META_ATTRIBUTES.has(attribute.name)) continue;
    const own = scopeOf(attribute, scope);
    value.entries.set(attribute.name, evaluator.evaluate(attribute.expr, own));
    value.attributeLocs.set(attribute.name, region(own.file, attribute.start, attribute.end));
  }
  for (const block of body.blocks) {
    if (SKIPPED_BLOCKS.has(block.type)) continue;
    const own = scopeOf(block, scope);
    if (block.type === 'dynamic') {
      const label = block.labels[0]?.value;
      if (!label) continue;
      for (const generated of dynamicBlocks(block, label, own, evaluator)) append(value, label, generated, block, own);
      continue;
    }
    append(value, block.type, evaluateBody(block.body, own, evaluator, region(own.file, block.start, block.headerEnd)), block, own);
  }
  return value;
}

/** An attribute or block merged in from an override file is evaluated (and located) in that file. */
export function scopeOf(node: { file?: Scope['file'] }, scope: Scope): Scope {
  return node.file && node.file !== scope.file ? { file: node.file, bindings: scope.bindings } : scope;
}

function append(target: ObjectValue, name: string, item: TfValue, block: Block, scope: Scope): void {
  const existing = target.entries.get(name);
  if (existing?.kind === 'list') existing.items.push(item);
  else {
    target.entries.set(name, list([item], item.loc));
    target.attributeLocs.set(name, region(scope.file, block.start, block.end));
  }
}

/**
 * Unrolls `dynamic "x" { for_each = ...; iterator = it; content { ... } }`. An unknown
 * collection still yields one block, whose values are unknown for the same reason, so an
 * unresolvable rule is reported as unknown rather than dropped.
 */
function dynamicBlocks(block: Block, label: string, scope: Scope, evaluator: Evaluator): TfValue[] {
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!content) return [];
  const header = region(scope.file, block.start, block.headerEnd);
  const iteratorAttr = block.body.attributes.find((a) => a.name === 'iterator');
  const iterator = iteratorAttr?.expr.type === 'name' ? iteratorAttr.expr.name : label;
  const forEach = evaluator.attributeValue(block.body, 'for_each', scope);
  if (!forEach) return [];
  const pairs = iterationPairs(forEach);
  const run = (key: TfValue, value: TfValue): ObjectValue => {
    const bindings = new Map(scope.bindings);
    bindings.set(iterator, object(new Map([['key', key], ['value', value]]), value.loc));
    const notes = new Map(scope.notes ?? []);
    notes.set(iterator, `comes from the for_each of dynamic "${label}"`);
    return evaluateBody(content.body, { file: scope.file, bindings, notes }, evaluator, header);
  };
  if (!pairs) {
    if (forEach.kind === 'null') return [];
    const reason = forEach.kind === 'unknown' ? forEach.reason : `the for_each of dynamic "${label}" is not a collection`;
    return [run(unknown(reason, `${iterator}.key`, forEach.loc), unknown(reason, `${iterator}.value`, forEach.loc))];
  }
  return pairs.slice(0, MAX_INSTANCES).map(([key, value]) => run(key, value));
}
