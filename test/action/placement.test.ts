/** The pure parts of the action: patch parsing, diff placement, comment bodies. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { LineIndex } from '../../src/core/location.js';
import { buildPullDiff, parsePatch } from '../../src/action/diff.js';
import { code, escapeText, reviewCommentBody, suggestedLines } from '../../src/action/markdown.js';
import { addedLineAnchor, anchorOnChange, placeFindings } from '../../src/action/placement.js';

function finding(file: string, text: string, needle: string, extra: Partial<Finding> = {}): Finding {
  const index = new LineIndex(text);
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not in text`);
  return {
    ruleId: 'PW001',
    ruleName: 'public-port',
    level: 'warning',
    message: 'service exposes port 8080',
    location: { file, region: index.region(start, start + needle.length) },
    related: [],
    subjects: [],
    fingerprint: 'f',
    suppressions: [],
    ...extra,
  };
}

function fixFor(file: string, text: string, needle: string, replacement: string): Finding['fix'] {
  const index = new LineIndex(text);
  const start = text.indexOf(needle);
  return { description: 'Publish on 127.0.0.1', edits: [{ file, startOffset: start, endOffset: start + needle.length, location: { file, region: index.region(start, start + needle.length) }, text: replacement }] };
}

describe('parsePatch', () => {
  it('maps RIGHT-side lines with hunk and added flags, skipping deletions and no-newline markers', () => {
    const lines = parsePatch('@@ -1,3 +1,3 @@ title\n a\n-b\n+B\n c\n\\ No newline at end of file\n@@ -10 +10,2 @@\n x\n+y\n');
    expect([...lines.entries()]).toEqual([
      [1, { text: 'a', added: false, hunk: 0 }],
      [2, { text: 'B', added: true, hunk: 0 }],
      [3, { text: 'c', added: false, hunk: 0 }],
      [10, { text: 'x', added: false, hunk: 1 }],
      [11, { text: 'y', added: true, hunk: 1 }],
    ]);
  });

  it('gives a deletion-only hunk no RIGHT lines beyond its context, and a file without patch none', () => {
    expect([...parsePatch('@@ -4,2 +3,0 @@\n-gone\n-too\n').keys()]).toEqual([]);
    const diff = buildPullDiff([{ filename: 'big.yml', status: 'modified' }], 2);
    expect(diff.files.get('big.yml')).toMatchObject({ hasPatch: false });
    expect(diff.complete).toBe(false);
  });
});

describe('placeFindings', () => {
  const head = 'services:\n  web:\n    ports:\n      - "8080:80"\n';
  const patch = '@@ -1,3 +1,4 @@\n services:\n   web:\n     ports:\n+      - "8080:80"\n';

  it('anchors a finding on an added line and counts it as touched', () => {
    const f = finding('c.yml', head, '"8080:80"');
    const [placed] = placeFindings([f], buildPullDiff([{ filename: 'c.yml', status: 'modified', patch }]), () => head.split('\n'));
    expect(placed).toMatchObject({ touched: true, anchor: { path: 'c.yml', startLine: 4, line: 4, shift: 0, onPrimary: true } });
  });

  it('follows a merge-commit checkout whose lines are shifted, when the text identifies the line uniquely', () => {
    const merged = `# added on main after the branch\n${head}`;
    const f = finding('c.yml', merged, '"8080:80"');
    expect(f.location.region.startLine).toBe(5);
    const [placed] = placeFindings([f], buildPullDiff([{ filename: 'c.yml', status: 'modified', patch }]), () => merged.split('\n'));
    expect(placed).toMatchObject({ touched: true, anchor: { startLine: 4, line: 4, shift: -1 } });
  });

  it('gives no anchor when the workspace text does not match the patch (never guesses a line)', () => {
    const other = head.replace('"8080:80"', '"8081:80"');
    const f = finding('c.yml', other, '"8081:80"');
    const [placed] = placeFindings([f], buildPullDiff([{ filename: 'c.yml', status: 'modified', patch }]), () => other.split('\n'));
    expect(placed).toEqual({ finding: f, touched: false });
  });

  it('anchors on a changed related line when the finding itself lies outside the diff', () => {
    const text = 'services:\n  es:\n    ports:\n      - "9200:9200"\n    environment:\n      - a=1\n      - b=2\n      - c=3\n      - xpack.security.enabled=false\n';
    const related = finding('c.yml', text, 'xpack.security.enabled=false');
    const f = finding('c.yml', text, '"9200:9200"', { ruleId: 'PW004', ruleName: 'public-unauthenticated-datastore', level: 'error', related: [{ location: related.location, message: 'security is off' }] });
    const p = '@@ -6,3 +6,4 @@\n       - a=1\n       - b=2\n       - c=3\n+      - xpack.security.enabled=false\n';
    const [placed] = placeFindings([f], buildPullDiff([{ filename: 'c.yml', status: 'modified', patch: p }]), () => text.split('\n'));
    expect(placed).toMatchObject({ touched: true, anchor: { startLine: 9, line: 9, onPrimary: false } });
    const body = reviewCommentBody({ finding: f, anchor: placed!.anchor!, text }, []);
    expect(body).toContain('This change is part of a finding reported at `c.yml` line 4.');
    expect(body).not.toContain('Related:');
  });

  it('counts every finding when there is no diff, and findings in unlisted files when the list is truncated', () => {
    const f = finding('other.yml', head, '"8080:80"');
    expect(placeFindings([f], undefined, () => undefined)[0]!.touched).toBe(true);
    expect(placeFindings([f], buildPullDiff([], 5), () => undefined)[0]!.touched).toBe(true);
    expect(placeFindings([f], buildPullDiff([], 0), () => undefined)[0]!.touched).toBe(false);
  });
});

describe('anchorOnChange (new findings)', () => {
  const text = 'services:\n  es:\n    ports:\n      - "9200:9200"\n    environment:\n      - a=1\n      - xpack.security.enabled=false\n';
  const related = finding('c.yml', text, 'xpack.security.enabled=false');
  const f = finding('c.yml', text, '"9200:9200"', { related: [{ location: related.location, message: 'security is off' }] });
  const lines = () => text.split('\n');

  it('prefers a changed primary line, then a changed related line', () => {
    const both = buildPullDiff([{ filename: 'c.yml', status: 'modified', patch: '@@ -1,5 +1,7 @@\n services:\n   es:\n     ports:\n+      - "9200:9200"\n     environment:\n       - a=1\n+      - xpack.security.enabled=false\n' }]);
    expect(anchorOnChange(f, both, lines)).toMatchObject({ startLine: 4, line: 4, onPrimary: true });
    const onlyRelated = buildPullDiff([{ filename: 'c.yml', status: 'modified', patch: '@@ -5,2 +5,3 @@\n     environment:\n       - a=1\n+      - xpack.security.enabled=false\n' }]);
    expect(anchorOnChange(f, onlyRelated, lines)).toMatchObject({ startLine: 7, line: 7, onPrimary: false });
  });

  it('gives no anchor when no location is on a changed line (context lines do not count): the summary takes it', () => {
    const contextOnly = buildPullDiff([{ filename: 'c.yml', status: 'modified', patch: '@@ -3,3 +3,4 @@\n     ports:\n       - "9200:9200"\n     environment:\n+      - a=1\n' }]);
    expect(anchorOnChange(f, contextOnly, lines)).toBeUndefined();
    expect(anchorOnChange(f, undefined, lines)).toBeUndefined();
    expect(addedLineAnchor('c.yml', 6, contextOnly, lines)).toEqual({ path: 'c.yml', line: 6 });
    expect(addedLineAnchor('c.yml', 4, contextOnly, lines)).toBeUndefined();
  });
});

describe('comment bodies', () => {
  it('builds the suggestion by applying the fix to the commented line', () => {
    const text = 'services:\n  web:\n    ports:\n      - "8080:80"  # public\n';
    const f = finding('c.yml', text, '"8080:80"', { fix: fixFor('c.yml', text, '"8080:80"', '"127.0.0.1:8080:80"') });
    expect(suggestedLines({ finding: f, anchor: { path: 'c.yml', startLine: 4, line: 4, shift: 0, onPrimary: true }, text })).toEqual({ lines: ['      - "127.0.0.1:8080:80"  # public'] });
  });

  it('never quotes a secret-looking line in a suggestion', () => {
    const text = 'services:\n  db:\n    command: redis-server --requirepass hunter2 --port 6379\n';
    const f = finding('c.yml', text, '--port 6379', { fix: fixFor('c.yml', text, '--port 6379', '--port 6379 --bind 127.0.0.1') });
    const anchor = { path: 'c.yml', startLine: 3, line: 3, shift: 0, onPrimary: true };
    expect(suggestedLines({ finding: f, anchor, text })).toEqual({ reason: 'the line looks like it holds a secret, so it is not quoted here' });
    const body = reviewCommentBody({ finding: f, anchor, text }, []);
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('```suggestion');
  });

  it('offers no suggestion when the edit lies outside the commented lines', () => {
    const text = 'a\nb\nc\n';
    const f = finding('c.yml', text, 'b', { fix: fixFor('c.yml', text, 'c', 'C') });
    expect(suggestedLines({ finding: f, anchor: { path: 'c.yml', startLine: 2, line: 2, shift: 0, onPrimary: true }, text })).toBeUndefined();
  });

  it('escapes untrusted text: no forged markers, no HTML, no mentions', () => {
    expect(escapeText("service '<!-- portwall-review -->' @octocat | x")).toBe("service '&lt;!-- portwall-review --&gt;' @\u200boctocat \\| x");
  });
});

describe('code spans', () => {
  it('keep backticks and HTML literal', () => {
    expect(code('a.yml')).toBe('`a.yml`');
    expect(code('we`ird <b>.yml')).toBe('`` we`ird <b>.yml ``');
  });
});
