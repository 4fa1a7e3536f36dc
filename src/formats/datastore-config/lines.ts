/**
 * Line-based config syntax shared by redis.conf, pg_hba.conf, postgresql.conf, my.cnf,
 * memcached.conf and the legacy mongod.conf: one directive a line, `#` comments, quotes.
 * Every token keeps its offsets so findings point at the exact directive, never at "line 1".
 * Work is linear in the file size whatever the input (no backtracking regular expressions).
 */
import type { Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';

export interface Token {
  /** The token without its quotes (escapes resolved). */
  text: string;
  /** 0-based offsets of the token in the file, quotes included; end exclusive. */
  start: number;
  end: number;
  quoted: boolean;
}

export interface DirectiveLine {
  /** 1-based line number. */
  line: number;
  tokens: Token[];
  /** From the first token to the end of the last one: no indentation, no trailing comment. */
  start: number;
  end: number;
}

export interface LineOptions {
  /** Characters that start a comment line (after indentation): `#`, and `;` for my.cnf. */
  lineComment: string;
  /**
   * Whether a token starting with `#` starts a trailing comment: pg_hba.conf, postgresql.conf and
   * my.cnf define them ('any'). Redis has none (a `#` there is an argument), but people write
   * `bind 0.0.0.0  # note` anyway, while `#<sha256>` is an ACL password hash: 'spaced' takes a
   * `#` followed by a space or the end of the line as a comment and keeps `#abc` a token.
   */
  trailingComment: 'any' | 'spaced';
  /** postgresql.conf, my.cnf and legacy mongod.conf: `key = value` splits at the first `=`. */
  equalsSeparates: boolean;
}

/** Visit every line of the file with its offsets: CRLF and a leading BOM are not content. */
function* rawLines(text: string): Generator<{ line: number; start: number; end: number }> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (start <= text.length) {
    let newline = text.indexOf('\n', start);
    if (newline === -1) newline = text.length;
    let end = newline;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    yield { line, start, end };
    if (newline >= text.length) return;
    start = newline + 1;
    line++;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 13;
}

/** Split one line into tokens. Returns undefined for blank and comment lines. */
function tokenizeLine(text: string, lineNumber: number, start: number, end: number, options: LineOptions): DirectiveLine | undefined {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const ch = text[i]!;
    if (tokens.length === 0 && options.lineComment.includes(ch)) break;
    if (ch === '#' && (options.trailingComment === 'any' || i + 1 >= end || isSpace(text.charCodeAt(i + 1)))) break;
    if (options.equalsSeparates && ch === '=') {
      // The separator is a token of its own so that `key=value` and `key = value` read the same.
      tokens.push({ text: '=', start: i, end: i + 1, quoted: false });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const token = readQuoted(text, i, end, ch);
      tokens.push(token);
      i = token.end;
      continue;
    }
    let j = i;
    while (j < end && !isSpace(text.charCodeAt(j)) && !(options.equalsSeparates && text[j] === '=')) j++;
    tokens.push({ text: text.slice(i, j), start: i, end: j, quoted: false });
    i = j;
  }
  if (tokens.length === 0) return undefined;
  return { line: lineNumber, tokens, start: tokens[0]!.start, end: tokens[tokens.length - 1]!.end };
}

/** A quoted token: backslash escapes in double quotes, doubled quotes in single quotes (postgresql.conf). */
function readQuoted(text: string, open: number, end: number, quote: string): Token {
  let value = '';
  let i = open + 1;
  while (i < end) {
    const ch = text[i]!;
    if (ch === '\\' && quote === '"' && i + 1 < end) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { text: value, start: open, end: i + 1, quoted: true };
    }
    value += ch;
    i++;
  }
  // Unterminated: take the rest of the line, as Redis and PostgreSQL would reject it anyway.
  return { text: value, start: open, end, quoted: true };
}

export function readDirectiveLines(file: SourceFile, options: LineOptions): DirectiveLine[] {
  const lines: DirectiveLine[] = [];
  for (const raw of rawLines(file.text)) {
    const line = tokenizeLine(file.text, raw.line, raw.start, raw.end, options);
    if (line) lines.push(line);
  }
  return lines;
}

/** `key = value` / `key value` / `key` (a flag), with the tokens after the key as the value. */
interface KeyValue {
  key: string;
  keyToken: Token;
  /** Value tokens (the `=` removed). */
  values: Token[];
  line: DirectiveLine;
}

export function keyValueOf(line: DirectiveLine): KeyValue {
  const [keyToken, ...rest] = line.tokens;
  const values = rest[0]?.text === '=' && !rest[0].quoted ? rest.slice(1) : rest;
  return { key: keyToken!.text, keyToken: keyToken!, values, line };
}

/** The directive as written, one space between tokens (for messages; never used for secret lines). */
export function directiveText(file: SourceFile, line: DirectiveLine): string {
  return line.tokens.map((t) => file.text.slice(t.start, t.end)).join(' ');
}

export function spanLocation(file: SourceFile, start: number, end: number): Location {
  return { file: file.path, region: file.index.region(start, end) };
}

export function lineLocation(file: SourceFile, line: DirectiveLine): Location {
  return spanLocation(file, line.start, line.end);
}
