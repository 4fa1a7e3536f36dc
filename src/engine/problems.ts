/**
 * Engine side of the problem channel (src/core/problem.ts): how format notices, thrown errors
 * and parse failures become typed notifications. No shell ever matches message text.
 */
import type { ToolNotification } from '../core/finding.js';
import type { ProblemKind } from '../core/problem.js';
import type { Notice } from '../model/types.js';

/** A thrown error inside portwall: always an error notification of kind `internal` (exit 2). */
export function internalProblem(file: string | undefined, where: string, error: unknown): ToolNotification {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof RangeError && /call stack/i.test(message) ? ' (stack overflow)' : '';
  return { level: 'error', kind: 'internal', ...(file ? { file } : {}), message: `internal error in ${where}${file ? ` for ${file}` : ''}: ${message}${stack}` };
}

/** The kind of a format's notice: explicit, else `skipped` for skipped files, else `unknown`. */
export function noticeKind(notice: Pick<Notice, 'kind' | 'skipped'>): ProblemKind {
  return notice.kind ?? (notice.skipped ? 'skipped' : 'unknown');
}

/** An internal notice is never a warning: it is raised to an error, whatever the format said. */
export function noticeLevel(notice: Pick<Notice, 'kind' | 'skipped' | 'level'>): ToolNotification['level'] {
  return noticeKind(notice) === 'internal' ? 'error' : notice.level;
}
