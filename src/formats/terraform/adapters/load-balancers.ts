/**
 * AWS load balancers as entry points: a listener of an internet-facing aws_lb / aws_alb
 * (internal = false, the default) that forwards to a target group on a datastore port puts
 * that datastore on the internet, whatever the listener's own port (443 to Elasticsearch 9200
 * is still Elasticsearch). Who reaches the listener: everyone for a load balancer without
 * security groups (an NLB), else the ingress of its security groups on the listener port.
 */
import type { Located, Location } from '../../../core/location.js';
import { datastorePortsIn } from '../../../model/datastores.js';
import { portSet, rangesContain } from '../../../model/ports.js';
import type { Exposure, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asBool, asNumber, asString, attr, blocksOf, elementsOf } from '../values.js';
import { securityGroupExposures, securityGroupRuleExposures, vpcIngressRuleExposures } from './aws.js';

export const LOAD_BALANCER_TYPES = ['aws_lb', 'aws_alb', 'aws_lb_listener', 'aws_alb_listener', 'aws_lb_target_group', 'aws_alb_target_group'];

type ByType = ReadonlyMap<string, ResourceInstance[]>;

function instancesOf(byType: ByType, ...types: string[]): ResourceInstance[] {
  return types.flatMap((t) => byType.get(t) ?? []);
}

function referenced(value: TfValue | undefined, candidates: ResourceInstance[]): ResourceInstance | undefined {
  return value?.via === undefined ? undefined : candidates.find((c) => c.resourceAddress === value.via);
}

/** target_group_arn of forward actions, in both spellings (plain and forward { target_group }). */
function forwardTargets(listener: ResourceInstance): TfValue[] {
  const out: TfValue[] = [];
  for (const action of blocksOf(listener.value, 'default_action')) {
    const type = asString(attr(action, 'type'));
    if (type !== undefined && type !== 'forward') continue;
    const arn = attr(action, 'target_group_arn');
    if (arn) out.push(arn);
    for (const forward of blocksOf(action, 'forward')) for (const tg of blocksOf(forward, 'target_group')) {
      const a = attr(tg, 'arn');
      if (a) out.push(a);
    }
  }
  return out;
}

export function loadBalancerExposures(byType: ByType): { exposures: Exposure[]; failed: ResourceInstance[] } {
  const balancers = instancesOf(byType, 'aws_lb', 'aws_alb');
  const groups = instancesOf(byType, 'aws_lb_target_group', 'aws_alb_target_group');
  const exposures: Exposure[] = [];
  const failed: ResourceInstance[] = [];
  for (const listener of instancesOf(byType, 'aws_lb_listener', 'aws_alb_listener')) {
    try {
      const lb = referenced(attr(listener.value, 'load_balancer_arn'), balancers);
      if (!lb) continue;
      const internal = attr(lb.value, 'internal');
      if (asBool(internal) === true) continue;
      const listenerPort = asNumber(attr(listener.value, 'port'));
      if (listenerPort === undefined) continue;
      forwardTargets(listener).forEach((arn, i) => {
        const group = referenced(arn, groups);
        const groupPort = group ? asNumber(attr(group.value, 'port')) : undefined;
        if (!group || groupPort === undefined) return;
        // Built-in catalogue only: adapters run before the policy's extra ports are known to matter.
        if (datastorePortsIn([{ from: groupPort, to: groupPort }], undefined, 'tcp').length === 0) return;
        const internalLocation: Location = lb.value.attributeLocs.get('internal') ?? lb.header;
        const related = [
          { location: group.value.attributeLocs.get('port') ?? group.header, message: `target group ${group.address} forwards to port ${groupPort}` },
          { location: internalLocation, message: internal ? `${lb.address} is internet-facing (internal = false)` : `${lb.address} is internet-facing (internal is not set)` },
        ];
        const sources = internal?.kind === 'unknown'
          ? [{ value: { kind: 'unknown', reason: `internal of ${lb.address} is unknown: ${internal.reason}`, label: `${lb.address}.internal` } as SourceValue, location: internal.loc }]
          : listenerSources(lb, listenerPort, byType, arn.loc);
        if (sources.length === 0) return;
        exposures.push({
          id: `tf:${listener.file}:${listener.address}:forward[${i}]`,
          via: 'entry-point',
          subject: `${listener.address} (target group ${group.address})`,
          ports: portSet('tcp', [{ from: listenerPort, to: listenerPort }]),
          targetPorts: portSet('tcp', [{ from: groupPort, to: groupPort }]),
          targetLabel: 'target group',
          sources,
          location: arn.loc,
          workloads: [],
          related,
        });
      });
    } catch {
      failed.push(listener);
    }
  }
  return { exposures, failed };
}

/**
 * Everyone, at the forwarding reference, for a load balancer without security groups; else
 * the sources of its security groups' ingress that cover the listener port; a security group
 * that is not in the module is an unknown source (PW010), never a guess.
 */
function listenerSources(lb: ResourceInstance, port: number, byType: ByType, at: Location): Located<SourceValue>[] {
  const refs = elementsOf(attr(lb.value, 'security_groups'));
  if (refs.length === 0) return [{ value: { kind: 'any', label: `any address (internet-facing ${lb.address})` }, location: at }];
  const groups = instancesOf(byType, 'aws_security_group');
  const standalone = instancesOf(byType, 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule');
  const sources: Located<SourceValue>[] = [];
  for (const ref of refs) {
    const group = referenced(ref, groups);
    if (!group) {
      sources.push({ value: { kind: 'unknown', reason: `security group ${ref.kind === 'unknown' ? ref.label : (asString(ref) ?? ref.kind)} of ${lb.address} is not in this module`, label: `the security groups of ${lb.address}` }, location: ref.loc });
      continue;
    }
    const rules = standalone.filter((r) => referenced(attr(r.value, 'security_group_id'), [group]));
    const ingress = [
      ...securityGroupExposures(group),
      ...rules.flatMap((r) => (r.type === 'aws_security_group_rule' ? securityGroupRuleExposures(r) : vpcIngressRuleExposures(r))),
    ];
    for (const e of ingress) {
      if (e.ports.unknown || (e.ports.protocol !== 'tcp' && e.ports.protocol !== 'all')) continue;
      if (rangesContain(e.ports.ranges, port)) sources.push(...e.sources);
    }
  }
  return sources;
}
