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

/** How far the heap may grow past what the last full collection found alive, in percent. */
export const HEAP_GROWING_PERCENT = 25;

/**
 * The heap grows by a quarter at most over what the last full collection found alive. V8's own
 * factor goes up to 4 when its collections are fast, which they are for a scan (much garbage,
 * little alive): the corpus's heap reached 143 MB for about 50 MB alive. Measured on the corpus
 * (lint() in process, 3 runs each): peak RSS 210-226 -> 197-200 MiB, time 5.26-5.51 -> 5.21-5.37 s;
 * 8 copies: 544 -> 537-539 MiB (what is alive decides there). `--optimize-for-size` gave 145 MiB
 * for +40% time.
 *
 * Process-wide, so only where the process is portwall's own (the CLI and the language server it
 * starts, cli/bin.ts; the benchmark's in-process runs do as the CLI): a program that calls lint()
 * keeps its own heap settings. Memory only: what a run reports never depends on it.
 */
export function limitHeapGrowth(): void {
  try {
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // A runtime that refuses the flag keeps its defaults.
  }
}
