/**
 * Issue 17: the engine collects garbage at its release points once the heap has grown by much
 * (src/engine/collect-garbage.ts), without --expose-gc and without adding `gc` to the globals.
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbageIfGrown } from '../../src/engine/collect-garbage.js';

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
