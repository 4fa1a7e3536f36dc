/**
 * From evaluated CloudFormation values to model values: numbers, booleans, protocols and
 * located sources. Where `!If` (or a region-dependent mapping) leaves options, scalars must
 * agree; when they do not, the result is an unknown that names the condition — never a guess.
 * Sources keep every option (a `choice`): how far each reaches is the policy's, judged in the model.
 */
import type { Located, Location } from '../../core/location.js';
import type { SourceValue } from '../../model/types.js';
import { scalarString, type CfnValue } from './intrinsics.js';
import { pushAll } from '../../core/arrays.js';

const MAX_OPTIONS = 64;
/** `{{resolve:ssm:...}}`: CloudFormation reads the value from SSM / Secrets Manager at deployment. */
const DYNAMIC_REFERENCE = /^\{\{resolve:/;

/** The leaves of nested choices (AWS::NoValue included); too many becomes one unknown. */
export function alternatives(value: CfnValue): CfnValue[] {
  if (value.kind !== 'choice') return [value];
  const out: CfnValue[] = [];
  const stack = [...value.options];
  while (stack.length > 0) {
    const v = stack.shift()!;
    if (v.kind === 'choice') for (let i = v.options.length - 1; i >= 0; i--) stack.unshift(v.options[i]!);
    else out.push(v);
    if (out.length > MAX_OPTIONS) return [{ kind: 'unknown', reason: `${value.reason} (too many alternatives)`, label: '?', loc: value.loc }];
  }
  return out;
}

export type Resolved<T> = { value: T; loc: Location } | { unknown: string; label: string; loc: Location };

/** A scalar that every alternative agrees on, converted by `convert` (undefined = not of that type). */
function resolveScalar<T>(value: CfnValue, what: string, convert: (text: string) => T | undefined): Resolved<T> {
  const options = alternatives(value);
  const converted: { value: T; loc: Location }[] = [];
  for (const option of options) {
    if (option.kind === 'unknown') return { unknown: option.reason, label: option.label, loc: option.loc };
    const text = scalarString(option);
    const v = text === undefined ? undefined : convert(text);
    if (v === undefined) return { unknown: `${what} is ${describe(option)}`, label: text ?? option.kind, loc: option.loc };
    converted.push({ value: v, loc: option.loc });
  }
  const first = converted[0];
  if (!first) return { unknown: `${what} has no value`, label: '?', loc: value.loc };
  if (converted.every((c) => c.value === first.value)) return options.length === 1 ? first : { value: first.value, loc: value.loc };
  const why = value.kind === 'choice' ? value.reason : 'has several values';
  return { unknown: `${what} ${why}: ${converted.map((c) => String(c.value)).join(' or ')}`, label: what, loc: value.loc };
}

export function resolveNumber(value: CfnValue, what: string): Resolved<number> {
  return resolveScalar(value, what, (t) => (/^\s*-?\d+\s*$/.test(t) ? Number(t) : undefined));
}

export function resolveBoolean(value: CfnValue, what: string): Resolved<boolean> {
  return resolveScalar(value, what, (t) => (/^true$/i.test(t.trim()) ? true : /^false$/i.test(t.trim()) ? false : undefined));
}

export function resolveText(value: CfnValue, what: string): Resolved<string> {
  return resolveScalar(value, what, (t) => t);
}

function describe(value: CfnValue): string {
  if (value.kind === 'scalar') return `"${String(value.value)}"`;
  if (value.kind === 'resource') return `${value.attribute ? `an attribute of ${value.logicalId}` : `the resource ${value.logicalId}`}, known only at deployment`;
  if (value.kind === 'novalue') return 'AWS::NoValue';
  return `a ${value.kind}`;
}

/** How a value names another object (a security group, a prefix list): its logical id or text. */
export function referenceLabel(value: CfnValue): string {
  switch (value.kind) {
    case 'resource':
      // A group's GroupId names the group itself.
      return value.attribute && value.attribute !== 'GroupId' ? `${value.logicalId}.${value.attribute}` : value.logicalId;
    case 'scalar':
      return String(value.value);
    case 'unknown':
      return value.label;
    case 'choice':
      return [...new Set(alternatives(value).filter((o) => o.kind !== 'novalue').map(referenceLabel))].join(' or ');
    default:
      return `(${value.kind})`;
  }
}

/**
 * The sources one CIDR-valued property contributes, each located at the value that is
 * written (the parameter Default, the mapping entry, the scalar). Alternatives of `!If` are
 * kept, all of them, as one `choice` located at the `!If` whose provenance names each branch's
 * place and the condition that picks it; the policy judges them in the model (model/net.ts
 * decideSource), never here.
 */
export function cidrSources(value: CfnValue, what: string, toSource: (text: string) => SourceValue): Located<SourceValue>[] {
  const items = value.kind === 'list' ? value.items : [value];
  const out: Located<SourceValue>[] = [];
  for (const item of items) {
    const options = alternatives(item).filter((o) => o.kind !== 'novalue');
    const located = options.map((o) => sourceOf(o, what, toSource));
    if (located.length <= 1) {
      pushAll(out, located);
      continue;
    }
    const reason = `${what} ${item.kind === 'choice' ? item.reason : 'has several values'}`;
    // The branches' own places (and the condition that picks them) are the hops.
    const via = options.flatMap((o) => [{ location: o.loc, note: `${scalarString(o) ?? 'a value'} is one of the alternatives` }, ...(o.trail ?? [])]);
    out.push({ value: { kind: 'choice', reason, options: located }, location: item.loc, ...(via.length ? { via } : {}) });
  }
  return out;
}

function sourceOf(value: CfnValue, what: string, toSource: (text: string) => SourceValue): Located<SourceValue> {
  const via = value.trail?.length ? { via: value.trail } : {};
  if (value.kind === 'unknown') return { value: { kind: 'unknown', reason: value.reason, label: value.label }, location: value.loc, ...via };
  const text = scalarString(value);
  if (text === undefined) return { value: { kind: 'unknown', reason: `${what} is ${describe(value)}`, label: referenceLabel(value) }, location: value.loc, ...via };
  if (DYNAMIC_REFERENCE.test(text)) return { value: { kind: 'unknown', reason: `${what} is a dynamic reference resolved at deployment`, label: text }, location: value.loc, ...via };
  return { value: toSource(text), location: value.loc, ...via };
}
