/**
 * AWS firewalls: security groups (inline ingress, aws_security_group_rule,
 * aws_vpc_security_group_ingress_rule) and network ACLs (inline ingress and
 * aws_network_acl_rule, judged in rule-number order). Egress is never exposure.
 */
import type { Located } from '../../../core/location.js';
import type { OrderedRule } from '../../../model/firewall.js';
import { unknownPorts } from '../../../model/ports.js';
import type { Exposure, PortSet, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asBool, asNumber, asString, attr, blocksOf, elementsOf } from '../values.js';
import type { Emit } from './common.js';
import { cidrSource, exposure, fromToPorts, orderedExposures, partKey, referenceSource, unresolvedSource } from './common.js';
import { pushAll } from '../../../core/arrays.js';

function sourcesOf(rule: TfValue, fields: { cidr: string[]; references: [string, string][]; self?: boolean }): Located<SourceValue>[] {
  const sources: Located<SourceValue>[] = [];
  for (const name of fields.cidr) {
    for (const element of elementsOf(attr(rule, name))) {
      const s = cidrSource(element);
      if (s) sources.push(s);
    }
  }
  for (const [name, what] of fields.references) {
    for (const element of elementsOf(attr(rule, name))) {
      const s = referenceSource(element, what);
      if (s) sources.push(s);
    }
  }
  const self = attr(rule, 'self');
  if (fields.self && self && asBool(self) !== false) {
    sources.push({ value: { kind: 'reference', label: 'the security group itself' }, location: self.loc });
  }
  return sources;
}

const SG_RULE_SOURCES = {
  cidr: ['cidr_blocks', 'ipv6_cidr_blocks'],
  references: [
    ['prefix_list_ids', 'prefix list'],
    ['security_groups', 'security group'],
    ['source_security_group_id', 'security group'],
  ] as [string, string][],
  self: true,
};

/** A whole rule list that could not be evaluated (ingress = var.rules without default). */
function unresolvedRule(instance: ResourceInstance, key: string, rule: Extract<TfValue, { kind: 'unknown' }>): Exposure {
  return exposure(instance, key, unknownPorts(rule.reason), unresolvedSource(rule), rule.loc);
}

/** aws_security_group / aws_default_security_group inline `ingress` blocks. */
export function securityGroupExposures(instance: ResourceInstance): Exposure[] {
  const out: Exposure[] = [];
  blocksOf(instance.value, 'ingress').forEach((rule, i) => {
    const key = `ingress[${i}]`;
    if (rule.kind === 'unknown') return void out.push(unresolvedRule(instance, key, rule));
    const ports = fromToPorts(attr(rule, 'protocol'), attr(rule, 'from_port'), attr(rule, 'to_port'));
    const sources = sourcesOf(rule, SG_RULE_SOURCES);
    if (ports && sources.length > 0) out.push(exposure(instance, key, ports, sources, rule.loc));
  });
  return out;
}

/** aws_security_group_rule with type = "ingress". */
export function securityGroupRuleExposures(instance: ResourceInstance): Exposure[] {
  const type = attr(instance.value, 'type');
  if (type && type.kind !== 'unknown' && asString(type) !== 'ingress') return [];
  const ports = fromToPorts(attr(instance.value, 'protocol'), attr(instance.value, 'from_port'), attr(instance.value, 'to_port'));
  const sources = sourcesOf(instance.value, SG_RULE_SOURCES);
  return ports && sources.length > 0 ? [exposure(instance, '', ports, sources, instance.header)] : [];
}

/** aws_vpc_security_group_ingress_rule: one source per rule, ip_protocol "-1" ignores ports. */
export function vpcIngressRuleExposures(instance: ResourceInstance): Exposure[] {
  const rule = instance.value;
  const ports = fromToPorts(attr(rule, 'ip_protocol'), attr(rule, 'from_port'), attr(rule, 'to_port'));
  const sources = sourcesOf(rule, {
    cidr: ['cidr_ipv4', 'cidr_ipv6'],
    references: [
      ['prefix_list_id', 'prefix list'],
      ['referenced_security_group_id', 'security group'],
    ],
  });
  return ports && sources.length > 0 ? [exposure(instance, '', ports, sources, instance.header)] : [];
}

interface AclRule {
  instance: ResourceInstance;
  key: string;
  rule: TfValue;
  ruleNumber: TfValue | undefined;
  action: TfValue | undefined;
  location: Exposure['location'];
}

/**
 * Network ACLs: inline ingress of aws_network_acl / aws_default_network_acl plus the
 * aws_network_acl_rule resources that point at them, judged together by rule number.
 */
export function networkAclExposures(acls: ResourceInstance[], ruleResources: ResourceInstance[]): { exposures: Exposure[]; failed: ResourceInstance[] } {
  const groups = new Map<string, AclRule[]>();
  const groupOf = (key: string): AclRule[] => {
    const g = groups.get(key) ?? [];
    groups.set(key, g);
    return g;
  };
  for (const acl of acls) {
    const group = groupOf(`acl:${acl.file}:${acl.address}`);
    blocksOf(acl.value, 'ingress').forEach((rule, i) => {
      group.push({ instance: acl, key: `ingress[${i}]`, rule, ruleNumber: attr(rule, 'rule_no'), action: attr(rule, 'action'), location: rule.loc });
    });
  }
  for (const r of ruleResources) {
    const egress = asBool(attr(r.value, 'egress'));
    if (egress === true) continue;
    const target = attr(r.value, 'network_acl_id');
    const linked = acls.find((acl) => target?.via === acl.resourceAddress);
    const key = linked ? `acl:${linked.file}:${linked.address}` : `id:${target?.kind === 'unknown' ? target.label : (asString(target) ?? r.address)}`;
    groupOf(key).push({ instance: r, key: '', rule: r.value, ruleNumber: attr(r.value, 'rule_number'), action: attr(r.value, 'rule_action'), location: r.header });
  }
  const exposures: Exposure[] = [];
  const failed: ResourceInstance[] = [];
  for (const rules of groups.values()) {
    try {
      pushAll(exposures, orderedExposures(rules.flatMap(toOrdered)));
    } catch {
      failed.push(rules[0]!.instance);
    }
  }
  return { exposures, failed };
}

function toOrdered(r: AclRule): OrderedRule<Emit>[] {
  if (r.rule.kind === 'unknown') {
    const e = unresolvedRule(r.instance, r.key, r.rule);
    return [{ priority: undefined, allow: true, ports: e.ports, sources: e.sources, rule: () => e }];
  }
  const ports: PortSet | undefined = fromToPorts(attr(r.rule, 'protocol'), attr(r.rule, 'from_port'), attr(r.rule, 'to_port'));
  if (!ports) return [];
  const action = r.action?.kind === 'unknown' ? 'allow' : asString(r.action)?.toLowerCase();
  const sources: Located<SourceValue>[] = [];
  for (const name of ['cidr_block', 'ipv6_cidr_block']) {
    const v = attr(r.rule, name);
    const s = v ? cidrSource(v) : undefined;
    if (s) sources.push(s);
  }
  return [
    {
      priority: asNumber(r.ruleNumber),
      allow: action === 'allow',
      ports,
      sources,
      rule: (remaining, kept, part) => exposure(r.instance, partKey(r.key, part), remaining, kept, r.location),
    },
  ];
}
