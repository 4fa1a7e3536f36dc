/**
 * Terraform's JSON syntax (.tf.json) -> the shared syntax tree. Strings are templates
 * (`"${var.port}"`); their interpolations are parsed with the HCL grammar and their offsets
 * mapped back into the JSON file, so evaluated values still point at the right place.
 */
import type { Block, Body, Expr, TemplatePart } from './ast.js';
import { emptyBody } from './ast.js';
import { HclSyntaxBuilder } from './hcl-syntax.js';
import type { JsonNode } from './json-located.js';
import { jsonStringOffset } from './json-located.js';
import { parseHcl } from './tree-sitter.js';

/** Block types whose labels are nested object keys in JSON syntax: resource.TYPE.NAME, module.NAME... */
const LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1 };

export function tfJsonToBody(text: string, root: JsonNode): Body {
  const body = emptyBody(root.start, root.end);
  if (root.kind !== 'object') return body;
  for (const entry of root.entries) {
    const labelCount = LABELS[entry.key];
    if (entry.key === 'locals') {
      for (const node of entry.value.kind === 'array' ? entry.value.items : [entry.value]) {
        body.blocks.push({ ...block('locals', [], node, entry.keyStart, entry.keyEnd), body: objectBody(text, node, false) });
      }
    } else if (labelCount !== undefined) {
      collectLabelled(text, entry.key, labelCount, entry.value, [], entry.keyStart, body.blocks);
    }
  }
  return body;
}

function collectLabelled(
  text: string,
  type: string,
  remaining: number,
  node: JsonNode,
  labels: Block['labels'],
  keyStart: number,
  out: Block[],
): void {
  if (remaining === 0) {
    // A block may be given as an array of bodies (several blocks with the same labels).
    for (const bodyNode of node.kind === 'array' ? node.items : [node]) {
      const literal = type === 'variable';
      const headerEnd = labels.length > 0 ? labels[labels.length - 1]!.end : keyStart;
      out.push({ ...block(type, labels, bodyNode, keyStart, headerEnd), body: objectBody(text, bodyNode, literal) });
    }
    return;
  }
  if (node.kind !== 'object') return;
  for (const entry of node.entries) {
    collectLabelled(text, type, remaining - 1, entry.value, [...labels, { value: entry.key, start: entry.keyStart, end: entry.keyEnd }], entry.keyStart, out);
  }
}

function block(type: string, labels: Block['labels'], node: JsonNode, keyStart: number, headerEnd: number): Block {
  return { type, labels, headerEnd, body: emptyBody(node.start, node.end), start: keyStart, end: node.end };
}

/**
 * A JSON object as a block body. Nested blocks stay attributes holding objects/arrays; the
 * adapters accept both shapes (HCL also allows `ingress = [{...}]`). `dynamic` is special.
 */
function objectBody(text: string, node: JsonNode, literal: boolean): Body {
  const body = emptyBody(node.start, node.end);
  if (node.kind !== 'object') return body;
  for (const entry of node.entries) {
    if (entry.key === '//') continue;
    if (entry.key === 'dynamic' && !literal && entry.value.kind === 'object') {
      for (const dyn of entry.value.entries) {
        for (const dynBody of dyn.value.kind === 'array' ? dyn.value.items : [dyn.value]) {
          const inner = objectBody(text, dynBody, false);
          const content = inner.attributes.find((a) => a.name === 'content');
          const contentNode = dynBody.kind === 'object' ? dynBody.entries.find((e) => e.key === 'content')?.value : undefined;
          inner.attributes = inner.attributes.filter((a) => a.name !== 'content');
          if (content && contentNode) {
            inner.blocks.push({
              type: 'content',
              labels: [],
              headerEnd: contentNode.start,
              body: objectBody(text, contentNode, false),
              start: content.start,
              end: content.end,
            });
          }
          body.blocks.push({
            type: 'dynamic',
            labels: [{ value: dyn.key, start: dyn.keyStart, end: dyn.keyEnd }],
            headerEnd: dyn.keyEnd,
            body: inner,
            start: dyn.keyStart,
            end: dynBody.end,
          });
        }
      }
      continue;
    }
    body.attributes.push({
      name: entry.key,
      expr: literal && entry.key === 'default' ? { type: 'json', node: entry.value, start: entry.value.start, end: entry.value.end } : jsonExpr(text, entry.value),
      start: entry.keyStart,
      end: entry.value.end,
    });
  }
  return body;
}

function jsonExpr(text: string, node: JsonNode): Expr {
  switch (node.kind) {
    case 'object':
      return {
        type: 'object',
        items: node.entries.map((e) => ({
          keyName: e.key,
          keyExpr: { type: 'template', parts: [{ kind: 'text', text: e.key, start: e.keyStart + 1, end: e.keyEnd - 1 }], start: e.keyStart, end: e.keyEnd },
          value: jsonExpr(text, e.value),
        })),
        start: node.start,
        end: node.end,
      };
    case 'array':
      return { type: 'tuple', items: node.items.map((item) => jsonExpr(text, item)), start: node.start, end: node.end };
    case 'string':
      return templateFromJsonString(text, node);
    case 'null':
      return { type: 'literal', value: null, start: node.start, end: node.end };
    default:
      return { type: 'literal', value: node.value, start: node.start, end: node.end };
  }
}

function templateFromJsonString(text: string, node: Extract<JsonNode, { kind: 'string' }>): Expr {
  const value = node.value;
  const at = (i: number): number => jsonStringOffset(text, node, i);
  if (!value.includes('${') && !value.includes('%{')) {
    const plain = value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
    return {
      type: 'template',
      parts: plain === '' ? [] : [{ kind: 'text', text: plain, start: node.start + 1, end: node.end - 1 }],
      ...(!node.escaped && plain === value ? { verbatimOffset: node.start + 1 } : {}),
      start: node.start,
      end: node.end,
    };
  }
  const parts: TemplatePart[] = [];
  let textStart = 0;
  let literal = '';
  let i = 0;
  const flush = (until: number): void => {
    literal += value.slice(textStart, until);
    if (literal) parts.push({ kind: 'text', text: literal, start: at(textStart), end: at(until) });
    literal = '';
  };
  while (i < value.length) {
    const two = value.slice(i, i + 3);
    if (two === '$${' || two === '%%{') {
      literal += value.slice(textStart, i) + two.slice(1);
      i += 3;
      textStart = i;
      continue;
    }
    if ((value[i] === '$' || value[i] === '%') && value[i + 1] === '{') {
      const close = matchingBrace(value, i + 2);
      if (close < 0) break;
      flush(i);
      if (value[i] === '%') parts.push({ kind: 'directive', start: at(i), end: at(close + 1) });
      else parts.push({ kind: 'interpolation', expr: interpolation(value, i + 2, close, at) });
      i = close + 1;
      textStart = i;
      continue;
    }
    i++;
  }
  flush(value.length);
  return { type: 'template', parts, start: node.start, end: node.end };
}

/** Index of the `}` closing an interpolation opened before `from`, skipping nested braces and strings. */
function matchingBrace(value: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function interpolation(value: string, from: number, to: number, at: (i: number) => number): Expr {
  let inner = value.slice(from, to);
  let shift = from;
  // Strip markers (${~ x ~}) only trim whitespace around the interpolation.
  if (inner.startsWith('~')) (inner = inner.slice(1)), shift++;
  if (inner.endsWith('~')) inner = inner.slice(0, -1);
  const prefix = 'x = (';
  const synthetic = `${prefix}${inner})\n`;
  const parsed = parseHcl(synthetic);
  const map = (offset: number): number => at(Math.max(0, Math.min(offset - prefix.length, inner.length)) + shift);
  if ('error' in parsed) return { type: 'invalid', reason: `cannot parse "\${${inner}}"`, start: at(from), end: at(to) };
  const builder = new HclSyntaxBuilder(synthetic, map);
  const body = builder.configFile(parsed.root);
  const expr = 'attributes' in body ? body.attributes[0]?.expr : undefined;
  if (expr?.type === 'parens') return expr.inner;
  return expr ?? { type: 'invalid', reason: 'empty interpolation', start: at(from), end: at(to) };
}
