/**
 * `az network nsg list` / `az network nsg show` / `az network nsg rule list` output, and the
 * ARM form with `properties`, as firewall exposures. Rules are judged in priority order: a
 * Deny with a lower number removes the ports it covers from the Allows after it, per source.
 * Default rules take part in the judgement; they only allow VirtualNetwork and
 * AzureLoadBalancer, so they never add an internet exposure themselves.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import { addressSource, openAfterDenies, type OrderedRule } from '../../model/firewall.js';
import { ALL_PORTS, invertedPortText, normalizeProtocol, parsePortText, portSet, unknownPorts } from '../../model/ports.js';
import type { Exposure, PortRange, PortSet, SourceValue } from '../../model/types.js';
import { child, items, locatedSource, numberAt, scalar, text, where, type CloudJsonContext } from './nodes.js';

interface AzureRule {
  nsg: string;
  name: string;
  node: Node;
  isDefault: boolean;
}

/** Every NSG in the output (a list of NSGs, one NSG, or a list of rules of one NSG). */
export function networkSecurityGroups(ctx: CloudJsonContext, root: Node): Exposure[] {
  const roots = items(ctx, root);
  const list = roots.length > 0 || text(ctx, root, 'name') === undefined ? roots : [root];
  if (list.length > 0 && list.every((n) => isRule(ctx, n))) return judge(ctx, list.map((n) => rule(ctx, n, nsgOfRuleId(text(ctx, n, 'id')), false)));
  const exposures: Exposure[] = [];
  for (const nsg of list) {
    try {
      const body = child(ctx, nsg, 'properties') ?? nsg;
      const name = text(ctx, nsg, 'name') ?? '?';
      const rules = [
        ...items(ctx, body, 'securityRules').map((n) => rule(ctx, n, name, false)),
        ...items(ctx, body, 'defaultSecurityRules').map((n) => rule(ctx, n, name, true)),
      ];
      exposures.push(...judge(ctx, rules));
    } catch {
      // A malformed NSG contributes nothing; the others are still judged.
    }
  }
  return exposures;
}

export function isRule(ctx: CloudJsonContext, node: unknown): boolean {
  const body = child(ctx, node, 'properties') ?? node;
  return text(ctx, body, 'direction') !== undefined && text(ctx, body, 'access') !== undefined;
}

function rule(ctx: CloudJsonContext, node: Node, nsg: string, isDefault: boolean): AzureRule {
  return { nsg, name: text(ctx, node, 'name') ?? `rule at line ${where(ctx, node).region.startLine}`, node, isDefault };
}

function judge(ctx: CloudJsonContext, rules: AzureRule[]): Exposure[] {
  const ordered: OrderedRule<AzureRule>[] = [];
  for (const r of rules) {
    const body = child(ctx, r.node, 'properties') ?? r.node;
    if (text(ctx, body, 'direction')?.toLowerCase() !== 'inbound') continue;
    const access = text(ctx, body, 'access')?.toLowerCase();
    if (access !== 'allow' && access !== 'deny') continue;
    const ports = rulePorts(ctx, body);
    if (!ports) continue;
    const sources: Located<SourceValue>[] = [];
    for (const n of [child(ctx, body, 'sourceAddressPrefix'), ...items(ctx, body, 'sourceAddressPrefixes')]) {
      const s = locatedSource(ctx, n, (t) => addressSource(t));
      if (s) sources.push(s);
    }
    for (const asg of items(ctx, body, 'sourceApplicationSecurityGroups')) {
      const s = locatedSource(ctx, child(ctx, asg, 'id'), (t) => ({ kind: 'reference', label: `application security group ${t.split('/').pop()}` }));
      if (s) sources.push(s);
    }
    const destinations = [text(ctx, body, 'destinationAddressPrefix'), ...items(ctx, body, 'destinationAddressPrefixes').map((n) => scalar(ctx, n))].filter((d) => d);
    const scope = destinations.length === 0 || destinations.some((d) => d === '*' || d!.toLowerCase() === 'any') ? undefined : destinations.sort().join(',');
    ordered.push({ priority: numberAt(ctx, body, 'priority'), allow: access === 'allow', ports, sources, ...(scope ? { scope } : {}), name: `"${r.name}"`, rule: r });
  }
  const parts = openAfterDenies(ordered, { ties: 'rejected' });
  return parts
    .filter((p) => !p.rule.isDefault || p.sources.some((s) => s.value.kind !== 'reference'))
    .map((p, _, all) => {
      const siblings = all.filter((q) => q.rule === p.rule);
      const part = siblings.length > 1 ? `:${siblings.indexOf(p)}` : '';
      return {
        id: `cloud-json:${ctx.file.path}:${p.rule.nsg}:${p.rule.name}${part}`,
        via: 'firewall-rule' as const,
        subject: `network security group ${p.rule.nsg} rule ${p.rule.name}`,
        ports: p.ports,
        sources: p.sources,
        location: where(ctx, p.rule.node),
        workloads: [],
      };
    });
}

/** Destination ports and protocol; undefined for protocols without ports (ESP, AH). */
function rulePorts(ctx: CloudJsonContext, body: Node): PortSet | undefined {
  const raw = text(ctx, body, 'protocol') ?? '*';
  const protocol = normalizeProtocol(raw === 'Asterisk' ? '*' : raw);
  if (protocol === undefined || protocol === 'unknown') return undefined;
  if (protocol === 'icmp') return { protocol, ranges: [] };
  const specs = [text(ctx, body, 'destinationPortRange'), ...items(ctx, body, 'destinationPortRanges').map((n) => scalar(ctx, n))].filter((s): s is string => !!s);
  if (specs.length === 0) return unknownPorts('destinationPortRange is not set', protocol);
  const ranges: PortRange[] = [];
  for (const spec of specs) {
    const inverted = invertedPortText(spec);
    if (inverted) return unknownPorts(inverted, protocol);
    const range = spec.trim() === '*' ? ALL_PORTS : parsePortText(spec);
    if (!range) return unknownPorts(`"${spec}" is not a port range`, protocol);
    ranges.push(range);
  }
  return portSet(protocol, ranges);
}

function nsgOfRuleId(id: string | undefined): string {
  return /networkSecurityGroups\/([^/]+)/i.exec(id ?? '')?.[1] ?? '?';
}
