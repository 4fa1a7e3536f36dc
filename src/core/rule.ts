/**
 * The rule contract. A rule is pure: it reads the normalized model and the policy and
 * reports at located values. Metadata (id, name, level, help) lives with the rule and is
 * the single source for `portwall rules`, `portwall explain`, SARIF and docs.
 */
import type { Hop, Location } from './location.js';
import type { Level, Policy } from './policy.js';
import type { Fix, Model } from '../model/types.js';

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RuleMeta<MessageIds extends string = string> {
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
  /**
   * Message templates by id (ESLint's meta.messages): `{{name}}` is replaced by `data.name`.
   * A report with a `messageId` gets its text from here; the text is user-visible and part of
   * fingerprints' neighbours (baselines store it), so a template is changed deliberately.
   */
  messages?: Record<MessageIds, string>;
}

export interface RelatedLocation {
  location: Location;
  message: string;
}

/** Values substituted into a message template. */
type MessageData = Record<string, string | number>;

/** The `{{name}}` placeholders of a template, as a union of names (typed report data). */
export type Placeholders<Template extends string> = Template extends `${string}{{${infer Name}}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** Either a literal message (custom JS rules, declarative rules) or a message id with its data. */
type ReportMessage<MessageIds extends string = string> =
  | { message: string; messageId?: never; data?: never }
  | { messageId: MessageIds; data?: MessageData; message?: never };

export type ReportDescriptor<MessageIds extends string = string> = ReportFields & ReportMessage<MessageIds>;

interface ReportFields {
  location: Location;
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

export interface RuleContext<Descriptor = ReportDescriptor> {
  policy: Policy;
  /** Options for this rule from the config (validated against the rule's schema). */
  options: Record<string, unknown>;
  report(descriptor: Descriptor): void;
}

export interface Rule<MessageIds extends string = string> {
  meta: RuleMeta<MessageIds>;
  /** JSON Schema of the rule's options, if it has any. */
  optionsSchema?: Record<string, unknown>;
  check(model: Model, context: RuleContext<ReportDescriptor<MessageIds>>): void;
}

/** A report of a rule with a typed message table: the id picks the template, `data` fills exactly its placeholders. */
type TypedReport<Messages extends Record<string, string>> = ReportFields &
  {
    [Id in keyof Messages & string]: [Placeholders<Messages[Id]>] extends [never]
      ? { messageId: Id; data?: Record<string, never>; message?: never }
      : { messageId: Id; data: Record<Placeholders<Messages[Id]>, string | number>; message?: never };
  }[keyof Messages & string];

/** What `defineRule` accepts: a rule whose messages are known literally, so reports are checked against them. */
interface TypedRuleDefinition<Messages extends Record<string, string>> {
  meta: Omit<RuleMeta, 'messages'> & { messages: Messages };
  optionsSchema?: Record<string, unknown>;
  check(model: Model, context: RuleContext<TypedReport<Messages>>): void;
}

export const RULE_DOCS_BASE = 'https://github.com/portwall/portwall/blob/main/rules';

/**
 * Typed rule factory (typescript-eslint's RuleCreator): generic over the message table, so a
 * report names a message id the rule has and supplies the data its template needs; fills the
 * help URI from the id and name.
 */
export function defineRule<const Messages extends Record<string, string>>(rule: TypedRuleDefinition<Messages>): Rule<keyof Messages & string>;
export function defineRule(rule: Rule): Rule;
export function defineRule(rule: Rule): Rule {
  return {
    ...rule,
    meta: { ...rule.meta, helpUri: rule.meta.helpUri ?? `${RULE_DOCS_BASE}/${rule.meta.id}-${rule.meta.name}/README.md` },
  };
}

/**
 * The text of a report: its literal `message`, or the rule's template for `messageId` filled
 * from `data`. A missing id or placeholder is a rule bug and throws (the engine turns it into
 * an internal-error notification rather than a finding with a wrong message).
 */
export function reportMessage(meta: Pick<RuleMeta, 'id' | 'messages'>, descriptor: ReportMessage): string {
  if (descriptor.messageId === undefined) return descriptor.message;
  const template = meta.messages?.[descriptor.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} has no message '${descriptor.messageId}'`);
  const data = descriptor.data ?? {};
  return template.replace(/\{\{([A-Za-z_$][\w$]*)\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`rule ${meta.id}: message '${descriptor.messageId}' needs data.${name}`);
    return String(data[name]);
  });
}
