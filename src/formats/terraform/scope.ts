/**
 * What evaluating an expression needs and what instance expansion needs of the evaluator.
 * A leaf module: evaluator.ts implements ExpressionEvaluator and instances.ts consumes it,
 * so neither imports the other's module for types (the evaluator/instances cycle).
 */
import type { Attribute, Expr } from './ast.js';
import type { FileRef, TfValue } from './values.js';

export interface Scope {
  file: FileRef;
  /** each, count, dynamic iterators, for-expression variables. */
  bindings: Map<string, TfValue>;
  /** Bindings whose values are provenance hops when used (each, dynamic iterators): what to say about them. */
  notes?: Map<string, string>;
}

export interface ExpressionEvaluator {
  evaluate(expr: Expr, scope: Scope): TfValue;
  attributeValue(body: { attributes: Attribute[] }, name: string, scope: Scope): TfValue | undefined;
}
