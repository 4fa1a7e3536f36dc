/**
 * The text/template evaluator. Output is a list of segments, each remembering the template
 * token that wrote it (text is mapped character by character, an action's output to the
 * action), and for actions the values-file entries that were read while evaluating it.
 */
import { TemplateError, type ArgNode, type Command, type Node, type Pipe, type Tree } from './parse.js';
import { GoStruct, ORIGINS, printAction, sortedKeys, truth, typeName, type Origin } from './values.js';
import { pushAll } from '../../../core/arrays.js';

export interface Touch {
  origin: Origin;
  value: unknown;
}

export interface Segment {
  text: string;
  file: string;
  /** 0-based offsets of the template token in its file. */
  srcStart: number;
  srcEnd: number;
  /** Text copied from the template (maps character by character) or the output of an action. */
  kind: 'text' | 'value';
  touches?: Touch[];
}

/** A function of the template's FuncMap. `call` gives access to the engine (include, tpl). */
export type TemplateFunction = (args: unknown[], call: CallInfo) => unknown;

export interface CallInfo {
  engine: Engine;
  state: State;
  name: string;
  pos: number;
}

/** An `if`/`with` written directly in a template, with the values its condition read. */
export interface Decision {
  file: string;
  pos: number;
  end: number;
  taken: boolean;
  touches: Touch[];
  /** How many segments had been written when it was decided (placed in the output afterwards). */
  segmentIndex: number;
}

interface State {
  tree: Tree;
  vars: { name: string; value: unknown }[];
  out: Segment[] | null;
  depth: number;
}

const NONE = Symbol('none');
class BreakSignal {}
class ContinueSignal {}

const MAX_INCLUDE_DEPTH = 1000;
/** A bound on total work, so that a hostile chart cannot spin forever (range over a huge int). */
const MAX_STEPS = 50_000_000;

export class Engine {
  readonly trees = new Map<string, Tree>();
  private touchStack: Touch[][] = [];
  steps = 0;
  /** Decisions of the template being rendered (only those that write to its output). */
  decisions: Decision[] = [];
  constructor(readonly funcs: Record<string, TemplateFunction>) {}

  addTrees(trees: Map<string, Tree>): void {
    for (const [name, tree] of trees) {
      const existing = this.trees.get(name);
      if (existing && tree.root.every((n) => n.type === 'text' && n.text.trim() === '') && tree.name !== tree.file) continue;
      this.trees.set(name, tree);
    }
  }

  /** Executes a named template; `out` collects segments (null: only the string is wanted). */
  execute(name: string, data: unknown, out: Segment[] | null, depth = 0, from?: { state: State; pos: number }): string {
    const tree = this.trees.get(name);
    if (!tree) {
      const where = from ? from.state.tree : undefined;
      throw new TemplateError(`template: ${where?.name ?? name}: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(where?.name ?? name)}`, where?.file ?? name, from?.pos ?? 0, 'exec');
    }
    if (depth > MAX_INCLUDE_DEPTH) throw new TemplateError(`rendering template has a nested reference name: ${name}: unable to execute template`, tree.file, from?.pos ?? 0, 'exec');
    const segments: Segment[] = out ?? [];
    const state: State = { tree, vars: [{ name: '$', value: data }], out: segments, depth };
    this.walkList(state, data, tree.root);
    return segments.map((s) => s.text).join('');
  }

  private error(state: State, pos: number, message: string, kind: TemplateError['kind'] = 'exec', end?: number): never {
    // Helm's form: executing "<template>" at <.Values.a.b>: nil pointer evaluating ...
    const at = end !== undefined && state.tree.source ? ` at <${state.tree.source.slice(pos, end)}>` : '';
    throw new TemplateError(kind === 'exec' ? `executing ${JSON.stringify(state.tree.name)}${at}: ${message}` : message, state.tree.file, pos, kind);
  }

  private step(state: State, pos: number): void {
    if (++this.steps > MAX_STEPS) this.error(state, pos, `the template does too much work (more than ${MAX_STEPS} steps)`);
  }

  private write(state: State, segment: Segment): void {
    if (segment.text.length > 0) state.out!.push(segment);
  }

  private walkList(state: State, dot: unknown, list: Node[]): void {
    for (const node of list) this.walk(state, dot, node);
  }

  private walk(state: State, dot: unknown, node: Node): void {
    this.step(state, node.pos);
    switch (node.type) {
      case 'text':
        this.write(state, { text: node.text, file: state.tree.file, srcStart: node.pos, srcEnd: node.end, kind: 'text' });
        return;
      case 'action': {
        const touches: Touch[] = [];
        this.touchStack.push(touches);
        let value: unknown;
        try {
          value = this.evalPipeline(state, dot, node.pipe);
        } finally {
          this.touchStack.pop();
          const parent = this.touchStack[this.touchStack.length - 1];
          if (parent) pushAll(parent, touches);
        }
        if (node.pipe.decl.length === 0) {
          this.write(state, { text: printAction(value), file: state.tree.file, srcStart: node.pos, srcEnd: node.end, kind: 'value', ...(touches.length ? { touches } : {}) });
        }
        return;
      }
      case 'if':
      case 'with': {
        const mark = state.vars.length;
        const touches: Touch[] = [];
        this.touchStack.push(touches);
        let value: unknown;
        try {
          value = this.evalPipeline(state, dot, node.pipe);
        } finally {
          this.touchStack.pop();
          const parent = this.touchStack[this.touchStack.length - 1];
          if (parent) pushAll(parent, touches);
        }
        if (state.out && this.touchStack.length === 0 && touches.length > 0 && touches.length <= 8) {
          this.decisions.push({ file: state.tree.file, pos: node.pos, end: node.end, taken: truth(value), touches, segmentIndex: state.out.length });
        }
        if (truth(value)) this.walkList(state, node.type === 'with' ? value : dot, node.list);
        else if (node.elseList) this.walkList(state, dot, node.elseList);
        state.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(state, dot, node);
        return;
      case 'template': {
        const value = node.pipe ? this.evalPipeline(state, dot, node.pipe) : null;
        const inner: Segment[] = [];
        const text = this.execute(node.name, value, inner, state.depth + 1, { state, pos: node.pos });
        if (text.includes('\n')) {
          // A block of text (a whole pod spec): it maps into the defining template.
          for (const s of inner) this.write(state, s);
        } else {
          // A scalar (`image: {{ template "x.image" . }}`): it maps to the call, as include does.
          const touches = inner.flatMap((s) => s.touches ?? []);
          this.write(state, { text, file: state.tree.file, srcStart: node.pos, srcEnd: node.end, kind: 'value', ...(touches.length ? { touches } : {}) });
        }
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(state: State, dot: unknown, node: Extract<Node, { type: 'if' | 'with' | 'range' }>): void {
    const mark = state.vars.length;
    // The range pipeline's declarations name the loop variables, not the pipeline's result.
    const pipe: Pipe = { ...node.pipe, decl: [] };
    const value = this.evalPipeline(state, dot, pipe);
    const decl = node.pipe.decl;
    const iterations: [unknown, unknown][] = [];
    if (Array.isArray(value)) value.forEach((v, i) => iterations.push([BigInt(i), v]));
    else if (value instanceof Map) for (const k of sortedKeys(value)) iterations.push([k, this.mapGet(value, k)]);
    else if (typeof value === 'bigint') {
      if (decl.length > 1) this.error(state, node.pos, `can't use ${value} to iterate over more than one variable`);
      for (let i = 0n; i < value; i++) {
        this.step(state, node.pos);
        iterations.push([i, i]);
      }
    } else if (value === null || value === undefined) {
      /* nil: the else branch */
    } else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof GoStruct) {
      this.error(state, node.pos, `range can't iterate over ${printAction(value)}`);
    }
    if (iterations.length === 0) {
      state.vars.length = mark;
      if (node.elseList) this.walkList(state, dot, node.elseList);
      return;
    }
    for (const [key, elem] of iterations) {
      const inner = state.vars.length;
      if (decl.length === 1) state.vars.push({ name: decl[0]!, value: elem });
      else if (decl.length === 2) {
        state.vars.push({ name: decl[0]!, value: key });
        state.vars.push({ name: decl[1]!, value: elem });
      }
      try {
        this.walkList(state, elem, node.list);
      } catch (signal) {
        if (signal instanceof BreakSignal) {
          state.vars.length = inner;
          break;
        }
        if (!(signal instanceof ContinueSignal)) throw signal;
      }
      state.vars.length = inner;
    }
    state.vars.length = mark;
  }

  evalPipeline(state: State, dot: unknown, pipe: Pipe): unknown {
    let value: unknown = NONE;
    for (const cmd of pipe.cmds) value = this.evalCommand(state, dot, cmd, value);
    if (value === NONE) value = null;
    for (const name of pipe.decl) {
      if (pipe.isAssign) {
        const v = [...state.vars].reverse().find((x) => x.name === name);
        if (!v) this.error(state, pipe.pos, `undefined variable: ${name}`);
        v!.value = value;
      } else state.vars.push({ name, value });
    }
    return value;
  }

  private evalCommand(state: State, dot: unknown, cmd: Command, final: unknown): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(state, dot, dot, first, first.idents, cmd.args, final);
      case 'chain': {
        if (first.idents.length === 0) return this.evalArg(state, dot, first.node);
        const receiver = this.evalArg(state, dot, first.node);
        return this.evalFieldChain(state, dot, receiver, first, first.idents, cmd.args, final);
      }
      case 'variable': {
        const value = this.lookupVar(state, first.name, first.pos);
        if (first.idents.length === 0) {
          if (cmd.args.length > 1 || final !== NONE) this.error(state, first.pos, `can't give argument to non-function ${first.name}`);
          return value;
        }
        return this.evalFieldChain(state, dot, value, first, first.idents, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(state, dot, first.name, first.pos, cmd.args.slice(1), final);
      case 'pipe': {
        if (cmd.args.length > 1 || final !== NONE) this.error(state, first.pos, `can't give argument to non-function ${describeNode(first)}`);
        return this.evalPipeline(state, dot, first.pipe);
      }
      default:
        if (cmd.args.length > 1 || final !== NONE) this.error(state, first.pos, `can't give argument to non-function ${describeNode(first)}`);
        return this.evalArg(state, dot, first);
    }
  }

  private lookupVar(state: State, name: string, pos: number): unknown {
    for (let i = state.vars.length - 1; i >= 0; i--) if (state.vars[i]!.name === name) return state.vars[i]!.value;
    this.error(state, pos, `undefined variable: ${name}`);
  }

  evalArg(state: State, dot: unknown, node: ArgNode): unknown {
    switch (node.type) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
        return node.value;
      case 'number':
        return node.value;
      case 'string':
        return node.value;
      case 'field':
        return this.evalFieldChain(state, dot, dot, node, node.idents, [node], NONE);
      case 'variable': {
        const value = this.lookupVar(state, node.name, node.pos);
        return node.idents.length ? this.evalFieldChain(state, dot, value, node, node.idents, [node], NONE) : value;
      }
      case 'chain': {
        const receiver = this.evalArg(state, dot, node.node);
        return this.evalFieldChain(state, dot, receiver, node, node.idents, [node], NONE);
      }
      case 'pipe':
        return this.evalPipeline(state, dot, node.pipe);
      case 'identifier':
        return this.evalFunction(state, dot, node.name, node.pos, [], NONE);
    }
  }

  private evalFieldChain(state: State, dot: unknown, receiver: unknown, node: ArgNode, idents: string[], args: ArgNode[], final: unknown): unknown {
    let value = receiver;
    for (let i = 0; i < idents.length; i++) {
      const last = i === idents.length - 1;
      value = this.evalField(state, dot, idents[i]!, node, value, last ? args : [node], last ? final : NONE);
    }
    return value;
  }

  mapGet(map: Map<string, unknown>, key: string): unknown {
    const value = map.has(key) ? map.get(key) : null;
    const origin = ORIGINS.get(map)?.get(key);
    if (origin) this.touchStack[this.touchStack.length - 1]?.push({ origin, value });
    return value === undefined ? null : value;
  }

  private evalField(state: State, dot: unknown, name: string, node: ArgNode, receiver: unknown, args: ArgNode[], final: unknown): unknown {
    const hasArgs = args.length > 1 || final !== NONE;
    if (receiver instanceof GoStruct) {
      const method = receiver.methods[name];
      if (method) {
        const values = args.slice(1).map((a) => this.evalArg(state, dot, a));
        if (final !== NONE) values.push(final);
        try {
          return method(...values);
        } catch (error) {
          if (error instanceof TemplateError) throw error;
          this.error(state, node.pos, `error calling ${name}: ${(error as Error).message}`);
        }
      }
      if (name in receiver.fields) {
        if (hasArgs) this.error(state, node.pos, `${name} has arguments but cannot be invoked as function`);
        return receiver.fields[name] ?? null;
      }
      this.error(state, node.pos, `can't evaluate field ${name} in type ${receiver.typeName}`);
    }
    if (receiver instanceof Map) {
      if (hasArgs) this.error(state, node.pos, `${name} is not a method but has arguments`);
      return this.mapGet(receiver, name);
    }
    if (receiver === null || receiver === undefined) this.error(state, node.pos, `nil pointer evaluating interface {}.${name}`, 'exec', node.end);
    this.error(state, node.pos, `can't evaluate field ${name} in type ${typeName(receiver)}`, 'exec', node.end);
  }

  private evalFunction(state: State, dot: unknown, name: string, pos: number, argNodes: ArgNode[], final: unknown): unknown {
    if (name === 'and' || name === 'or') {
      // Go 1.18+: evaluation stops at the first argument that decides the result.
      const all = argNodes.map((a) => () => this.evalArg(state, dot, a));
      if (final !== NONE) all.push(() => final);
      if (all.length === 0) this.error(state, pos, `wrong number of args for ${name}: want at least 1 got 0`);
      let v: unknown = null;
      for (const get of all) {
        v = get();
        if (name === 'and' ? !truth(v) : truth(v)) return v;
      }
      return v;
    }
    const fn = this.funcs[name];
    if (!fn) this.error(state, pos, `function "${name}" not defined`, 'unsupported');
    const args = argNodes.map((a) => this.evalArg(state, dot, a));
    if (final !== NONE) args.push(final);
    try {
      return fn!(args, { engine: this, state, name, pos });
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      this.error(state, pos, `error calling ${name}: ${(error as Error).message}`);
    }
  }
}

function describeNode(node: ArgNode): string {
  switch (node.type) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'bool':
      return String(node.value);
    case 'nil':
      return 'nil';
    case 'dot':
      return '.';
    default:
      return node.type;
  }
}
