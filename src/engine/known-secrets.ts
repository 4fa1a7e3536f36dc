/**
 * One redaction for everything that leaves the process: the secret values of every scanned
 * file (src/core/redact.ts shapes, plus CloudFormation NoEcho parameter defaults) are
 * collected once per run; every message of the result (findings, related locations,
 * notifications) is scrubbed with them, and shells pass their final text (reports, baselines,
 * PR bodies) through redactKnown. Collection is linear: only lines near a trigger are read.
 */
import type { LintResult } from '../core/finding.js';
import { addLineSecrets, namesSecret, redactMessage } from '../core/redact.js';
import type { SourceFile } from '../formats/types.js';
import { triggerLines } from './secret-triggers.js';

/** Anything that may start a secret shape; lines without one are never scanned (matched by triggerLines, test/engine/secret-triggers.test.ts compares). */
export const TRIGGER = /pass|secret|token|api[_-]?key|private|credential|auth|access[_-]?key|requirepass|pwd|_pw|:\/\/|AKIA|gh[pousr]_|github_pat_|xox[abposr]-|eyJ|sk_live_|glpat-|bearer|basic|-u\b|--user|redis-cli|[A-Za-z0-9+/]{40}/gi;
const MAX_SECRETS = 5000;
const secretsByResult = new WeakMap<object, readonly string[]>();

/** The secret values of one file's text, longest first. */
export function fileSecrets(text: string): string[] {
  const starts: number[] = [];
  const triggers = triggerLines(text, starts);
  // NoEcho is looked for line by line only in a text that has it at all.
  const noEcho = NO_ECHO_ANYWHERE.test(text);
  if (triggers.length === 0 && !noEcho) return [];
  // Only the lines around the triggers are cut out of the text, not all of its lines.
  const lines = linesAround(text, triggers, starts);
  const wanted = new Set<number>();
  // The lines with a trigger, and the line after each (a `value:` under its `name:`).
  for (const line of triggers) {
    wanted.add(line);
    wanted.add(line + 1);
  }
  // Each wanted line is read with the line before it, and that line on its own, in this order
  // (as secretValues reads the pair; the order of equal-length values decides how overlapping
  // ones are masked). A line on its own has values only when it has a trigger, and it is read
  // on its own only once: when it was read with a line before it that names no secret
  // (namesSecret), that read was the same.
  const values = new Set<string>();
  const triggered = new Set(triggers);
  const readAlone = new Set<number>();
  for (const n of [...wanted].sort((a, b) => a - b)) {
    const line = lines.get(n);
    if (line === undefined) continue; // past the last line
    if (n > 0 && triggered.has(n - 1) && !readAlone.has(n - 1)) {
      addLineSecrets(values, lines.get(n - 1)!);
      readAlone.add(n - 1);
    }
    const previous = n > 0 ? lines.get(n - 1)! : undefined;
    addLineSecrets(values, line, previous);
    if (previous === undefined || !namesSecret(previous)) readAlone.add(n);
  }
  if (noEcho) for (const v of noEchoDefaults(text.split(LINE_BREAK))) values.add(v);
  return [...values].sort((a, b) => b.length - a.length);
}

const LINE_BREAK = /\r\n|\r|\n/;
const NEXT_BREAK = /\r\n|\r|\n/g;

/**
 * Each trigger line (numbers and start offsets from triggerLines), the line before it and the line
 * after it, by number, as `text.split(LINE_BREAK)` has them; a line past the last is absent.
 */
export function linesAround(text: string, triggers: readonly number[], starts: readonly number[]): Map<number, string> {
  const lines = new Map<number, string>();
  for (let k = 0; k < triggers.length; k++) {
    const n = triggers[k]!;
    const start = starts[k]!;
    if (n > 0 && !lines.has(n - 1)) {
      // The line before ends at the break just before this line's start (\r\n is one break).
      let end = start - 1;
      if (end > 0 && text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end--;
      let from = end;
      while (from > 0) {
        const c = text.charCodeAt(from - 1);
        if (c === 10 || c === 13) break;
        from--;
      }
      lines.set(n - 1, text.slice(from, end));
    }
    let at = start;
    for (const m of [n, n + 1]) {
      NEXT_BREAK.lastIndex = at;
      const br = NEXT_BREAK.exec(text);
      const end = br ? br.index : text.length;
      if (!lines.has(m)) lines.set(m, text.slice(at, end));
      if (!br) break; // the last line: none after it
      at = end + br[0].length;
    }
  }
  return lines;
}

/** Every line noEchoDefaults takes has this. */
const NO_ECHO_ANYWHERE = /noecho/i;

/**
 * CloudFormation parameters with `NoEcho: true` hide their value from the console; their
 * `Default` is a secret wherever it is written (YAML block, flow, or JSON).
 */
function noEchoDefaults(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/NoEcho["']?\s*:\s*["']?true/i.test(lines[i]!)) continue;
    const indentOf = (l: string) => l.length - l.trimStart().length;
    const indent = indentOf(lines[i]!);
    // The parameter's own block: the lines around at the same indentation, up to a shallower line.
    const block = [i];
    for (let j = i - 1; j >= 0 && i - j <= 50 && (lines[j]!.trim() === '' || indentOf(lines[j]!) >= indent); j--) block.push(j);
    for (let j = i + 1; j < lines.length && j - i <= 50 && (lines[j]!.trim() === '' || indentOf(lines[j]!) >= indent); j++) block.push(j);
    for (const j of block) {
      const l = lines[j]!;
      if (j !== i && indentOf(l) !== indent) continue;
      const m = /["']?Default["']?\s*:\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}#]+)/.exec(l);
      if (m) {
        const bare = m[1]!.replace(/^(["'])([\s\S]*)\1$/, '$2');
        if (bare.length >= 3) out.push(bare);
      }
    }
  }
  return out;
}

/**
 * Values masked everywhere in the output (paths, unit names, every message) must not be plain
 * words: `password: example`, `POSTGRES_PASSWORD: postgres` or a `required` next to a trigger made
 * "examples/" print as "****s/" and "Terraform root module" as "**** **** module" across the corpus
 * (7,513 strings). An all-letter value of up to 20 letters is a placeholder, not a secret worth that; code frames
 * still mask it beside its key (secretSpans).
 */
const PLAIN_WORD = /^[A-Za-z]{1,20}$/;

export function collectSecrets(sources: readonly (SourceFile & { secrets?(): string[] })[]): string[] {
  const values = new Set<string>();
  for (const s of sources) {
    // A file that dropped its text kept its secrets (engine/scanned-source.ts).
    for (const v of s.secrets ? s.secrets() : fileSecrets(s.text)) {
      if (PLAIN_WORD.test(v)) continue;
      if (values.size >= MAX_SECRETS) break;
      values.add(v);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** Remembers the run's secrets beside the result (never serialized: not a property of it). */
export function rememberSecrets(result: LintResult, secrets: readonly string[]): LintResult {
  secretsByResult.set(result, secrets);
  return result;
}

export function secretsOf(result: LintResult): readonly string[] {
  return secretsByResult.get(result) ?? [];
}

/** Text with every known secret value masked. */
export function redactKnown(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : redactMessage(text, secrets);
}

/** Every message of a result scrubbed with the run's secrets (findings, related, notifications). */
export function scrubResult(result: LintResult, secrets: readonly string[]): LintResult {
  if (secrets.length === 0) return rememberSecrets(result, secrets);
  const r = (t: string) => redactMessage(t, secrets);
  const scrubbed: LintResult = {
    ...result,
    findings: result.findings.map((f) => ({ ...f, message: r(f.message), related: f.related.map((x) => ({ ...x, message: r(x.message) })) })),
    notifications: result.notifications.map((n) => ({ ...n, message: r(n.message) })),
  };
  return rememberSecrets(scrubbed, secrets);
}
