/**
 * Where each finding goes on a pull request: does the PR touch it (for only-changed and
 * fail-on), and which RIGHT-side lines of the diff can carry its inline comment.
 *
 * Line numbers come from the checked-out workspace, comment lines must be head lines. The
 * default checkout of a pull_request run is the merge commit, whose lines can differ from the
 * head's where the base changed too, so a line is trusted only when its workspace text equals
 * the text the patch shows for it. Never guess: what cannot be verified gets no inline comment.
 */
import type { Finding } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { FileDiff, PullDiff } from './diff.js';

export interface Anchor {
  path: string;
  /** First and last head line of the comment (equal for a one-line comment). */
  startLine: number;
  line: number;
  /** Head line = workspace line + shift (non-zero only when the checkout is shifted). */
  shift: number;
  /** The comment sits on the finding's own region (not on a related location). */
  onPrimary: boolean;
}

interface Placement {
  finding: Finding;
  /** The PR added or changed a line of the finding (or of a related location). */
  touched: boolean;
  anchor?: Anchor;
}

/** Text of the workspace files, by path relative to the scan root; undefined when unreadable. */
type LinesOf = (file: string) => readonly string[] | undefined;

/** Last line a region really covers: a region ending at column 1 stops before that line. */
export function lastLine(location: Location): number {
  const r = location.region;
  return r.endLine > r.startLine && r.endColumn === 1 ? r.endLine - 1 : r.endLine;
}

export function placeFindings(findings: Finding[], diff: PullDiff | undefined, linesOf: LinesOf): Placement[] {
  return findings.map((finding) => {
    // Without the PR's diff every finding counts: an unknown never silently passes.
    if (!diff) return { finding, touched: true };
    const locations = [{ location: finding.location, primary: true }, ...finding.related.map((r) => ({ location: r.location, primary: false }))];
    let touched = false;
    let anchor: Anchor | undefined;
    for (const { location, primary } of locations) {
      const fileDiff = diff.files.get(location.file);
      if (!fileDiff) {
        if (!diff.complete) touched = true;
        continue;
      }
      if (!fileDiff.hasPatch) {
        touched ||= fileDiff.status !== 'removed';
        continue;
      }
      const lines = linesOf(location.file);
      if (!lines) continue;
      const span = verifiedSpan(fileDiff, lines, location.region.startLine, lastLine(location));
      if (!span) continue;
      const added = rangeHasAddedLine(fileDiff, span.start + span.shift, span.end + span.shift);
      touched ||= added;
      // The comment goes on the finding itself when the diff shows it (primary comes first),
      // else on a related line the PR changed (the env entry that turned auth off).
      if (!anchor && (primary || added)) {
        anchor = { path: location.file, startLine: span.start + span.shift, line: span.end + span.shift, shift: span.shift, onPrimary: primary };
      }
    }
    // A comment on an untouched finding would be noise on lines the PR merely shows as context.
    return touched && anchor ? { finding, touched, anchor } : { finding, touched };
  });
}

interface Span {
  /** Workspace lines. */
  start: number;
  end: number;
  shift: number;
}

function matches(fileDiff: FileDiff, lines: readonly string[], workspaceLine: number, shift: number, hunk?: number): boolean {
  const right = fileDiff.lines.get(workspaceLine + shift);
  const text = lines[workspaceLine - 1];
  return right !== undefined && text !== undefined && right.text === text && (hunk === undefined || right.hunk === hunk);
}

/**
 * The verified part of workspace lines [start, end] inside one hunk: the whole range when it
 * lies in one hunk, else the contiguous run of verified lines that holds an added line (or the
 * first run). When no line verifies in place, a unique shift that makes the whole range match
 * inside one hunk is accepted (the merge-commit checkout case).
 */
function verifiedSpan(fileDiff: FileDiff, lines: readonly string[], start: number, end: number): Span | undefined {
  const runs: Span[] = [];
  let current: Span | undefined;
  for (let n = start; n <= end; n++) {
    const hunk = fileDiff.lines.get(n)?.hunk;
    if (matches(fileDiff, lines, n, 0) && (!current || (current.end === n - 1 && fileDiff.lines.get(current.start)!.hunk === hunk))) {
      if (current) current.end = n;
      else current = { start: n, end: n, shift: 0 };
    } else {
      if (current) runs.push(current);
      current = matches(fileDiff, lines, n, 0) ? { start: n, end: n, shift: 0 } : undefined;
    }
  }
  if (current) runs.push(current);
  if (runs.length > 0) return runs.find((run) => rangeHasAddedLine(fileDiff, run.start, run.end)) ?? runs[0];
  return shiftedSpan(fileDiff, lines, start, end);
}

function shiftedSpan(fileDiff: FileDiff, lines: readonly string[], start: number, end: number): Span | undefined {
  const first = lines[start - 1];
  if (first === undefined || first.trim() === '') return undefined;
  const shifts: number[] = [];
  for (const [headLine, right] of fileDiff.lines) {
    if (right.text !== first) continue;
    const shift = headLine - start;
    let ok = true;
    for (let n = start; n <= end && ok; n++) ok = matches(fileDiff, lines, n, shift, right.hunk);
    if (ok) shifts.push(shift);
  }
  return shifts.length === 1 ? { start, end, shift: shifts[0]! } : undefined;
}

function rangeHasAddedLine(fileDiff: FileDiff, headStart: number, headEnd: number): boolean {
  for (let n = headStart; n <= headEnd; n++) if (fileDiff.lines.get(n)?.added) return true;
  return false;
}

/**
 * Where a *new* finding (absent from the base) is commented: on a line the PR changed, among
 * its primary and related locations (primary first); undefined when the change that caused it
 * is on no line the diff shows (a type or value changed elsewhere): then it goes to the
 * summary comment, with a link to its line.
 */
export function anchorOnChange(finding: Finding, diff: PullDiff | undefined, linesOf: LinesOf): Anchor | undefined {
  if (!diff) return undefined;
  const locations = [{ location: finding.location, primary: true }, ...finding.related.map((r) => ({ location: r.location, primary: false }))];
  for (const { location, primary } of locations) {
    const fileDiff = diff.files.get(location.file);
    if (!fileDiff?.hasPatch) continue;
    const lines = linesOf(location.file);
    if (!lines) continue;
    const span = verifiedSpan(fileDiff, lines, location.region.startLine, lastLine(location));
    if (!span || !rangeHasAddedLine(fileDiff, span.start + span.shift, span.end + span.shift)) continue;
    return { path: location.file, startLine: span.start + span.shift, line: span.end + span.shift, shift: span.shift, onPrimary: primary };
  }
  return undefined;
}

/** A line of the head the diff shows as added (for call-outs: a suppression comment, a config key). */
export function addedLineAnchor(file: string, line: number, diff: PullDiff | undefined, linesOf: LinesOf): { path: string; line: number } | undefined {
  const fileDiff = diff?.files.get(file);
  if (!fileDiff?.hasPatch) return undefined;
  const lines = linesOf(file);
  if (!lines) return undefined;
  const span = verifiedSpan(fileDiff, lines, line, line);
  if (!span) return undefined;
  const head = span.start + span.shift;
  return fileDiff.lines.get(head)?.added ? { path: file, line: head } : undefined;
}
