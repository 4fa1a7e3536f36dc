/**
 * `aws ec2 describe-security-groups` (IpPermissions per group) and
 * `aws ec2 describe-security-group-rules` (one rule per entry) as firewall exposures.
 * Security groups only allow, so every ingress permission is an exposure as written.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import { awsProtocolPorts, cidrSource } from '../../model/firewall.js';
import { normalizeProtocol } from '../../model/ports.js';
import type { Exposure, SourceValue } from '../../model/types.js';
import { child, drop, items, locatedSource, numberAt, text, where, type CloudJsonContext } from './nodes.js';

export function describeSecurityGroups(ctx: CloudJsonContext, root: Node): Exposure[] {
  const exposures: Exposure[] = [];
  for (const group of items(ctx, root, 'SecurityGroups')) {
    try {
      const id = text(ctx, group, 'GroupId') ?? '?';
      const name = text(ctx, group, 'GroupName');
      const subject = `security group ${id}${name ? ` (${name})` : ''}`;
      items(ctx, group, 'IpPermissions').forEach((permission, i) => {
        const sources: Located<SourceValue>[] = [];
        for (const range of items(ctx, permission, 'IpRanges')) push(sources, locatedSource(ctx, child(ctx, range, 'CidrIp'), cidrSource));
        for (const range of items(ctx, permission, 'Ipv6Ranges')) push(sources, locatedSource(ctx, child(ctx, range, 'CidrIpv6'), cidrSource));
        for (const pair of items(ctx, permission, 'UserIdGroupPairs')) {
          push(sources, locatedSource(ctx, child(ctx, pair, 'GroupId') ?? child(ctx, pair, 'GroupName'), (t) => ({ kind: 'reference', label: `security group ${t}` })));
        }
        for (const list of items(ctx, permission, 'PrefixListIds')) push(sources, locatedSource(ctx, child(ctx, list, 'PrefixListId'), (t) => ({ kind: 'reference', label: `prefix list ${t}` })));
        const exposure = permissionExposure(ctx, permission, sources, `cloud-json:${ctx.file.path}:${id}:IpPermissions[${i}]`, subject);
        if (exposure) exposures.push(exposure);
      });
    } catch (error) {
      // A malformed group contributes nothing; the other groups are still read.
      drop(ctx, group, `the security group could not be read (${(error as Error)?.message ?? String(error)})`);
    }
  }
  return exposures;
}

export function describeSecurityGroupRules(ctx: CloudJsonContext, root: Node): Exposure[] {
  const exposures: Exposure[] = [];
  for (const rule of items(ctx, root, 'SecurityGroupRules')) {
    if (text(ctx, rule, 'IsEgress') === 'true') continue;
    const sources: Located<SourceValue>[] = [];
    push(sources, locatedSource(ctx, child(ctx, rule, 'CidrIpv4'), cidrSource));
    push(sources, locatedSource(ctx, child(ctx, rule, 'CidrIpv6'), cidrSource));
    push(sources, locatedSource(ctx, child(ctx, child(ctx, rule, 'ReferencedGroupInfo'), 'GroupId'), (t) => ({ kind: 'reference', label: `security group ${t}` })));
    push(sources, locatedSource(ctx, child(ctx, rule, 'PrefixListId'), (t) => ({ kind: 'reference', label: `prefix list ${t}` })));
    const ruleId = text(ctx, rule, 'SecurityGroupRuleId') ?? String(where(ctx, rule).region.startLine);
    const subject = `security group ${text(ctx, rule, 'GroupId') ?? '?'} rule ${ruleId}`;
    const exposure = permissionExposure(ctx, rule, sources, `cloud-json:${ctx.file.path}:${ruleId}`, subject);
    if (exposure) exposures.push(exposure);
  }
  return exposures;
}

function permissionExposure(ctx: CloudJsonContext, node: Node, sources: Located<SourceValue>[], id: string, subject: string): Exposure | undefined {
  if (sources.length === 0) return undefined;
  const protocol = text(ctx, node, 'IpProtocol') ?? '';
  const result = awsProtocolPorts(protocol, numberAt(ctx, node, 'FromPort'), numberAt(ctx, node, 'ToPort'));
  if ('portless' in result) {
    if (normalizeProtocol(protocol) === 'unknown') drop(ctx, node, `protocol "${protocol}" is not understood`);
    return undefined;
  }
  return { id, via: 'firewall-rule', subject, ports: result.ports, sources, location: where(ctx, node), workloads: [] };
}

function push<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}
