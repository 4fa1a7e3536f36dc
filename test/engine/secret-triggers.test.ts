import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretValues } from '../../src/core/redact.js';
import { fileSecrets, linesAround, TRIGGER } from '../../src/engine/known-secrets.js';
import { triggerLines } from '../../src/engine/secret-triggers.js';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

/** The lines TRIGGER matches in, the way fileSecrets found them before triggerLines: the regex, one match per line. */
function byRegex(text: string): number[] {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const re = new RegExp(TRIGGER.source, TRIGGER.flags);
  const out: number[] = [];
  let line = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    while (line + 1 < starts.length && starts[line + 1]! <= m.index) line++;
    out.push(line);
    re.lastIndex = line + 1 < starts.length ? Math.max(re.lastIndex, starts[line + 1]!) : text.length;
  }
  return out;
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) files(full, out);
    else if (stat?.isFile() && /\.(ya?ml|json|tf|tfvars|conf|env)$/.test(name)) out.push(full);
  }
  return out;
}

describe('triggerLines', () => {
  const cases: [string, string, number[]][] = [
    ['a word on the second line', 'image: nginx\n  DB_PASSWORD: x\n', [1]],
    ['upper case', 'X: 1\r\nAPI-KEY = 2\r\nz', [1]],
    ['a lone CR is a line break', 'a\rtoken\rb', [1]],
    ['-u at the end of the text', 'curl -u', [0]],
    ['-u before a word character is not a trigger', 'x -u_ -ux -u9', []],
    ['-u before punctuation', 'x -U:y', [0]],
    ['--user', 'a\n--user=x', [1]],
    ['39 base64 characters are not a run', `k: ${'A'.repeat(39)}`, []],
    ['40 are', `k: ${'a+/0'.repeat(10)}`, [0]],
    ['a run across a line break is two short runs', `${'A'.repeat(30)}\n${'A'.repeat(30)}`, []],
    ['a run across a non-ASCII character or a CR LF is two short runs', `${'A'.repeat(30)}\u00e9${'A'.repeat(30)}\r\n${'A'.repeat(30)}\r\n${'A'.repeat(40)}`, [2]],
    ['a Kelvin sign is not a k (ASCII folding only)', 'to\u212Aen\ntoKen', [1]],
    ['a long s is not an s', 'pa\u017F\u017F\nPASS', [1]],
    ['each class member of the token shapes', 'ghs_\nxoxr-\nGITHUB_PAT_\nakia\nEyJ\n://', [0, 1, 2, 3, 4, 5]],
    ['a literal cut by the end of the text', 'secre', []],
    // Each position is tried only when its next character may follow (secret-triggers.ts pairs): the second character in either case.
    ['every literal with its second character folded', ['pAss', 'sEcret', 'tOken', 'aPi_key', 'API-KEY', 'apIkey', 'pRivate', 'cRedential', 'aUth', 'aCcess_key', 'access-KEY', 'ACCESSKEY', 'rEquire', 'pWd', '_Pw', 'aKIA', 'gHo_', 'gIthub_pat_', 'xOxa-', 'eYj', 'sK_live_', 'gLpat-', 'bEarer', 'bAsic', '--USER', 'rEdis-cli', ':/'].map((w) => `x ${w}`).join('\n'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]],
    ['a first character before a non-ASCII one or at the end of the text', 'p\u00e1ss\nx a\nx -', []],
  ];
  for (const [name, text, lines] of cases) {
    it(name, () => {
      expect(triggerLines(text)).toEqual(lines);
      expect(byRegex(text)).toEqual(lines);
    });
  }

  it.skipIf(!existsSync(corpus))('finds the same lines as the regex in every corpus file', () => {
    const all = files(corpus);
    expect(all.length).toBeGreaterThan(1000);
    let flagged = 0;
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      const lines = triggerLines(text);
      expect(lines, file).toEqual(byRegex(text));
      flagged += lines.length;
    }
    expect(flagged).toBeGreaterThan(1000);
  });

  it('every token shape redactLine masks is a secret of the file (Stripe and GitLab tokens were masked in code frames only)', () => {
    const text = 'STRIPE: sk_live_Abcdefghijklmnop1234\nGITLAB: glpat-Abcdefghijklmnop1234\nGH: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n';
    expect(fileSecrets(text)).toEqual(['ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'sk_live_Abcdefghijklmnop1234', 'glpat-Abcdefghijklmnop1234']);
  });

  it('fileSecrets still reads the value on the line after a trigger', () => {
    expect(fileSecrets('- name: DB_PASSWORD\n  value: hunter2-long\n')).toContain('hunter2-long');
  });
});

/**
 * fileSecrets as it read lines before each was read once: every wanted line (a trigger line and the
 * line after it) as a pair with the line before it, through secretValues. Order included: equal-length
 * values are masked in the order found.
 */
function byPairs(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const wanted = new Set<number>();
  for (const line of triggerLines(text)) {
    wanted.add(line);
    wanted.add(line + 1);
  }
  const values = new Set<string>();
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n >= lines.length) continue;
    for (const v of secretValues(n > 0 ? [lines[n - 1]!, lines[n]!] : [lines[n]!])) values.add(v);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

describe('fileSecrets reads each line once', () => {
  const cases: [string, string][] = [
    ['a value under its name, and the name line holding a secret of its own', '{ token: Tok-S3cret-1, name: DB_PASSWORD\n  value: Val-S3cret-2\n'],
    ['names in a row, each a value of the one before', '- name: A_TOKEN\n  value: x\n- name: B_TOKEN\n  value: "Val-S3cret-3"\n- name: C_PASSWORD\n  value: Val-S3cret-4\n'],
    ['a name line that is also a value line', '- name: A_PASSWORD\nvalue: P1-S3cret-5 name: B_PASSWORD\nvalue: P2-S3cret-6\n'],
    ['a line read under a name and on its own gives two values', '- name: A_PASSWORD\nvalue: token=Tok-S3cret-10\nx: 1\n'],
    ['equal-length values that overlap', 'password: abcd-S3cret-7\ntoken: bcde-S3cret-7\n- name: X_SECRET\n  value: cdef-S3cret-7\n'],
    ['a trigger on the first and the last line, CR LF', 'token: First-S3cret-8\r\nx: 1\r\npassword: Last-S3cret-9'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      expect(fileSecrets(text)).toEqual(byPairs(text));
      expect(fileSecrets(text).length).toBeGreaterThan(1);
    });
  }

  // Only the lines around the triggers are cut from the text (known-secrets.ts linesAround): every kind of line break and edge.
  const edges: [string, string][] = [
    ['lone CR breaks', 'x: 1\rpassword: Cr-S3cret-11\r  value: Cr-S3cret-12\r'],
    ['a break at the very end', '- name: DB_PASSWORD\n  value: End-S3cret-13\n'],
    ['no break at the end, trigger on the last line', 'a: 1\n\npassword: Last-S3cret-14'],
    ['empty lines and CR LF before the trigger', '\r\n\r\n\r\ntoken: Crlf-S3cret-15\r\n'],
    ['a trigger on the first line', 'DB_PASSWORD: First-S3cret-16\nx: 1'],
    ['a trigger right after a CR LF at the start', '\r\npassword: Start-S3cret-17'],
    ['a plain line and CR LF before the trigger', 'image: redis\r\ntoken: Crlf-S3cret-22\r\n'],
    ['triggers on every line', 'password: A-S3cret-18\ntoken: B-S3cret-19\r\nsecret: C-S3cret-20\rauth: D-S3cret-21'],
  ];
  for (const [name, text] of edges) {
    it(name, () => {
      expect(fileSecrets(text)).toEqual(byPairs(text));
      expect(fileSecrets(text).length).toBeGreaterThan(0);
    });
  }

  it('cuts each trigger line and the lines beside it as splitting the text does, and no line past the last', () => {
    for (const [, text] of edges) {
      const split = text.split(/\r\n|\r|\n/);
      const starts: number[] = [];
      const triggers = triggerLines(text, starts);
      const around = linesAround(text, triggers, starts);
      const expected = new Map<number, string>();
      for (const n of triggers) for (const m of [n - 1, n, n + 1]) if (m >= 0 && m < split.length) expected.set(m, split[m]!);
      expect([...around].sort((a, b) => a[0] - b[0]), JSON.stringify(text)).toEqual([...expected].sort((a, b) => a[0] - b[0]));
    }
  });

  it.skipIf(!existsSync(corpus))('finds the same values, in the same order, as reading the pairs in every corpus file', () => {
    let found = 0;
    for (const file of files(corpus)) {
      const text = readFileSync(file, 'utf8');
      if (/noecho/i.test(text)) continue; // NoEcho defaults are added after the lines' values, by the same code
      const values = fileSecrets(text);
      expect(values, file).toEqual(byPairs(text));
      found += values.length;
    }
    expect(found).toBeGreaterThan(500);
  });
});
