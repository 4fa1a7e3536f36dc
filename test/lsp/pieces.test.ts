/** The pure parts of the server: units of a file, suppression comments, ranges. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { LineIndex } from '../../src/core/location.js';
import { commentMarker, PLACEHOLDER_REASON, suppressAction } from '../../src/lsp/code-actions.js';
import { toRange } from '../../src/lsp/convert.js';
import { isCandidateFile, scopeCovers, scopeOf, scopePaths } from '../../src/lsp/scope.js';
import { useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-lsp-units-');

function finding(file: string, text: string, line: number): Finding {
  const index = new LineIndex(text);
  const start = index.offset(line, 1);
  return { ruleId: 'PW002', ruleName: 'public-datastore', level: 'error', message: 'm', location: { file, region: index.region(start, start + 3) }, related: [], subjects: [], fingerprint: 'f', suppressions: [] };
}

describe('units of a file', () => {
  it('a chart from its root, recursively; anything else its own folder only', () => {
    const dir = project({ 'chart/Chart.yaml': 'name: x\n', 'chart/values.yaml': '', 'chart/templates/a.yaml': '', 'app/compose.yaml': '', 'app/.env': '', 'app/sub/other.yml': '', 'app/package.json': '{}' });
    const chart = scopeOf(path.join(dir, 'chart/templates/a.yaml'), dir);
    expect(chart).toMatchObject({ folder: path.join(dir, 'chart'), recursive: true });
    expect(scopePaths(chart, [])).toEqual(['chart']);
    expect(scopeCovers(chart, path.join(dir, 'chart/values.yaml'))).toBe(true);
    const app = scopeOf(path.join(dir, 'app/compose.yaml'), dir);
    expect(app).toMatchObject({ folder: path.join(dir, 'app'), recursive: false });
    expect(scopePaths(app, [path.join(dir, 'app/new.yaml')])).toEqual(['app/compose.yaml', 'app/new.yaml']);
    expect(scopeCovers(app, path.join(dir, 'app/.env'))).toBe(true);
    expect(scopeCovers(app, path.join(dir, 'app/sub/other.yml'))).toBe(false);
    // A chart above the workspace folder is not looked for.
    expect(scopeOf(path.join(dir, 'chart/templates/a.yaml'), path.join(dir, 'chart/templates')).recursive).toBe(false);
  });

  it('candidates follow discovery: patterns and default ignores', () => {
    expect(isCandidateFile('/w/main.tf', '/w')).toBe(true);
    expect(isCandidateFile('/w/pg_hba.conf', '/w')).toBe(true);
    expect(isCandidateFile('/w/.env', '/w')).toBe(false);
    expect(isCandidateFile('/w/package.json', '/w')).toBe(false);
    expect(isCandidateFile('/w/.terraform/modules/x/main.tf', '/w')).toBe(false);
  });
});

describe('suppress with a reason', () => {
  it('inserts the directive above the line with its indentation, keeping CRLF', () => {
    const text = 'services:\r\n  db:\r\n    ports:\r\n      - "5432:5432"\r\n';
    const action = suppressAction(finding('compose.yaml', text, 4), 'file:///x', text, undefined)!;
    expect(action.edit!.changes!['file:///x']).toEqual([{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, newText: `      # portwall-ignore PW002: ${PLACEHOLDER_REASON}\r\n` }]);
  });

  it('is not offered where comments do not exist (JSON) or for a suppressed finding', () => {
    expect(commentMarker('template.json')).toBeUndefined();
    expect(commentMarker('main.tf.json')).toBeUndefined();
    expect(commentMarker('main.tf')).toBe('#');
    const text = '{"a": 1}\n';
    expect(suppressAction(finding('template.json', text, 1), 'file:///x', text, undefined)).toBeUndefined();
    const suppressed = { ...finding('a.yaml', 'a: 1\n', 1), suppressions: [{ kind: 'inSource' as const, justification: 'ok' }] };
    expect(suppressAction(suppressed, 'file:///x', 'a: 1\n', undefined)).toBeUndefined();
  });
});

it('regions map to LSP ranges (0-based, end exclusive)', () => {
  expect(toRange({ startLine: 7, startColumn: 9, endLine: 7, endColumn: 20, startOffset: 0, endOffset: 0 })).toEqual({ start: { line: 6, character: 8 }, end: { line: 6, character: 19 } });
});
