/**
 * Markdown for what the action posts: inline review comments (with a ```suggestion block for
 * safe fixes), the review body, the summary comment and the job summary.
 *
 * Messages name services and files from the scanned tree, which a pull request controls, so
 * they are escaped: no HTML (a fake hidden marker could hijack our comments), no @mentions.
 * Source lines are never quoted except as a suggestion, and never when they look like secrets.
 */
import type { Finding } from '../core/finding.js';
import { LineIndex } from '../core/location.js';
import type { Rule } from '../core/rule.js';
import { redactLine } from '../core/redact.js';
import type { Anchor } from './placement.js';

export const REVIEW_MARKER = '<!-- portwall-review -->';
export const SUPERSEDED_MARKER = '<!-- portwall-review-superseded -->';
export const COMMENT_MARKER = '<!-- portwall-review-comment -->';
export const SUMMARY_MARKER = '<!-- portwall-summary -->';

const LEVEL_LABEL = { error: 'Error', warning: 'Warning', note: 'Note' } as const;

/** Inline text from untrusted input: no HTML, no table breaks, no mentions, one line. */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/**
 * A code span that survives backticks in the content. Code spans render HTML and mentions as
 * literal text, so only line breaks need neutralizing (tables escape `|` themselves).
 */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 ? ` ${oneLine} ` : oneLine;
  return `${fence}${padded}${fence}`;
}

export function ruleLink(finding: Finding, rules: Rule[]): string {
  const uri = rules.find((r) => r.meta.id === finding.ruleId)?.meta.helpUri;
  const label = `${finding.ruleId} ${finding.ruleName}`;
  return uri ? `[${label}](${uri})` : label;
}

export interface SuggestionInput {
  finding: Finding;
  anchor: Anchor;
  /** Workspace file text (BOM stripped, as the engine read it). */
  text: string;
}

/**
 * The replacement text for the commented lines: those lines with the fix's edits applied.
 * Only when every edit lies in the anchor's lines of the same file, and no line involved
 * looks like it holds a secret (a suggestion cannot be redacted: it would commit the mask).
 */
export function suggestedLines({ finding, anchor, text }: SuggestionInput): { lines: string[] } | { reason: string } | undefined {
  const fix = finding.fix;
  if (!fix || !anchor.onPrimary) return undefined;
  const index = new LineIndex(text);
  const firstLine = anchor.startLine - anchor.shift;
  const lastLine = anchor.line - anchor.shift;
  const from = index.offset(firstLine, 1);
  const lineEnd = index.offset(lastLine, 1) + index.lineText(lastLine).length;
  if (fix.edits.some((e) => e.file !== anchor.path || e.startOffset < from || e.endOffset > lineEnd)) return undefined;
  const original = text.slice(from, lineEnd);
  let replaced = original;
  for (const edit of [...fix.edits].sort((a, b) => b.startOffset - a.startOffset)) {
    replaced = replaced.slice(0, edit.startOffset - from) + edit.text + replaced.slice(edit.endOffset - from);
  }
  const before = original.split(/\r?\n/);
  const after = replaced.split(/\r?\n/);
  if ([...before, ...after].some((line) => redactLine(line) !== line)) {
    return { reason: 'the line looks like it holds a secret, so it is not quoted here' };
  }
  return { lines: after };
}

function fenced(lines: string[], info: string): string {
  const longest = Math.max(2, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${lines.join('\n')}\n${fence}`;
}

export function reviewCommentBody(input: SuggestionInput, rules: Rule[]): string {
  const { finding, anchor } = input;
  const parts = [COMMENT_MARKER, `**${LEVEL_LABEL[finding.level]}: ${ruleLink(finding, rules)}**`, '', escapeText(finding.message)];
  if (!anchor.onPrimary) {
    const r = finding.location.region;
    parts.push('', `This change is part of a finding reported at ${code(finding.location.file)} line ${r.startLine}.`);
  }
  for (const related of finding.related) {
    if (related.location.file === anchor.path && related.location.region.startLine + anchor.shift === anchor.startLine) continue;
    parts.push('', `Related: ${escapeText(related.message)} (${code(related.location.file)} line ${related.location.region.startLine})`);
  }
  const suggestion = suggestedLines(input);
  if (suggestion && 'lines' in suggestion) {
    parts.push('', `**Suggested fix:** ${escapeText(input.finding.fix!.description)}`, fenced(suggestion.lines, 'suggestion'));
  } else if (finding.fix) {
    const why = suggestion && 'reason' in suggestion ? ` (not shown: ${suggestion.reason})` : '';
    parts.push('', `**Fix available:** ${escapeText(finding.fix.description)} — run ${code('portwall --fix')}${why}.`);
  }
  return parts.join('\n');
}

export interface Counts {
  errors: number;
  warnings: number;
  notes: number;
  total: number;
}

export function countFindings(findings: Finding[]): Counts {
  const counts = { errors: 0, warnings: 0, notes: 0, total: findings.length };
  for (const f of findings) {
    if (f.level === 'error') counts.errors++;
    else if (f.level === 'warning') counts.warnings++;
    else counts.notes++;
  }
  return counts;
}

export function describeCounts(c: Counts): string {
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${part(c.errors, 'error')}, ${part(c.warnings, 'warning')}, ${part(c.notes, 'note')}`;
}

export interface TableOptions {
  rules: Rule[];
  /** Link a location to the file on GitHub at this commit, e.g. https://github.com/o/r/blob/sha. */
  blobUrl?: string;
  maxRows: number;
  /** GitHub caps a comment and a check-run summary at 65,536 characters. */
  maxChars?: number;
}

export function findingsTable(findings: Finding[], options: TableOptions): string {
  const budget = options.maxChars ?? 60_000;
  const rows: string[] = [];
  let size = 0;
  for (const f of findings.slice(0, options.maxRows)) {
    const r = f.location.region;
    const where = `${f.location.file}:${r.startLine}`;
    const place = options.blobUrl ? `[${escapeText(where)}](${options.blobUrl}/${f.location.file.split('/').map(encodeURIComponent).join('/')}#L${r.startLine}${r.endLine > r.startLine ? `-L${r.endLine}` : ''})` : code(where).replace(/\|/g, '\\|');
    const row = `| ${LEVEL_LABEL[f.level]} | ${ruleLink(f, options.rules)} | ${place} | ${escapeText(f.message)} |`;
    if (size + row.length > budget) break;
    rows.push(row);
    size += row.length + 1;
  }
  const more = findings.length - rows.length;
  return ['| Level | Rule | Location | Message |', '| --- | --- | --- | --- |', ...rows, ...(more > 0 ? ['', `…and ${more} more (all of them are in the SARIF file).`] : [])].join('\n');
}
