/**
 * The rule contract. A rule is pure: it reads the normalized model and the policy and
 * reports at located values. Metadata (id, name, level, help) lives with the rule and is
 * the single source for `portwall rules`, `portwall explain`, SARIF and docs.
 */
import type { Hop, Location } from './location.js';
import type { Level, Policy } from './policy.js';
import type { Fix, Model } from '../model/types.js';

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RuleMeta {
  /** Stable id, PW + three digits (custom rules may use other prefixes). */
  id: string;
  /** kebab-case name. */
  name: string;
  level: Level;
  /** GitHub security-severity, 0.0-10.0. */
  securitySeverity: number;
  precision: Precision;
  tags: string[];
  /** One line. */
  shortDescription: string;
  /** A paragraph. */
  fullDescription: string;
  /** Markdown help: why it matters, how to fix, examples. Rendered as README.md of the rule. */
  help: string;
  /** Rules whose findings on the same subject this rule replaces (SPEC precedence). */
  supersedes?: string[];
  /** Formats the rule has fixtures for (checked by meta-tests). */
  formats: string[];
  /** Where the help lives online. */
  helpUri?: string;
}

export interface RelatedLocation {
  location: Location;
  message: string;
}

export interface ReportDescriptor {
  location: Location;
  message: string;
  /**
   * What the finding is about (exposure ids, workload ids). A finding of a rule that
   * `supersedes` another removes that rule's findings sharing a subject.
   */
  subjects: string[];
  related?: RelatedLocation[];
  /** Provenance of the reported value (Located.via): the engine appends each hop to the related locations. */
  via?: Hop[];
  fix?: Fix;
  /** Stable text identifying the located value for fingerprints (never a secret). */
  fingerprintText?: string;
}

export interface RuleContext {
  policy: Policy;
  /** Options for this rule from the config (validated against the rule's schema). */
  options: Record<string, unknown>;
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  /** JSON Schema of the rule's options, if it has any. */
  optionsSchema?: Record<string, unknown>;
  check(model: Model, context: RuleContext): void;
}

export const RULE_DOCS_BASE = 'https://github.com/portwall/portwall/blob/main/rules';

/** Typed rule factory: fills the help URI from the id and name. */
export function defineRule(rule: Rule): Rule {
  return {
    ...rule,
    meta: { ...rule.meta, helpUri: rule.meta.helpUri ?? `${RULE_DOCS_BASE}/${rule.meta.id}-${rule.meta.name}/README.md` },
  };
}
