/**
 * Bodies of what the differential review posts: one inline comment per commented line (all
 * findings of that line, or a call-out of a suppression / baseline / config change), the text
 * a comment is edited to once its findings are fixed, and the summary comment. Every comment
 * carries a hidden id line (the fingerprints it stands for) so later runs find it again and
 * keep it instead of deleting and re-posting. Escaping is markdown.ts's.
 */
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { VERSION } from '../version.js';
import { code, COMMENT_MARKER, countFindings, describeCounts, escapeText, findingsTable, REVIEW_MARKER, reviewCommentBody, ruleLink, SUMMARY_MARKER } from './markdown.js';
import type { Anchor } from './placement.js';
import type { CallOut } from './trust.js';

const IDS = /<!-- portwall-ids: ([^>]*?) -->/;
const CLOSED_MARKER = '<!-- portwall-closed -->';

/** Ids are fingerprints (hex) and call-out keys built from paths: kept to what an HTML comment holds. */
function cleanId(id: string): string {
  return id.replace(/-->|[\s<>]/g, '_');
}

export function idsLine(ids: string[]): string {
  return `<!-- portwall-ids: ${ids.map(cleanId).join(' ')} -->`;
}

export function idsOf(body: string): string[] {
  const m = IDS.exec(body);
  return m ? m[1]!.split(' ').filter(Boolean) : [];
}

export function isClosed(body: string): boolean {
  return body.includes(CLOSED_MARKER);
}

export interface Thread {
  ids: string[];
  path: string;
  startLine: number;
  line: number;
  body: string;
}

/** All findings whose comment sits on one line share one comment. */
export function findingThread(group: { finding: Finding; anchor: Anchor }[], rules: Rule[], textOf: (file: string) => string | undefined): Thread {
  const anchor = group[0]!.anchor;
  let fixShown = false;
  const parts = group.map(({ finding, anchor: a }) => {
    // One suggestion per comment: GitHub applies a suggestion to the commented lines as a whole.
    const { fix: _fix, ...withoutFix } = finding;
    const f = fixShown ? (withoutFix as Finding) : finding;
    if (finding.fix) fixShown = true;
    return reviewCommentBody({ finding: f, anchor: a, text: textOf(finding.location.file) ?? '' }, rules).split('\n').slice(1).join('\n');
  });
  const ids = group.map((g) => g.finding.fingerprint);
  return {
    ids,
    path: anchor.path,
    startLine: Math.min(...group.map((g) => g.anchor.startLine).filter((n) => n <= anchor.line)),
    line: anchor.line,
    body: [COMMENT_MARKER, idsLine(ids), ...(group.length > 1 ? [`**portwall: ${group.length} new findings on this line**`, ''] : []), parts.join('\n\n---\n\n')].join('\n'),
  };
}

function callOutText(call: CallOut, rules: Rule[]): string[] {
  const lines = [`**Trust: ${call.whatMarkdown ?? escapeText(call.what)} ${call.notApplied ? 'would silence' : 'silences'} ${call.silences.length === 0 ? 'no current finding' : `${call.silences.length} finding${call.silences.length === 1 ? '' : 's'}`}.**`];
  for (const f of call.silences.slice(0, 10)) lines.push(`- ${ruleLink(f, rules)}: ${escapeText(f.message)} (${code(f.location.file)} line ${f.location.region.startLine})`);
  if (call.silences.length > 10) lines.push(`- …and ${call.silences.length - 10} more`);
  if (call.notApplied) lines.push('', '_Not applied to this run (config-from: base): the base commit\'s policy judges this pull request; the change takes effect once merged._');
  else lines.push('', '_Added by this pull request: a reviewer should agree that this is accepted rather than fixed._');
  return lines;
}

export function callOutThread(call: CallOut, rules: Rule[], anchor: { path: string; line: number }): Thread {
  return { ids: [cleanId(call.id)], path: anchor.path, startLine: anchor.line, line: anchor.line, body: [COMMENT_MARKER, idsLine([call.id]), ...callOutText(call, rules)].join('\n') };
}

/** What a comment becomes when nothing it stood for is reported any more. */
export function closedBody(previous: string, why: string, sha: string): string {
  const title = previous.split('\n').find((l) => l.startsWith('**')) ?? '';
  return [COMMENT_MARKER, idsLine(idsOf(previous)), CLOSED_MARKER, `**${why} as of commit ${sha.slice(0, 7)}.**`, ...(title ? ['', `~~${title.replace(/~~/g, '')}~~`] : [])].join('\n');
}

export function newReviewBody(count: number, sha: string): string {
  return [REVIEW_MARKER, `### portwall: ${count} new comment${count === 1 ? '' : 's'} for commit ${sha.slice(0, 7)}`, '', 'The portwall summary comment has the full picture: new and pre-existing findings, and what this pull request silences.', '', `<sub>portwall ${VERSION} · comments are kept across runs and edited when fixed</sub>`].join('\n');
}

interface SummaryInput {
  sha: string;
  baseSha?: string;
  baseHow?: string;
  /** Why there is no base comparison (every finding then counts as new). */
  noBase?: string;
  newFindings: Finding[];
  inline: number;
  elsewhere: Finding[];
  preExisting: number;
  fixed: number;
  callOuts: CallOut[];
  notes: string[];
  rules: Rule[];
  blobUrl: string;
  failed: boolean;
  /** only-changed false: every finding is reported, not only new ones. */
  all?: boolean;
}

export function differentialSummary(s: SummaryInput): string {
  const counts = countFindings(s.newFindings);
  const word = s.all ? '' : 'new ';
  const head = s.newFindings.length === 0 ? `### portwall: no ${word}findings` : `### portwall: ${s.newFindings.length} ${word}finding${s.newFindings.length === 1 ? '' : 's'}${s.failed ? ' (failing)' : ''}`;
  const lines = [SUMMARY_MARKER, head, ''];
  if (s.noBase) lines.push(`> [!WARNING]`, `> No base comparison: ${escapeText(s.noBase)}. Every finding counts as new.`, '');
  const compared = s.baseSha ? ` compared with ${s.baseSha.slice(0, 7)} (${escapeText(s.baseHow ?? 'the base')})` : '';
  lines.push(s.all ? `**${describeCounts(counts)}** at commit ${s.sha.slice(0, 7)} (only-changed: false reports every finding).` : `**${describeCounts(counts)}** introduced at commit ${s.sha.slice(0, 7)}${compared}.`);
  if (s.newFindings.length > 0) lines.push(`Commented inline on a changed line: ${s.inline}; listed below: ${s.elsewhere.length}.`);
  if (!s.all) lines.push(`${s.preExisting} pre-existing finding${s.preExisting === 1 ? '' : 's'} (already in the base) ${s.preExisting === 1 ? 'does' : 'do'} not fail this pull request${s.fixed ? `; ${s.fixed} finding${s.fixed === 1 ? '' : 's'} of the base ${s.fixed === 1 ? 'is' : 'are'} no longer reported (fixed, or replaced by a more specific one)` : ''}.`);
  if (s.elsewhere.length > 0) {
    lines.push('', s.all ? '#### Findings not on a changed line' : '#### New findings not on a changed line', '', s.all ? 'Not on a line this pull request changes, or beyond the inline comment limit.' : 'The change causes these through a line it does not touch (a value used elsewhere, a type or port change), or they are beyond the inline comment limit.', '', findingsTable(s.elsewhere, { rules: s.rules, maxRows: 100, maxChars: 40_000, blobUrl: s.blobUrl }));
  }
  if (s.callOuts.length > 0) {
    lines.push('', '#### What this pull request silences', '');
    for (const c of s.callOuts) {
      const where = `[${escapeText(`${c.file}:${c.line}`)}](${s.blobUrl}/${c.file.split('/').map(encodeURIComponent).join('/')}#L${c.line})`;
      const what = c.silences.length === 0 ? 'no current finding' : c.silences.slice(0, 3).map((f) => `${f.ruleId} at ${code(`${f.location.file}:${f.location.region.startLine}`)}`).join(', ') + (c.silences.length > 3 ? ` and ${c.silences.length - 3} more` : '');
      lines.push(`- ${where}: ${c.whatMarkdown ?? escapeText(c.what)} ${c.notApplied ? 'would silence (not applied: config-from base)' : 'silences'} ${what}`);
    }
  }
  for (const n of s.notes) lines.push('', `> ${escapeText(n)}`);
  lines.push('', `<sub>portwall ${VERSION} · updated on every run</sub>`);
  return lines.join('\n');
}
