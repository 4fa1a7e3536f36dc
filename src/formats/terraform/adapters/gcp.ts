/**
 * GCP VPC firewalls (google_compute_firewall). Ingress is the default direction; a rule
 * without source_ranges, source_tags and source_service_accounts applies to 0.0.0.0/0.
 * Disabled and egress rules do nothing here.
 *
 * The rules of one VPC network are judged together by priority (lower number first, 1000
 * when unset, a deny wins a tie): a deny removes the ports and sources it covers from the
 * allows judged after it, when it is certain to apply to every instance the allow applies
 * to (see `denyReaches`). The judging itself is model/firewall.ts's `openAfterDenies`.
 */
import type { Located } from '../../../core/location.js';
import type { OrderedRule } from '../../../model/firewall.js';
import { ALL_PORTS, invertedPortText, parsePortText, portSet, unknownPorts } from '../../../model/ports.js';
import type { Exposure, PortRange, PortSet, SourceValue } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asBool, asNumber, asString, attr, blocksOf, elementsOf } from '../values.js';
import type { Emit } from './common.js';
import { cidrSource, exposure, normalizeProtocol, orderedExposures, partKey, referenceSource } from './common.js';

/** GCP's default rule priority. */
const DEFAULT_PRIORITY = 1000;
/** Rules per network judged pairwise; beyond this the allows are reported unjudged (bounded work). */
const MAX_RULES_PER_NETWORK = 2000;

/**
 * Which instances a rule applies to: every instance, those with one of some network tags or
 * service accounts, or an unresolved set (never assumed to match anything).
 */
type Targets = { all: true } | { kind: 'tags' | 'accounts'; names: Set<string> } | { unknown: true };

interface FirewallRules {
  instance: ResourceInstance;
  network: string;
  targets: Targets;
  rules: OrderedRule<Emit>[];
}

function sourcesOf(instance: ResourceInstance): Located<SourceValue>[] {
  const value = instance.value;
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
  return sources;
}

/** The ports of one allow/deny block, or undefined for a protocol without ports (esp, ah, sctp...). */
function blockPorts(block: TfValue): PortSet | undefined {
  if (block.kind === 'unknown') return unknownPorts(block.reason);
  const protocol = normalizeProtocol(attr(block, 'protocol'));
  if ('unsupported' in protocol) return undefined;
  if ('unknown' in protocol) return unknownPorts(protocol.unknown);
  const ranges: PortRange[] = [];
  for (const spec of elementsOf(attr(block, 'ports'))) {
    if (spec.kind === 'unknown') return unknownPorts(spec.reason, protocol.protocol);
    const inverted = invertedPortText(asString(spec) ?? '');
    if (inverted) return unknownPorts(inverted, protocol.protocol);
    const range = parsePortText(asString(spec) ?? '');
    if (!range) return unknownPorts(`"${asString(spec) ?? spec.kind}" is not a port range`, protocol.protocol);
    ranges.push(range);
  }
  // No ports listed: every port of the protocol.
  return protocol.protocol === 'icmp' ? portSet('icmp', []) : portSet(protocol.protocol, ranges.length > 0 ? ranges : [ALL_PORTS]);
}

/**
 * The network a rule belongs to. A reference to a google_compute_network names it by
 * address (`.name`, `.id` and `.self_link` are the same network); a written name or self
 * link by its last path segment; an unresolved value by its expression, so rules sharing
 * `var.network` are judged together and rules of unrelated unknowns never are.
 */
function networkKey(instance: ResourceInstance): string {
  const project = attr(instance.value, 'project');
  const projectKey = project === undefined ? '' : project.kind === 'unknown' ? `?${project.label}` : (asString(project) ?? '?');
  const network = attr(instance.value, 'network');
  let key: string;
  if (network === undefined) key = 'default';
  else if (network.via) key = `@${network.via}`;
  else if (network.kind === 'unknown') key = `?${network.label}`;
  else key = (asString(network) ?? '?').replace(/\/+$/, '').split('/').pop()!;
  return `${projectKey}|${key}`;
}

function targetsOf(instance: ResourceInstance): Targets {
  const tags = attr(instance.value, 'target_tags');
  const accounts = attr(instance.value, 'target_service_accounts');
  const names = (value: TfValue | undefined): Set<string> | undefined => {
    const out = new Set<string>();
    for (const element of elementsOf(value)) {
      const s = element.kind === 'unknown' ? undefined : asString(element);
      if (s === undefined) return undefined;
      out.add(s);
    }
    return out;
  };
  const tagNames = names(tags);
  const accountNames = names(accounts);
  // An unresolved list (or item) has no names: names() is undefined for it.
  if (!tagNames || !accountNames) return { unknown: true };
  if (tagNames.size > 0 && accountNames.size > 0) return { unknown: true }; // GCP rejects the mix
  if (tagNames.size > 0) return { kind: 'tags', names: tagNames };
  if (accountNames.size > 0) return { kind: 'accounts', names: accountNames };
  return { all: true };
}

/**
 * Is the deny certain to apply to every instance the allow applies to? A deny for all
 * instances reaches every allow; a deny for tags reaches an allow whose every target tag it
 * names (likewise service accounts). Anything else, unknowns included, does not shadow.
 */
export function denyReaches(deny: Targets, allow: Targets): boolean {
  if ('all' in deny) return true;
  if ('unknown' in deny || 'all' in allow || 'unknown' in allow) return false;
  return deny.kind === allow.kind && [...allow.names].every((n) => deny.names.has(n));
}

function firewallRules(instance: ResourceInstance): FirewallRules | undefined {
  const value = instance.value;
  if (asBool(attr(value, 'disabled')) === true) return undefined;
  const direction = attr(value, 'direction');
  if (direction && direction.kind !== 'unknown' && asString(direction)?.toUpperCase() !== 'INGRESS') return undefined;
  const sources = sourcesOf(instance);
  if (sources.length === 0) return undefined;
  const priorityValue = attr(value, 'priority');
  const priority = priorityValue === undefined || priorityValue.kind === 'null' ? DEFAULT_PRIORITY : asNumber(priorityValue);
  const rules: OrderedRule<Emit>[] = [];
  for (const kind of ['allow', 'deny'] as const) {
    blocksOf(value, kind).forEach((block, i) => {
      const ports = blockPorts(block);
      if (!ports) return;
      const key = `${kind}[${i}]`;
      rules.push({
        priority,
        // An unresolved deny block has unknown ports, so it closes nothing (openAfterDenies).
        allow: kind === 'allow',
        ports,
        sources,
        rule: (remaining, kept, part) => exposure(instance, partKey(key, part), remaining, kept, block.loc),
      });
    });
  }
  return { instance, network: networkKey(instance), targets: targetsOf(instance), rules };
}

/** Every google_compute_firewall of one module or plan, judged per network. */
export function computeFirewallExposures(instances: ResourceInstance[]): { exposures: Exposure[]; failed: ResourceInstance[] } {
  const all: FirewallRules[] = [];
  const byNetwork = new Map<string, FirewallRules[]>();
  const failed: ResourceInstance[] = [];
  for (const instance of instances) {
    try {
      const rules = firewallRules(instance);
      if (!rules) continue;
      all.push(rules);
      byNetwork.set(rules.network, [...(byNetwork.get(rules.network) ?? []), rules]);
    } catch {
      failed.push(instance);
    }
  }
  const exposures: Exposure[] = [];
  // In instance order, so the output does not depend on how networks are keyed.
  for (const owner of all) {
    const group = byNetwork.get(owner.network)!;
    try {
      // Only the denies that reach this rule's instances take part in judging its allows.
      const denies = group.length > MAX_RULES_PER_NETWORK ? [] : group.filter((g) => denyReaches(g.targets, owner.targets)).flatMap((g) => g.rules.filter((r) => !r.allow));
      for (const allow of owner.rules.filter((r) => r.allow)) for (const e of orderedExposures([allow, ...denies])) exposures.push(e);
    } catch {
      failed.push(owner.instance);
    }
  }
  return { exposures, failed };
}
