/** Applies the safe autofixes of findings to the files, in place. Overlapping edits: first wins. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import type { TextEdit } from '../model/types.js';

export function applyFixes(root: string, findings: Finding[]): { files: number; edits: number } {
  const byFile = new Map<string, TextEdit[]>();
  for (const f of findings) {
    if (!f.fix || f.suppressions.length > 0) continue;
    for (const e of f.fix.edits) {
      const list = byFile.get(e.file) ?? [];
      if (!list.some((x) => x.startOffset === e.startOffset && x.endOffset === e.endOffset)) list.push(e);
      byFile.set(e.file, list);
    }
  }
  let editCount = 0;
  for (const [file, edits] of byFile) {
    const absolute = path.resolve(root, file);
    let text = readFileSync(absolute, 'utf8');
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    const sorted = [...edits].sort((a, b) => b.startOffset - a.startOffset);
    let lastStart = Infinity;
    for (const e of sorted) {
      if (e.endOffset > lastStart) continue;
      text = text.slice(0, e.startOffset) + e.text + text.slice(e.endOffset);
      lastStart = e.startOffset;
      editCount++;
    }
    writeFileSync(absolute, (bom ? '\ufeff' : '') + text);
  }
  return { files: byFile.size, edits: editCount };
}
