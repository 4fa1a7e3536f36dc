/**
 * Deterministic size budget for evaluated Terraform values: a string doubled forty times or
 * a list flattened into itself must become an `unknown` (PW010 where it matters), never a
 * RangeError, a 4 GB heap or an exponential walk. Sizes are counted over the value graph with
 * a memo by identity, so shared sub-values (`[local.x, local.x]`) are counted in linear time
 * but weigh what a walk over them would cost.
 */
import type { TfValue } from './values.js';

/** Longest string an expression may produce (1 MiB): no real attribute is longer. */
const MAX_STRING_LENGTH = 1 << 20;
/** Weight of one value: nodes plus string bytes / 64. */
const MAX_VALUE_WEIGHT = 1 << 20;

const weights = new WeakMap<object, number>();

/** The weight of a value, saturating just above MAX_VALUE_WEIGHT. */
function valueWeight(value: TfValue): number {
  const cached = weights.get(value);
  if (cached !== undefined) return cached;
  let w = 1;
  if (value.kind === 'string') w += Math.floor(value.value.length / 64);
  else if (value.kind === 'list') {
    for (const item of value.items) {
      w += valueWeight(item);
      if (w > MAX_VALUE_WEIGHT) break;
    }
  } else if (value.kind === 'object') {
    for (const item of value.entries.values()) {
      w += valueWeight(item);
      if (w > MAX_VALUE_WEIGHT) break;
    }
  }
  w = Math.min(w, MAX_VALUE_WEIGHT + 1);
  weights.set(value, w);
  return w;
}

/** Why a value is over budget, or undefined. */
export function overBudget(value: TfValue): string | undefined {
  if (value.kind === 'string' && value.value.length > MAX_STRING_LENGTH) return `the value is too large to evaluate (a string of more than ${MAX_STRING_LENGTH} characters)`;
  if ((value.kind === 'list' || value.kind === 'object') && valueWeight(value) > MAX_VALUE_WEIGHT) return `the value is too large to evaluate (more than ${MAX_VALUE_WEIGHT} elements)`;
  return undefined;
}
