/**
 * The HCL parse budget, in counted work (never a clock), so the same file gets the same result
 * on an idle and on a loaded machine.
 *
 * tree-sitter calls the progress callback once per 100 parser operations
 * (OP_COUNT_PER_PARSER_CALLBACK_CHECK in lib/src/parser.c: one operation per parse action on a
 * lookahead token, per stack version, plus the tree balancing at the end), so counting callbacks
 * counts the parser's work. Measured (scripts/hcl-parse-work.mjs): the corpus's 2,848 Terraform
 * files make 12 callbacks per KB on average and at most 23; a 1 MB valid list 51, deep nesting 72,
 * error recovery over junk (`a,a,a`, `${x}${x}`, `= = =`, `1 1 1`) 15-46, each at 15-550 µs per
 * callback whatever the size. The budget below is several times above all of these; it stops a
 * parse whose work grows faster than its input (GLR versions multiplying).
 *
 * One shape is not counted: commas with nothing between them after an element inside a tuple,
 * object or call (`[1, , , ,]`). The number of operations stays linear, but the error recovery
 * behind each one grows with the run (4,000 commas: 0.9 s, 16,000: 21 s). Empty elements are a
 * syntax error in HCL wherever they appear, so a pre-scan counts them (outside strings, comments
 * and heredocs) and past a limit reports the first one without running the grammar.
 */

import type { LineIndex } from '../../core/location.js';

/** Parser operations per progress callback (tree-sitter's OP_COUNT_PER_PARSER_CALLBACK_CHECK). */
const OPERATIONS_PER_CALLBACK = 100;
/** Operations allowed for any file, plus per character of (whitespace-compacted) input. */
const PARSE_OPERATIONS_BASE = 2_000_000;
const PARSE_OPERATIONS_PER_CHAR = 10;
/** Empty elements (`, ,`) a file may have before the grammar is not run on it. */
export const MAX_EMPTY_ELEMENTS = 1000;

/** The operation budget of a text of this length (deterministic: a function of the length only). */
export function parseOperationBudget(length: number): number {
  return PARSE_OPERATIONS_BASE + length * PARSE_OPERATIONS_PER_CHAR;
}

/**
 * Callbacks in a row during which every parse version is in error recovery (100,000 operations,
 * about 30 KB of junk) before the parse is stopped there. Only the first syntax error is
 * reported, and recovery over a megabyte of junk costs seconds and hundreds of MB of WASM memory
 * for nothing; the text up to that point is parsed again, so the grammar still names the error.
 * The corpus's longest run is far below (scripts/hcl-parse-work.mjs).
 */
const MAX_ERROR_STREAK = 1000;

interface OperationCounter {
  budget: number;
  progress: (state: { currentOffset: number; hasError: boolean }) => boolean;
  spent: () => boolean;
  /** Where (UTF-16 offset) the parse was stopped in a hopeless error recovery, if it was. */
  stuckAt: () => number | undefined;
}

/** A progress callback for tree-sitter that cancels the parse once the budget is spent. */
export function operationCounter(length: number, budget = parseOperationBudget(length), maxErrorStreak = MAX_ERROR_STREAK): OperationCounter {
  const callbacks = Math.ceil(budget / OPERATIONS_PER_CALLBACK);
  let seen = 0;
  let streak = 0;
  let stuck: number | undefined;
  return {
    budget,
    progress: (state) => {
      streak = state.hasError ? streak + 1 : 0;
      // web-tree-sitter reads JS strings as UTF-16: the offset is in bytes, two per code unit.
      if (streak > maxErrorStreak) stuck = Math.floor(state.currentOffset / 2);
      return ++seen > callbacks || stuck !== undefined;
    },
    spent: () => seen > callbacks,
    stuckAt: () => stuck,
  };
}

export function budgetMessage(budget: number): string {
  return `the file is too complex to parse (more than ${budget.toLocaleString('en-US')} parser steps, the budget for a file of this size)`;
}

/** A comma that an empty element could follow. */
const CANDIDATE = /,(?=[ \t\r\n]*(?:,|#|\/\/|\/\*))/;

/**
 * Counts commas that follow another comma with only whitespace or comments between them, in HCL
 * code (not inside quoted strings, comments or heredocs). Returns the count (stopping one past
 * `limit`) and the offset of the first such comma.
 */
export function countEmptyElements(text: string, limit = MAX_EMPTY_ELEMENTS): { count: number; first: number } {
  // A counted comma has a comma before it with only whitespace and comments between them, so
  // that comma is followed by whitespace and then a comma or a comment. Most files have none
  // (2,588 of the corpus's 2,840 .tf files): one native search instead of the scan below.
  if (!CANDIDATE.test(text)) return { count: 0, first: -1 };
  let count = 0;
  let first = -1;
  let lastWasComma = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */) {
      if (lastWasComma) {
        if (first === -1) first = i;
        if (++count > limit) break;
      }
      lastWasComma = true;
      i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
    } else if (c === 0x23 /* # */ || (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === 0x22 /* " */) {
      // A quoted string ends at the next unescaped quote or at the end of the line (HCL strings
      // are one line). Templates nested inside are not followed: this is a guard, not a parser.
      lastWasComma = false;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22 || d === 0x0a) {
          i++;
          break;
        } else i++;
      }
    } else if (c === 0x3c /* < */ && text.charCodeAt(i + 1) === 0x3c) {
      lastWasComma = false;
      const head = /<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
      head.lastIndex = i;
      const m = head.exec(text);
      if (!m) {
        i += 2;
        continue;
      }
      // The heredoc runs to a line holding only its marker.
      i = head.lastIndex;
      const marker = m[1]!;
      for (;;) {
        const end = text.indexOf('\n', i);
        const line = text.slice(i, end === -1 ? n : end);
        i = end === -1 ? n : end + 1;
        if (line.trim() === marker || end === -1) break;
      }
    } else {
      lastWasComma = false;
      i++;
    }
  }
  return { count, first };
}

/**
 * Probes (counted, no clock). Only the first syntax error is reported, and the grammar's error
 * recovery over a long run of junk (`""""…`, `"x"****…`, `,a,a,a…` on one line) costs about 10 ms
 * per KB: seconds for an answer a few kilobytes of it already give. So a file that is large, or
 * has a long line, is parsed first up to a few cuts: 64 KB into a large file, 8 KB into each of
 * its first long lines, and 16, 32 and 64 KB into the first of them. Each cut's prefix is parsed
 * incrementally from the previous one.
 *
 * A prefix ends inside whatever construct the cut falls in, so its tree always has an error at
 * the cut, and that error can start anywhere before it (the grammar wraps an unfinished block into
 * an ERROR node from its first line). Where an error starts says nothing; when the parser found it
 * does. The parser logs `resume` when every parse version has failed on the same lookahead token:
 * that is a syntax error of the prefix. When that token, and everything the lexer had read by
 * then, ends DETECTION_MARGIN before the cut, the parser did exactly the same work on the whole
 * text up to there (same input, same deterministic parser), so the whole text has that error
 * too, and the prefix's tree names it. That check is a second, logged parse of the same prefix
 * that reuses the first one's tree (tree-sitter never reuses a node built while versions competed),
 * so it costs little. When no probe finds an error, the whole text is parsed from the last probe's
 * tree, which reuses what the probes built.
 */
export const PROBE_MIN_LENGTH = 256 * 1024;
export const PROBE_CHARS = 64 * 1024;
/** A line longer than this is probed: junk on one line is what makes error recovery slow. */
export const LONG_LINE = 4096;
/** How far into a long line its probe cuts. */
export const PROBE_WINDOW = 8192;
/** How far the first long line's doubling windows go. */
export const MAX_DOUBLING_WINDOW = 64 * 1024;
/** Long lines probed at most (the first ones, in order). */
export const MAX_LONG_LINE_PROBES = 8;
/** What the lexer had read when the error was found must end this far before the cut. */
export const DETECTION_MARGIN = 1024;

/**
 * Where a text's probes cut (increasing offsets, each at least PROBE_WINDOW after the previous
 * one and before the end), or none for a short text without long lines.
 */
export function probeCuts(text: string): number[] {
  const candidates: number[] = [];
  let lineStart = 0;
  let longLines = 0;
  // A long line's own probe stands for the large-file probe when that one would cut the same line
  // further in: a second check of one line costs a logged reparse of all of it (0.7 s for 64 KB of
  // `a,a,…` in error recovery) and finds only what the whole parse finds anyway.
  let sharesLongLine = false;
  while (lineStart < text.length && longLines < MAX_LONG_LINE_PROBES) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline === -1 ? text.length : newline;
    if (end - lineStart > LONG_LINE) {
      candidates.push(lineStart + PROBE_WINDOW);
      // The first long line also at 16, 32 and 64 KB: a first error past its first window is found
      // in a prefix at most twice as long as the text up to it (fuzz seed 3102 #27568: a 10 KB
      // string, then a megabyte of quotes, 4.9 s). Not further: where a prefix's tree is not reused,
      // each probe costs a logged parse of all of it, and doubling on to the end of a megabyte
      // cost two to three full parses (fuzz seeds 3201/3202: 0.6 -> 2.1 s for 200 KB).
      if (longLines === 0) for (let window = 2 * PROBE_WINDOW; window <= MAX_DOUBLING_WINDOW && lineStart + window < end; window *= 2) candidates.push(lineStart + window);
      longLines++;
      if (lineStart + PROBE_WINDOW < PROBE_CHARS && PROBE_CHARS <= end) sharesLongLine = true;
    }
    lineStart = end + 1;
  }
  if (text.length >= PROBE_MIN_LENGTH && !sharesLongLine) candidates.push(PROBE_CHARS);
  const cuts: number[] = [];
  for (const cut of candidates.sort((a, b) => a - b)) {
    if (cut + PROBE_WINDOW >= text.length) break;
    if (cuts.length === 0 || cut >= cuts[cuts.length - 1]! + PROBE_WINDOW) cuts.push(cut);
  }
  return cuts;
}

const PROCESS = /^process version:\d+, version_count:\d+, state:\d+, row:(\d+), col:(\d+)/;
const LEXED = /^lexed_lookahead sym:.*, size:(\d+)$/;

/**
 * Reads tree-sitter's parse log and tells whether the parser found a syntax error (`resume`: every
 * version failed) and how far the lexer had read by then (UTF-16 offset). The log counts bytes of
 * the UTF-16 text it was given: two per code unit.
 */
export function errorDetector(lines: LineIndex): { log: (message: string, isLex: boolean) => void; foundAt: () => number | undefined } {
  let position = 0;
  let read = 0;
  let found: number | undefined;
  return {
    log(message, isLex) {
      if (isLex || found !== undefined) return;
      const c = message.charCodeAt(0);
      if (c === 0x70 /* p */) {
        const m = PROCESS.exec(message);
        if (m) {
          position = lines.offset(Number(m[1]) + 1, Number(m[2]) / 2 + 1);
          read = Math.max(read, position);
        }
      } else if (c === 0x6c /* l */) {
        const m = LEXED.exec(message);
        if (m) read = Math.max(read, position + Number(m[1]) / 2);
      } else if (message.startsWith('resume ')) {
        found = read;
      }
    },
    foundAt: () => found,
  };
}
