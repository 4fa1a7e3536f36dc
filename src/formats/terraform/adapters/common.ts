/**
 * Terraform values -> the shared firewall vocabulary of model/ (protocols, port ranges,
 * source values, ordered rule evaluation). Adapters read evaluated values (values.ts), never
 * syntax, so HCL and plan JSON go through the same code; the domain rules live in model/.
 */
import type { Located, Location } from '../../../core/location.js';
import type { OrderedRule, OrderOptions } from '../../../model/firewall.js';
import { addressSource, awsProtocolPorts, cidrSource as cidrTextSource, openAfterDenies } from '../../../model/firewall.js';
import { normalizeProtocol as protocolOf, unknownPorts } from '../../../model/ports.js';
import type { Exposure, ManagedDatastore, Notice, PortSet, Protocol, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asNumber, asString } from '../values.js';

export interface AdapterOutput {
  exposures: Exposure[];
  managedDatastores: ManagedDatastore[];
  notices: Notice[];
}

type ProtocolResult = { protocol: Protocol } | { unknown: string } | { unsupported: string };

/** "-1", "all", "*", -1, "tcp", "6", "Tcp", "icmpv6"... ESP, GRE and the like carry no ports: unsupported. */
export function normalizeProtocol(value: TfValue | undefined): ProtocolResult {
  if (!value) return { unknown: 'the protocol is not set' };
  if (value.kind === 'unknown') return { unknown: value.reason };
  const raw = asString(value);
  if (raw === undefined) return { unknown: `the protocol is a ${value.kind}` };
  const protocol = protocolOf(raw);
  return protocol === undefined || protocol === 'unknown' ? { unsupported: raw } : { protocol };
}

/** AWS protocol + from_port/to_port; undefined for protocols without ports. */
export function fromToPorts(protocolValue: TfValue | undefined, fromValue: TfValue | undefined, toValue: TfValue | undefined): PortSet | undefined {
  const p = normalizeProtocol(protocolValue);
  if ('unsupported' in p) return undefined;
  if ('unknown' in p) return unknownPorts(p.unknown);
  if (p.protocol !== 'all' && p.protocol !== 'icmp') {
    for (const v of [fromValue, toValue]) if (v?.kind === 'unknown') return unknownPorts(v.reason, p.protocol);
  }
  const result = awsProtocolPorts(asString(protocolValue)!, asNumber(fromValue), asNumber(toValue));
  return 'ports' in result ? result.ports : undefined;
}

function located(value: SourceValue, location: Location, from?: TfValue): Located<SourceValue> {
  return { value, location, ...(from?.trail?.length ? { via: from.trail } : {}) };
}

/**
 * One CIDR-valued element (cidr_blocks item, source_ranges item...) as a located source.
 * AWS wants CIDRs; GCP also takes bare addresses (`bareAddress`).
 */
export function cidrSource(value: TfValue, bareAddress = false): Located<SourceValue> | undefined {
  if (value.kind === 'null') return undefined;
  if (value.kind === 'unknown') return located({ kind: 'unknown', reason: value.reason, label: value.label }, value.loc, value);
  const s = asString(value);
  if (s === undefined) return located({ kind: 'unknown', reason: `a ${value.kind} where a CIDR was expected`, label: value.kind }, value.loc, value);
  if (s.trim() === '') return undefined;
  const lenient = bareAddress ? addressSource(s) : undefined;
  return located(lenient?.kind === 'cidr' ? lenient : cidrTextSource(s), value.loc, value);
}

/** Azure prefixes: "*", "Internet", "Any", CIDRs, addresses, or service tags (never the internet). */
export function addressPrefixSource(value: TfValue): Located<SourceValue> | undefined {
  if (value.kind === 'unknown' || value.kind === 'null') return cidrSource(value);
  const s = asString(value);
  if (s === undefined || s.trim() === '') return undefined;
  return located(addressSource(s), value.loc, value);
}

/** A security group, prefix list or tag: never the internet, but named so messages can say what it is. */
export function referenceSource(value: TfValue, what: string): Located<SourceValue> | undefined {
  if (value.kind === 'null') return undefined;
  const label = value.kind === 'unknown' ? value.label : (asString(value) ?? value.kind);
  if (label === '') return undefined;
  return located({ kind: 'reference', label: `${what} ${label}` }, value.loc, value);
}

/** A rule (list) that could not be evaluated at all: unknown ports from an unknown source, at the value. */
export function unresolvedSource(value: Extract<TfValue, { kind: 'unknown' }>): Located<SourceValue>[] {
  return [located({ kind: 'unknown', reason: value.reason, label: value.label }, value.loc, value)];
}

export function exposure(instance: ResourceInstance, key: string, ports: PortSet, sources: Located<SourceValue>[], location: Location): Exposure {
  return {
    id: `tf:${instance.file}:${instance.address}${key ? `:${key}` : ''}`,
    via: 'firewall-rule',
    subject: instance.address,
    ports,
    sources,
    location,
    workloads: [],
  };
}

/** Builds the exposure for what remains of an allow; `part` numbers the pieces when its sources split. */
export type Emit = (ports: PortSet, sources: Located<SourceValue>[], part: number | undefined) => Exposure;

/** Judges ordered rules (model/firewall.ts) and turns what each allow still opens into exposures. */
export function orderedExposures(rules: OrderedRule<Emit>[], options: OrderOptions = {}): Exposure[] {
  const parts = openAfterDenies(rules, options);
  const total = new Map<Emit, number>();
  for (const p of parts) total.set(p.rule, (total.get(p.rule) ?? 0) + 1);
  const seen = new Map<Emit, number>();
  return parts.map((p) => {
    const index = seen.get(p.rule) ?? 0;
    seen.set(p.rule, index + 1);
    return p.rule(p.ports, p.sources, total.get(p.rule)! > 1 ? index : undefined);
  });
}

export function partKey(key: string, part: number | undefined): string {
  if (part === undefined) return key;
  return key ? `${key}#${part}` : `part[${part}]`;
}
