/**
 * Issue 17: the engine collects garbage at its release points once the heap has grown by much
 * (src/engine/collect-garbage.ts), without --expose-gc and without adding `gc` to the globals.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbageIfGrown, HEAP_GROWING_PERCENT } from '../../src/engine/collect-garbage.js';

const used = () => v8.getHeapStatistics().used_heap_size;

describe('collectGarbageIfGrown', () => {
  it('frees what a dropped parse left once the heap grew by more than its threshold', () => {
    collectGarbageIfGrown(); // whatever the test runner left
    let garbage: { i: number; s: string }[] | null = Array.from({ length: 1_500_000 }, (_, i) => ({ i, s: `v${i}` }));
    const held = used();
    expect(garbage.length).toBe(1_500_000);
    garbage = null;
    collectGarbageIfGrown();
    expect(held - used()).toBeGreaterThan(60 * 1024 * 1024);
    expect('gc' in globalThis).toBe(false);
  });
});

describe('limitHeapGrowth', () => {
  // In a fresh process, as the CLI calls it (cli/bin.ts): about 100 MB stay alive while 40 rounds
  // of garbage come and go. V8's own growth factor let the heap reach 300-313 MB here; a quarter
  // over what is alive keeps it near 140.
  const churn = `
    const { limitHeapGrowth } = await import(${JSON.stringify(pathToFileURL(path.resolve('build/src/engine/collect-garbage.js')).href)});
    const v8 = (await import('node:v8')).default;
    limitHeapGrowth();
    const live = Array.from({ length: 600_000 }, (_, i) => ({ i, s: 'live-' + i }));
    let peak = 0;
    for (let round = 0; round < 40; round++) {
      let garbage = Array.from({ length: 100_000 }, (_, i) => ({ i, s: 'g-' + round + '-' + i, a: [i] }));
      live.push(...garbage.slice(0, 2000));
      garbage = null;
      peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
    }
    console.log(JSON.stringify({ peak, used: v8.getHeapStatistics().used_heap_size, live: live.length }));
  `;

  it(`keeps the heap within ${HEAP_GROWING_PERCENT}% (plus the young generation) of what stays alive`, () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', churn], { encoding: 'utf8' })) as { peak: number; used: number; live: number };
    expect(out.live).toBe(680_000);
    expect(out.peak).toBeLessThan(200 * 1024 * 1024);
  });
});
