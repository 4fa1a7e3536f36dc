/**
 * Native HCL syntax -> the shared syntax tree (ast.ts). tree-sitter's grammar flattens
 * postfix operators (`.attr`, `[i]`, `.*`) into the parent node's children, so expression
 * terms are rebuilt here from child sequences.
 */
import { describeSnippet } from './tree-sitter.js';
import type { Attribute, Block, Body, Expr, ObjectItem, Step, TemplatePart } from './ast.js';
import { emptyBody } from './ast.js';
import type { CstNode } from './tree-sitter.js';

const MAX_NESTING = 200;

export class NestingError extends Error {
  constructor(readonly offset: number) {
    super(`nesting deeper than ${MAX_NESTING} levels`);
  }
}

/**
 * `map` turns an offset in `text` into an offset in the file (identity for .tf files;
 * for interpolations inside .tf.json strings it maps back through the JSON escapes).
 */
export class HclSyntaxBuilder {
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly map: (offset: number) => number = (o) => o,
  ) {}

  configFile(root: CstNode): Body | { objectRoot: CstNode } {
    const first = root.children[0];
    if (!first) return emptyBody(this.map(root.start), this.map(root.end));
    if (first.type === 'object') return { objectRoot: first };
    return this.body(first);
  }

  body(node: CstNode): Body {
    const body = emptyBody(this.map(node.start), this.map(node.end));
    for (const child of node.children) {
      if (child.type === 'attribute') body.attributes.push(this.attribute(child));
      else if (child.type === 'block') body.blocks.push(this.block(child));
    }
    body.attributes = exact(body.attributes);
    body.blocks = exact(body.blocks);
    return body;
  }

  private attribute(node: CstNode): Attribute {
    const name = node.children[0]!;
    const expression = node.children.find((c) => c.type === 'expression');
    return {
      name: this.text.slice(name.start, name.end),
      expr: expression ? this.expression(expression) : this.invalid(node, 'missing value'),
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  private block(node: CstNode): Block {
    this.enter(node);
    try {
      const labels: Block['labels'] = [];
      let headerEnd = node.children[0]!.end;
      let body: Body | undefined;
      for (const child of node.children.slice(1)) {
        if (child.type === 'string_lit' || child.type === 'identifier') {
          const quoted = child.type === 'string_lit';
          labels.push({
            value: this.text.slice(child.start + (quoted ? 1 : 0), child.end - (quoted ? 1 : 0)),
            start: this.map(child.start),
            end: this.map(child.end),
          });
          headerEnd = child.end;
        } else if (child.type === 'body') {
          body = this.body(child);
        }
      }
      return {
        type: this.text.slice(node.children[0]!.start, node.children[0]!.end),
        labels: exact(labels),
        headerEnd: this.map(headerEnd),
        body: body ?? emptyBody(this.map(node.end), this.map(node.end)),
        start: this.map(node.start),
        end: this.map(node.end),
      };
    } finally {
      this.depth--;
    }
  }

  expression(node: CstNode): Expr {
    this.enter(node);
    try {
      const children = node.children;
      if (children.length === 1 && children[0]!.type === 'conditional') return this.conditional(children[0]!);
      const [expr, next] = this.term(children, 0);
      if (next < children.length) return this.invalid(node, `unexpected ${describeSnippet(this.text.slice(children[next]!.start, children[next]!.end).trim())}`);
      return expr;
    } finally {
      this.depth--;
    }
  }

  private enter(node: CstNode): void {
    if (++this.depth > MAX_NESTING) {
      this.depth = 0;
      throw new NestingError(this.map(node.start));
    }
  }

  private span(start: number, end: number): { start: number; end: number } {
    return { start: this.map(start), end: this.map(end) };
  }

  private invalid(node: CstNode, reason: string): Expr {
    return { type: 'invalid', reason, start: this.map(node.start), end: this.map(node.end) };
  }

  private conditional(node: CstNode): Expr {
    const parts = node.children.filter((c) => c.type === 'expression');
    if (parts.length !== 3) return this.invalid(node, 'incomplete conditional');
    return {
      type: 'conditional',
      condition: this.expression(parts[0]!),
      whenTrue: this.expression(parts[1]!),
      whenFalse: this.expression(parts[2]!),
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  /** One primary term at `children[i]` followed by its postfix operators. */
  private term(children: CstNode[], i: number): [Expr, number] {
    const first = children[i];
    if (!first) return [{ type: 'invalid', reason: 'missing expression', start: 0, end: 0 }, i];
    let expr: Expr;
    const start = first.start;
    if (first.type === '(') {
      const inner = children[i + 1];
      const close = children[i + 2];
      expr = {
        type: 'parens',
        inner: inner?.type === 'expression' ? this.expression(inner) : this.invalid(first, 'empty parentheses'),
        start: this.map(start),
        end: this.map(close?.end ?? first.end),
      };
      i += 3;
    } else {
      expr = this.primary(first);
      i += 1;
    }
    for (; i < children.length; i++) {
      const postfix = children[i]!;
      if (postfix.type === 'get_attr' || postfix.type === 'index') {
        expr = { type: 'traverse', object: expr, step: this.step(postfix), start: this.map(start), end: this.map(postfix.end) };
      } else if (postfix.type === 'splat') {
        const inner = postfix.children[0];
        const steps = (inner?.children ?? []).filter((c) => c.type === 'get_attr' || c.type === 'index').map((c) => this.step(c));
        expr = { type: 'splat', object: expr, steps, start: this.map(start), end: this.map(postfix.end) };
      } else {
        break;
      }
    }
    return [expr, i];
  }

  private step(node: CstNode): Step {
    if (node.type === 'get_attr') {
      const id = node.children.find((c) => c.type === 'identifier');
      return { kind: 'attr', name: id ? this.text.slice(id.start, id.end) : '', start: this.map(node.start), end: this.map(node.end) };
    }
    const inner = node.children[0]!;
    if (inner.type === 'legacy_index') {
      const digits = this.text.slice(inner.start + 1, inner.end);
      return { kind: 'index', key: { type: 'literal', value: Number(digits), start: this.map(inner.start + 1), end: this.map(inner.end) }, start: this.map(node.start), end: this.map(node.end) };
    }
    const key = inner.children.find((c) => c.type === 'expression');
    return { kind: 'index', key: key ? this.expression(key) : this.invalid(inner, 'empty index'), start: this.map(node.start), end: this.map(node.end) };
  }

  private primary(node: CstNode): Expr {
    switch (node.type) {
      case 'literal_value':
        return this.literal(node.children[0] ?? node);
      case 'template_expr':
        return this.template(node.children[0] ?? node);
      case 'collection_value':
        return this.collection(node.children[0] ?? node);
      case 'variable_expr':
        return { type: 'name', name: this.text.slice(node.start, node.end), start: this.map(node.start), end: this.map(node.end) };
      case 'function_call':
        return this.call(node);
      case 'for_expr':
        return this.forExpression(node.children[0] ?? node);
      case 'operation':
        return this.operation(node.children[0] ?? node);
      case 'expression':
        return this.expression(node);
      default:
        return this.invalid(node, `unsupported syntax ${node.type}`);
    }
  }

  private literal(node: CstNode): Expr {
    const raw = this.text.slice(node.start, node.end);
    switch (node.type) {
      case 'numeric_lit':
        return { type: 'literal', value: Number(raw), start: this.map(node.start), end: this.map(node.end) };
      case 'bool_lit':
        return { type: 'literal', value: raw === 'true', start: this.map(node.start), end: this.map(node.end) };
      case 'null_lit':
        return { type: 'literal', value: null, start: this.map(node.start), end: this.map(node.end) };
      default:
        return this.template(node);
    }
  }

  /** string_lit, quoted_template or heredoc_template. */
  private template(node: CstNode): Expr {
    if (node.type === 'heredoc_template') return this.heredoc(node);
    const children = node.children;
    const open = children[0];
    const close = children[children.length - 1];
    const contentStart = open ? open.end : node.start;
    const contentEnd = close && close.type === 'quoted_template_end' ? close.start : node.end;
    const parts = this.templateParts(children, contentStart, contentEnd, unescapeQuoted);
    const plain = parts.length <= 1 && parts.every((p) => p.kind === 'text');
    const raw = this.text.slice(contentStart, contentEnd);
    return {
      type: 'template',
      parts,
      verbatimOffset: plain && !raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{') ? this.map(contentStart) : undefined,
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  private heredoc(node: CstNode): Expr {
    const children = node.children;
    const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
    const opener = identifiers[0];
    const closer = identifiers.length > 1 ? identifiers[identifiers.length - 1] : undefined;
    if (!opener || !closer) return this.invalid(node, 'unterminated heredoc');
    const indented = this.text.slice(children[0]!.start, children[0]!.end) === '<<-';
    let contentStart = opener.end;
    if (this.text[contentStart] === '\r') contentStart++;
    if (this.text[contentStart] === '\n') contentStart++;
    let contentEnd = closer.start;
    while (contentEnd > contentStart && (this.text[contentEnd - 1] === ' ' || this.text[contentEnd - 1] === '\t')) contentEnd--;
    const inner = children.filter((c) => c !== opener && c !== closer && c.type !== 'heredoc_start');
    const strip = indented ? commonIndent(this.text.slice(contentStart, contentEnd)) : 0;
    const parts = this.templateParts(inner, contentStart, contentEnd, (raw, atLineStart) =>
      unescapeHeredoc(strip > 0 ? stripIndent(raw, strip, atLineStart) : raw),
    );
    const plain = parts.every((p) => p.kind === 'text');
    const raw = this.text.slice(contentStart, contentEnd);
    return {
      type: 'template',
      parts,
      verbatimOffset: plain && strip === 0 && !raw.includes('$${') && !raw.includes('%%{') ? this.map(contentStart) : undefined,
      jsonRange: plain ? this.span(contentStart, contentEnd) : undefined,
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  /**
   * Literal text is taken from the source between interpolations (tree-sitter's literal
   * chunks drop whitespace in heredocs), then unescaped.
   */
  private templateParts(
    children: CstNode[],
    contentStart: number,
    contentEnd: number,
    decode: (raw: string, atLineStart: boolean) => string,
  ): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let cursor = contentStart;
    const pushText = (until: number): void => {
      if (until > cursor) {
        const atLineStart = cursor === contentStart || this.text[cursor - 1] === '\n';
        parts.push({ kind: 'text', text: decode(this.text.slice(cursor, until), atLineStart), start: this.map(cursor), end: this.map(until) });
      }
    };
    for (const child of children) {
      if (child.type === 'template_interpolation') {
        pushText(child.start);
        const expression = child.children.find((c) => c.type === 'expression');
        parts.push({ kind: 'interpolation', expr: expression ? this.expression(expression) : this.invalid(child, 'empty interpolation') });
        cursor = child.end;
      } else if (child.type === 'template_directive') {
        pushText(child.start);
        parts.push({ kind: 'directive', start: this.map(child.start), end: this.map(child.end) });
        cursor = child.end;
      }
    }
    pushText(contentEnd);
    return exact(parts);
  }

  private collection(node: CstNode): Expr {
    if (node.type === 'tuple') {
      const items = node.children.filter((c) => c.type === 'expression').map((c) => this.expression(c));
      return { type: 'tuple', items, start: this.map(node.start), end: this.map(node.end) };
    }
    const items: ObjectItem[] = [];
    for (const element of node.children) {
      if (element.type !== 'object_elem') continue;
      const [keyNode, valueNode] = element.children.filter((c) => c.type === 'expression');
      if (!keyNode || !valueNode) continue;
      const keyExpr = this.expression(keyNode);
      const keyName =
        keyExpr.type === 'name'
          ? keyExpr.name
          : keyExpr.type === 'template' && keyExpr.parts.every((p) => p.kind === 'text')
            ? keyExpr.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('')
            : undefined;
      const value = this.expression(valueNode);
      items.push(keyName !== undefined ? { keyName, keyExpr, value } : { keyExpr, value });
    }
    return { type: 'object', items: exact(items), start: this.map(node.start), end: this.map(node.end) };
  }

  private call(node: CstNode): Expr {
    const name = node.children[0]!;
    const args = node.children.find((c) => c.type === 'function_arguments');
    return {
      type: 'call',
      name: this.text.slice(name.start, name.end),
      args: (args?.children ?? []).filter((c) => c.type === 'expression').map((c) => this.expression(c)),
      expandLast: (args?.children ?? []).some((c) => c.type === 'ellipsis'),
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  private forExpression(node: CstNode): Expr {
    const intro = node.children.find((c) => c.type === 'for_intro');
    if (!intro) return this.invalid(node, 'incomplete for expression');
    const names = intro.children.filter((c) => c.type === 'identifier').map((c) => this.text.slice(c.start, c.end));
    const collection = intro.children.find((c) => c.type === 'expression');
    const bodies = node.children.filter((c) => c.type === 'expression').map((c) => this.expression(c));
    const cond = node.children.find((c) => c.type === 'for_cond')?.children.find((c) => c.type === 'expression');
    const isObject = node.type === 'for_object_expr';
    const valueVar = names.length > 1 ? names[1]! : names[0] ?? '_';
    return {
      type: 'for',
      ...(names.length > 1 ? { keyVar: names[0]! } : {}),
      valueVar,
      collection: collection ? this.expression(collection) : this.invalid(intro, 'missing collection'),
      ...(isObject ? { keyExpr: bodies[0]! } : {}),
      valueExpr: (isObject ? bodies[1] : bodies[0]) ?? this.invalid(node, 'missing value'),
      ...(cond ? { condition: this.expression(cond) } : {}),
      grouping: node.children.some((c) => c.type === 'ellipsis'),
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }

  private operation(node: CstNode): Expr {
    // Chains such as a + b + c nest one operation per operator: bounded like any nesting.
    this.enter(node);
    try {
      return this.operationInner(node);
    } finally {
      this.depth--;
    }
  }

  private operationInner(node: CstNode): Expr {
    const children = node.children;
    if (node.type === 'unary_operation') {
      const op = children[0]!;
      const [operand] = this.term(children, 1);
      return { type: 'unary', operator: this.text.slice(op.start, op.end), operand, start: this.map(node.start), end: this.map(node.end) };
    }
    const [left, next] = this.term(children, 0);
    const op = children[next];
    const [right] = this.term(children, next + 1);
    return {
      type: 'binary',
      operator: op ? this.text.slice(op.start, op.end) : '?',
      left,
      right,
      start: this.map(node.start),
      end: this.map(node.end),
    };
  }
}

/** HCL quoted-string escapes (\n, \", \uXXXX...) and the template escapes $${ and %%{. */
function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{/gs, (match, u4, u8, ch) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (u4) return String.fromCharCode(parseInt(u4, 16));
    if (u8) return String.fromCodePoint(Math.min(parseInt(u8, 16), 0x10ffff));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    return simple[ch as string] ?? match;
  });
}

function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function commonIndent(text: string): number {
  let min = Infinity;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent < min) min = indent;
  }
  return min === Infinity ? 0 : min;
}

function stripIndent(raw: string, strip: number, atLineStart: boolean): string {
  return raw
    .split('\n')
    .map((line, i) => (i > 0 || atLineStart ? line.slice(Math.min(strip, /^[ \t]*/.exec(line)![0].length)) : line))
    .join('\n');
}

/**
 * An array grown by push keeps spare capacity (17 slots after the first push); the syntax of a
 * module lives until its unit is judged, so each array is kept at its exact length.
 */
function exact<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}
