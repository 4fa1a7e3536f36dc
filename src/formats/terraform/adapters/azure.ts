/**
 * Azure network security groups: inline security_rule blocks and azurerm_network_security_rule
 * resources, grouped per NSG and judged in priority order (a Deny with a lower number closes
 * what it covers in the Allows after it). Outbound rules are never exposure.
 */
import type { Located } from '../../../core/location.js';
import type { OrderedRule } from '../../../model/firewall.js';
import { ALL_PORTS, invertedPortText, parsePortText, portSet, unknownPorts } from '../../../model/ports.js';
import type { Exposure, PortRange, PortSet, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asNumber, asString, attr, blocksOf, elementsOf } from '../values.js';
import type { Emit } from './common.js';
import { addressPrefixSource, exposure, normalizeProtocol, orderedExposures, partKey, referenceSource, unresolvedSource } from './common.js';

interface NsgRule {
  instance: ResourceInstance;
  key: string;
  rule: TfValue;
  location: Exposure['location'];
}

function azurePorts(rule: TfValue): PortSet | undefined {
  const protocol = normalizeProtocol(attr(rule, 'protocol'));
  if ('unsupported' in protocol) return undefined;
  // Plans write the unused one of the pair as "" or [].
  const specs = [...elementsOf(attr(rule, 'destination_port_range')), ...elementsOf(attr(rule, 'destination_port_ranges'))].filter(
    (v) => !(v.kind === 'string' && v.value.trim() === ''),
  );
  const p = 'protocol' in protocol ? protocol.protocol : 'unknown';
  if ('unknown' in protocol) return unknownPorts(protocol.unknown);
  if (p === 'icmp') return { protocol: 'icmp', ranges: [] };
  const ranges: PortRange[] = [];
  for (const spec of specs) {
    if (spec.kind === 'unknown') return unknownPorts(spec.reason, p);
    const s = asString(spec);
    const inverted = s === undefined ? undefined : invertedPortText(s);
    if (inverted) return unknownPorts(inverted, p);
    const range = s === undefined ? undefined : s.trim() === '*' ? { ...ALL_PORTS } : parsePortText(s);
    if (!range) return unknownPorts(`"${s ?? spec.kind}" is not a port range`, p);
    ranges.push(range);
  }
  if (specs.length === 0) return unknownPorts('no destination port range is set', p);
  // Protocol "*" on limited ports stays "all" with those ports: every protocol, only these ports.
  return portSet(p, ranges);
}

function toOrdered(r: NsgRule): OrderedRule<Emit>[] {
  const rule = r.rule;
  if (rule.kind === 'unknown') {
    const e = exposure(r.instance, r.key, unknownPorts(rule.reason), unresolvedSource(rule), rule.loc);
    return [{ priority: undefined, allow: true, ports: e.ports, sources: e.sources, rule: () => e }];
  }
  const direction = attr(rule, 'direction');
  if (direction && direction.kind !== 'unknown' && asString(direction)?.toLowerCase() !== 'inbound') return [];
  const ports = azurePorts(rule);
  if (!ports) return [];
  const access = attr(rule, 'access');
  const allow = access?.kind === 'unknown' || asString(access)?.toLowerCase() !== 'deny';
  const sources: Located<SourceValue>[] = [];
  for (const element of [...elementsOf(attr(rule, 'source_address_prefix')), ...elementsOf(attr(rule, 'source_address_prefixes'))]) {
    const s = addressPrefixSource(element);
    if (s) sources.push(s);
  }
  for (const element of elementsOf(attr(rule, 'source_application_security_group_ids'))) {
    const s = referenceSource(element, 'application security group');
    if (s) sources.push(s);
  }
  return [
    {
      priority: asNumber(attr(rule, 'priority')),
      allow,
      name: ruleName(r),
      ports,
      sources,
      ...destinationScope(rule),
      rule: (remaining, kept, part) => exposure(r.instance, partKey(r.key, part), remaining, kept, r.location),
    },
  ];
}

/** '"deny-ssh"' for an inline security_rule (the message names the NSG), the address of a rule resource. */
function ruleName(r: NsgRule): string {
  if (!r.key) return r.instance.address;
  const name = asString(attr(r.rule, 'name'));
  return name ? `"${name}"` : r.key;
}

/** A deny for one destination does not close an allow for another; "*" (or nothing) is every destination. */
function destinationScope(rule: TfValue): { scope?: string } {
  const targets = [...elementsOf(attr(rule, 'destination_address_prefix')), ...elementsOf(attr(rule, 'destination_address_prefixes'))]
    .map((v) => (v.kind === 'unknown' ? `?${v.label}` : (asString(v) ?? '?')))
    .filter((t) => t !== '');
  if (targets.length === 0 || targets.some((t) => t === '*' || t.toLowerCase() === 'any')) return {};
  return { scope: [...new Set(targets)].sort().join(',') };
}

/** Which NSG a standalone rule belongs to: by reference, else by the name (and resource group) written. */
function linkedGroup(rule: ResourceInstance, groups: ResourceInstance[]): ResourceInstance | undefined {
  const target = attr(rule.value, 'network_security_group_name');
  if (!target) return undefined;
  const byReference = groups.find((g) => target.via === g.resourceAddress);
  if (byReference) return byReference;
  const name = asString(target);
  const rg = asString(attr(rule.value, 'resource_group_name'));
  return groups.find((g) => {
    if (name === undefined || asString(attr(g.value, 'name')) !== name) return false;
    const grg = asString(attr(g.value, 'resource_group_name'));
    return rg === undefined || grg === undefined || rg === grg;
  });
}

export function networkSecurityGroupExposures(groups: ResourceInstance[], ruleResources: ResourceInstance[]): { exposures: Exposure[]; failed: ResourceInstance[] } {
  const byGroup = new Map<string, NsgRule[]>();
  const add = (key: string, rule: NsgRule): void => {
    const list = byGroup.get(key) ?? [];
    list.push(rule);
    byGroup.set(key, list);
  };
  for (const g of groups) {
    byGroup.set(`nsg:${g.file}:${g.address}`, byGroup.get(`nsg:${g.file}:${g.address}`) ?? []);
    blocksOf(g.value, 'security_rule').forEach((rule, i) => add(`nsg:${g.file}:${g.address}`, { instance: g, key: `security_rule[${i}]`, rule, location: rule.loc }));
  }
  for (const r of ruleResources) {
    const g = linkedGroup(r, groups);
    const target = attr(r.value, 'network_security_group_name');
    const key = g ? `nsg:${g.file}:${g.address}` : `name:${target?.kind === 'unknown' ? target.label : (asString(target) ?? r.address)}`;
    add(key, { instance: r, key: '', rule: r.value, location: r.header });
  }
  const exposures: Exposure[] = [];
  const failed: ResourceInstance[] = [];
  for (const rules of byGroup.values()) {
    try {
      exposures.push(...orderedExposures(rules.flatMap(toOrdered), { ties: 'rejected' }));
    } catch {
      if (rules[0]) failed.push(rules[0].instance);
    }
  }
  return { exposures, failed };
}
