/**
 * Evaluates Terraform expressions of one module to located values. Whatever cannot be
 * known before apply (variables without default, data sources, module outputs, computed
 * attributes) becomes an `unknown` with a human reason, never a guess. Work is bounded
 * (depth, steps, collection sizes) so hostile input cannot hang a scan.
 */
import type { Attribute, Expr, Step } from './ast.js';
import { PURE_DATA_SOURCES } from './data-sources.js';
import { applyOperator } from './operators.js';
import { callFunction, LAZY_FUNCTIONS } from './functions.js';
import { evaluateBody, scopeOf } from './instances.js';
import type { Declaration, ModuleConfig } from './module-config.js';
import { baseName } from './module-config.js';
import type { ExpressionEvaluator, Scope } from './scope.js';
import type { FileRef, TfValue } from './values.js';
import { overBudget } from './value-budget.js';
import { asString, bool, firstUnknown, jsonValue, list, MAX_COLLECTION, num, object, region, rehome, str, unknown } from './values.js';
import { pushAll } from '../../core/arrays.js';

export type { Scope } from './scope.js';

/** How a module of a tree sees the rest of it (module-tree.ts); a lone module has none of this. */
interface ModuleLinks {
  /** "module.sg", "module.sg[\"a\"].module.rules": how hop notes name this module. */
  label?: string;
  /** Values of the call's arguments, evaluated by the caller. */
  inputs?: ReadonlyMap<string, TfValue>;
  /** The value of `module.NAME` (an object of outputs; a list or map of them with count/for_each), or an unknown saying why not. */
  moduleValue?(name: string, label: string, loc: TfValue['loc']): TfValue;
}

const MAX_DEPTH = 150;
const MAX_STEPS = 2_000_000;

export class Evaluator implements ExpressionEvaluator {
  private steps = 0;
  private depth = 0;
  private readonly localCache = new Map<string, TfValue>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly config: ModuleConfig,
    /** Reads a file relative to the scan root, for file(); undefined when unavailable. */
    readonly readText: (path: string) => { text: string; file: FileRef } | undefined = () => undefined,
    readonly links: ModuleLinks = {},
  ) {}

  text(scope: Scope, start: number, end: number): string {
    const t = scope.file.index.text.slice(start, end).replace(/\s+/g, ' ');
    return t.length > 100 ? `${t.slice(0, 97)}...` : t;
  }

  evaluate(expr: Expr, scope: Scope): TfValue {
    const loc = region(scope.file, expr.start, expr.end);
    if (++this.steps > MAX_STEPS) return unknown('the expression is too costly to evaluate', this.text(scope, expr.start, expr.end), loc);
    if (this.depth >= MAX_DEPTH) return unknown('the expression is nested too deeply to evaluate', this.text(scope, expr.start, expr.end), loc);
    this.depth++;
    try {
      const value = this.evaluateInner(expr, scope, loc);
      const tooLarge = overBudget(value);
      return tooLarge ? unknown(tooLarge, this.text(scope, expr.start, expr.end), loc) : value;
    } catch (error) {
      // A string or array past the engine's limits (RangeError) is a budget, not a crash.
      if (error instanceof RangeError) return unknown('the value is too large to evaluate', this.text(scope, expr.start, expr.end), loc);
      throw error;
    } finally {
      this.depth--;
    }
  }

  private evaluateInner(expr: Expr, scope: Scope, loc: TfValue['loc']): TfValue {
    switch (expr.type) {
      case 'literal':
        if (expr.value === null) return { kind: 'null', loc };
        return typeof expr.value === 'number' ? num(expr.value, loc) : bool(expr.value, loc);
      case 'template':
        return this.template(expr, scope, loc);
      case 'tuple':
        return list(
          expr.items.map((item) => this.evaluate(item, scope)),
          loc,
        );
      case 'object': {
        const entries = new Map<string, TfValue>();
        const locs = new Map<string, TfValue['loc']>();
        for (const item of expr.items) {
          let key = item.keyName;
          if (key === undefined) {
            const k = this.evaluate(item.keyExpr, scope);
            key = asString(k);
            if (key === undefined) return unknown(k.kind === 'unknown' ? k.reason : 'an object key is not a string', this.text(scope, expr.start, expr.end), loc);
          }
          entries.set(key, this.evaluate(item.value, scope));
          locs.set(key, region(scope.file, item.keyExpr.start, item.value.end));
        }
        return object(entries, loc, locs);
      }
      case 'name':
      case 'traverse':
        return this.traversal(expr, scope, loc);
      case 'splat':
        return this.splat(expr, scope, loc);
      case 'call':
        return this.call(expr, scope, loc);
      case 'for':
        return this.forExpression(expr, scope, loc);
      case 'conditional': {
        const condition = this.evaluate(expr.condition, scope);
        if (condition.kind === 'bool') return this.evaluate(condition.value ? expr.whenTrue : expr.whenFalse, scope);
        if (condition.kind === 'string' && (condition.value === 'true' || condition.value === 'false')) {
          return this.evaluate(condition.value === 'true' ? expr.whenTrue : expr.whenFalse, scope);
        }
        const reason = condition.kind === 'unknown' ? condition.reason : 'the condition is not a boolean';
        return unknown(`it depends on ${this.text(scope, expr.condition.start, expr.condition.end)} (${reason})`, this.text(scope, expr.start, expr.end), loc);
      }
      case 'binary':
        return this.binary(expr, scope, loc);
      case 'unary': {
        const operand = this.evaluate(expr.operand, scope);
        if (operand.kind === 'unknown') return { ...operand, loc };
        if (expr.operator === '-' && operand.kind === 'number') return num(-operand.value, loc);
        if (expr.operator === '!' && operand.kind === 'bool') return bool(!operand.value, loc);
        return unknown(`invalid operand for ${expr.operator}`, this.text(scope, expr.start, expr.end), loc, true);
      }
      case 'parens':
        return this.evaluate(expr.inner, scope);
      case 'json':
        return jsonValue(expr.node, scope.file);
      case 'invalid':
        return unknown(expr.reason, this.text(scope, expr.start, expr.end), loc, true);
    }
  }

  private template(expr: Extract<Expr, { type: 'template' }>, scope: Scope, loc: TfValue['loc']): TfValue {
    const parts = expr.parts;
    const only = parts[0];
    if (parts.length === 1 && only?.kind === 'interpolation') return this.evaluate(only.expr, scope);
    let text = '';
    for (const part of parts) {
      if (part.kind === 'text') text += part.text;
      else if (part.kind === 'directive') return unknown('template directives (%{ ... }) are not evaluated', this.text(scope, expr.start, expr.end), loc);
      else {
        const v = this.evaluate(part.expr, scope);
        if (v.kind === 'unknown') return unknown(v.reason, this.text(scope, part.expr.start, part.expr.end), loc, v.error);
        const s = asString(v);
        if (s === undefined) {
          if (v.kind === 'null') return unknown('a template interpolates null', this.text(scope, part.expr.start, part.expr.end), loc, true);
          return unknown('a template interpolates a collection', this.text(scope, part.expr.start, part.expr.end), loc, true);
        }
        text += s;
      }
    }
    const value = str(text, loc);
    if (expr.verbatimOffset !== undefined) value.verbatim = { file: scope.file, offset: expr.verbatimOffset };
    if (expr.jsonRange) value.jsonSource = { file: scope.file, ...expr.jsonRange };
    return value;
  }

  private traversal(expr: Expr, scope: Scope, loc: TfValue['loc']): TfValue {
    const chain: Step[] = [];
    let root = expr;
    while (root.type === 'traverse') {
      chain.unshift(root.step);
      root = root.object;
    }
    const label = this.text(scope, expr.start, expr.end);
    let value: TfValue;
    if (root.type === 'name') {
      const bound = scope.bindings.get(root.name);
      if (!bound) return this.reference(root.name, chain, scope, label, loc);
      value = bound;
    } else {
      value = this.evaluate(root, scope);
    }
    for (const step of chain) value = this.applyStep(value, step, scope, label, loc);
    const note = root.type === 'name' ? scope.notes?.get(root.name) : undefined;
    return note ? rehome(value, loc, note) : value;
  }

  applyStep(value: TfValue, step: Step, scope: Scope, label: string, loc: TfValue['loc']): TfValue {
    if (value.kind === 'unknown') return value;
    if (step.kind === 'attr') {
      if (value.kind === 'object') {
        const v = value.entries.get(step.name);
        return v ?? unknown(`there is no attribute "${step.name}"`, label, loc, true);
      }
      return unknown(`cannot read attribute "${step.name}" of a ${value.kind}`, label, loc, true);
    }
    const key = this.evaluate(step.key, scope);
    if (key.kind === 'unknown') return unknown(key.reason, label, loc);
    if (value.kind === 'list' && key.kind === 'number') {
      return value.items[key.value] ?? unknown(`index ${key.value} is out of range`, label, loc, true);
    }
    if (value.kind === 'list' && key.kind === 'string' && /^\d+$/.test(key.value)) {
      return value.items[Number(key.value)] ?? unknown(`index ${key.value} is out of range`, label, loc, true);
    }
    const name = asString(key);
    if (value.kind === 'object' && name !== undefined) {
      return value.entries.get(name) ?? unknown(`there is no key "${name}"`, label, loc, true);
    }
    return unknown(`cannot index a ${value.kind}`, label, loc, true);
  }

  private splat(expr: Extract<Expr, { type: 'splat' }>, scope: Scope, loc: TfValue['loc']): TfValue {
    const base = this.evaluate(expr.object, scope);
    const label = this.text(scope, expr.start, expr.end);
    if (base.kind === 'unknown') return base;
    if (base.kind === 'null') return list([], loc);
    const items = base.kind === 'list' ? base.items : [base];
    return list(
      items.map((item) => expr.steps.reduce((v, step) => this.applyStep(v, step, scope, label, loc), item)),
      loc,
    );
  }

  /** Names that are not bound locally: var, local, data, module, path, a resource type... */
  private reference(rootName: string, chain: Step[], scope: Scope, label: string, loc: TfValue['loc']): TfValue {
    const first = chain[0];
    const firstName = first?.kind === 'attr' ? first.name : undefined;
    const rest = chain.slice(1);
    const follow = (value: TfValue): TfValue => rest.reduce((v, step) => this.applyStep(v, step, scope, label, loc), value);
    switch (rootName) {
      case 'var': {
        if (!firstName) return unknown('"var" needs an attribute', label, loc, true);
        const input = this.links.inputs?.get(firstName);
        if (input) return rehome(follow(input), loc, `is passed to ${this.links.label ?? 'the module'} as ${firstName}`, this.links.label ?? 'module');
        const fromTfvars = this.config.tfvars.get(firstName);
        const note = fromTfvars ? `comes from var.${firstName} in ${baseName(fromTfvars.file.path)}` : `comes from the default of var.${firstName}`;
        return rehome(follow(this.variable(firstName, loc)), loc, note);
      }
      case 'local':
        return firstName ? rehome(follow(this.local(firstName, loc)), loc, `comes from local.${firstName}`) : unknown('"local" needs an attribute', label, loc, true);
      case 'data':
        return this.dataReference(chain, scope, label, loc);
      case 'module':
        if (firstName && this.links.moduleValue) return rehome(follow(this.links.moduleValue(firstName, label, loc)), loc, `comes from ${label}`);
        return unknown(`${label} is an output of module "${firstName ?? '?'}", which portwall does not follow`, label, loc);
      case 'path':
        // Each directory is read as a root module run from its own directory, so both are ".";
        // file() then resolves paths against the module directory.
        if (firstName === 'module' || firstName === 'root') return follow(str('.', loc));
        return unknown(`${label} depends on where Terraform runs`, label, loc);
      case 'terraform':
        return unknown(`${label} is chosen when Terraform runs`, label, loc);
      case 'each':
        return unknown(`${label} is used outside for_each`, label, loc, true);
      case 'count':
        return unknown(`${label} is used outside count`, label, loc, true);
      case 'self':
        return unknown(`${label} is known only after apply`, label, loc);
      default:
        break;
    }
    if (!firstName) return unknown(`"${rootName}" is not defined here`, label, loc, true);
    return this.resourceReference(`${rootName}.${firstName}`, rest, scope, label, loc);
  }

  /** data.TYPE.NAME.attr: pure data sources are computed here; the others are read only when Terraform runs. */
  private dataReference(chain: Step[], scope: Scope, label: string, loc: TfValue['loc']): TfValue {
    const [typeStep, nameStep] = chain;
    const typeName = typeStep?.kind === 'attr' ? typeStep.name : undefined;
    const name = nameStep?.kind === 'attr' ? nameStep.name : undefined;
    const pure = typeName === undefined ? undefined : PURE_DATA_SOURCES.get(typeName);
    const decl = pure ? this.config.declarations.find((d) => d.mode === 'data' && d.type === typeName && d.name === name) : undefined;
    if (!pure || !decl) return unknown(`${label} is a data source, read only when Terraform runs`, label, loc);
    const key = `data:${decl.type}.${decl.name}`;
    const result = this.cached(
      key,
      () => {
        const header = region(decl.file, decl.block.start, decl.block.headerEnd);
        return pure(evaluateBody(decl.block.body, { file: decl.file, bindings: new Map() }, this, header), header);
      },
      loc,
    );
    let steps = chain.slice(2);
    if (steps[0]?.kind === 'index') steps = steps.slice(1);
    return steps.reduce((v, step) => this.applyStep(v, step, scope, label, loc), result);
  }

  variable(name: string, loc: TfValue['loc']): TfValue {
    const input = this.links.inputs?.get(name);
    if (input) return input;
    const fromTfvars = this.config.tfvars.get(name);
    if (fromTfvars) return this.cached(`tfvars:${name}`, () => this.evaluate(fromTfvars.expr, { file: fromTfvars.file, bindings: new Map() }), loc);
    const declared = this.config.variables.get(name);
    if (!declared) return unknown(`var.${name} is not declared in this module`, `var.${name}`, loc);
    if (!declared.default) return unknown(`var.${name} has no default`, `var.${name}`, loc);
    const def = declared.default;
    return this.cached(`var:${name}`, () => this.evaluate(def, { file: declared.file, bindings: new Map() }), loc);
  }

  private local(name: string, loc: TfValue['loc']): TfValue {
    const declared = this.config.locals.get(name);
    if (!declared) return unknown(`local.${name} is not declared in this module`, `local.${name}`, loc, true);
    return this.cached(`local:${name}`, () => this.evaluate(declared.expr, { file: declared.file, bindings: new Map() }), loc);
  }

  /** Memoized evaluation with cycle detection (locals referring to each other). */
  private cached(key: string, compute: () => TfValue, loc: TfValue['loc']): TfValue {
    const hit = this.localCache.get(key);
    if (hit) return hit;
    const label = key.replace(/^(var|tfvars):/, 'var.').replace(/^local:/, 'local.').replace(/^attr:/, '').replace(/^data:/, 'data.');
    if (this.inProgress.has(key)) return unknown(`${label} depends on itself`, label, loc, true);
    this.inProgress.add(key);
    try {
      const value = compute();
      this.localCache.set(key, value);
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /**
   * aws_security_group.lb.id and the like: an attribute written literally in the resource is
   * used (azurerm NSG names link rules to groups); computed ones are known only after apply.
   * `via` records the resource so adapters can link resources even through unknown values.
   */
  private resourceReference(address: string, chain: Step[], scope: Scope, label: string, loc: TfValue['loc']): TfValue {
    const decl: Declaration | undefined = this.config.resources.get(address);
    let steps = chain;
    if (steps[0]?.kind === 'index') steps = steps.slice(1); // an instance key: every instance shares the written config here
    const attrStep = steps[0];
    const via = { via: address };
    if (!decl || attrStep?.kind !== 'attr') {
      return { ...unknown(decl ? `${label} is known only after apply` : `${address} is not declared in this module`, label, loc), ...via };
    }
    const attribute = decl.block.body.attributes.find((a) => a.name === attrStep.name);
    if (!attribute) return { ...unknown(`${label} is known only after apply`, label, loc), ...via };
    const value = this.cached(
      `attr:${address}.${attrStep.name}`,
      () => this.evaluate(attribute.expr, { file: attribute.file ?? decl.file, bindings: new Map() }),
      loc,
    );
    const followed = steps.slice(1).reduce((v, step) => this.applyStep(v, step, scope, label, loc), value);
    return { ...followed, ...via };
  }

  private call(expr: Extract<Expr, { type: 'call' }>, scope: Scope, loc: TfValue['loc']): TfValue {
    const label = this.text(scope, expr.start, expr.end);
    if (LAZY_FUNCTIONS.has(expr.name)) {
      // try()/can() must see evaluation errors of their arguments rather than propagate them.
      if (expr.name === 'can') {
        const v = this.evaluate(expr.args[0] ?? expr, scope);
        const failed = firstUnknown(v);
        if (!failed) return bool(true, loc);
        return failed.error ? bool(false, loc) : unknown(failed.reason, label, loc);
      }
      let last: TfValue = unknown('try() has no argument that succeeds', label, loc, true);
      for (const arg of expr.args) {
        const v = this.evaluate(arg, scope);
        const failed = firstUnknown(v);
        if (!failed) return v;
        if (!failed.error) return v;
        last = v;
      }
      return last;
    }
    const args = expr.args.map((arg) => this.evaluate(arg, scope));
    if (expr.expandLast) {
      const last = args.pop();
      if (last?.kind === 'list') pushAll(args, last.items);
      else if (last) return unknown(last.kind === 'unknown' ? last.reason : 'the expanded argument is not a list', label, loc);
    }
    return callFunction(expr.name, args, { loc, label, readText: (p) => this.readText(p), moduleDir: this.config.dir });
  }

  private forExpression(expr: Extract<Expr, { type: 'for' }>, scope: Scope, loc: TfValue['loc']): TfValue {
    const collection = this.evaluate(expr.collection, scope);
    const label = this.text(scope, expr.start, expr.end);
    if (collection.kind === 'unknown') return unknown(collection.reason, label, loc);
    let pairs: [TfValue, TfValue][];
    if (collection.kind === 'list') pairs = collection.items.map((item, i) => [num(i, item.loc), item]);
    else if (collection.kind === 'object') pairs = [...collection.entries].map(([k, v]) => [str(k, v.loc), v]);
    else if (collection.kind === 'null') return unknown('cannot iterate over null', label, loc, true);
    else return unknown(`cannot iterate over a ${collection.kind}`, label, loc, true);
    if (pairs.length > MAX_COLLECTION) return unknown('the collection is too large to evaluate', label, loc);
    const items: TfValue[] = [];
    const entries = new Map<string, TfValue>();
    for (const [key, value] of pairs) {
      const bindings = new Map(scope.bindings);
      if (expr.keyVar) bindings.set(expr.keyVar, key);
      bindings.set(expr.valueVar, value);
      const inner: Scope = { file: scope.file, bindings };
      if (expr.condition) {
        const keep = this.evaluate(expr.condition, inner);
        if (keep.kind === 'unknown') return unknown(keep.reason, label, loc);
        if (keep.kind !== 'bool') return unknown('the for condition is not a boolean', label, loc, true);
        if (!keep.value) continue;
      }
      const v = this.evaluate(expr.valueExpr, inner);
      if (expr.keyExpr) {
        const k = this.evaluate(expr.keyExpr, inner);
        const name = asString(k);
        if (name === undefined) return unknown(k.kind === 'unknown' ? k.reason : 'a for key is not a string', label, loc);
        if (expr.grouping) {
          const group = entries.get(name);
          if (group?.kind === 'list') group.items.push(v);
          else entries.set(name, list([v], v.loc));
        } else {
          entries.set(name, v);
        }
      } else {
        items.push(v);
      }
    }
    return expr.keyExpr ? object(entries, loc) : list(items, loc);
  }

  private binary(expr: Extract<Expr, { type: 'binary' }>, scope: Scope, loc: TfValue['loc']): TfValue {
    const op = expr.operator;
    const label = this.text(scope, expr.start, expr.end);
    const left = this.evaluate(expr.left, scope);
    if (op === '&&' || op === '||') {
      if (left.kind === 'bool' && (op === '&&' ? !left.value : left.value)) return bool(left.value, loc);
      const right = this.evaluate(expr.right, scope);
      if (left.kind === 'unknown') return right.kind === 'bool' && (op === '&&' ? !right.value : right.value) ? bool(right.value, loc) : { ...left, loc, label };
      if (right.kind === 'unknown') return { ...right, loc, label };
      if (left.kind === 'bool' && right.kind === 'bool') return bool(right.value, loc);
      return unknown(`invalid operands for ${op}`, label, loc, true);
    }
    const right = this.evaluate(expr.right, scope);
    return applyOperator(op, left, right, label, loc);
  }

  /** Evaluates a block body's attribute by name, or undefined when it is not written. */
  attributeValue(body: { attributes: Attribute[] }, name: string, scope: Scope): TfValue | undefined {
    const a = body.attributes.find((x) => x.name === name);
    return a ? this.evaluate(a.expr, scopeOf(a, scope)) : undefined;
  }
}


