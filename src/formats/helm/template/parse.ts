/**
 * Go text/template, lexer and parser, with positions: every node keeps the 0-based offsets of its
 * source text in the template, so rendered output can be mapped back to the token that made it.
 * Follows Go's text/template/parse (trim markers, comments, `else if`/`else with`, `break`,
 * `continue`, `define`/`block`), and its error texts where Helm users know them.
 */

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly template: string,
    readonly offset: number,
    readonly kind: 'parse' | 'exec' | 'unsupported' | 'required' | 'fail' = 'parse',
  ) {
    super(message);
  }
}

export type ArgNode =
  | { type: 'field'; pos: number; end: number; idents: string[] }
  | { type: 'variable'; pos: number; end: number; name: string; idents: string[] }
  | { type: 'chain'; pos: number; end: number; node: ArgNode; idents: string[] }
  | { type: 'identifier'; pos: number; end: number; name: string }
  | { type: 'dot'; pos: number; end: number }
  | { type: 'nil'; pos: number; end: number }
  | { type: 'bool'; pos: number; end: number; value: boolean }
  | { type: 'number'; pos: number; end: number; text: string; value: bigint | number; isInt: boolean }
  | { type: 'string'; pos: number; end: number; value: string }
  | { type: 'pipe'; pos: number; end: number; pipe: Pipe };

export interface Command {
  pos: number;
  end: number;
  args: ArgNode[];
}

export interface Pipe {
  pos: number;
  end: number;
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export type Node =
  | { type: 'text'; pos: number; end: number; text: string }
  | { type: 'action'; pos: number; end: number; pipe: Pipe }
  | { type: 'if' | 'with' | 'range'; pos: number; end: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { type: 'template'; pos: number; end: number; name: string; pipe?: Pipe }
  | { type: 'break' | 'continue'; pos: number; end: number };

export interface Tree {
  name: string;
  /** The template file this tree came from (for locations). */
  file: string;
  root: Node[];
  /** The text the offsets refer to (for error messages). */
  source?: string;
}

// ---------------------------------------------------------------- lexer

type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'comment'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'number'
  | 'string'
  | 'rawString'
  | 'char'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

interface Item {
  type: ItemType;
  pos: number;
  text: string;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
const UNICODE_ALNUM = /[\p{L}\p{Nd}]/u;
function isAlnum(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return UNICODE_ALNUM.test(c);
}

/** Tokenizes the whole template; text between actions has its trim markers applied. */
function lex(name: string, input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let parenDepth = 0;
  const fail = (message: string, at: number): never => {
    throw new TemplateError(`template: ${name}: ${message}`, name, at);
  };
  while (pos <= input.length) {
    // Text up to the next left delimiter.
    let next = input.indexOf('{{', pos);
    if (next === -1) {
      if (pos < input.length) items.push({ type: 'text', pos, text: input.slice(pos) });
      break;
    }
    let textEnd = next;
    const trimLeft = input[next + 2] === '-' && isSpace(input[next + 3] ?? '');
    if (trimLeft) while (textEnd > pos && isSpace(input[textEnd - 1]!)) textEnd--;
    if (textEnd > pos) items.push({ type: 'text', pos, text: input.slice(pos, textEnd) });
    pos = next + 2 + (trimLeft ? 2 : 0);
    // Comment.
    if (input.startsWith('/*', pos)) {
      const close = input.indexOf('*/', pos + 2);
      if (close === -1) fail('unclosed comment', pos);
      let after = close + 2;
      let trimRight = false;
      if (input.startsWith(' -}}', after) || input.startsWith('\t-}}', after) || input.startsWith('\n-}}', after) || input.startsWith('\r-}}', after)) {
        trimRight = true;
        after += 4;
      } else if (input.startsWith('}}', after)) after += 2;
      else fail('comment ends before closing delimiter', close);
      items.push({ type: 'comment', pos: next, text: input.slice(next, after) });
      pos = after;
      if (trimRight) while (pos < input.length && isSpace(input[pos]!)) pos++;
      continue;
    }
    items.push({ type: 'leftDelim', pos: next, text: '{{' });
    parenDepth = 0;
    // Inside the action.
    for (;;) {
      const c = input[pos];
      if (c === undefined) fail('unclosed action', next);
      // Right delimiter, possibly trimmed.
      if (isSpace(c!) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) {
        // Space before " -}}" is part of the marker.
        items.push({ type: 'rightDelim', pos, text: input.slice(pos, pos + 4) });
        pos += 4;
        while (pos < input.length && isSpace(input[pos]!)) pos++;
        break;
      }
      if (input.startsWith('}}', pos)) {
        if (parenDepth > 0) fail('unclosed left paren', pos);
        items.push({ type: 'rightDelim', pos, text: '}}' });
        pos += 2;
        break;
      }
      if (isSpace(c!)) {
        const start = pos;
        while (pos < input.length && isSpace(input[pos]!) && !(input[pos + 1] === '-' && input.startsWith('}}', pos + 2))) pos++;
        if (pos === start) continue;
        items.push({ type: 'space', pos: start, text: input.slice(start, pos) });
        continue;
      }
      if (c === '=') {
        items.push({ type: 'assign', pos, text: '=' });
        pos++;
        continue;
      }
      if (c === ':') {
        if (input[pos + 1] !== '=') fail('expected :=', pos);
        items.push({ type: 'declare', pos, text: ':=' });
        pos += 2;
        continue;
      }
      if (c === '|') {
        items.push({ type: 'pipe', pos, text: '|' });
        pos++;
        continue;
      }
      if (c === ',') {
        items.push({ type: 'comma', pos, text: ',' });
        pos++;
        continue;
      }
      if (c === '(') {
        parenDepth++;
        items.push({ type: 'leftParen', pos, text: '(' });
        pos++;
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) fail(`unexpected right paren`, pos);
        items.push({ type: 'rightParen', pos, text: ')' });
        pos++;
        continue;
      }
      if (c === '"') {
        const start = pos;
        pos++;
        while (pos < input.length && input[pos] !== '"') {
          if (input[pos] === '\\') pos++;
          if (input[pos] === '\n') fail('unterminated quoted string', start);
          pos++;
        }
        if (pos >= input.length) fail('unterminated quoted string', start);
        pos++;
        items.push({ type: 'string', pos: start, text: input.slice(start, pos) });
        continue;
      }
      if (c === '`') {
        const close = input.indexOf('`', pos + 1);
        if (close === -1) fail('unterminated raw quoted string', pos);
        items.push({ type: 'rawString', pos, text: input.slice(pos, close + 1) });
        pos = close + 1;
        continue;
      }
      if (c === "'") {
        const start = pos;
        pos++;
        while (pos < input.length && input[pos] !== "'") {
          if (input[pos] === '\\') pos++;
          pos++;
        }
        pos++;
        items.push({ type: 'char', pos: start, text: input.slice(start, pos) });
        continue;
      }
      if (c === '$') {
        const start = pos;
        pos++;
        while (pos < input.length && isAlnum(input[pos]!)) pos++;
        items.push({ type: 'variable', pos: start, text: input.slice(start, pos) });
        continue;
      }
      if (c === '.') {
        // A field (.Name) or the dot; a number like .5 is rare in charts.
        if (pos + 1 < input.length && isAlnum(input[pos + 1]!) && !/[0-9]/.test(input[pos + 1]!)) {
          const start = pos;
          pos++;
          while (pos < input.length && isAlnum(input[pos]!)) pos++;
          items.push({ type: 'field', pos: start, text: input.slice(start, pos) });
          continue;
        }
        if (!/[0-9]/.test(input[pos + 1] ?? '')) {
          items.push({ type: 'dot', pos, text: '.' });
          pos++;
          continue;
        }
      }
      if (/[0-9+\-.]/.test(c!)) {
        const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oObB][0-7_]+|(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9]+)?)i?/.exec(input.slice(pos, pos + 64));
        if (!m || m[0] === '' || m[0] === '+' || m[0] === '-') fail(`unexpected "${c}" in command`, pos);
        if (isAlnum(input[pos + m![0].length] ?? '')) fail(`bad number syntax: "${input.slice(pos, pos + m![0].length + 1)}"`, pos);
        items.push({ type: 'number', pos, text: m![0] });
        pos += m![0].length;
        continue;
      }
      if (isAlnum(c!)) {
        const start = pos;
        while (pos < input.length && isAlnum(input[pos]!)) pos++;
        const word = input.slice(start, pos);
        const type: ItemType = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
        items.push({ type, pos: start, text: word });
        // A field chain on an identifier or keyword result is not Go syntax; fields after ')' are handled by the parser.
        continue;
      }
      fail(`unrecognized character in action: ${JSON.stringify(c)}`, pos);
    }
  }
  items.push({ type: 'eof', pos: input.length, text: '' });
  return items;
}

// ---------------------------------------------------------------- parser

function unquote(text: string, name: string, pos: number): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    // Go escapes are a superset of JSON's for practical purposes; handle \x, \a, \v, \', octal.
    const body = text.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = body[++i]!;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case "'": out += "'"; break;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
        case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
        case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
        default:
          if (/[0-7]/.test(e)) {
            out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
            i += 2;
          } else throw new Error(`unknown escape sequence`);
      }
    }
    return out;
  } catch (error) {
    throw new TemplateError(`template: ${name}: ${(error as Error).message}`, name, pos);
  }
}

function parseNumber(text: string, name: string, pos: number): { value: bigint | number; isInt: boolean } {
  const clean = text.replace(/_/g, '');
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(clean) || /^[+-]?0[oO][0-7]+$/.test(clean) || /^[+-]?0[bB][01]+$/.test(clean)) {
    const negative = clean.startsWith('-');
    const body = clean.replace(/^[+-]/, '').replace(/^0[oO]/, '0o');
    const v = BigInt(body);
    return { value: negative ? -v : v, isInt: true };
  }
  if (/^[+-]?0[0-7]+$/.test(clean)) {
    const negative = clean.startsWith('-');
    const v = BigInt(`0o${clean.replace(/^[+-]?0/, '')}`);
    return { value: negative ? -v : v, isInt: true };
  }
  if (/^[+-]?[0-9]+$/.test(clean)) return { value: BigInt(clean), isInt: true };
  const f = Number(clean);
  if (Number.isNaN(f)) throw new TemplateError(`template: ${name}: illegal number syntax: "${text}"`, name, pos);
  // Go: a float constant with an integral value is also an int (`{{ 7.0 }}` prints 7 either way).
  return { value: f, isInt: false };
}

class Parser {
  private i = 0;
  private vars: string[][] = [['$']];
  readonly trees = new Map<string, Tree>();
  constructor(
    private readonly name: string,
    private readonly file: string,
    private readonly items: Item[],
  ) {}

  private fail(message: string, at: number): never {
    throw new TemplateError(`template: ${this.name}: ${message}`, this.name, at);
  }

  private peek(): Item {
    return this.items[this.i]!;
  }
  private next(): Item {
    return this.items[this.i++]!;
  }
  /** Next non-space item. */
  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === 'space') item = this.next();
    return item;
  }
  private peekNonSpace(): Item {
    const save = this.i;
    const item = this.nextNonSpace();
    this.i = save;
    return item;
  }

  parse(): Node[] {
    const root: Node[] = [];
    for (;;) {
      const item = this.peek();
      if (item.type === 'eof') break;
      if (item.type === 'leftDelim') {
        const save = this.i;
        this.next();
        const kw = this.peekNonSpace();
        if (kw.type === 'keyword' && kw.text === 'define') {
          this.nextNonSpace();
          this.parseDefine(item.pos);
          continue;
        }
        this.i = save;
      }
      const node = this.textOrAction();
      if (node) {
        if ('end' in node && (node as { kind?: string }).kind) this.fail(`unexpected ${(node as { kind?: string }).kind}`, node.pos);
        root.push(node as Node);
      }
    }
    return root;
  }

  private parseDefine(pos: number): void {
    const nameItem = this.nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') this.fail('name of template in define clause must be a string', nameItem.pos);
    const name = unquote(nameItem.text, this.name, nameItem.pos);
    const close = this.nextNonSpace();
    if (close.type !== 'rightDelim') this.fail(`unexpected "${close.text}" in define clause`, close.pos);
    const savedVars = this.vars;
    this.vars = [['$']];
    const { list, end } = this.itemList(['end'], { pos, what: 'define' });
    this.vars = savedVars;
    if (end.kind !== 'end') this.fail(`unexpected ${end.kind} in define`, end.pos);
    this.addTree(name, list, pos);
  }

  private addTree(name: string, list: Node[], _pos: number): void {
    // Go: a later definition replaces an earlier one unless the new one is empty.
    const existing = this.trees.get(name);
    if (existing && isEmptyList(list)) return;
    this.trees.set(name, { name, file: this.file, root: list });
  }

  /** Nodes until one of the terminating keywords (`end`, `else`): returns which ended the list. */
  private itemList(terminators: string[], open?: { pos: number; what: string }): { list: Node[]; end: { kind: string; pos: number; endPos: number } } {
    const list: Node[] = [];
    for (;;) {
      const item = this.peek();
      if (item.type === 'eof') {
        // Point at the unclosed action rather than at the end of the file.
        if (open) this.fail(`unexpected EOF: {{${open.what}}} is never closed by {{end}}`, open.pos);
        this.fail(`unexpected EOF`, item.pos);
      }
      const node = this.textOrAction();
      if (!node) continue;
      const k = (node as { kind?: string }).kind;
      if (k) {
        if (!terminators.includes(k === 'elseIf' || k === 'elseWith' ? 'else' : k)) this.fail(`unexpected {{${k}}}`, node.pos);
        return { list, end: node as unknown as { kind: string; pos: number; endPos: number } };
      }
      list.push(node as Node);
    }
  }

  /** One text node, action, control structure; or a terminator marker {kind}. */
  private textOrAction(): Node | { kind: string; pos: number; endPos: number; pipeStart?: number } | undefined {
    const item = this.next();
    if (item.type === 'text') return { type: 'text', pos: item.pos, end: item.pos + item.text.length, text: item.text };
    if (item.type === 'comment') return undefined;
    if (item.type !== 'leftDelim') this.fail(`unexpected ${item.text}`, item.pos);
    const start = item.pos;
    const kw = this.peekNonSpace();
    if (kw.type === 'keyword') {
      this.nextNonSpace();
      switch (kw.text) {
        case 'end':
          return { kind: 'end', pos: start, endPos: this.expectRight('end') };
        case 'else': {
          const following = this.peekNonSpace();
          if (following.type === 'keyword' && (following.text === 'if' || following.text === 'with')) {
            // `{{else if x}}` is `{{else}}{{if x}}...{{end}}}`: the caller parses the if.
            return { kind: following.text === 'if' ? 'elseIf' : 'elseWith', pos: start, endPos: following.pos };
          }
          return { kind: 'else', pos: start, endPos: this.expectRight('else') };
        }
        case 'if':
        case 'with':
        case 'range':
          return this.control(kw.text, start);
        case 'template':
        case 'block':
          return this.templateControl(kw.text, start);
        case 'break':
        case 'continue':
          return { type: kw.text, pos: start, end: this.expectRight(kw.text) };
        case 'define':
          this.fail('unexpected define: define clauses are only allowed at the top level', kw.pos);
      }
    }
    const pipe = this.pipeline('command', true);
    return { type: 'action', pos: start, end: pipe.closeEnd, pipe: pipe.pipe };
  }

  private expectRight(context: string): number {
    const item = this.nextNonSpace();
    if (item.type !== 'rightDelim') this.fail(`unexpected "${item.text}" in ${context}`, item.pos);
    return item.pos + item.text.length;
  }

  private control(kind: string, start: number): Node {
    this.vars.push([...this.vars[this.vars.length - 1]!]);
    const { pipe, closeEnd } = this.pipeline(kind, kind === 'range');
    if (pipe.cmds.length === 0) this.fail(`missing value for ${kind}`, start);
    const { list, end } = this.itemList(['end', 'else'], { pos: start, what: kind });
    let elseList: Node[] | undefined;
    if (end.kind === 'elseIf' || end.kind === 'elseWith') {
      // Parse the chained `if`/`with` in place of the else branch; it consumes the shared {{end}}.
      this.nextNonSpace();
      const nested = this.control(end.kind === 'elseIf' ? 'if' : 'with', end.pos);
      elseList = [nested];
      this.vars.pop();
      return { type: kind as 'if', pos: start, end: nested.end, pipe, list, elseList };
    }
    let endPos = end.endPos;
    if (end.kind === 'else') {
      const tail = this.itemList(['end'], { pos: start, what: kind });
      if (tail.end.kind !== 'end') this.fail(`expected end; found ${tail.end.kind}`, tail.end.pos);
      elseList = tail.list;
      endPos = tail.end.endPos;
    }
    this.vars.pop();
    void closeEnd;
    return { type: kind as 'if', pos: start, end: endPos, pipe, list, ...(elseList ? { elseList } : {}) };
  }

  private templateControl(kind: string, start: number): Node {
    const nameItem = this.nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') this.fail(`unexpected "${nameItem.text}" in ${kind} clause`, nameItem.pos);
    const name = unquote(nameItem.text, this.name, nameItem.pos);
    let pipe: Pipe | undefined;
    let closeEnd: number;
    if (this.peekNonSpace().type === 'rightDelim') closeEnd = this.expectRight(kind);
    else {
      const parsed = this.pipeline(kind, false);
      pipe = parsed.pipe;
      closeEnd = parsed.closeEnd;
    }
    if (kind === 'block') {
      const savedVars = this.vars;
      this.vars = [['$']];
      const { list, end } = this.itemList(['end']);
      this.vars = savedVars;
      if (end.kind !== 'end') this.fail(`unexpected ${end.kind} in block`, end.pos);
      this.addTree(name, list, start);
      return { type: 'template', pos: start, end: end.endPos, name, ...(pipe ? { pipe } : {}) };
    }
    return { type: 'template', pos: start, end: closeEnd, name, ...(pipe ? { pipe } : {}) };
  }

  /** A pipeline up to the right delimiter (or the closing paren when `context` is 'paren'). */
  private pipeline(context: string, allowDecl: boolean): { pipe: Pipe; closeEnd: number } {
    const startItem = this.peekNonSpace();
    const pipe: Pipe = { pos: startItem.pos, end: startItem.pos, decl: [], isAssign: false, cmds: [] };
    // Declarations: `$x :=`, `$x =`, `$k, $v :=`.
    const save = this.i;
    const first = this.nextNonSpace();
    if (first.type === 'variable') {
      const after = this.nextNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        pipe.decl.push(first.text);
        pipe.isAssign = after.type === 'assign';
        if (after.type === 'declare') this.vars[this.vars.length - 1]!.push(first.text);
      } else if (after.type === 'comma' && context === 'range') {
        const second = this.nextNonSpace();
        const op = this.nextNonSpace();
        if (second.type !== 'variable' || (op.type !== 'declare' && op.type !== 'assign')) this.fail('range can only initialize variables', second.pos);
        pipe.decl.push(first.text, second.text);
        pipe.isAssign = op.type === 'assign';
        if (op.type === 'declare') this.vars[this.vars.length - 1]!.push(first.text, second.text);
      } else this.i = save;
    } else this.i = save;
    void allowDecl;
    for (;;) {
      const item = this.peekNonSpace();
      if (item.type === 'rightDelim' || (context === 'paren' && item.type === 'rightParen')) {
        this.nextNonSpace();
        if (pipe.cmds.length === 0 && context !== 'paren') this.fail(`missing value for ${context}`, item.pos);
        if (context === 'paren' && pipe.cmds.length === 0) this.fail('missing value for parenthesized pipeline', item.pos);
        return { pipe, closeEnd: item.pos + item.text.length };
      }
      if (item.type === 'eof') this.fail(`unclosed action`, item.pos);
      const cmd = this.command(context);
      pipe.cmds.push(cmd);
      pipe.end = cmd.end;
    }
  }

  private command(context: string): Command {
    const args: ArgNode[] = [];
    let pos = this.peekNonSpace().pos;
    let end = pos;
    for (;;) {
      const item = this.peek();
      if (item.type === 'space') {
        this.next();
        continue;
      }
      if (item.type === 'rightDelim' || item.type === 'rightParen') break;
      if (item.type === 'pipe') {
        this.next();
        if (args.length === 0) this.fail('missing command', item.pos);
        return { pos, end, args };
      }
      const operand = this.operand(context);
      if (!operand) this.fail(`unexpected "${item.text}" in operand`, item.pos);
      if (args.length === 0) pos = operand!.pos;
      args.push(operand!);
      end = operand!.end;
      // Go requires space between arguments.
      const after = this.peek();
      if (after.type !== 'space' && after.type !== 'rightDelim' && after.type !== 'rightParen' && after.type !== 'pipe') this.fail(`missing space?`, after.pos);
    }
    if (args.length === 0) this.fail('empty command', this.peek().pos);
    return { pos, end, args };
  }

  private operand(context: string): ArgNode | undefined {
    const term = this.term(context);
    if (!term) return undefined;
    // Field chain after a term: (x).a.b, $x.a is lexed as variable + fields.
    let node = term;
    const idents: string[] = [];
    let end = term.end;
    while (this.peek().type === 'field') {
      const f = this.next();
      idents.push(f.text.slice(1));
      end = f.pos + f.text.length;
    }
    if (idents.length === 0) return node;
    switch (node.type) {
      case 'field':
        return { ...node, idents: [...node.idents, ...idents], end };
      case 'variable':
        return { ...node, idents: [...node.idents, ...idents], end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term "${node.type}"`, node.end);
      // falls through
      default:
        node = { type: 'chain', pos: node.pos, end, node, idents };
        return node;
    }
  }

  private term(context: string): ArgNode | undefined {
    const item = this.next();
    const end = item.pos + item.text.length;
    switch (item.type) {
      case 'identifier':
        return { type: 'identifier', pos: item.pos, end, name: item.text };
      case 'dot':
        return { type: 'dot', pos: item.pos, end };
      case 'nil':
        return { type: 'nil', pos: item.pos, end };
      case 'variable': {
        if (!this.vars[this.vars.length - 1]!.includes(item.text)) this.fail(`undefined variable "${item.text}"`, item.pos);
        return { type: 'variable', pos: item.pos, end, name: item.text, idents: [] };
      }
      case 'field':
        return { type: 'field', pos: item.pos, end, idents: [item.text.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: item.pos, end, value: item.text === 'true' };
      case 'char': {
        const s = unquote(`"${item.text.slice(1, -1).replace(/"/g, '\\"')}"`, this.name, item.pos);
        return { type: 'number', pos: item.pos, end, text: item.text, value: BigInt(s.codePointAt(0) ?? 0), isInt: true };
      }
      case 'number': {
        const n = parseNumber(item.text, this.name, item.pos);
        return { type: 'number', pos: item.pos, end, text: item.text, ...n };
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: item.pos, end, value: unquote(item.text, this.name, item.pos) };
      case 'leftParen': {
        const { pipe, closeEnd } = this.pipeline('paren', false);
        void context;
        return { type: 'pipe', pos: item.pos, end: closeEnd, pipe };
      }
      default:
        this.i--;
        return undefined;
    }
  }
}

function isEmptyList(list: Node[]): boolean {
  return list.every((n) => n.type === 'text' && n.text.trim() === '');
}

/**
 * Parses one template file: returns its main tree (under `name`) and every `define`/`block`
 * it declares. Throws TemplateError with the offset of the problem.
 */
export function parseTemplate(name: string, text: string, file: string = name): Map<string, Tree> {
  const parser = new Parser(name, file, lex(name, text));
  const root = parser.parse();
  const trees = new Map<string, Tree>();
  trees.set(name, { name, file, root, source: text });
  for (const [k, v] of parser.trees) trees.set(k, { ...v, source: text });
  return trees;
}
