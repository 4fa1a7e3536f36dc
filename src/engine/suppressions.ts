/**
 * Inline suppressions: `# portwall-ignore PW002: reason` (YAML, HCL, conf) or
 * `// portwall-ignore ...` (HCL) on the finding's line or the line above, and
 * `portwall-ignore-file PW002: reason` anywhere in a file. Several rules may be listed
 * (ids or names, comma-separated); `until YYYY-MM-DD` makes a suppression expire.
 *
 * A suppression without a reason, or past its date, does not apply and is reported as a
 * warning notification: the SPEC's rule catalogue (PW000-PW010) is stable, so misuse of a
 * suppression is a tool message rather than a new rule id. Suppressed findings stay in the
 * results, marked, so reports count them and SARIF carries them with their justification.
 */
import type { LineIndex, Location } from '../core/location.js';
import type { Finding, ToolNotification } from '../core/finding.js';
import type { Rule } from '../core/rule.js';

interface SuppressibleFile {
  path: string;
  text: string;
  index: LineIndex;
  /** Answers `mayHoldDirectives` without the text, for a file that dropped it (engine/scanned-source.ts). */
  mayHoldDirectives?(): boolean;
}

interface SuppressionDirective {
  scope: 'line' | 'file';
  /** Rule ids the directive names (unknown names are dropped and reported). */
  ruleIds: string[];
  reason: string;
  /** YYYY-MM-DD, inclusive: the suppression applies through that day. */
  until?: string;
  /** The line the comment is on. */
  line: number;
  /** Line whose findings it suppresses (scope line): its own line, or the next code line for a comment on its own line. */
  targetLine: number;
  location: Location;
  /** Why the directive does not apply, if it does not. */
  invalid?: string;
  /** Non-fatal remarks (an unknown rule name next to valid ones). */
  remarks: string[];
}

// The marker must start a comment: `#`, `//` or `/*` at line start or after whitespace,
// so `http://portwall-ignore` or `a#portwall-ignore` inside a value do not count.
const DIRECTIVE = /(^|\s)(#|\/\/|\/\*)\s*portwall-ignore(-file)?(?=[\s:]|$)(.*)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a file may hold a directive: JSON has no comments (a "portwall-ignore" there is data, not an instruction). */
export function mayHoldDirectives(path: string, text: string): boolean {
  return !/\.json$/i.test(path) && text.includes('portwall-ignore');
}

export function parseDirectives(file: SuppressibleFile, rules: Rule[], today: string): SuppressionDirective[] {
  if (!(file.mayHoldDirectives ? file.mayHoldDirectives() : mayHoldDirectives(file.path, file.text))) return [];
  const directives: SuppressionDirective[] = [];
  let nextCode: Int32Array | undefined;
  for (let line = 1; line <= file.index.lineCount; line++) {
    const text = file.index.lineText(line);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const markerStart = m.index + m[1]!.length;
    const ownLine = text.slice(0, markerStart).trim() === '';
    const body = (m[2] === '/*' ? m[4]!.replace(/\*\/\s*$/, '') : m[4]!).trim();
    const startOffset = file.index.offset(line, markerStart + 1);
    const location: Location = { file: file.path, region: file.index.region(startOffset, startOffset + text.length - markerStart) };
    const scope = m[3] ? 'file' : 'line';
    const directive = parseBody(body, rules, today);
    directives.push({
      scope,
      ...directive,
      line,
      targetLine: scope === 'line' && ownLine ? (nextCode ??= nextCodeLines(file))[line]! : line,
      location,
    });
  }
  return directives;
}

function parseBody(body: string, rules: Rule[], today: string): Pick<SuppressionDirective, 'ruleIds' | 'reason' | 'until' | 'invalid' | 'remarks'> {
  const colon = body.indexOf(':');
  const head = (colon === -1 ? body : body.slice(0, colon)).trim();
  let reason = colon === -1 ? '' : body.slice(colon + 1).trim();
  const remarks: string[] = [];
  const tokens = head.split(/[\s,]+/).filter(Boolean);
  let until: string | undefined;
  const untilAt = tokens.findIndex((t) => t.toLowerCase() === 'until');
  const names = untilAt === -1 ? tokens : tokens.slice(0, untilAt);
  if (untilAt !== -1) until = tokens[untilAt + 1] ?? '';
  // Also accept the date at the end of the reason: "...: legacy proxy, until 2027-03-31".
  const trailing = /[\s,;(]*\(?until\s+(\S+?)\)?\.?$/i.exec(reason);
  if (until === undefined && trailing) {
    until = trailing[1]!;
    reason = reason.slice(0, trailing.index).trim();
  }
  const ruleIds: string[] = [];
  for (const name of names) {
    const rule = rules.find((r) => r.meta.id.toLowerCase() === name.toLowerCase() || r.meta.name === name.toLowerCase());
    if (rule) {
      if (!ruleIds.includes(rule.meta.id)) ruleIds.push(rule.meta.id);
    } else {
      remarks.push(`unknown rule "${name}"`);
    }
  }
  const result = { ruleIds, reason, ...(until !== undefined ? { until } : {}), remarks };
  if (names.length === 0) return { ...result, invalid: 'names no rule (write the rule ids or names it suppresses, e.g. "portwall-ignore PW002: <reason>")' };
  if (ruleIds.length === 0) return { ...result, invalid: `names no known rule (${remarks.join(', ')})` };
  if (reason === '') return { ...result, invalid: 'has no reason, so it does not apply: write why the finding is accepted after a colon, e.g. "portwall-ignore PW002: <reason>"' };
  if (until !== undefined) {
    if (!DATE.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || new Date(`${until}T00:00:00Z`).toISOString().slice(0, 10) !== until) {
      return { ...result, invalid: `has an invalid expiry date "${until}" (expected until YYYY-MM-DD), so it does not apply` };
    }
    if (until < today) return { ...result, invalid: `expired on ${until}, so it no longer applies: fix the finding or renew the date after review` };
  }
  return result;
}

/**
 * A comment on its own line covers the next line that is not itself a comment: for every line,
 * in one backward pass (60k consecutive comment lines were quadratic).
 */
function nextCodeLines(file: SuppressibleFile): Int32Array {
  const count = file.index.lineCount;
  const next = new Int32Array(count + 2);
  let code = -1;
  for (let n = count; n >= 1; n--) {
    next[n] = code === -1 ? n + 1 : code;
    if (!/^(#|\/\/)/.test(file.index.lineText(n).trim())) code = n;
  }
  return next;
}

/** Notifications about directives, at most this many per file and kind; the rest are counted. */
const MAX_DIRECTIVE_NOTES = 20;

function isoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Mark findings covered by valid directives as suppressed (kind inSource) and report
 * directives that are invalid, expired, or match no finding.
 */
export function applyInlineSuppressions(
  findings: Finding[],
  files: SuppressibleFile[],
  rules: Rule[],
  now: Date,
): { findings: Finding[]; notifications: ToolNotification[] } {
  const today = isoDate(now);
  const notifications: ToolNotification[] = [];
  const byFile = new Map<string, SuppressionDirective[]>();
  for (const file of files) {
    const directives = parseDirectives(file, rules, today);
    if (directives.length > 0) byFile.set(file.path, directives);
  }
  const used = new Set<SuppressionDirective>();
  // Directives by target line (and file-wide ones), so each finding looks only at its own lines.
  const index = new Map<string, { file: SuppressionDirective[]; byLine: Map<number, SuppressionDirective[]>; lines: number[] }>();
  for (const [file, directives] of byFile) {
    const entry = { file: [] as SuppressionDirective[], byLine: new Map<number, SuppressionDirective[]>(), lines: [] as number[] };
    for (const d of directives) {
      if (d.invalid) continue;
      if (d.scope === 'file') entry.file.push(d);
      else {
        const list = entry.byLine.get(d.targetLine);
        if (list) list.push(d);
        else entry.byLine.set(d.targetLine, [d]);
      }
    }
    entry.lines = [...entry.byLine.keys()].sort((a, b) => a - b);
    index.set(file, entry);
  }
  const out = findings.map((finding) => {
    const entry = index.get(finding.location.file);
    if (!entry) return finding;
    const r = finding.location.region;
    const candidates = [...entry.file];
    // The target lines inside the finding's region, found by binary search.
    let lo = 0;
    let hi = entry.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entry.lines[mid]! < r.startLine) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < entry.lines.length && entry.lines[i]! <= r.endLine; i++) for (const d of entry.byLine.get(entry.lines[i]!)!) candidates.push(d);
    const matching = candidates.filter((d) => d.ruleIds.includes(finding.ruleId));
    if (matching.length === 0) return finding;
    for (const d of matching) used.add(d);
    return {
      ...finding,
      suppressions: [...finding.suppressions, ...matching.map((d) => ({ kind: 'inSource' as const, justification: d.reason, location: d.location }))],
    };
  });
  for (const [file, directives] of byFile) {
    const counts = { invalid: 0, remarks: 0, unused: 0 };
    const keep = (kind: keyof typeof counts) => ++counts[kind] <= MAX_DIRECTIVE_NOTES;
    for (const d of directives) {
      const label = `${file}:${d.line}: portwall-ignore${d.scope === 'file' ? '-file' : ''}${d.ruleIds.length ? ` ${d.ruleIds.join(',')}` : ''}`;
      if (d.invalid) {
        if (keep('invalid')) notifications.push({ level: 'warning', kind: 'config', file, location: d.location, message: `${label} ${d.invalid}` });
        continue;
      }
      if (d.remarks.length > 0 && keep('remarks')) notifications.push({ level: 'warning', kind: 'config', file, location: d.location, message: `${label}: ${d.remarks.join(', ')}` });
      if (!used.has(d) && keep('unused')) notifications.push({ level: 'note', kind: 'config', file, location: d.location, message: `${label} matches no finding${d.scope === 'line' ? ` on line ${d.targetLine}` : ''}: remove it` });
    }
    const more = (n: number, what: string, level: 'warning' | 'note') => {
      if (n > MAX_DIRECTIVE_NOTES) notifications.push({ level, kind: 'config', file, message: `${file}: ${n - MAX_DIRECTIVE_NOTES} more portwall-ignore comments ${what}` });
    };
    more(counts.invalid, 'do not apply (invalid or expired)', 'warning');
    more(counts.remarks, 'name unknown rules', 'warning');
    more(counts.unused, 'match no finding: remove them', 'note');
  }
  return { findings: out, notifications };
}
