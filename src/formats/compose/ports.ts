/**
 * Compose port syntax, short and long:
 *   "3000", "3000-3005", "8000:8000", "9090-9091:8080-8081", "127.0.0.1:8001:8001",
 *   "127.0.0.1::5000", "[::1]:6001:6001", "::1:6001:6001", "6060:6060/udp", 9200 (a number),
 *   { target, published, host_ip, protocol, mode }.
 * Interpolation has happened before; a value that stayed unresolved is reported as unknown.
 */
import type { PortRange, Protocol } from '../../model/types.js';
import { parsePortText } from '../../model/ports.js';

/** Docker's default ephemeral range: a port without a host port lands somewhere in it. */
export const EPHEMERAL_PORTS: PortRange = { from: 32768, to: 60999 };

export interface ParsedPort {
  hostIp?: string;
  /** Host ports; undefined = ephemeral (assigned by Docker). */
  published?: PortRange;
  target: PortRange;
  protocol: Protocol;
  /** Parts that depend on variables without a value, with the reason (the parts' values are then placeholders). */
  unresolved?: { hostIp?: string; published?: string; target?: string };
}

type PortParse = { ok: true; port: ParsedPort } | { ok: false; reason: string };

function protocolOf(text: string | undefined): Protocol | undefined {
  if (text === undefined) return 'tcp';
  const p = text.toLowerCase();
  if (p === 'tcp' || p === 'udp' || p === 'sctp') return p;
  return undefined;
}

/** The parts of a short-syntax mapping as text, before any validation. */
interface ShortPortParts {
  hostIp?: string;
  published?: string;
  target: string;
  protocol?: string;
}

export function splitShortPort(raw: string): ShortPortParts | { error: string } {
  let text = raw.trim();
  let protocol: string | undefined;
  const slash = text.lastIndexOf('/');
  if (slash !== -1) {
    protocol = text.slice(slash + 1);
    text = text.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return { error: 'unterminated [ in host IP' };
    hostIp = text.slice(1, close);
    text = text.slice(close + 1);
    if (!text.startsWith(':')) return { error: 'expected ":" after the host IP' };
    text = text.slice(1);
  }
  const parts = text.split(':');
  const opt = (p: ShortPortParts) => ({
    ...(p.hostIp !== undefined ? { hostIp: p.hostIp } : {}),
    ...(p.published !== undefined ? { published: p.published } : {}),
    target: p.target,
    ...(protocol !== undefined ? { protocol } : {}),
  });
  if (hostIp === undefined && parts.length > 3) {
    // Unbracketed IPv6 host IP ("::1:6001:6001"): the last two parts are ports.
    const target = parts.pop()!;
    const published = parts.pop()!;
    return opt({ hostIp: parts.join(':'), published, target });
  }
  if (parts.length === 3) return opt({ hostIp: parts[0]!, published: parts[1]!, target: parts[2]! });
  if (parts.length === 2) return opt({ ...(hostIp !== undefined ? { hostIp } : {}), published: parts[0]!, target: parts[1]! });
  if (parts.length === 1) return opt({ ...(hostIp !== undefined ? { hostIp } : {}), target: parts[0]! });
  return { error: `cannot read port mapping "${raw}"` };
}

export function parseShortPort(raw: string): PortParse {
  const parts = splitShortPort(raw);
  if ('error' in parts) return { ok: false, reason: parts.error };
  const protocol = protocolOf(parts.protocol);
  if (!protocol) return { ok: false, reason: `unknown protocol "${parts.protocol}"` };
  return finish(parts.hostIp, parts.published, parts.target, protocol);
}

function finish(hostIp: string | undefined, published: string | undefined, target: string, protocol: Protocol): PortParse {
  const targetRange = parsePortText(target);
  if (!targetRange) return { ok: false, reason: `"${target}" is not a container port` };
  let publishedRange: PortRange | undefined;
  if (published !== undefined && published !== '') {
    publishedRange = parsePortText(published);
    if (!publishedRange) return { ok: false, reason: `"${published}" is not a host port` };
  }
  const ip = hostIp === undefined || hostIp === '' ? undefined : hostIp;
  return { ok: true, port: { ...(ip !== undefined ? { hostIp: ip } : {}), ...(publishedRange ? { published: publishedRange } : {}), target: targetRange, protocol } };
}

export function parseLongPort(fields: { target?: string; published?: string; hostIp?: string; protocol?: string }): PortParse {
  if (fields.target === undefined) return { ok: false, reason: 'long syntax port without target' };
  const protocol = protocolOf(fields.protocol);
  if (!protocol) return { ok: false, reason: `unknown protocol "${fields.protocol}"` };
  return finish(fields.hostIp, fields.published, fields.target, protocol);
}
