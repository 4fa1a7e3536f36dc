/**
 * Reads an IAM-style resource policy (OpenSearch / Elasticsearch domain access policy) and
 * decides whether it lets anyone in: an Allow statement for Principal "*" (or {"AWS": "*"})
 * without a condition that narrows it. A source-IP condition of 0.0.0.0/0 narrows nothing.
 */
import type { Location } from '../../../core/location.js';
import { decodeJsonString } from '../functions.js';
import type { TfValue } from '../values.js';
import { asString, attr, elementsOf } from '../values.js';

export type PolicyVerdict =
  | { verdict: 'public'; location: Location; reason: string }
  | { verdict: 'unknown'; location: Location; reason: string }
  | { verdict: 'private' };

/** The policy document behind an attribute value: jsonencode() structure, or JSON text. */
export function policyDocument(value: TfValue): TfValue | undefined {
  if ((value.kind === 'string' || value.kind === 'unknown') && value.encoded) return value.encoded;
  if (value.kind === 'string') return decodeJsonString(value);
  if (value.kind === 'object') return value;
  return undefined;
}

export function judgePolicy(value: TfValue): PolicyVerdict {
  const document = policyDocument(value);
  if (!document) {
    if (value.kind === 'unknown') return { verdict: 'unknown', location: value.loc, reason: `the access policy cannot be read: ${value.reason}` };
    return { verdict: 'unknown', location: value.loc, reason: 'the access policy is not valid JSON' };
  }
  let undecided: PolicyVerdict | undefined;
  for (const statement of elementsOf(attr(document, 'Statement'))) {
    const v = judgeStatement(statement);
    if (v.verdict === 'public') return v;
    if (v.verdict === 'unknown') undecided ??= v;
  }
  return undecided ?? { verdict: 'private' };
}

function judgeStatement(statement: TfValue): PolicyVerdict {
  if (statement.kind === 'unknown') return { verdict: 'unknown', location: statement.loc, reason: `a policy statement cannot be read: ${statement.reason}` };
  const effect = attr(statement, 'Effect');
  if (effect?.kind === 'unknown') return { verdict: 'unknown', location: effect.loc, reason: `the statement's Effect is unknown: ${effect.reason}` };
  if (asString(effect)?.toLowerCase() !== 'allow') return { verdict: 'private' };
  const principal = attr(statement, 'Principal');
  if (!principal) return { verdict: 'private' };
  const wildcard = wildcardPrincipal(principal);
  if (wildcard === undefined) return { verdict: 'private' };
  if (wildcard.kind === 'unknown') return { verdict: 'unknown', location: wildcard.loc, reason: `the statement's Principal is unknown: ${wildcard.reason}` };
  const condition = attr(statement, 'Condition');
  if (condition && !conditionIsOpen(condition)) {
    if (condition.kind === 'unknown') return { verdict: 'unknown', location: condition.loc, reason: `the statement's Condition is unknown: ${condition.reason}` };
    return { verdict: 'private' };
  }
  return {
    verdict: 'public',
    location: wildcard.loc,
    reason: condition ? 'the access policy allows Principal "*" from 0.0.0.0/0' : 'the access policy allows Principal "*" without a condition',
  };
}

/** The "*" value that makes a principal everyone, an unknown that might, or undefined. */
function wildcardPrincipal(principal: TfValue): TfValue | undefined {
  if (principal.kind === 'unknown') return principal;
  if (asString(principal) === '*') return principal;
  const aws = attr(principal, 'AWS');
  for (const v of elementsOf(aws)) {
    if (v.kind === 'unknown') return v;
    if (asString(v) === '*') return v;
  }
  return undefined;
}

/** A condition restricts unless it is only a source-IP test that admits every address. */
function conditionIsOpen(condition: TfValue): boolean {
  if (condition.kind !== 'object' || condition.entries.size === 0) return condition.kind === 'object';
  for (const [operator, test] of condition.entries) {
    if (!/^(IpAddress|IpAddressIfExists)$/i.test(operator) || test.kind !== 'object') return false;
    for (const [key, values] of test.entries) {
      if (key.toLowerCase() !== 'aws:sourceip') return false;
      if (!elementsOf(values).some((v) => ['0.0.0.0/0', '::/0', '*'].includes(asString(v) ?? ''))) return false;
    }
  }
  return true;
}
