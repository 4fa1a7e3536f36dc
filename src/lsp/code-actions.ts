/**
 * Code actions for a finding: its safe fix (the edits `--fix` applies and SARIF `fixes`
 * carries) and "suppress with a reason", which inserts a `portwall-ignore` comment above the
 * finding's line with a placeholder reason to replace. Pure: findings and text in, edits out.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding } from '../core/finding.js';
import { fileUri, toRange } from './convert.js';

/** Deliberately an obvious placeholder: the reason is what a reviewer reads. */
export const PLACEHOLDER_REASON = 'TODO explain why this exposure is accepted';

export function fixAction(finding: Finding, root: string, diagnostic: Diagnostic | undefined): CodeAction | undefined {
  if (!finding.fix || finding.suppressions.length > 0 || finding.fix.edits.length === 0) return undefined;
  return {
    title: `${finding.fix.description} (${finding.ruleId})`,
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    edit: workspaceEdit(root, [finding]),
  };
}

/** Every safe fix of a file at once, first edit wins on overlap like `applyFixes`. */
export function fixAllAction(findings: Finding[], root: string): CodeAction | undefined {
  const fixable = findings.filter((f) => f.fix && f.suppressions.length === 0 && f.fix.edits.length > 0);
  if (fixable.length === 0) return undefined;
  return { title: 'Apply all portwall safe fixes', kind: `${CodeActionKind.SourceFixAll}.portwall`, edit: workspaceEdit(root, fixable) };
}

function workspaceEdit(root: string, findings: Finding[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  const taken = new Map<string, { start: number; end: number }[]>();
  for (const finding of findings) {
    for (const edit of finding.fix!.edits) {
      const spans = taken.get(edit.file) ?? [];
      if (spans.some((s) => edit.startOffset < s.end && s.start < edit.endOffset)) continue;
      if (spans.some((s) => s.start === edit.startOffset && s.end === edit.endOffset)) continue;
      spans.push({ start: edit.startOffset, end: edit.endOffset });
      taken.set(edit.file, spans);
      const uri = fileUri(root, edit.file);
      (changes[uri] ??= []).push({ range: toRange(edit.location.region), newText: edit.text });
    }
  }
  return { changes };
}

/** The comment marker of a file, or undefined where there are no comments (JSON). */
export function commentMarker(file: string): string | undefined {
  if (/\.json$/i.test(file)) return undefined;
  return '#';
}

export function suppressAction(finding: Finding, uri: string, text: string, diagnostic: Diagnostic | undefined): CodeAction | undefined {
  const marker = commentMarker(finding.location.file);
  if (!marker || finding.suppressions.length > 0) return undefined;
  const line = finding.location.region.startLine - 1;
  const lines = text.split('\n');
  const lineText = lines[line] ?? '';
  const indent = /^[ \t]*/.exec(lineText)![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const newText = `${indent}${marker} portwall-ignore ${finding.ruleId}: ${PLACEHOLDER_REASON}${eol}`;
  return {
    title: `Suppress ${finding.ruleId} on this line with a reason`,
    kind: CodeActionKind.QuickFix,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText }] } },
  };
}
