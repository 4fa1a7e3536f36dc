/**
 * Source locations. Every value an adapter puts into the model carries one, so rules
 * report *at* a value and never compute line numbers themselves.
 * Depends on nothing.
 */

/** A span in a file. Lines and columns are 1-based; endColumn is exclusive (SARIF's convention). */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** 0-based character offsets into the file text (for fixes); end exclusive. */
  startOffset: number;
  endOffset: number;
}

export interface Location {
  /** Path relative to the scan root, with forward slashes. */
  file: string;
  region: Region;
}

/**
 * One place a value passed through on its way to where it is used: a variable default,
 * a tfvars line, a module argument, a CloudFormation parameter, a .env entry.
 * `note` says what the place contributed: "0.0.0.0/0 comes from the default of var.admin_cidrs".
 */
export interface Hop {
  location: Location;
  note: string;
}

/**
 * A value with the place in a file it came from, and its logical path (e.g. services.es.ports[0]).
 * `location` is where the value is instantiated (the resource attribute, the module call
 * argument); `via` is the chain of places it passed through, in order from there outward.
 * Rules never build hops: they report at a located value and the engine turns `via` into
 * related locations.
 */
export interface Located<T> {
  value: T;
  location: Location;
  path?: string;
  via?: Hop[];
}

/**
 * Maps character offsets to 1-based line/column. Built once per file.
 * Columns count UTF-16 code units + 1, like editors and GitHub do for ASCII text.
 */
export class LineIndex {
  private starts: Uint32Array | undefined;
  /** The text's length in UTF-16 code units. */
  readonly length: number;
  private readonly holder: { readonly text: string };
  /**
   * `holder`, when given, keeps the text instead of the index (a scanned file that may drop its
   * text and read it again: engine/scanned-source.ts); positions never need the text itself, and
   * the line starts of a dropped text go with it (`forgetLines`) and come back from the text read again.
   */
  constructor(text: string, holder?: { readonly text: string }) {
    this.length = text.length;
    this.holder = holder ?? { text };
  }

  /** Found on first use: a file no format takes never needs them. */
  private get lineStarts(): Uint32Array {
    return (this.starts ??= lineStartsOf(this.holder.text));
  }

  /** Drops the line starts (the holder dropped its text): the next position reads them from the text again. */
  forgetLines(): void {
    this.starts = undefined;
  }

  get text(): string {
    return this.holder.text;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo]! + 1 };
  }

  /** 0-based offset of a 1-based line/column. */
  offset(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
    return start + column - 1;
  }

  region(startOffset: number, endOffset: number): Region {
    const s = this.position(startOffset);
    const e = this.position(Math.max(startOffset, endOffset));
    return {
      startLine: s.line,
      startColumn: s.column,
      endLine: e.line,
      endColumn: e.column,
      startOffset,
      endOffset: Math.max(startOffset, endOffset),
    };
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const text = this.holder.text;
    let end = next === undefined ? text.length : next - 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    return text.slice(start, end);
  }
}

/** The offset of every line's first character (line breaks: \n; a \r before it stays in its line). */
function lineStartsOf(text: string): Uint32Array {
  // indexOf finds line breaks several times faster than a loop over char codes; the starts are
  // counted first so they fit an exact typed array (half the memory of a grown number[]).
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Uint32Array(count);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

export function locationKey(location: Location): string {
  const r = location.region;
  return `${location.file}:${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
}
