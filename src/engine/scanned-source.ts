/**
 * A scanned file read from disk whose text the engine may drop once nothing needs it and read
 * again when something does (issue 17 item 2). A run keeps the texts waiting for their parse up to
 * a budget; a repository bigger than that streams: every text goes once no format may take it or
 * once its format's model is built, and is read again at its parse or for a finding's frame, so
 * the texts held do not grow with the repository.
 *
 * What the end of the run needs of every file is kept when its text goes: its known secrets (for
 * redaction) and whether it may hold a suppression comment. A text read again must be the
 * version read first (the reader's `version`: same file, size and change time): a file that
 * changed while portwall checked it is an error, never a finding located in another text.
 */
import { LineIndex } from '../core/location.js';
import type { SourceFile } from '../formats/types.js';
import { detached } from './detach-strings.js';
import { fileSecrets } from './known-secrets.js';
import { mayHoldDirectives } from './suppressions.js';

/** Characters of texts kept waiting for their format's parse (about 32 MB of ASCII; the corpus has about 18 million). */
const MAX_WAITING_CHARS = 32 * 1024 * 1024;

/** A file read again was not the version read first: the run ends with exit 2 (the CLI prints the message). */
export class SourceChangedError extends Error {
  constructor(file: string) {
    super(`${file} changed while portwall was checking it; check it again`);
    this.name = 'SourceChangedError';
  }
}

export class ScannedSource implements SourceFile {
  readonly cache = new Map<string, unknown>();
  readonly index: LineIndex;
  private held: string | undefined;
  private residue: { secrets: string[]; directives: boolean } | undefined;
  /** Set when a read again failed: whatever caught the error, the engine ends the run on it (`assertUnchanged`). */
  private changed = false;

  constructor(
    readonly path: string,
    readonly absolutePath: string,
    text: string,
    /** Reads the same version of the file again (under the same confinement); undefined when it cannot or the file changed. */
    private readonly reread: () => string | undefined,
  ) {
    this.held = text;
    this.index = new LineIndex(text, this);
  }

  get text(): string {
    if (this.held !== undefined) return this.held;
    const text = this.reread();
    if (text === undefined || text.length !== this.index.length) {
      this.changed = true;
      throw new SourceChangedError(this.path);
    }
    this.held = text;
    return text;
  }

  /** Throws if a read again of this file failed, even if the error was caught where it was thrown. */
  assertUnchanged(): void {
    if (this.changed) throw new SourceChangedError(this.path);
  }

  /** Whether the text is in memory now. */
  get loaded(): boolean {
    return this.held !== undefined;
  }

  /** Drops the text (it is read again on the next use of `text`). */
  release(): void {
    const text = this.held;
    if (text === undefined) return;
    // Copied out of the text: a secret cut from it would keep all of it (detach-strings.ts).
    this.residue ??= { secrets: fileSecrets(text).map(detached), directives: mayHoldDirectives(this.path, text) };
    this.held = undefined;
    this.index.forgetLines();
  }

  /** The file's known secrets (engine/known-secrets.ts), without reading a dropped text again. */
  secrets(): string[] {
    return this.residue?.secrets ?? fileSecrets(this.text);
  }

  /** Whether the file may hold a suppression comment (engine/suppressions.ts), without reading a dropped text again. */
  mayHoldDirectives(): boolean {
    return this.residue?.directives ?? mayHoldDirectives(this.path, this.text);
  }
}

/**
 * The texts kept waiting for their parse, counted against MAX_WAITING_CHARS: counted, never
 * timed, so the same files drop the same texts on any machine. Until a text does not fit, texts
 * stay to the end of the run (what a repository of ordinary size costs least); from then on the
 * run streams.
 */
export class WaitingTexts {
  private chars = 0;
  private readonly counted = new Set<ScannedSource>();
  private overflowed = false;

  constructor(private readonly max = MAX_WAITING_CHARS) {}

  /** Whether the run streams its texts (one did not fit). */
  get streaming(): boolean {
    return this.overflowed;
  }

  /** A file some format may parse: its text stays while the budget holds, else it goes until the parse. */
  wait(source: SourceFile): void {
    if (!(source instanceof ScannedSource) || !source.loaded || this.counted.has(source)) return;
    if (this.chars + source.index.length > this.max) {
      this.overflowed = true;
      source.release();
      return;
    }
    this.chars += source.index.length;
    this.counted.add(source);
  }

  /** A file nothing needs now (no format takes it, or its format's model is built): its text goes if the run streams. */
  done(source: SourceFile): void {
    if (!this.overflowed || !(source instanceof ScannedSource)) return;
    source.release();
    if (this.counted.delete(source)) this.chars -= source.index.length;
  }
}
