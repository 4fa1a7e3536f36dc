/**
 * `--retest` of scripts/mutation.mjs: the survivors of a report are found again in a target that
 * was edited since (offsets moved), or reported as not found; never dropped silently.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error the script is plain JavaScript without declarations
import { mutantsOf, relocate } from '../../scripts/mutation.mjs';

interface Point { start: number; line: number; description: string; text: string; lineText: string }
const points = (text: string): Point[] => mutantsOf('t.ts', text);
/** A survivor as the report records it. */
const survivor = (m: Point, withText = true) => ({ line: m.line, mutation: m.description, start: m.start, ...(withText ? { text: m.text, lineText: m.lineText } : {}) });
const lines = (r: { chosen: Point[] }) => r.chosen.map((m) => `${m.line} ${m.description} ${m.text}`);

const ORIGINAL = `export function open(port: number, from: string): boolean {
  if (from === '0.0.0.0/0') return port > 0;
  return from === '::/0' && port !== 22;
}
`;
// Two lines added above the function, and its last condition broken over two lines.
const EDITED = `// Whether a port is open to the internet.
// (comment added after the report)
export function open(port: number, from: string): boolean {
  if (from === '0.0.0.0/0') return port > 0;
  return from === '::/0' &&
    port !== 22;
}
`;

describe('relocate', () => {
  const before = points(ORIGINAL);
  const pick = (description: string, text: string) => before.find((m) => m.description === description && m.text === text)!;

  it('finds a survivor at its offset when the file did not change', () => {
    const s = pick('=== -> !==', "from === '::/0'");
    const r = relocate([survivor(s)], before);
    expect(lines(r)).toEqual(["3 === -> !== from === '::/0'"]);
    expect(r.relocated).toEqual([]);
    expect(r.unlocated).toEqual([]);
  });

  it('re-locates survivors whose offsets moved to the same mutation of the same code', () => {
    const survivors = [pick('=== -> !==', "from === '::/0'"), pick('> -> >=', 'port > 0'), pick('22 -> 23', '22')].map((m) => survivor(m));
    const r = relocate(survivors, points(EDITED));
    expect(lines(r)).toEqual(['4 > -> >= port > 0', "5 === -> !== from === '::/0'", '6 22 -> 23 22']);
    // [old line, new line], in the report's order.
    expect(r.relocated.map((x: { survivor: Point; mutant: Point }) => [x.survivor.line, x.mutant.line])).toEqual([[3, 5], [2, 4], [3, 6]]);
    expect(r.unlocated).toEqual([]);
  });

  it('reports a survivor whose code is gone as unlocated, with its old line and mutation', () => {
    const s = survivor(pick('!== -> ===', 'port !== 22'));
    const r = relocate([s], points(EDITED.replace(' &&\n    port !== 22', '')));
    expect(r.chosen).toEqual([]);
    expect(r.unlocated).toEqual([s]);
  });

  it('a survivor of an older report (no node text) re-locates only to the one such mutation nearby', () => {
    // One `> -> >=` in the file: found two lines lower. Two `=== -> !==`: ambiguous, not guessed.
    const r = relocate([survivor(pick('> -> >=', 'port > 0'), false), survivor(pick('=== -> !==', "from === '::/0'"), false)], points(EDITED));
    expect(lines(r)).toEqual(['4 > -> >= port > 0']);
    expect(r.unlocated).toEqual([{ line: 3, mutation: '=== -> !==', start: before.find((m) => m.text === "from === '::/0'" && m.description === '=== -> !==')!.start }]);
  });

  it('two survivors never take the same mutant', () => {
    const s = survivor(pick('=== -> !==', "from === '0.0.0.0/0'"));
    const r = relocate([s, { ...s }], points(EDITED));
    expect(lines(r)).toEqual(["4 === -> !== from === '0.0.0.0/0'"]);
    expect(r.unlocated).toEqual([{ ...s }]);
  });
});
