/**
 * Array helpers that never spread a list into call arguments: `a.push(...b)` throws
 * "Maximum call stack size exceeded" once b has ~100k items (150k env entries, a 150k-line
 * pg_hba.conf, 130k suppression comments). Depends on nothing.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Replaces the contents of `target` with `items` in place. */
export function replaceAll<T>(target: T[], items: readonly T[]): T[] {
  target.length = 0;
  for (const item of items) target.push(item);
  return target;
}
