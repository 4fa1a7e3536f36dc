/**
 * A full garbage collection at the engine's release points (after a format's parses are dropped),
 * when the heap has grown by much since the last one. V8 sizes its heap by allocation rate, not by
 * what is alive: without this, the garbage of one format's parse was still held while the next
 * format parsed, and peak memory grew with the repository (two copies of the corpus: 550 MiB
 * peak RSS with this off, about 400 MiB with it on).
 *
 * The release points: after a format's (or a group's) trees are dropped, after each compacted
 * parse (Format.compact), and in the CLI before the reports are built.
 *
 * Only at release points, when little is alive: V8 sets its next limit from what a full collection
 * finds alive, so one between a format's parse and its adapt (its trees alive) raised the peak
 * (two copies: 510 MiB).
 *
 * `gc` is V8's own function, reached as Jest's --logHeapUsage reaches it (the flag set at run time,
 * the function taken from a fresh context: nothing is added to this process's globals). Where
 * that is refused, nothing happens. Memory only: what a run reports never depends on it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Growth of the used heap since the last collection that is worth one (a full collection of 100 MiB costs about 50 ms). */
const GROWTH = 64 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let liveAfterLast = 0;

export function collectGarbageIfGrown(): void {
  const used = v8.getHeapStatistics().used_heap_size;
  if (used < liveAfterLast + GROWTH) return;
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  if (!collect) return;
  collect();
  liveAfterLast = v8.getHeapStatistics().used_heap_size;
}
