/**
 * Issue 14 item 6: text from the scanned repository (service, file and custom-rule names, messages)
 * is escaped in every PR comment and summary: no links, images, HTML, mentions, references or
 * table breaks (a lone \r included); a suggestion that would quote a secret is dropped.
 */
import { describe, expect, it } from 'vitest';
import { code, escapeText, findingsTable, reviewCommentBody, safeUrl } from '../../src/action/markdown.js';
import type { Finding } from '../../src/core/finding.js';
import { LineIndex } from '../../src/core/location.js';

const loc = (file: string, line = 1) => ({ file, region: { startLine: line, startColumn: 1, endLine: line, endColumn: 2, startOffset: 0, endOffset: 1 } });
const finding = (message: string, file = 'a.yml', extra: Partial<Finding> = {}): Finding => ({ ruleId: 'PW001', ruleName: 'public-port', level: 'error', message, location: loc(file), related: [], subjects: [], fingerprint: 'f', suppressions: [], ...extra });

describe('markdown escaping', () => {
  it.each([
    ['[click](https://evil.example)', 'link'],
    ['![x](https://evil.example/p.png)', 'image'],
    ['<img src=x onerror=alert(1)>', 'html'],
    ['<!-- portwall-review -->', 'marker'],
    ['@org/team please', 'mention'],
    ['see #123', 'reference'],
    ['https://evil.example/login', 'autolink'],
    ['www.evil.example', 'www autolink'],
    ['a|b', 'table pipe'],
    ['a\rb', 'lone CR'],
    ['a\u2028b', 'line separator'],
    ['**bold** _it_ ~~s~~', 'emphasis'],
  ])('%j (%s) renders as plain text', (input) => {
    const out = escapeText(input);
    expect(out).not.toMatch(/(^|[^\\])\[|(^|[^\\])\]|<|>|[\r\n\u2028]|(^|[^\\])\||@[a-z]|#\d|https?:\/\/|www\.|(^|[^\\])\*\*|(^|[^\\])_/);
  });

  it('a service name with a lone \\r cannot break the summary table', () => {
    const table = findingsTable([finding("service 'x\r| Error | fake | row |' exposes"), finding('ok', 'we\rird|.yml')], { rules: [], maxRows: 10, blobUrl: 'https://github.com/o/r/blob/s' });
    const rows = table.split('\n');
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(2)) expect(row.split(/(?<!\\)\|/).length).toBe(6);
  });

  it('code spans stay one line and custom-rule links only allow http(s)', () => {
    expect(code('a\rb')).toBe('`a b`');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x.example/a)(b')).toBe('https://x.example/a%29%28b');
  });

  it('a suggestion is dropped when the lines hold a secret the file knows (NoEcho default)', () => {
    const text = 'Parameters:\n  P:\n    NoEcho: true\n    Default: Sug-S3cret-1\nports:\n  - "5432:5432" # Sug-S3cret-1\n';
    const index = new LineIndex(text);
    const start = index.offset(6, 5);
    const f = finding('x', 'a.yml', { location: { file: 'a.yml', region: index.region(start, start + 11) }, fix: { description: 'bind', edits: [{ file: 'a.yml', startOffset: start + 1, endOffset: start + 1, location: { file: 'a.yml', region: index.region(start + 1, start + 1) }, text: '127.0.0.1:' }] } });
    const body = reviewCommentBody({ finding: f, anchor: { path: 'a.yml', line: 6, startLine: 6, shift: 0, onPrimary: true } as never, text }, []);
    expect(body).not.toContain('Sug-S3cret-1');
    expect(body).not.toContain('```suggestion');
  });
});
