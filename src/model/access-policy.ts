/**
 * The one judge of IAM-style resource policies (OpenSearch / Elasticsearch domain access
 * policies) for every format: does an Allow statement let Principal "*" in without a condition
 * that narrows it? Formats translate their values (Terraform jsonencode()/JSON text,
 * CloudFormation maps/JSON strings) into a PolicyDocument first; what cannot be read is an
 * unknown (PW010), never silently private.
 */
import type { Location } from '../core/location.js';
import type { Policy } from '../core/policy.js';
import { addressSource } from './firewall.js';
import { assessSource } from './net.js';
import type { DecidedDatastore, ManagedDatastore, PolicyCondition, PolicyDocument, PolicyStatement, PolicyTerm } from './types.js';

export type { PolicyCondition, PolicyDocument, PolicyStatement, PolicyTerm } from './types.js';

type AccessUnknownCause = 'invalid-json' | 'unreadable' | 'statement' | 'effect' | 'principal' | 'condition' | 'source-ip' | 'other-condition';

type AccessVerdict =
  | { verdict: 'public'; location: Location; scope: 'no-condition' | 'source-ip' }
  | { verdict: 'unknown'; location: Location; cause: AccessUnknownCause; reason?: string }
  | { verdict: 'private' };

/** The first statement that admits everyone, else the first that might, else private. */
export function judgeAccessPolicy(document: PolicyDocument, policy: Policy): AccessVerdict {
  if ('unreadable' in document) {
    return document.unreadable === 'invalid-json'
      ? { verdict: 'unknown', location: document.location, cause: 'invalid-json' }
      : { verdict: 'unknown', location: document.location, cause: 'unreadable', reason: document.unreadable };
  }
  let undecided: AccessVerdict | undefined;
  for (const statement of document.statements) {
    const v = judgeStatement(statement, policy);
    if (v.verdict === 'public') return v;
    if (v.verdict === 'unknown') undecided ??= v;
  }
  return undecided ?? { verdict: 'private' };
}

function judgeStatement(statement: PolicyStatement, policy: Policy): AccessVerdict {
  if (statement.unreadable !== undefined) return { verdict: 'unknown', location: statement.location, cause: 'statement', reason: statement.unreadable };
  const effect = statement.effect;
  if (effect && 'unknown' in effect) return { verdict: 'unknown', location: effect.location, cause: 'effect', reason: effect.unknown };
  if (effect?.text.toLowerCase() !== 'allow') return { verdict: 'private' };
  const star = statement.principals.find((p) => 'text' in p && p.text === '*');
  if (!star) {
    const unknown = statement.principals.find((p): p is Extract<PolicyTerm, { unknown: string }> => 'unknown' in p);
    return unknown ? { verdict: 'unknown', location: unknown.location, cause: 'principal', reason: unknown.unknown } : { verdict: 'private' };
  }
  const conditions = statement.conditions;
  if (!conditions || (Array.isArray(conditions) && conditions.length === 0)) return { verdict: 'public', location: star.location, scope: 'no-condition' };
  if (!Array.isArray(conditions)) return { verdict: 'unknown', location: conditions.location, cause: 'condition', reason: conditions.unknown };
  // Every condition must hold: one that restricts makes the statement private.
  let undecided: AccessVerdict | undefined;
  for (const condition of conditions) {
    const reach = sourceIpReach(condition, policy);
    if (reach === 'restricted') return { verdict: 'private' };
    if (reach === 'unknown') undecided ??= { verdict: 'unknown', location: star.location, cause: 'source-ip', ...unknownReason(condition) };
    if (reach === 'not-source-ip') undecided ??= { verdict: 'unknown', location: star.location, cause: 'other-condition' };
  }
  return undecided ?? { verdict: 'public', location: star.location, scope: 'source-ip' };
}

/** What an aws:SourceIp test admits: the internet (any value that covers it), less, or unknown. */
function sourceIpReach(condition: PolicyCondition, policy: Policy): 'internet' | 'restricted' | 'unknown' | 'not-source-ip' {
  if (!/^IpAddress(IfExists)?$/i.test(condition.operator) || condition.key.toLowerCase() !== 'aws:sourceip') return 'not-source-ip';
  let unknown = false;
  for (const value of condition.values) {
    if ('unknown' in value) {
      unknown = true;
      continue;
    }
    const reach = assessSource(addressSource(value.text), policy).reach;
    if (reach === 'internet') return 'internet';
    if (reach === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'restricted';
}

function unknownReason(condition: PolicyCondition): { reason?: string } {
  const value = condition.values.find((v): v is Extract<PolicyTerm, { unknown: string }> => 'unknown' in v);
  return value ? { reason: value.unknown } : {};
}

/**
 * A policy written as JSON text, located as a whole (offsets inside an escaped string do not
 * map back to the file). Invalid JSON is an unreadable document, judged unknown.
 */
export function policyDocumentFromJson(text: string, location: Location): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { unreadable: 'invalid-json', location };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { unreadable: 'invalid-json', location };
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const term = (v: unknown): PolicyTerm => ({ text: typeof v === 'string' ? v : JSON.stringify(v), location });
  return {
    statements: list.map((s): PolicyStatement => {
      if (!s || typeof s !== 'object') return { location, unreadable: 'a policy statement is not an object', principals: [] };
      const statement = s as Record<string, unknown>;
      const principal = statement.Principal;
      const aws = principal && typeof principal === 'object' && !Array.isArray(principal) ? (principal as Record<string, unknown>).AWS : principal;
      const condition = statement.Condition;
      return {
        location,
        ...(statement.Effect !== undefined ? { effect: term(statement.Effect) } : {}),
        principals: aws === undefined ? [] : [aws].flat().map(term),
        ...(condition !== undefined ? { conditions: jsonConditions(condition, term) } : {}),
      };
    }),
  };
}

function jsonConditions(condition: unknown, term: (v: unknown) => PolicyTerm): PolicyCondition[] {
  if (!condition || typeof condition !== 'object') return [{ operator: String(condition), key: '', values: [] }];
  return Object.entries(condition as Record<string, unknown>).flatMap(([operator, test]) =>
    test && typeof test === 'object' && !Array.isArray(test)
      ? Object.entries(test as Record<string, unknown>).map(([key, values]) => ({ operator, key, values: [values].flat().map(term) }))
      : [{ operator, key: '', values: [] }],
  );
}

/**
 * The reason of a verdict in words, after "it is outside a VPC and ...". Public verdicts name
 * the wildcard principal; unknowns say what could not be read.
 */
export function accessVerdictReason(verdict: Exclude<AccessVerdict, { verdict: 'private' }>): string {
  if (verdict.verdict === 'public') {
    return verdict.scope === 'no-condition' ? 'the access policy allows Principal "*" without a condition' : 'the access policy allows Principal "*" from 0.0.0.0/0';
  }
  const because = verdict.reason ? `: ${verdict.reason}` : '';
  switch (verdict.cause) {
    case 'invalid-json':
      return 'the access policy is not valid JSON';
    case 'unreadable':
      return `the access policy cannot be read${because}`;
    case 'statement':
      return `a policy statement cannot be read${because}`;
    case 'effect':
      return `the statement's Effect is unknown${because}`;
    case 'principal':
      return `the statement's Principal is unknown${because}`;
    case 'condition':
      return `the statement's Condition is unknown${because}`;
    case 'source-ip':
      return `the access policy allows Principal "*" from an aws:SourceIp that cannot be resolved${because}`;
    case 'other-condition':
      return 'the access policy allows Principal "*" under a condition portwall does not evaluate';
  }
}

/**
 * A managed datastore under the scan policy: those the format decided stay as they are; those
 * a resource policy decides are judged here (aws:SourceIp against the trusted sources and the
 * public prefix thresholds), worded as their format always has. Undefined when private.
 */
function decideDatastore(ds: ManagedDatastore, policy: Policy): DecidedDatastore | undefined {
  if (!ds.access) return ds;
  const { access } = ds;
  const base = { id: ds.id, subject: ds.subject, kind: ds.kind };
  let undecided: DecidedDatastore | undefined;
  for (const document of access.documents) {
    const verdict = judgeAccessPolicy(document, policy);
    if (verdict.verdict === 'private') continue;
    const worded = access.wording === 'cloudformation' ? cloudFormationWords(verdict, access.vpcCondition) : { public: verdict.verdict === 'public' ? 'yes' as const : 'unknown' as const, reason: `it is outside a VPC and ${accessVerdictReason(verdict)}` };
    const decided: DecidedDatastore = { ...base, ...worded, location: ds.reportAt ?? verdict.location };
    if (decided.public === 'yes') return decided;
    undecided ??= decided;
  }
  return undecided;
}

/** Every datastore that is public or may be under the policy. */
export function decidedDatastores(datastores: readonly ManagedDatastore[], policy: Policy): DecidedDatastore[] {
  return datastores.flatMap((ds) => decideDatastore(ds, policy) ?? []);
}

/** CloudFormation's own wording of the unknowns it has always reported; the others use the model's. */
const CLOUDFORMATION_PHRASES: Partial<Record<AccessUnknownCause, string>> = {
  principal: 'a Principal that cannot be resolved',
  'source-ip': 'an aws:SourceIp that cannot be resolved',
  'other-condition': 'Principal * under a condition portwall does not evaluate',
};

function cloudFormationWords(verdict: Exclude<AccessVerdict, { verdict: 'private' }>, vpcCondition: string | undefined): Pick<DecidedDatastore, 'public' | 'reason'> {
  const where = vpcCondition ? `VPCOptions ${vpcCondition}` : 'not in a VPC (no VPCOptions)';
  if (verdict.verdict === 'public') {
    if (vpcCondition) return { public: 'unknown', reason: `${where}, and the access policy allows Principal *` };
    const scope = verdict.scope === 'source-ip' ? 'Principal * from an aws:SourceIp that covers the internet' : 'Principal * without an IP condition';
    return { public: 'yes', reason: `${where}, and the access policy allows ${scope}` };
  }
  const why = CLOUDFORMATION_PHRASES[verdict.cause];
  return { public: 'unknown', reason: why ? `${where}, and the access policy allows ${why}` : `${where}, and ${accessVerdictReason(verdict)}` };
}
