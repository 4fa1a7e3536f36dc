/**
 * The one typed channel for problems of the tool itself (as opposed to findings): every format,
 * the engine and every shell (CLI, Action, SARIF) decide on `kind`, never on message text.
 *   parse     a file looks like a supported format but cannot be read as one (also a PW000)
 *   unknown   something was read but could not be judged (an unresolvable value, an adapter
 *             that drops a resource it does not understand)
 *   skipped   a file or part of one deliberately not checked (a budget, a Helm template, a
 *             FIFO, a symlink out of the tree, a JS plugin not allowed in this run)
 *   internal  a bug or an exhausted resource inside portwall: exit 2, never a pass
 *   config    the configuration or the command line names something unusable
 * Depends on nothing.
 */
export type ProblemKind = 'parse' | 'unknown' | 'skipped' | 'internal' | 'config';

/** True when a list of notifications holds an internal error (exit 2 in every shell). */
export function hasInternalProblem(notifications: readonly { kind?: ProblemKind }[]): boolean {
  return notifications.some((n) => n.kind === 'internal');
}
