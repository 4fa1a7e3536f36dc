/**
 * Addresses and CIDRs: what counts as "the internet". Shared by every format and rule.
 * IPv4 and IPv6 are handled as bigints so that coverage sums are exact.
 */
import type { Policy } from '../core/policy.js';
import type { Located, Location } from '../core/location.js';
import type { SourceValue } from './types.js';

interface Cidr {
  version: 4 | 6;
  /** Network address as an integer, host bits cleared. */
  network: bigint;
  prefix: number;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { version: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let head = t;
  let tailV4: bigint | undefined;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    const p = parseIp(v4[1]!);
    if (!p) return undefined;
    tailV4 = p.value;
    head = t.slice(0, -v4[1]!.length) + '0:0';
  }
  const doubles = head.split('::');
  if (doubles.length > 2) return undefined;
  const left = doubles[0] ? doubles[0].split(':') : [];
  const right = doubles.length === 2 && doubles[1] ? doubles[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (doubles.length === 1 && missing !== 0) return undefined;
  if (missing < 0) return undefined;
  const groups = [...left, ...Array(doubles.length === 2 ? missing : 0).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return { version: 6, value };
}

export function parseCidr(text: string): Cidr | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const ipText = slash === -1 ? t : t.slice(0, slash);
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  return { version: ip.version, network, prefix };
}

/** Does `outer` contain `inner` (same family)? */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  const bits = outer.version === 4 ? 32 : 128;
  const shift = BigInt(bits - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

const PRIVATE_RANGES = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10',
  '::1/128', 'fc00::/7', 'fe80::/10',
].map((c) => parseCidr(c)!);

const LOOPBACK = ['127.0.0.0/8', '::1/128'].map((c) => parseCidr(c)!);

export function isPrivateCidr(c: Cidr): boolean {
  return PRIVATE_RANGES.some((p) => cidrContains(p, c));
}

export function isLoopbackAddress(text: string): boolean {
  const c = parseCidr(text);
  return !!c && LOOPBACK.some((p) => cidrContains(p, c));
}

/** 0.0.0.0 or :: as a bind address: every interface. */
export function isAllInterfacesAddress(text: string): boolean {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (t === '*' || t === '') return true;
  const ip = parseIp(t);
  return !!ip && ip.value === 0n;
}

export type Reach = 'internet' | 'trusted' | 'private' | 'local' | 'unknown' | 'limited';

interface SourceAssessment {
  reach: Reach;
  /** For display: "0.0.0.0/0", "any address", "var.cidr". */
  label: string;
  reason?: string;
}

export function assessSource(source: SourceValue, policy: Policy): SourceAssessment {
  switch (source.kind) {
    case 'any':
      return { reach: 'internet', label: source.label };
    case 'reference':
      return { reach: 'private', label: source.label };
    case 'unknown':
      return { reach: 'unknown', label: source.label, reason: source.reason };
    case 'choice': {
      const decided = decideChoice(source, policy);
      return assessSource('option' in decided ? decided.option.value : decided.unknown, policy);
    }
    case 'host-ip': {
      if (isAllInterfacesAddress(source.address)) return { reach: 'internet', label: `all interfaces (${source.address || '0.0.0.0'})` };
      const c = parseCidr(source.address);
      if (!c) return { reach: 'unknown', label: source.address, reason: `host address ${source.address} is not an IP address` };
      if (LOOPBACK.some((p) => cidrContains(p, c))) return { reach: 'local', label: source.address };
      if (isTrusted(c, policy)) return { reach: 'trusted', label: source.address };
      if (isPrivateCidr(c)) return { reach: 'private', label: source.address };
      // A public interface address: reachable from the internet unless a firewall says otherwise.
      return { reach: 'internet', label: `public interface ${source.address}` };
    }
    case 'cidr': {
      const c = parseCidr(source.cidr);
      if (!c) return { reach: 'unknown', label: source.cidr, reason: `"${source.cidr}" is not a CIDR` };
      if (isTrusted(c, policy)) return { reach: 'trusted', label: source.cidr };
      if (c.prefix === 0) return { reach: 'internet', label: source.cidr };
      if (isPrivateCidr(c)) return { reach: 'private', label: source.cidr };
      const threshold = c.version === 4 ? policy.publicPrefixThreshold : policy.publicPrefixThresholdIpv6;
      if (c.prefix <= threshold) return { reach: 'internet', label: source.cidr };
      return { reach: 'limited', label: source.cidr };
    }
  }
}

function isTrusted(c: Cidr, policy: Policy): boolean {
  return policy.trustedSources.some((t) => {
    const tc = parseCidr(t);
    return !!tc && cidrContains(tc, c);
  });
}

/**
 * Do these CIDRs together cover every address of a family (e.g. 0.0.0.0/1 + 128.0.0.0/1)?
 * Counted exactly on merged intervals.
 */
export function cidrsCoverAll(cidrs: string[], version: 4 | 6): boolean {
  const bits = version === 4 ? 32n : 128n;
  const intervals = cidrs
    .map((t) => parseCidr(t))
    .filter((c): c is Cidr => !!c && c.version === version)
    .map((c) => {
      const size = 1n << (bits - BigInt(c.prefix));
      return [c.network, c.network + size - 1n] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = 0n;
  for (const [s, e] of intervals) {
    if (s > next) return false;
    if (e + 1n > next) next = e + 1n;
  }
  return next >= 1n << bits;
}

export interface ExposureSourceVerdict {
  reach: Reach;
  /** The source to blame (most public first). */
  source?: Located<SourceValue>;
  label: string;
  location?: Location;
  reason?: string;
}

const ORDER: Reach[] = ['internet', 'unknown', 'limited', 'trusted', 'private', 'local'];

/**
 * The source a `choice` stands for under the policy: when every option reaches as far, the
 * first option (with its own place and provenance); otherwise one unknown that names the
 * condition and every option, at the choice's place with its provenance. Other sources are
 * returned as they are. This is where alternatives meet the policy, for every format.
 */
function decideSource(source: Located<SourceValue>, policy: Policy): Located<SourceValue> {
  if (source.value.kind !== 'choice') return source;
  const decided = decideChoice(source.value, policy);
  if ('option' in decided) return decided.option;
  return { value: decided.unknown, location: source.location, ...(source.via?.length ? { via: source.via } : {}) };
}

type Choice = Extract<SourceValue, { kind: 'choice' }>;

function decideChoice(choice: Choice, policy: Policy): { option: Located<SourceValue> } | { unknown: SourceValue } {
  const options = choice.options.map((o) => decideSource(o, policy));
  const assessed = options.map((o) => assessSource(o.value, policy));
  const first = options[0];
  if (first && assessed.every((a) => a.reach === assessed[0]!.reach)) return { option: first };
  const labels = assessed.map((a) => a.label).join(' or ');
  return { unknown: { kind: 'unknown', reason: `${choice.reason}: ${labels || 'no value'}`, label: labels || '?' } };
}

/** The most public reach among the sources, with the source to report at. */
export function assessSources(written: Located<SourceValue>[], policy: Policy): ExposureSourceVerdict {
  const sources = written.map((s) => decideSource(s, policy));
  let best: ExposureSourceVerdict = { reach: 'local', label: 'no source' };
  let bestRank = ORDER.length;
  for (const s of sources) {
    const a = assessSource(s.value, policy);
    const rank = ORDER.indexOf(a.reach);
    if (rank < bestRank) {
      bestRank = rank;
      best = { reach: a.reach, source: s, label: a.label, location: s.location, ...(a.reason ? { reason: a.reason } : {}) };
    }
  }
  if (best.reach !== 'internet') {
    // A set of limited public ranges that together cover everything is the internet.
    for (const version of [4, 6] as const) {
      const cidrs = sources.filter((s) => s.value.kind === 'cidr').map((s) => (s.value as { cidr: string }).cidr);
      if (cidrs.length > 1 && cidrsCoverAll(cidrs, version)) {
        const first = sources.find((s) => s.value.kind === 'cidr')!;
        // Short for messages: a generated list of 512 ranges must not become a 9 KB message.
        const listed = cidrs.length <= 3 ? cidrs.join(', ') : `${cidrs.length} ranges, ${cidrs[0]} to ${cidrs[cidrs.length - 1]}`;
        return { reach: 'internet', source: first, location: first.location, label: `${listed} (together every IPv${version} address)` };
      }
    }
  }
  return best;
}
