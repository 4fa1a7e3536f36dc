/**
 * Terraform's side of the access-policy judge (src/model/access-policy.ts): turns an
 * `access_policies` value (jsonencode() structure or JSON text) into a PolicyDocument.
 */
import type { Location } from '../../../core/location.js';
import type { PolicyCondition, PolicyDocument, PolicyStatement, PolicyTerm } from '../../../model/access-policy.js';
import { decodeJsonString } from '../functions.js';
import type { TfValue } from '../values.js';
import { asString, attr, elementsOf } from '../values.js';

/** The policy document behind an attribute value: jsonencode() structure, or JSON text. */
function policyValue(value: TfValue): TfValue | undefined {
  if ((value.kind === 'string' || value.kind === 'unknown') && value.encoded) return value.encoded;
  if (value.kind === 'string') return decodeJsonString(value);
  if (value.kind === 'object') return value;
  return undefined;
}

function term(value: TfValue): PolicyTerm {
  return value.kind === 'unknown' ? { unknown: value.reason, location: value.loc } : { text: asString(value) ?? '', location: value.loc };
}

export function terraformPolicyDocument(value: TfValue): PolicyDocument {
  const document = policyValue(value);
  if (!document) return { unreadable: value.kind === 'unknown' ? value.reason : 'invalid-json', location: value.loc };
  return { statements: elementsOf(attr(document, 'Statement')).map(statementOf) };
}

function statementOf(statement: TfValue): PolicyStatement {
  if (statement.kind === 'unknown') return { location: statement.loc, unreadable: statement.reason, principals: [] };
  const effect = attr(statement, 'Effect');
  const principal = attr(statement, 'Principal');
  const condition = attr(statement, 'Condition');
  const principals = !principal ? [] : principal.kind === 'unknown' || asString(principal) !== undefined ? [term(principal)] : elementsOf(attr(principal, 'AWS')).map(term);
  return {
    location: statement.loc,
    ...(effect ? { effect: term(effect) } : {}),
    principals,
    ...(condition ? { conditions: conditionsOf(condition) } : {}),
  };
}

function conditionsOf(condition: TfValue): PolicyCondition[] | { unknown: string; location: Location } {
  if (condition.kind === 'unknown') return { unknown: condition.reason, location: condition.loc };
  if (condition.kind !== 'object') return [{ operator: asString(condition) ?? '', key: '', values: [] }];
  return [...condition.entries].flatMap(([operator, test]) =>
    test.kind === 'object' ? [...test.entries].map(([key, values]) => ({ operator, key, values: elementsOf(values).map(term) })) : [{ operator, key: '', values: [] }],
  );
}
