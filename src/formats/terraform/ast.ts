/**
 * The Terraform configuration syntax tree shared by native HCL (.tf) and JSON syntax
 * (.tf.json): bodies of attributes and blocks, and expressions with 0-based offsets into
 * their file. The evaluator works on this, never on tree-sitter nodes.
 */
import type { JsonNode } from './json-located.js';
import type { FileRef } from './values.js';

interface Span {
  start: number;
  end: number;
}

export type TemplatePart =
  | ({ kind: 'text'; text: string } & Span)
  | { kind: 'interpolation'; expr: Expr }
  /** %{ if } / %{ for } directives: not evaluated, the template becomes unknown. */
  | ({ kind: 'directive' } & Span);

export type Step =
  | ({ kind: 'attr'; name: string } & Span)
  | ({ kind: 'index'; key: Expr } & Span);

export type Expr =
  | ({ type: 'literal'; value: number | boolean | null } & Span)
  /**
   * A string or template. `verbatimOffset` is set when the decoded text equals the file text
   * from that offset (no escapes, no interpolation), so JSON inside it can be located exactly.
   * `jsonRange` is the content of a heredoc without interpolation: indentation stripping
   * aside it is the string, and JSON is insensitive to that whitespace.
   */
  | ({ type: 'template'; parts: TemplatePart[]; verbatimOffset?: number; jsonRange?: Span } & Span)
  | ({ type: 'tuple'; items: Expr[] } & Span)
  | ({ type: 'object'; items: ObjectItem[] } & Span)
  /** A bare name: var, local, each, a resource type, a for/iterator variable. */
  | ({ type: 'name'; name: string } & Span)
  | ({ type: 'traverse'; object: Expr; step: Step } & Span)
  | ({ type: 'splat'; object: Expr; steps: Step[] } & Span)
  | ({ type: 'call'; name: string; args: Expr[]; expandLast: boolean } & Span)
  | ({ type: 'for'; keyVar?: string; valueVar: string; collection: Expr; keyExpr?: Expr; valueExpr: Expr; condition?: Expr; grouping: boolean } & Span)
  | ({ type: 'conditional'; condition: Expr; whenTrue: Expr; whenFalse: Expr } & Span)
  | ({ type: 'binary'; operator: string; left: Expr; right: Expr } & Span)
  | ({ type: 'unary'; operator: string; operand: Expr } & Span)
  | ({ type: 'parens'; inner: Expr } & Span)
  /** A JSON value taken literally (tfvars JSON, variable defaults in .tf.json). */
  | ({ type: 'json'; node: JsonNode } & Span)
  | ({ type: 'invalid'; reason: string } & Span);

export interface ObjectItem {
  /** The key when it is a bare identifier or a plain string; otherwise evaluate `keyExpr`. */
  keyName?: string;
  keyExpr: Expr;
  value: Expr;
}

export interface Attribute extends Span {
  name: string;
  expr: Expr;
  /**
   * Set when the attribute was merged in from an override file (*_override.tf): its offsets
   * are into that file, not the file of the block it now belongs to.
   */
  file?: FileRef;
}

export interface Block extends Span {
  type: string;
  labels: ({ value: string } & Span)[];
  /** End of the header (`resource "a" "b"`), where findings about the whole block point. */
  headerEnd: number;
  body: Body;
  /** Set when the block was merged in from an override file; the whole subtree is that file's. */
  file?: FileRef;
}

export interface Body extends Span {
  attributes: Attribute[];
  blocks: Block[];
}

export function emptyBody(start: number, end: number): Body {
  return { start, end, attributes: [], blocks: [] };
}

export function attributeOf(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}
