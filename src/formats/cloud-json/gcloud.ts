/**
 * `gcloud compute firewall-rules list --format=json` (and `describe`) as firewall exposures.
 * Rules of one VPC network are judged by priority (lower first, a deny wins a tie); a deny
 * with target tags only closes allows with the same targets. Disabled and egress rules are
 * skipped. An ingress rule without any source applies to 0.0.0.0/0, GCP's documented default.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import { addressSource, openAfterDenies, type OrderedRule } from '../../model/firewall.js';
import { ALL_PORTS, invertedPortText, normalizeProtocol, parsePortText, portSet, unknownPorts } from '../../model/ports.js';
import type { Exposure, PortRange, PortSet, SourceValue } from '../../model/types.js';
import { items, locatedSource, numberAt, pairLocation, scalar, text, where, type CloudJsonContext } from './nodes.js';

interface GcpRule {
  name: string;
  node: Node;
  /** Index of the allowed/denied entry, for ids when one rule opens several protocols. */
  entry: number;
}

export function isFirewallRule(ctx: CloudJsonContext, node: unknown): boolean {
  return text(ctx, node, 'name') !== undefined && (items(ctx, node, 'allowed').length > 0 || items(ctx, node, 'denied').length > 0);
}

export function firewallRules(ctx: CloudJsonContext, root: Node): Exposure[] {
  const rules = items(ctx, root);
  const byNetwork = new Map<string, OrderedRule<GcpRule>[]>();
  for (const node of rules.length > 0 ? rules : [root]) {
    try {
      if (!isFirewallRule(ctx, node)) continue;
      if ((text(ctx, node, 'direction') ?? 'INGRESS').toUpperCase() !== 'INGRESS') continue;
      if (text(ctx, node, 'disabled') === 'true') continue;
      const name = text(ctx, node, 'name')!;
      const sources = ruleSources(ctx, node);
      const targets = [...items(ctx, node, 'targetTags'), ...items(ctx, node, 'targetServiceAccounts')].map((n) => scalar(ctx, n) ?? '').sort();
      const priority = numberAt(ctx, node, 'priority') ?? 1000;
      const network = (text(ctx, node, 'network') ?? 'default').split('/').pop()!;
      const list = byNetwork.get(network) ?? [];
      for (const [allow, key] of [[true, 'allowed'], [false, 'denied']] as const) {
        items(ctx, node, key).forEach((entry, i) => {
          const ports = entryPorts(ctx, entry);
          if (ports) list.push({ priority, allow, ports, sources, ...(targets.length ? { scope: targets.join(',') } : {}), rule: { name, node, entry: i } });
        });
      }
      byNetwork.set(network, list);
    } catch {
      // A malformed rule contributes nothing; the others are still judged.
    }
  }
  const exposures: Exposure[] = [];
  for (const list of byNetwork.values()) {
    const parts = openAfterDenies(list);
    parts.forEach((p) => {
      const siblings = parts.filter((q) => q.rule === p.rule);
      const suffix = `${p.rule.entry > 0 ? `:allowed[${p.rule.entry}]` : ''}${siblings.length > 1 ? `:${siblings.indexOf(p)}` : ''}`;
      exposures.push({
        id: `cloud-json:${ctx.file.path}:${p.rule.name}${suffix}`,
        via: 'firewall-rule',
        subject: `firewall rule ${p.rule.name}`,
        ports: p.ports,
        sources: p.sources,
        location: where(ctx, p.rule.node),
        workloads: [],
      });
    });
  }
  return exposures;
}

function ruleSources(ctx: CloudJsonContext, node: Node): Located<SourceValue>[] {
  const sources: Located<SourceValue>[] = [];
  const add = (s: Located<SourceValue> | undefined) => s && sources.push(s);
  for (const n of items(ctx, node, 'sourceRanges')) add(locatedSource(ctx, n, (t) => addressSource(t)));
  for (const n of items(ctx, node, 'sourceTags')) add(locatedSource(ctx, n, (t) => ({ kind: 'reference', label: `network tag ${t}` })));
  for (const n of items(ctx, node, 'sourceServiceAccounts')) add(locatedSource(ctx, n, (t) => ({ kind: 'reference', label: `service account ${t}` })));
  if (sources.length === 0) {
    // No source at all: GCP applies the rule to every IPv4 address. Reported at the rule's name.
    sources.push({ value: { kind: 'cidr', cidr: '0.0.0.0/0' }, location: pairLocation(ctx, node, 'name') ?? where(ctx, node) });
  }
  return sources;
}

/** One `allowed`/`denied` entry; undefined for protocols without ports (esp, ah, ipip). */
function entryPorts(ctx: CloudJsonContext, entry: Node): PortSet | undefined {
  const protocol = normalizeProtocol(text(ctx, entry, 'IPProtocol') ?? '');
  if (protocol === undefined || protocol === 'unknown') return undefined;
  if (protocol === 'all') return portSet('all', [ALL_PORTS]);
  if (protocol === 'icmp') return { protocol, ranges: [] };
  const specs = items(ctx, entry, 'ports').map((n) => scalar(ctx, n) ?? '');
  // No ports listed: every port of the protocol.
  if (specs.length === 0) return portSet(protocol, [ALL_PORTS]);
  const ranges: PortRange[] = [];
  for (const spec of specs) {
    const inverted = invertedPortText(spec);
    if (inverted) return unknownPorts(inverted, protocol);
    const range = parsePortText(spec);
    if (!range) return unknownPorts(`"${spec}" is not a port range`, protocol);
    ranges.push(range);
  }
  return portSet(protocol, ranges);
}
