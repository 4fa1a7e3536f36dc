/**
 * Data sources that are pure functions of their arguments, so their result is known before
 * Terraform runs. aws_iam_policy_document is how most configurations write OpenSearch
 * access policies; its `json` keeps the statement structure and the locations of "*".
 */
import type { Location } from '../../core/location.js';
import type { ObjectValue, TfValue } from './values.js';
import { asString, attr, blocksOf, elementsOf, firstUnknown, list, object, str, toPlain, unknown } from './values.js';

type PureDataSource = (body: ObjectValue, header: Location) => ObjectValue;

function policyStatement(statement: TfValue): TfValue {
  if (statement.kind !== 'object') return statement;
  const entries = new Map<string, TfValue>();
  const effect = attr(statement, 'effect');
  entries.set('Effect', effect ?? str('Allow', statement.loc));
  for (const [from, to] of [
    ['actions', 'Action'],
    ['resources', 'Resource'],
  ] as const) {
    const v = attr(statement, from);
    if (v) entries.set(to, v);
  }
  const principals = new Map<string, TfValue>();
  let wildcard: TfValue | undefined;
  for (const p of blocksOf(statement, 'principals')) {
    if (p.kind === 'unknown') {
      wildcard = p;
      continue;
    }
    const type = attr(p, 'type');
    const identifiers = attr(p, 'identifiers') ?? list([], p.loc);
    const typeName = asString(type);
    if (type?.kind === 'unknown') wildcard = type;
    // type "*" with identifiers ["*"] renders as Principal: "*".
    else if (typeName === '*') wildcard = elementsOf(identifiers).find((i) => asString(i) === '*' || i.kind === 'unknown') ?? identifiers;
    else if (typeName !== undefined) principals.set(typeName, identifiers);
  }
  if (wildcard) entries.set('Principal', wildcard);
  else if (principals.size > 0) entries.set('Principal', object(principals, statement.loc));
  const conditions = new Map<string, TfValue>();
  for (const c of blocksOf(statement, 'condition')) {
    const test = asString(attr(c, 'test'));
    const variable = asString(attr(c, 'variable'));
    if (test === undefined || variable === undefined) {
      conditions.set('?', c.kind === 'unknown' ? c : unknown('a condition is unknown', 'condition', c.loc));
      continue;
    }
    const existing = conditions.get(test);
    const tests = existing?.kind === 'object' ? existing : object(new Map(), c.loc);
    tests.entries.set(variable, attr(c, 'values') ?? list([], c.loc));
    conditions.set(test, tests);
  }
  if (conditions.size > 0) entries.set('Condition', object(conditions, statement.loc));
  return object(entries, statement.loc);
}

export const PURE_DATA_SOURCES: ReadonlyMap<string, PureDataSource> = new Map([
  [
    'aws_iam_policy_document',
    (body: ObjectValue, header: Location): ObjectValue => {
      const document = object(
        new Map<string, TfValue>([
          ['Version', attr(body, 'version') ?? str('2012-10-17', header)],
          ['Statement', list(blocksOf(body, 'statement').map(policyStatement), header)],
        ]),
        header,
      );
      const missing = firstUnknown(document);
      const json: TfValue = missing
        ? { ...unknown(missing.reason, 'json', header), encoded: document }
        : { ...str(JSON.stringify(toPlain(document)), header), encoded: document };
      return object(new Map([['json', json]]), header);
    },
  ],
]);
