/**
 * The live units of the server and what they say about one file: the union of their findings
 * (a file may be decided by several units, e.g. a compose file included by two projects),
 * deduplicated, plus the tool messages located in it. Also the overlay that records reads and the
 * CLI's config lookup from a unit's folder.
 */
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, ToolNotification } from '../core/finding.js';
import { locationKey } from '../core/location.js';
import type { Rule } from '../core/rule.js';
import { discoverConfig } from '../engine/config.js';
import { findingDiagnostic, notificationDiagnostic } from './convert.js';
import { isInside, type Scope } from './scope.js';

/** An overlay that remembers which files a lint read, so a later edit of one re-lints its readers. */
export class RecordingOverlay extends Map<string, string> {
  readonly reads = new Set<string>();
  override get(key: string): string | undefined {
    this.reads.add(key);
    return super.get(key);
  }
}

export interface ScopeState {
  scope: Scope;
  findings: Finding[];
  notifications: ToolNotification[];
  rules: Rule[];
  /** Absolute paths the last lint read (its own files and sibling reads). */
  reads: Set<string>;
  /** Problems of the config this unit uses, by config file URI (no findings while there are any). */
  configProblems: Map<string, Diagnostic[]>;
}

/** A finding as published, with what code actions and hover need. */
export interface Entry {
  finding: Finding;
  root: string;
  rules: Rule[];
  diagnostic: Diagnostic;
}

export function diagnosticsOf(file: string, states: Iterable<ScopeState>): { entries: Entry[]; notes: Diagnostic[] } {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const notes: Diagnostic[] = [];
  const seenNotes = new Set<string>();
  for (const state of states) {
    const root = state.scope.root;
    for (const finding of state.findings) {
      if (finding.suppressions.length > 0 || path.resolve(root, finding.location.file) !== file) continue;
      const key = `${finding.ruleId}\u0000${locationKey(finding.location)}\u0000${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ finding, root, rules: state.rules, diagnostic: findingDiagnostic(finding, root, state.rules) });
    }
    for (const n of state.notifications) {
      const where = n.location?.file ?? n.file;
      if (!where || path.resolve(root, where) !== file) continue;
      const key = `${n.location ? locationKey(n.location) : ''}\u0000${n.message}`;
      if (seenNotes.has(key)) continue;
      seenNotes.add(key);
      // A message about the whole file (skipped: too large; cannot be read) sits at its start.
      const location = n.location ?? { file: where, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 } };
      notes.push(notificationDiagnostic({ ...n, location }));
    }
  }
  return { entries, notes };
}

/**
 * The CLI's lookup from the unit's folder: up to the repository root (discoverConfig), and,
 * outside a repository, up to the workspace folder, where a CLI run from there would find it.
 */
export function nearestConfig(folder: string, root: string): string | undefined {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const found = discoverConfig(dir);
    if (found || dir === root || !isInside(dir, root) || path.dirname(dir) === dir) return found;
  }
}
