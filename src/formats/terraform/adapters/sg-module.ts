/**
 * Calls of terraform-aws-modules/security-group (and its //modules/<name> submodules):
 * the inputs say what the module will open, so exposures come from the inputs and the
 * shipped rule table, without downloading the module.
 */
import type { Located, Location } from '../../../core/location.js';
import type { Exposure, PortSet, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { StringValue, TfValue } from '../values.js';
import { asBool, asString, attr, elementsOf } from '../values.js';
import { unknownPorts } from '../../../model/ports.js';
import { cidrSource, exposure, fromToPorts, referenceSource, unresolvedSource } from './common.js';
import { SECURITY_GROUP_MODULE_AUTO_INGRESS, SECURITY_GROUP_MODULE_RULES } from './sg-module-rules.js';

const SOURCE_PATTERN = /(?:^|[/:.])terraform-aws-modules\/(?:security-group\/aws|terraform-aws-security-group(?:\.git)?)(?:\/\/modules\/([\w-]+))?(?:[/?]|$)/;

/** The submodule name ("" for the root module) when `source` is the security-group module. */
export function securityGroupModuleVariant(instance: ResourceInstance): string | undefined {
  const source = instance.knownSource ?? asString(attr(instance.value, 'source'));
  if (!source) return undefined;
  const m = SOURCE_PATTERN.exec(source);
  return m ? (m[1] ?? '') : undefined;
}

export function securityGroupModuleExposures(instance: ResourceInstance, variant: string): Exposure[] {
  const inputs = instance.value;
  if (asBool(attr(inputs, 'create')) === false) return [];
  const out: Exposure[] = [];
  const defaultSources = (): Located<SourceValue>[] => [
    ...cidrSources(attr(inputs, 'ingress_cidr_blocks')),
    ...cidrSources(attr(inputs, 'ingress_ipv6_cidr_blocks')),
    ...elementsOf(attr(inputs, 'ingress_prefix_list_ids')).flatMap((v) => referenceSource(v, 'prefix list') ?? []),
  ];

  // Named rules open to the default CIDR lists: ingress_rules, computed_ingress_rules, and a submodule's auto rules.
  const named: { key: string; rule: TfValue | string; location: Location }[] = [];
  const autoInput = attr(inputs, 'auto_ingress_rules');
  if (variant && autoInput) elementsOf(autoInput).forEach((r, i) => named.push({ key: `auto_ingress_rules[${i}]`, rule: r, location: r.loc }));
  else if (variant) {
    (SECURITY_GROUP_MODULE_AUTO_INGRESS.get(variant) ?? []).forEach((r, i) => named.push({ key: `auto_ingress_rules[${i}]`, rule: r, location: instance.header }));
  }
  for (const input of ['ingress_rules', 'computed_ingress_rules']) {
    elementsOf(attr(inputs, input)).forEach((r, i) => named.push({ key: `${input}[${i}]`, rule: r, location: r.loc }));
  }
  if (named.length > 0) {
    const sources = defaultSources();
    for (const n of named) {
      if (sources.length > 0) out.push(exposure(instance, n.key, namedRulePorts(n.rule, n.location), sources, n.location));
    }
  }

  // Rules given as maps: each may name a rule or give ports, and its own comma-separated sources.
  const mapInputs: [string, (rule: TfValue) => Located<SourceValue>[]][] = [
    ['ingress_with_cidr_blocks', (r) => splitSources(attr(r, 'cidr_blocks')) ?? cidrSources(attr(inputs, 'ingress_cidr_blocks'))],
    ['computed_ingress_with_cidr_blocks', (r) => splitSources(attr(r, 'cidr_blocks')) ?? cidrSources(attr(inputs, 'ingress_cidr_blocks'))],
    ['ingress_with_ipv6_cidr_blocks', (r) => splitSources(attr(r, 'ipv6_cidr_blocks')) ?? cidrSources(attr(inputs, 'ingress_ipv6_cidr_blocks'))],
    ['computed_ingress_with_ipv6_cidr_blocks', (r) => splitSources(attr(r, 'ipv6_cidr_blocks')) ?? cidrSources(attr(inputs, 'ingress_ipv6_cidr_blocks'))],
    ['ingress_with_source_security_group_id', (r) => referenceList(attr(r, 'source_security_group_id'), 'security group')],
    ['computed_ingress_with_source_security_group_id', (r) => referenceList(attr(r, 'source_security_group_id'), 'security group')],
    ['ingress_with_prefix_list_ids', (r) => referenceList(attr(r, 'prefix_list_ids'), 'prefix list')],
    ['ingress_with_self', (r) => [{ value: { kind: 'reference', label: 'the security group itself' }, location: r.loc }]],
  ];
  for (const [input, sourcesOf] of mapInputs) {
    elementsOf(attr(inputs, input)).forEach((rule, i) => {
      const key = `${input}[${i}]`;
      if (rule.kind === 'unknown') {
        out.push(exposure(instance, key, unknownPorts(rule.reason), unresolvedSource(rule), rule.loc));
        return;
      }
      const sources = sourcesOf(rule);
      if (sources.length > 0) out.push(exposure(instance, key, mapRulePorts(rule), sources, rule.loc));
    });
  }
  return out;
}

function namedRulePorts(rule: TfValue | string, at: Location): PortSet {
  if (typeof rule !== 'string' && rule.kind === 'unknown') return unknownPorts(rule.reason);
  const name = typeof rule === 'string' ? rule : asString(rule);
  const entry = name === undefined ? undefined : SECURITY_GROUP_MODULE_RULES.get(name);
  if (!entry) return unknownPorts(`"${name ?? '?'}" is not a rule of the security-group module`);
  return fromToPorts(literal(entry.protocol, at), literal(entry.from, at), literal(entry.to, at)) ?? unknownPorts(`protocol ${entry.protocol} has no ports`);
}

function mapRulePorts(rule: TfValue): PortSet {
  const named = asString(attr(rule, 'rule'));
  const entry = named === undefined ? undefined : SECURITY_GROUP_MODULE_RULES.get(named);
  const protocol = attr(rule, 'protocol') ?? (entry ? literal(entry.protocol, rule.loc) : undefined);
  const from = attr(rule, 'from_port') ?? (entry ? literal(entry.from, rule.loc) : undefined);
  const to = attr(rule, 'to_port') ?? (entry ? literal(entry.to, rule.loc) : undefined);
  if (named !== undefined && !entry && !attr(rule, 'from_port')) return unknownPorts(`"${named}" is not a rule of the security-group module`);
  return fromToPorts(protocol, from, to) ?? unknownPorts('the rule has no ports');
}

/** A value from the rule table, placed where the rule is named. */
function literal(value: string | number, at: Location): TfValue {
  return typeof value === 'number' ? { kind: 'number', value, loc: at } : { kind: 'string', value, loc: at };
}

function cidrSources(value: TfValue | undefined): Located<SourceValue>[] {
  return elementsOf(value).flatMap((v) => cidrSource(v) ?? []);
}

function referenceList(value: TfValue | undefined, what: string): Located<SourceValue>[] {
  return elementsOf(value).flatMap((v) => {
    if (v.kind !== 'string') return referenceSource(v, what) ?? [];
    return v.value.split(',').flatMap((part) => referenceSource({ ...v, value: part.trim() }, what) ?? []);
  });
}

/**
 * The module takes "10.0.0.0/8,0.0.0.0/0" strings here. Each piece is located at its own
 * characters when the string is written verbatim; undefined when the key is absent.
 */
function splitSources(value: TfValue | undefined): Located<SourceValue>[] | undefined {
  if (!value) return undefined;
  if (value.kind !== 'string' || !value.value.includes(',')) return elementsOf(value).flatMap((v) => cidrSource(v) ?? []);
  const out: Located<SourceValue>[] = [];
  let offset = 0;
  for (const piece of value.value.split(',')) {
    const start = offset + (piece.length - piece.trimStart().length);
    offset += piece.length + 1;
    const text = piece.trim();
    if (!text) continue;
    const located: StringValue = { kind: 'string', value: text, loc: pieceLocation(value, start, text.length) };
    const s = cidrSource(located);
    if (s) out.push(s);
  }
  return out;
}

function pieceLocation(value: StringValue, start: number, length: number): Location {
  if (!value.verbatim) return value.loc;
  const { file, offset } = value.verbatim;
  return { file: file.path, region: file.index.region(offset + start, offset + start + length) };
}
