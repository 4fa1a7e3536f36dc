/**
 * Terraform's arithmetic, comparison and equality operators on evaluated values. An unknown
 * operand makes the result unknown for the same reason (&& and || short-circuit in the evaluator).
 */
import type { Location } from '../../core/location.js';
import type { TfValue } from './values.js';
import { asString, bool, num, toPlain, unknown } from './values.js';

export function applyOperator(op: string, left: TfValue, right: TfValue, label: string, loc: Location): TfValue {
  const failed = left.kind === 'unknown' ? left : right.kind === 'unknown' ? right : undefined;
  if (failed) return unknown(failed.reason, label, loc, failed.error);
  if (op === '==' || op === '!=') {
    const equal = JSON.stringify(toPlain(left)) === JSON.stringify(toPlain(right)) || sameNumber(left, right);
    return bool(op === '==' ? equal : !equal, loc);
  }
  const a = left.kind === 'number' ? left.value : Number(asString(left));
  const b = right.kind === 'number' ? right.value : Number(asString(right));
  if (Number.isNaN(a) || Number.isNaN(b)) return unknown(`invalid operands for ${op}`, label, loc, true);
  switch (op) {
    case '+':
      return num(a + b, loc);
    case '-':
      return num(a - b, loc);
    case '*':
      return num(a * b, loc);
    case '/':
      return b === 0 ? unknown('division by zero', label, loc, true) : num(a / b, loc);
    case '%':
      return b === 0 ? unknown('division by zero', label, loc, true) : num(a % b, loc);
    case '<':
      return bool(a < b, loc);
    case '<=':
      return bool(a <= b, loc);
    case '>':
      return bool(a > b, loc);
    case '>=':
      return bool(a >= b, loc);
    default:
      return unknown(`unsupported operator ${op}`, label, loc, true);
  }
}

function sameNumber(a: TfValue, b: TfValue): boolean {
  const x = asString(a);
  const y = asString(b);
  return x !== undefined && x === y && (a.kind === 'number' || b.kind === 'number');
}
