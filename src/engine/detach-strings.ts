/**
 * Copies the strings of a built model out of the file texts they were cut from. V8 keeps a
 * substring of 13 or more characters as a slice of its whole text (and a concatenation of such
 * slices as a pair pointing at them), so one subject or label kept in a model keeps its file's
 * whole text alive after the engine dropped it (engine/scanned-source.ts): measured on two copies
 * of the corpus, 15 of their 34 MB of texts were held that way by subjects, ids, labels and
 * CIDRs. Walks plain objects and arrays once each (a model shares locations between entries).
 */

/** Shorter strings are copies already (V8's SlicedString::kMinLength and ConsString::kMinLength). */
const MIN_SHARED = 13;

/** A copy of `s` that holds no reference to the text it came from. */
export function detached(s: string): string {
  // The concatenation is flattened into a new string before it is cut again.
  return s.length < MIN_SHARED ? s : (' ' + s).slice(1);
}

export function detachStrings(root: unknown): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          if (item.length >= MIN_SHARED) value[i] = detached(item);
        } else if (typeof item === 'object' && item !== null) stack.push(item);
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if ((proto !== Object.prototype && proto !== null) || Object.isFrozen(value)) continue;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') {
        if (item.length >= MIN_SHARED) record[key] = detached(item);
      } else if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
}
