import { describe, expect, it } from 'vitest';
import { interpolate, parseDotEnv } from '../../src/formats/compose/interpolate.js';
import { sourceFile } from '../helpers/index.js';

const vars = new Map([
  ['PORT', '9200'],
  ['EMPTY', ''],
  ['HOST', '127.0.0.1'],
]);

describe('compose interpolation', () => {
  const cases: [string, string | undefined][] = [
    ['${PORT}:9200', '9200:9200'],
    ['$PORT:9200', '9200:9200'],
    ['${MISSING:-8080}:80', '8080:80'],
    ['${EMPTY:-8080}', '8080'],
    ['${EMPTY-8080}', ''],
    ['${MISSING-8080}', '8080'],
    ['${PORT:+set}', 'set'],
    ['${MISSING:+set}', ''],
    ['${MISSING}', undefined],
    ['${MISSING:?must be set}', undefined],
    ['${MISSING:-${HOST}}:9200:9200', '127.0.0.1:9200:9200'],
    ['$$PORT', '$PORT'],
    ['no vars', 'no vars'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} -> ${expected}`, () => {
      expect(interpolate(text, vars).value).toBe(expected);
    });
  }
  it('names the unresolved variables', () => {
    expect(interpolate('${A}:${B}', vars).unresolved).toEqual(['A']);
  });
  it('does not loop on deeply nested defaults', () => {
    const deep = '${A:-'.repeat(50) + 'x' + '}'.repeat(50);
    expect(interpolate(deep, vars).value).toBeDefined();
  });
});

describe('.env parsing', () => {
  it('reads KEY=VALUE, export, quotes and comments', () => {
    const f = sourceFile('.env', '# comment\nexport A=1\nB="two words"\nC=three # trailing\n\nD\r\n');
    expect(parseDotEnv(f).map((e) => [e.name, e.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'three'],
      ['D', ''],
    ]);
  });
});
