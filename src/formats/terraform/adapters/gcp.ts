/**
 * GCP VPC firewalls (google_compute_firewall). Ingress is the default direction; a rule
 * without source_ranges, source_tags and source_service_accounts applies to 0.0.0.0/0.
 * Disabled rules and deny blocks expose nothing.
 */
import type { Located } from '../../../core/location.js';
import { ALL_PORTS, parsePortText, portSet, unknownPorts } from '../../../model/ports.js';
import type { Exposure, PortRange, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import { asBool, asString, attr, blocksOf, elementsOf } from '../values.js';
import { cidrSource, exposure, normalizeProtocol, referenceSource } from './common.js';

export function computeFirewallExposures(instance: ResourceInstance): Exposure[] {
  const value = instance.value;
  if (asBool(attr(value, 'disabled')) === true) return [];
  const direction = attr(value, 'direction');
  if (direction && direction.kind !== 'unknown' && asString(direction)?.toUpperCase() !== 'INGRESS') return [];

  const sources: Located<SourceValue>[] = [];
  for (const element of elementsOf(attr(value, 'source_ranges'))) {
    const s = cidrSource(element, true);
    if (s) sources.push(s);
  }
  for (const [name, what] of [
    ['source_tags', 'network tag'],
    ['source_service_accounts', 'service account'],
  ] as const) {
    for (const element of elementsOf(attr(value, name))) {
      const s = referenceSource(element, what);
      if (s) sources.push(s);
    }
  }
  const written = ['source_ranges', 'source_tags', 'source_service_accounts'].some((n) => attr(value, n) !== undefined);
  if (!written) {
    // GCP applies an ingress rule without any source to every address: public by absence.
    sources.push({ value: { kind: 'any', label: '0.0.0.0/0 (no source_ranges: the GCP default)' }, location: instance.header });
  }
  if (sources.length === 0) return [];

  const out: Exposure[] = [];
  blocksOf(value, 'allow').forEach((allow, i) => {
    const key = `allow[${i}]`;
    if (allow.kind === 'unknown') return void out.push(exposure(instance, key, unknownPorts(allow.reason), sources, allow.loc));
    const protocol = normalizeProtocol(attr(allow, 'protocol'));
    if ('unsupported' in protocol) return;
    if ('unknown' in protocol) return void out.push(exposure(instance, key, unknownPorts(protocol.unknown), sources, allow.loc));
    const specs = elementsOf(attr(allow, 'ports'));
    const ranges: PortRange[] = [];
    for (const spec of specs) {
      if (spec.kind === 'unknown') return void out.push(exposure(instance, key, unknownPorts(spec.reason, protocol.protocol), sources, allow.loc));
      const range = parsePortText(asString(spec) ?? '');
      if (!range) return void out.push(exposure(instance, key, unknownPorts(`"${asString(spec) ?? spec.kind}" is not a port range`, protocol.protocol), sources, allow.loc));
      ranges.push(range);
    }
    // No ports listed: every port of the protocol.
    const ports = protocol.protocol === 'icmp' ? portSet('icmp', []) : portSet(protocol.protocol, ranges.length > 0 ? ranges : [ALL_PORTS]);
    out.push(exposure(instance, key, ports, sources, allow.loc));
  });
  return out;
}
