/**
 * Ingress rules of CloudFormation firewalls as exposures: AWS::EC2::SecurityGroup inline
 * rules, AWS::EC2::SecurityGroupIngress, and AWS::EC2::NetworkAclEntry (judged in rule-number
 * order per network ACL, so a lower-numbered deny closes what it covers).
 */
import type { Located, Location } from '../../core/location.js';
import { awsProtocolPorts, cidrSource, openAfterDenies, type OrderedRule } from '../../model/firewall.js';
import { unknownPorts } from '../../model/ports.js';
import type { Exposure, PortSet, SourceValue } from '../../model/types.js';
import type { Evaluator, CfnValue } from './intrinsics.js';
import type { CfnResource } from './template.js';
import { alternatives, cidrSources, referenceLabel, resolveNumber, resolveText, type Resolved } from './values.js';
import { pushAll } from '../../core/arrays.js';

/** One rule as written: the map that holds it and the condition it exists under, if any. */
interface RuleEntry {
  rule: CfnValue;
  /** Reported when no single source is to blame. */
  location: Location;
  key: string;
  condition?: string;
}

export function securityGroupExposures(resource: CfnResource, ev: Evaluator): Exposure[] {
  const properties = ev.evaluate(resource.properties);
  const list = ev.property(properties, 'SecurityGroupIngress');
  if (!list) return [];
  const entries: RuleEntry[] = [];
  // `!If [Cond, [rules], !Ref AWS::NoValue]` around the list, or around single items.
  for (const listOption of alternatives(list)) {
    const listCondition = list.kind === 'choice' ? conditionName(list, listOption) : undefined;
    const items = listOption.kind === 'list' ? listOption.items : [];
    items.forEach((item, i) => {
      for (const option of alternatives(item)) {
        if (option.kind !== 'map') continue;
        const condition = item.kind === 'choice' ? conditionName(item, option) : listCondition;
        entries.push({ rule: option, location: option.loc, key: `SecurityGroupIngress[${i}]${condition ? `@${option.loc.region.startOffset}` : ''}`, ...(condition ? { condition } : {}) });
      }
    });
  }
  return entries.flatMap((entry) => ruleExposure(resource, entry, ev) ?? []);
}

export function securityGroupIngressExposure(resource: CfnResource, ev: Evaluator): Exposure[] {
  const properties = ev.evaluate(resource.properties);
  if (!properties || properties.kind !== 'map') return [];
  const exposure = ruleExposure(resource, { rule: properties, location: resource.keyLocation, key: '' }, ev);
  return exposure ? [exposure] : [];
}

function ruleExposure(resource: CfnResource, entry: RuleEntry, ev: Evaluator): Exposure | undefined {
  const ports = rulePorts(ev, entry.rule, 'IpProtocol', ev.property(entry.rule, 'FromPort'), ev.property(entry.rule, 'ToPort'));
  if (!ports) return undefined;
  const sources: Located<SourceValue>[] = [];
  for (const key of ['CidrIp', 'CidrIpv6']) {
    const value = ev.property(entry.rule, key);
    if (value) pushAll(sources, cidrSources(value, key, cidrSource));
  }
  // Other security groups and prefix lists are named sources, never the internet.
  for (const [key, what] of [['SourceSecurityGroupId', 'security group'], ['SourceSecurityGroupName', 'security group'], ['SourcePrefixListId', 'prefix list']] as const) {
    const value = ev.property(entry.rule, key);
    if (value) sources.push({ value: { kind: 'reference', label: `${what} ${referenceLabel(value)}` }, location: value.loc });
  }
  if (sources.length === 0) return undefined;
  return {
    id: `cfn:${resource.keyLocation.file}:${resource.logicalId}${entry.key ? `:${entry.key}` : ''}`,
    via: 'firewall-rule',
    subject: subjectOf(resource, entry.condition),
    ports,
    sources,
    location: entry.location,
    workloads: [],
  };
}

/** Ports of a rule; undefined for protocols that carry no ports (ESP, GRE...). */
function rulePorts(ev: Evaluator, rule: CfnValue, protocolKey: string, fromValue: CfnValue | undefined, toValue: CfnValue | undefined): PortSet | undefined {
  const protocolValue = ev.property(rule, protocolKey);
  if (!protocolValue) return unknownPorts(`${protocolKey} is not set`);
  const protocol = resolveText(protocolValue, protocolKey);
  if ('unknown' in protocol) return unknownPorts(protocol.unknown);
  const from = fromValue ? resolveNumber(fromValue, 'FromPort') : undefined;
  const to = toValue ? resolveNumber(toValue, 'ToPort') : undefined;
  const result = awsProtocolPorts(protocol.value, numberOf(from), numberOf(to));
  if ('portless' in result) return undefined;
  if (result.ports.protocol === 'all' || result.ports.protocol === 'icmp') return result.ports;
  const unresolved = [from, to].find((r): r is Extract<Resolved<number>, { unknown: string }> => !!r && 'unknown' in r);
  return unresolved ? unknownPorts(unresolved.unknown, result.ports.protocol) : result.ports;
}

function numberOf(r: Resolved<number> | undefined): number | undefined {
  return r && 'value' in r ? r.value : undefined;
}

interface AclRule {
  resource: CfnResource;
  location: Location;
}

/** Every NetworkAclEntry of the template, judged per network ACL in rule-number order. */
export function networkAclExposures(resources: CfnResource[], ev: Evaluator): Exposure[] {
  const byAcl = new Map<string, OrderedRule<AclRule>[]>();
  for (const resource of resources) {
    try {
      const properties = ev.evaluate(resource.properties);
      if (!properties || properties.kind !== 'map') continue;
      const egress = ev.property(properties, 'Egress');
      // An Egress that cannot be resolved may be ingress: keep it.
      if (egress && isTrue(egress)) continue;
      const action = ev.property(properties, 'RuleAction');
      const actionText = action ? resolveText(action, 'RuleAction') : undefined;
      const allow = !!actionText && 'value' in actionText && actionText.value.toLowerCase() === 'allow';
      const deny = !!actionText && 'value' in actionText && actionText.value.toLowerCase() === 'deny';
      if (!allow && !deny) {
        if (!actionText || !('value' in actionText)) ev.dropped.push({ what: resource.logicalId, reason: 'its RuleAction cannot be resolved' });
        continue;
      }
      const number = ev.property(properties, 'RuleNumber');
      const priority = number ? numberOf(resolveNumber(number, 'RuleNumber')) : undefined;
      const range = ev.property(properties, 'PortRange');
      const ports = rulePorts(ev, properties, 'Protocol', ev.property(range, 'From'), ev.property(range, 'To'));
      if (!ports) continue;
      const sources: Located<SourceValue>[] = [];
      for (const key of ['CidrBlock', 'Ipv6CidrBlock']) {
        const value = ev.property(properties, key);
        if (value) pushAll(sources, cidrSources(value, key, cidrSource));
      }
      const aclValue = ev.property(properties, 'NetworkAclId');
      const acl = aclValue ? referenceLabel(aclValue) : '?';
      const list = byAcl.get(acl) ?? [];
      list.push({ priority, allow, ports, sources, rule: { resource, location: resource.keyLocation } });
      byAcl.set(acl, list);
    } catch (error) {
      // One malformed entry must not hide the others; it contributes nothing, and is reported.
      ev.dropped.push({ what: resource.logicalId, reason: `it could not be read (${(error as Error)?.message ?? String(error)})` });
    }
  }
  const exposures: Exposure[] = [];
  for (const rules of byAcl.values()) {
    const parts = openAfterDenies(rules);
    for (const [i, part] of parts.entries()) {
      const siblings = parts.filter((p) => p.rule === part.rule).length;
      exposures.push({
        id: `cfn:${part.rule.resource.keyLocation.file}:${part.rule.resource.logicalId}${siblings > 1 ? `:${i}` : ''}`,
        via: 'firewall-rule',
        subject: subjectOf(part.rule.resource),
        ports: part.ports,
        sources: part.sources,
        location: part.rule.location,
        workloads: [],
      });
    }
  }
  return exposures;
}

function isTrue(value: CfnValue): boolean {
  const r = resolveText(value, 'Egress');
  return 'value' in r && r.value.toLowerCase() === 'true';
}

/** "IsProd" for the first branch of `!If [IsProd, a, b]`, "not IsProd" for the second. */
function conditionName(choice: CfnValue, option: CfnValue): string | undefined {
  if (choice.kind !== 'choice') return undefined;
  const name = choice.reason.replace(/^depends on (condition )?/, '');
  return choice.options.indexOf(option) === 1 ? `not ${name}` : name;
}

function subjectOf(resource: CfnResource, condition?: string): string {
  const when = condition ?? resource.condition;
  return `${resource.type} ${resource.logicalId}${when ? ` (when ${when})` : ''}`;
}
