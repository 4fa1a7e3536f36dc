/**
 * The pull request's diff as GitHub's files API gives it: one unified-diff patch per file.
 * From it we learn which lines of the head (RIGHT side) a review comment may sit on — any
 * line shown in a hunk — and which of them the PR added. GitHub rejects a whole review
 * (422) when one comment is off the diff, so this is the only source of comment lines.
 */

interface RightLine {
  /** The line's text on the head side, as the patch shows it (used to verify the checkout). */
  text: string;
  /** Added by the PR ("+" line), as opposed to context shown around a change. */
  added: boolean;
  /** Index of the hunk: a multi-line comment must stay inside one hunk. */
  hunk: number;
}

export interface FileDiff {
  path: string;
  previousPath?: string;
  status: string;
  /**
   * False when GitHub sent no patch (binary file, or a diff too large to show): the file
   * changed, but no line of it can carry an inline comment.
   */
  hasPatch: boolean;
  /** RIGHT-side lines shown in the hunks, by 1-based head line number. */
  lines: Map<number, RightLine>;
}

export interface PullDiff {
  files: Map<string, FileDiff>;
  /**
   * False when GitHub listed fewer files than the PR changed (the files API stops at 3000):
   * files we did not see must then be treated as changed.
   */
  complete: boolean;
}

/** A file entry of `GET /repos/{owner}/{repo}/pulls/{n}/files`. */
export interface PullFileEntry {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses one file's patch into its RIGHT-side lines. Tolerates a trailing newline and "\ No newline" markers. */
export function parsePatch(patch: string): Map<number, RightLine> {
  const lines = new Map<number, RightLine>();
  let hunk = -1;
  let right = 0;
  let leftLeft = 0;
  let rightLeft = 0;
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HUNK_HEADER.exec(line);
    if (header) {
      hunk++;
      right = Number(header[3]);
      leftLeft = header[2] === undefined ? 1 : Number(header[2]);
      rightLeft = header[4] === undefined ? 1 : Number(header[4]);
      continue;
    }
    if (hunk < 0 || (leftLeft <= 0 && rightLeft <= 0)) continue;
    const marker = line[0];
    const text = line.slice(1);
    if (marker === '+') {
      lines.set(right, { text, added: true, hunk });
      right++;
      rightLeft--;
    } else if (marker === '-') {
      leftLeft--;
    } else if (marker === ' ' || (marker === undefined && rightLeft > 0 && leftLeft > 0)) {
      // An empty context line may lose its leading space in transit; it still counts on both sides.
      lines.set(right, { text, added: false, hunk });
      right++;
      rightLeft--;
      leftLeft--;
    }
    // "\ No newline at end of file" and anything else: not a line of either side.
  }
  return lines;
}

export function buildPullDiff(entries: PullFileEntry[], changedFiles?: number): PullDiff {
  const files = new Map<string, FileDiff>();
  for (const entry of entries) {
    files.set(entry.filename, {
      path: entry.filename,
      ...(entry.previous_filename ? { previousPath: entry.previous_filename } : {}),
      status: entry.status,
      hasPatch: typeof entry.patch === 'string',
      lines: typeof entry.patch === 'string' ? parsePatch(entry.patch) : new Map(),
    });
  }
  return { files, complete: changedFiles === undefined || entries.length >= changedFiles };
}
