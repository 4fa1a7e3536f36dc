/**
 * Applies the safe autofixes of findings to the files, in place (--fix), or shows them as a
 * unified diff (--fix-dry-run). Overlapping edits: first wins. Edits replace only the bytes of
 * the value they fix, so comments, anchors and aliases around it are kept as written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import { LineIndex } from '../core/location.js';
import type { TextEdit } from '../model/types.js';

interface FileFix {
  file: string;
  absolute: string;
  bom: boolean;
  before: string;
  /** Non-overlapping edits, last first. */
  edits: TextEdit[];
}

function planFixes(root: string, findings: Finding[]): FileFix[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const f of findings) {
    if (!f.fix || f.suppressions.length > 0) continue;
    for (const e of f.fix.edits) {
      const list = byFile.get(e.file) ?? [];
      if (!list.some((x) => x.startOffset === e.startOffset && x.endOffset === e.endOffset)) list.push(e);
      byFile.set(e.file, list);
    }
  }
  const plans: FileFix[] = [];
  for (const [file, edits] of byFile) {
    const absolute = path.resolve(root, file);
    let text = readFileSync(absolute, 'utf8');
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    const sorted = [...edits].sort((a, b) => b.startOffset - a.startOffset);
    const kept: TextEdit[] = [];
    let lastStart = Infinity;
    for (const e of sorted) {
      if (e.endOffset > lastStart) continue;
      kept.push(e);
      lastStart = e.startOffset;
    }
    plans.push({ file, absolute, bom, before: text, edits: kept });
  }
  return plans.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of edits) out = out.slice(0, e.startOffset) + e.text + out.slice(e.endOffset);
  return out;
}

export function applyFixes(root: string, findings: Finding[]): { files: number; edits: number } {
  let editCount = 0;
  const plans = planFixes(root, findings);
  for (const plan of plans) {
    writeFileSync(plan.absolute, (plan.bom ? '\ufeff' : '') + applyEdits(plan.before, plan.edits));
    editCount += plan.edits.length;
  }
  return { files: plans.length, edits: editCount };
}

/** The fixes as a unified diff (`git apply`/`patch -p1` compatible), without changing any file. */
export function fixDiff(root: string, findings: Finding[], context = 3): { text: string; files: number; edits: number } {
  const plans = planFixes(root, findings);
  const out: string[] = [];
  let edits = 0;
  for (const plan of plans) {
    edits += plan.edits.length;
    out.push(`--- a/${plan.file}`, `+++ b/${plan.file}`, ...hunks(plan.before, [...plan.edits].reverse(), context));
  }
  return { text: out.length ? `${out.join('\n')}\n` : '', files: plans.length, edits };
}

/** Hunks from edits (ascending, non-overlapping): each changed block is its lines before and after. */
function hunks(text: string, edits: TextEdit[], context: number): string[] {
  const index = new LineIndex(text);
  // 0-based line of an offset, and a 0-based line's first offset.
  const lineAt = (offset: number) => index.position(offset).line - 1;
  const lineStart = (line: number) => index.offset(line + 1, 1);
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  // Blocks of whole old lines [from, to] and their replacement lines.
  const blocks: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const e of edits) {
    const from = lineAt(e.startOffset);
    const to = lineAt(Math.max(e.startOffset, e.endOffset - (e.endOffset > e.startOffset && text[e.endOffset - 1] === '\n' ? 1 : 0)));
    const last = blocks[blocks.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else {
      blocks.push({ from, to, edits: [e] });
    }
  }
  const replaced = blocks.map((b) => {
    const start = lineStart(b.from);
    const end = b.to + 1 < index.lineCount ? lineStart(b.to + 1) : text.length;
    const oldText = text.slice(start, end);
    const shifted = b.edits.map((e) => ({ ...e, startOffset: e.startOffset - start, endOffset: e.endOffset - start })).reverse();
    const newText = applyEdits(oldText, shifted);
    const split = (t: string) => (t.endsWith('\n') ? t.slice(0, -1) : t).split('\n');
    return { ...b, oldLines: split(oldText), newLines: newText === '' ? [] : split(newText) };
  });
  const out: string[] = [];
  let i = 0;
  let delta = 0;
  while (i < replaced.length) {
    // Merge blocks whose context overlaps into one hunk.
    let j = i;
    while (j + 1 < replaced.length && replaced[j + 1]!.from - replaced[j]!.to - 1 <= 2 * context) j++;
    const first = replaced[i]!;
    const lastBlock = replaced[j]!;
    const hunkStart = Math.max(0, first.from - context);
    const hunkEnd = Math.min(lines.length - 1, lastBlock.to + context);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let line = hunkStart;
    const last = lines.length - 1;
    const noEol = '\\ No newline at end of file';
    for (let k = i; k <= j; k++) {
      const b = replaced[k]!;
      for (; line < b.from; line++, oldCount++, newCount++) body.push(` ${lines[line]}`);
      for (const l of b.oldLines) body.push(`-${l}`);
      if (!trailingNewline && b.to === last) body.push(noEol);
      for (const l of b.newLines) body.push(`+${l}`);
      if (!trailingNewline && b.to === last && b.newLines.length) body.push(noEol);
      oldCount += b.oldLines.length;
      newCount += b.newLines.length;
      line = b.to + 1;
    }
    for (; line <= hunkEnd; line++, oldCount++, newCount++) body.push(` ${lines[line]}`);
    if (!trailingNewline && hunkEnd === last && lastBlock.to !== last) body.push(noEol);
    const range = (startLine: number, count: number) => (count === 0 ? `${startLine},0` : count === 1 ? `${startLine + 1}` : `${startLine + 1},${count}`);
    out.push(`@@ -${range(hunkStart, oldCount)} +${range(hunkStart + delta, newCount)} @@`, ...body);
    delta += newCount - oldCount;
    i = j + 1;
  }
  return out;
}
