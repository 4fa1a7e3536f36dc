/** A finding: what the engine makes of a rule's report, ready for formatters. */
import type { Location } from './location.js';
import type { Level } from './policy.js';
import type { RelatedLocation } from './rule.js';
import type { Fix } from '../model/types.js';

export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
  /** Where the suppression comment is, for inSource. */
  location?: Location;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  level: Level;
  message: string;
  location: Location;
  related: RelatedLocation[];
  subjects: string[];
  /** Display names of the deployment units that produce this finding. */
  units?: string[];
  fix?: Fix;
  /** Stable across unrelated edits: rule + file + normalized located text + occurrence. */
  fingerprint: string;
  /** The source line, for code frames (never used to carry secrets: it is the offending line). */
  suppressions: Suppression[];
}

export interface ToolNotification {
  level: 'error' | 'warning' | 'note';
  message: string;
  file?: string;
  location?: Location;
  ruleId?: string;
}

export interface LintResult {
  /** Absolute path of the scan root; locations are relative to it. */
  root: string;
  findings: Finding[];
  /** Files that were checked, by format. */
  files: { path: string; format: string; units?: string[] }[];
  notifications: ToolNotification[];
  /** Baseline entries that no longer match any finding. */
  staleBaselineEntries?: number;
}
