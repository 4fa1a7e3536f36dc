/**
 * Fingerprints survive unrelated edits: every file of the real-world corpus gets one unrelated
 * line inserted (a comment, or a blank line in JSON) away from every finding's lines, which
 * shifts all lines below it; no fingerprint may change. And two identical findings never share
 * one. Differential analysis (new vs pre-existing) stands on both.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, LintResult } from '../../src/core/finding.js';
import { lint } from '../../src/engine/lint.js';
import { ROOT } from '../helpers/index.js';

const CORPUS = path.join(ROOT, '../shared/corpus');
const scratch = mkdtempSync(path.join(tmpdir(), 'portwall-fingerprint-'));
// Removing a 45 MB copy takes a while on a busy machine.
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 120_000);

/** Lines (1-based) a finding of this file covers: primary and related regions. */
function coveredLines(findings: Finding[]): Map<string, [number, number][]> {
  const byFile = new Map<string, [number, number][]>();
  const add = (file: string, start: number, end: number) => {
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file)!.push([start, end]);
  };
  for (const f of findings) {
    add(f.location.file, f.location.region.startLine, f.location.region.endLine);
    for (const r of f.related) add(r.location.file, r.location.region.startLine, r.location.region.endLine);
    for (const s of f.suppressions) if (s.location) add(s.location.file, s.location.region.startLine, s.location.region.endLine);
  }
  return byFile;
}

type Kind = 'json' | 'yaml' | 'hash';

function kindOf(file: string, text: string): Kind {
  if (/\.json$/i.test(file) || (/\.template$/i.test(file) && text.trimStart().startsWith('{'))) return 'json';
  if (/\.(ya?ml|template)$/i.test(file) || /mongo.*\.conf(\.tpl)?$/i.test(file)) return 'yaml';
  return 'hash';
}

/** Lines where a new line may go before without changing the document's meaning. */
function safeLines(kind: Kind, lines: string[]): boolean[] {
  const safe = lines.map(() => kind === 'json');
  if (kind === 'json') return safe;
  let heredoc: string | undefined;
  let scalarIndent: number | undefined;
  let flowDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (kind === 'hash') {
      if (heredoc) {
        if (line.trim() === heredoc) heredoc = undefined;
        continue;
      }
      safe[i] = true;
      const m = /<<-?\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*$/.exec(line);
      if (m) heredoc = m[1];
      continue;
    }
    // YAML: before a mapping key or a sequence item, never inside a block scalar or a flow collection.
    if (scalarIndent !== undefined) {
      if (line.trim() === '' || indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    safe[i] = flowDepth === 0 && /^\s*(- |-$|[A-Za-z0-9_"'$.\/-][^:#]*:(\s|$))/.test(line);
    const code = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""').replace(/(^|\s)#.*$/, '');
    for (const ch of code) flowDepth += ch === '[' || ch === '{' ? 1 : ch === ']' || ch === '}' ? -1 : 0;
    if (flowDepth < 0) flowDepth = 0;
    if (/[:-]\s*[|>][-+0-9]*\s*(#.*)?$/.test(line)) scalarIndent = indent;
  }
  return safe;
}

/** Inserts an unrelated line near the middle, outside every finding's lines. Returns the new text. */
export function editUnrelated(file: string, text: string, covered: [number, number][], broken = false): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const kind = kindOf(file, text);
  const safe = safeLines(kind, lines);
  // Inserting before line L splits no region [s, e] when L is not in (s, e].
  const splits = (L: number) => covered.some(([s, e]) => s < L && L <= e);
  const middle = Math.max(1, Math.floor(lines.length / 2));
  const order = Array.from({ length: lines.length }, (_, i) => i + 1).sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b);
  // A file that does not parse has no structure to be unrelated to: the edit goes on top.
  const at = broken ? 1 : (order.find((L) => L > 1 && safe[L - 1] && !splits(L)) ?? 1);
  const target = lines[at - 1] ?? '';
  const indent = at === 1 ? '' : target.slice(0, target.length - target.trimStart().length);
  const inserted = kind === 'json' ? '' : `${indent}# unrelated edit for the fingerprint test`;
  lines.splice(at - 1, 0, inserted);
  return lines.join(eol);
}

function byFile(result: LintResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of result.findings) {
    if (!out.has(f.location.file)) out.set(f.location.file, []);
    out.get(f.location.file)!.push(`${f.ruleId} ${f.fingerprint}`);
  }
  return out;
}

describe.skipIf(!existsSync(CORPUS))('fingerprints on the corpus', () => {
  it('do not change when an unrelated line of every file is edited, and are unique', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const before = await lint({ cwd: CORPUS, paths: ['.'], now });
    const copy = path.join(scratch, 'corpus');
    cpSync(CORPUS, copy, { recursive: true, dereference: true });
    const covered = coveredLines(before.findings);
    const broken = new Set(before.findings.filter((f) => f.ruleId === 'PW000').map((f) => f.location.file));
    let edited = 0;
    for (const { path: file } of before.files) {
      const abs = path.join(copy, file);
      const text = readFileSync(abs, 'utf8');
      writeFileSync(abs, editUnrelated(file, text, covered.get(file) ?? [], broken.has(file)));
      edited++;
    }
    const after = await lint({ cwd: copy, paths: ['.'], now });

    expect(edited).toBeGreaterThan(5000);
    expect(after.files.length).toBe(before.files.length);
    // Every fingerprint is unique: two identical findings never share one.
    expect(new Set(before.findings.map((f) => f.fingerprint)).size).toBe(before.findings.length);
    // File by file, the same findings with the same fingerprints.
    const a = byFile(before);
    const b = byFile(after);
    const changed = [...new Set([...a.keys(), ...b.keys()])].filter((file) => JSON.stringify(a.get(file)) !== JSON.stringify(b.get(file)));
    expect(changed).toEqual([]);
    // The edit moved lines: the test would notice line numbers in fingerprints.
    const moved = after.findings.filter((f, i) => f.location.region.startLine !== before.findings[i]?.location.region.startLine).length;
    expect(moved).toBeGreaterThan(before.findings.length / 4);
  }, 180_000);
});

describe('identical findings', () => {
  it('never share a fingerprint, in one file or across files', async () => {
    const dir = path.join(scratch, 'twins');
    const compose = 'services:\n  a:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n      - "8080:80"\n  b:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n';
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
    writeFileSync(path.join(dir, 'other-compose.yml'), compose);
    const result = await lint({ cwd: dir, paths: ['.'] });
    const pw001 = result.findings.filter((f) => f.ruleId === 'PW001');
    expect(pw001.length).toBeGreaterThanOrEqual(4);
    expect(new Set(pw001.map((f) => f.fingerprint)).size).toBe(pw001.length);
  });
});
