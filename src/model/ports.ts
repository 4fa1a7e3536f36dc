/** Port-range arithmetic shared by formats and rules. */
import type { PortRange, PortSet, Protocol } from './types.js';

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

export function normalizeRanges(ranges: PortRange[]): PortRange[] {
  const sorted = ranges
    .map((r) => ({ from: Math.min(r.from, r.to), to: Math.max(r.from, r.to) }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export function portSet(protocol: Protocol | 'unknown', ranges: PortRange[]): PortSet {
  return { protocol, ranges: normalizeRanges(ranges) };
}

export function unknownPorts(reason: string, protocol: Protocol | 'unknown' = 'unknown'): PortSet {
  return { protocol, ranges: [], unknown: reason };
}

export function intersectRanges(a: PortRange[], b: PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from <= to) out.push({ from, to });
    }
  }
  return normalizeRanges(out);
}

/** a minus b. */
export function subtractRanges(a: PortRange[], b: PortRange[]): PortRange[] {
  let current = normalizeRanges(a);
  for (const y of normalizeRanges(b)) {
    const next: PortRange[] = [];
    for (const x of current) {
      if (y.to < x.from || y.from > x.to) {
        next.push(x);
        continue;
      }
      if (x.from < y.from) next.push({ from: x.from, to: y.from - 1 });
      if (x.to > y.to) next.push({ from: y.to + 1, to: x.to });
    }
    current = next;
  }
  return current;
}

export function rangesContain(ranges: PortRange[], port: number): boolean {
  return ranges.some((r) => r.from <= port && port <= r.to);
}

/**
 * Every port (0 or 1 to 65535) of a protocol that has ports, or of every protocol: "all
 * traffic". All ports is per protocol (SPEC PW007): UDP 0-65535 is as open as TCP 0-65535.
 */
export function isAllTraffic(ports: PortSet): boolean {
  if (ports.unknown || ports.protocol === 'icmp') return false;
  return covers(ports.ranges, { from: 1, to: 65535 });
}

function covers(ranges: PortRange[], target: PortRange): boolean {
  return subtractRanges([target], ranges).length === 0;
}

function formatRange(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

export function formatRanges(ranges: PortRange[], max = 8): string {
  const parts = ranges.map(formatRange);
  if (parts.length <= max) return parts.join(', ');
  return `${parts.slice(0, max).join(', ')} and ${parts.length - max} more`;
}

export function formatPortSet(ports: PortSet): string {
  if (ports.unknown) return `unresolved ports (${ports.unknown})`;
  if (ports.protocol === 'all' && covers(ports.ranges, { from: 1, to: 65535 })) return 'all ports and protocols';
  const proto = ports.protocol === 'all' || ports.protocol === 'unknown' ? '' : `/${ports.protocol}`;
  if (covers(ports.ranges, { from: 1, to: 65535 })) return `all ports${proto ? ` (${ports.protocol})` : ''}`;
  const list = formatRanges(ports.ranges);
  return ports.ranges.length === 1 && ports.ranges[0]!.from === ports.ranges[0]!.to ? `port ${list}${proto}` : `ports ${list}${proto}`;
}

/**
 * Why a written range is not a range: "23-21" runs backwards. Firewall formats report it
 * (PW010) instead of swapping the ends, since nobody knows which end was meant.
 */
export function invertedRangeReason(from: number, to: number, what = 'port range'): string | undefined {
  return from > to ? `${what} ${from}-${to} is inverted: ${from} is above ${to}` : undefined;
}

/** "23-21" style text that runs backwards, for the firewall formats that must not swap it. */
export function invertedPortText(text: string): string | undefined {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(text);
  return m ? invertedRangeReason(Number(m[1]), Number(m[2])) : undefined;
}

/** Parse "80", "8000-8080", "8000-8080/udp" style text. Returns undefined when it is not a port spec. */
export function parsePortText(text: string): PortRange | undefined {
  const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535) return undefined;
  return { from: Math.min(from, to), to: Math.max(from, to) };
}

export function normalizeProtocol(raw: string | number | undefined): Protocol | 'unknown' | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim().toLowerCase();
  if (s === '-1' || s === 'all' || s === '*' || s === 'any') return 'all';
  if (s === 'tcp' || s === '6') return 'tcp';
  if (s === 'udp' || s === '17') return 'udp';
  if (s === 'sctp' || s === '132') return 'sctp';
  if (s === 'icmp' || s === '1' || s === 'icmpv6' || s === '58' || s === 'icmp6') return 'icmp';
  return 'unknown';
}
