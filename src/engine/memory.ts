/**
 * A full garbage collection between the formats of a large scan, once a format's parse trees
 * were released: V8 otherwise lets the heap grow to a multiple of what is live before it
 * collects, and the scan's peak RSS follows the heap, not the live data. A no-op where the
 * runtime refuses the flag.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
