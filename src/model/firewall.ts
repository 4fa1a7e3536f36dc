/**
 * Cloud firewall vocabulary shared by every firewall format (CloudFormation, cloud CLI JSON,
 * and open to Terraform): address texts as source values, AWS-style protocol/port pairs, and
 * the evaluation of ordered rule lists (Azure NSG priorities, GCP firewall priorities, AWS
 * network ACL rule numbers). Pure: no file format, no I/O. Depends on model/ only.
 */
import type { Located } from '../core/location.js';
import { cidrContains, isPrivateCidr, parseCidr } from './net.js';
import { ALL_PORTS, invertedRangeReason, normalizeProtocol, portSet, subtractRanges, unknownPorts } from './ports.js';
import type { PortRange, PortSet, SourceValue } from './types.js';

/**
 * A source address as written in a firewall rule: a CIDR, a bare address, `*`, `Internet`,
 * `Any`, or a named tag (Azure service tag, GCP source tag) which is never the internet.
 */
export function addressSource(text: string, tagLabel = 'service tag'): SourceValue {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === '*' || lower === 'any' || lower === 'internet') return { kind: 'any', label: t };
  if (parseCidr(t)) return { kind: 'cidr', cidr: t.includes('/') ? t : `${t}/${t.includes(':') ? 128 : 32}` };
  if (/^[A-Za-z][\w.-]*$/.test(t)) return { kind: 'reference', label: `${tagLabel} ${t}` };
  return { kind: 'unknown', reason: `"${t}" is not an address, a CIDR or a tag`, label: t };
}

/** A value that must be a CIDR (AWS CidrIp, CidrBlock): anything else is unknown, never guessed. */
export function cidrSource(text: string): SourceValue {
  const t = text.trim();
  if (parseCidr(t) && t.includes('/')) return { kind: 'cidr', cidr: t };
  return { kind: 'unknown', reason: `"${t}" is not a CIDR`, label: t };
}

type ProtocolPorts = { ports: PortSet } | { portless: string };

/**
 * An AWS protocol with its FromPort/ToPort (security groups, NACLs, CLI output).
 * -1 means every protocol and port; tcp/udp with -1 ports means every port; ICMP has no ports;
 * protocols without ports (ESP 50, GRE 47...) cannot reach a TCP/UDP service: `portless`.
 */
export function awsProtocolPorts(protocol: string, from: number | undefined, to: number | undefined): ProtocolPorts {
  const p = normalizeProtocol(protocol);
  if (p === 'all') return { ports: portSet('all', [ALL_PORTS]) };
  if (p === 'icmp') return { ports: portSet('icmp', []) };
  if (p === undefined || p === 'unknown') return { portless: protocol };
  if (from === undefined && to === undefined) return { ports: unknownPorts('the port range is not set', p) };
  // -1 as a tcp/udp port means every port; a missing end repeats the other end.
  const lo = Math.max(0, from ?? to!);
  const hi = (to ?? from!) < 0 ? 65535 : (to ?? from!);
  if (lo > 65535 || hi > 65535) return { ports: unknownPorts(`port ${Math.max(lo, hi)} is out of range`, p) };
  const inverted = invertedRangeReason(lo, hi);
  if (inverted) return { ports: unknownPorts(inverted, p) };
  return { ports: portSet(p, [{ from: lo, to: hi }]) };
}

/** A rule of a firewall whose rules are judged in order, first match wins. */
export interface OrderedRule<T> {
  /** Judged first when lower; undefined when it could not be resolved (never narrows anything). */
  priority: number | undefined;
  allow: boolean;
  ports: PortSet;
  sources: Located<SourceValue>[];
  /**
   * What the rule applies to (GCP target tags, Azure destination prefix). A deny with a scope
   * only closes allows of the same scope; undefined means every target.
   */
  scope?: string;
  /** Display name for messages ("security_rule deny-ssh of azurerm_network_security_group.web"). */
  name?: string;
  /** Whatever the caller needs to build its exposure. */
  rule: T;
}

export interface OrderOptions {
  /**
   * Two rules with the same priority: GCP judges the deny first ('deny-wins'); Azure rejects
   * the NSG ('rejected'), so a tie decides nothing and the allow's ports become unknown (PW010).
   */
  ties?: 'deny-wins' | 'rejected';
}

interface OpenPart<T> {
  rule: T;
  ports: PortSet;
  sources: Located<SourceValue>[];
  /** Set when the earlier denies changed what this allow opens. */
  narrowed: boolean;
}

/**
 * What each allow still opens after the denies judged before it: a deny that covers a source
 * removes its ports from that source. Sources left with the same ports stay together.
 * Undecidable inputs (unknown priority, unknown ports) keep the allow whole, so an unknown is
 * never turned into "closed". Equal priorities: a deny wins (GCP's rule), unless the caller says
 * ties are rejected (Azure): then the allow is undecided, never closed silently.
 */
export function openAfterDenies<T>(rules: OrderedRule<T>[], options: OrderOptions = {}): OpenPart<T>[] {
  const out: OpenPart<T>[] = [];
  for (const allow of rules) {
    if (!allow.allow || allow.sources.length === 0) continue;
    if (options.ties === 'rejected') {
      const tie = rules.find((d) => !d.allow && d.priority !== undefined && d.priority === allow.priority && judgedBefore(d, allow));
      if (tie) {
        const reason = `allow ${allow.name ?? 'rule'} and deny ${tie.name ?? 'rule'} share priority ${tie.priority}, which Azure rejects`;
        out.push({ rule: allow.rule, ports: unknownPorts(reason, allow.ports.protocol), sources: allow.sources, narrowed: true });
        continue;
      }
    }
    const denies = rules.filter((d) => judgedBefore(d, allow));
    if (denies.length === 0 || allow.ports.unknown !== undefined || allow.ports.protocol === 'unknown') {
      out.push({ rule: allow.rule, ports: allow.ports, sources: allow.sources, narrowed: false });
      continue;
    }
    const groups = new Map<string, { ports: PortSet | undefined; sources: Located<SourceValue>[] }>();
    for (const source of allow.sources) {
      const covering = denies.filter((d) => d.sources.some((ds) => sourceCovers(ds.value, source.value)));
      const remaining = remainingPorts(allow.ports, covering.map((d) => d.ports));
      const key = remaining ? JSON.stringify(remaining) : 'closed';
      const group = groups.get(key) ?? { ports: remaining, sources: [] };
      group.sources.push(source);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      if (!group.ports) continue;
      const narrowed = JSON.stringify(group.ports) !== JSON.stringify(allow.ports);
      out.push({ rule: allow.rule, ports: group.ports, sources: group.sources, narrowed });
    }
  }
  return out;
}

function judgedBefore<T>(deny: OrderedRule<T>, allow: OrderedRule<T>): boolean {
  if (deny.allow || deny.priority === undefined || allow.priority === undefined) return false;
  if (deny.priority > allow.priority || deny.ports.unknown !== undefined) return false;
  if (deny.scope !== undefined && deny.scope !== allow.scope) return false;
  // A deny of one protocol leaves the other protocols of an "all protocols" allow open.
  return deny.ports.protocol === 'all' || deny.ports.protocol === allow.ports.protocol;
}

function remainingPorts(allowed: PortSet, denied: PortSet[]): PortSet | undefined {
  if (denied.length === 0) return allowed;
  // ICMP has no ports: any covering deny of ICMP (or of everything) closes it.
  if (allowed.protocol === 'icmp') return undefined;
  const left: PortRange[] = subtractRanges(allowed.ranges, denied.flatMap((d) => d.ranges));
  if (left.length === 0) return undefined;
  return { protocol: allowed.protocol, ranges: left };
}

/**
 * Does a deny source match every address of an allow source? Only certain answers count:
 * references match references of the same name, `Internet` covers public addresses only.
 * A choice (an undecided `!If`) covers, or is covered, only when every option is.
 */
export function sourceCovers(deny: SourceValue, source: SourceValue): boolean {
  if (deny.kind === 'choice') return deny.options.length > 0 && deny.options.every((o) => sourceCovers(o.value, source));
  if (source.kind === 'choice') return source.options.length > 0 && source.options.every((o) => sourceCovers(deny, o.value));
  if (deny.kind === 'any') {
    if (deny.label.toLowerCase() !== 'internet') return true;
    // Azure's Internet tag is the public address space: it closes the internet side of `*`,
    // which is the only side an exposure is about.
    if (source.kind === 'any') return true;
    const c = source.kind === 'cidr' ? parseCidr(source.cidr) : undefined;
    return !!c && !isPrivateCidr(c);
  }
  if (deny.kind === 'cidr') {
    const outer = parseCidr(deny.cidr);
    if (!outer) return false;
    if (source.kind === 'any') return outer.prefix === 0;
    if (source.kind !== 'cidr') return false;
    const inner = parseCidr(source.cidr);
    return !!inner && cidrContains(outer, inner);
  }
  if (deny.kind === 'reference' && source.kind === 'reference') return deny.label === source.label;
  return false;
}

