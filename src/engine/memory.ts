/**
 * Returning memory between phases. V8 collects lazily: a format's parse trees, released once
 * its model is built, would otherwise stay in the heap while the next format parses, and the
 * peak would be the sum of the formats instead of the largest. A full collection between
 * formats costs a few milliseconds per format and keeps the peak flat.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined | null;

/** Runs a full garbage collection when the runtime allows it; otherwise does nothing. */
export function collectGarbage(): void {
  if (collect === undefined) {
    collect = null;
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (typeof exposed === 'function') collect = exposed;
      else {
        v8.setFlagsFromString('--expose-gc');
        const fromContext = vm.runInNewContext('gc') as unknown;
        if (typeof fromContext === 'function') collect = fromContext as () => void;
      }
    } catch {
      collect = null;
    }
  }
  collect?.();
}
