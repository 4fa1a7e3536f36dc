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
import { fileSecrets } from '../engine/known-secrets.js';
import type { Anchor } from './placement.js';

export const REVIEW_MARKER = '<!-- portwall-review -->';
export const SUPERSEDED_MARKER = '<!-- portwall-review-superseded -->';
export const COMMENT_MARKER = '<!-- portwall-review-comment -->';
export const SUMMARY_MARKER = '<!-- portwall-summary -->';

const LEVEL_LABEL = { error: 'Error', warning: 'Warning', note: 'Note' } as const;

/** Line breaks of every kind (a lone \r breaks a table row too) and other control characters. */
const BREAKS = /[\r\n\u0085\u2028\u2029]+/g;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Inline text from untrusted input (service, file and rule names a pull request controls): no
 * HTML, no links or images (`[`/`]` escaped, bare URLs broken), no emphasis, no table breaks,
 * no @mentions or #references, one line.
 */
export function escapeText(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\[\]|*_~`]/g, (c) => `\\${c}`)
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
    .replace(/#(?=[0-9])/g, '#\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`);
}

/** One line of text: every line break a space, other control characters dropped. */
function oneLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROLS, '');
}

/** A link target from untrusted input (a custom rule's helpUri): only http(s), with characters that end a link encoded. */
export function safeUrl(uri: string | undefined): string | undefined {
  if (!uri || !/^https?:\/\/[^\s]+$/i.test(uri)) return undefined;
  return uri.replace(/[()<>\[\]"'`|\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * A code span that survives backticks in the content. Code spans render HTML and mentions as
 * literal text, so only line breaks need neutralizing (tables escape `|` themselves).
 */
export function code(text: string): string {
  const line = oneLine(text);
  let longest = 0;
  for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 || line.startsWith(' ') || line.endsWith(' ') ? ` ${line} ` : line;
  return `${fence}${padded}${fence}`;
}

export function ruleLink(finding: Finding, rules: Rule[]): string {
  // Custom rules come from the checked-out config: their id, name and helpUri are untrusted too.
  const uri = safeUrl(rules.find((r) => r.meta.id === finding.ruleId)?.meta.helpUri);
  const label = escapeText(`${finding.ruleId} ${finding.ruleName}`);
  return uri ? `[${label}](${uri})` : label;
}

interface SuggestionInput {
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
  // Also the file's own secrets (a NoEcho default elsewhere in the template, a value named on the line before).
  const known = fileSecrets(text);
  if ([...before, ...after].some((line) => redactLine(line) !== line || known.some((secret) => line.includes(secret)))) {
    return { reason: 'the line looks like it holds a secret, so it is not quoted here' };
  }
  return { lines: after };
}

function fenced(lines: string[], info: string): string {
  let longest = 2;
  for (const l of lines) for (const run of l.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
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

interface Counts {
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

interface TableOptions {
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
