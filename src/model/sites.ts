/**
 * Exposures grouped by the place they are reported at. A security group whose dynamic
 * ingress opens three datastore ports from one variable is one site: one finding listing
 * every port ("exposes Elasticsearch 9200, MongoDB 27017, Redis 6379"), not three on one line.
 */
import { locationKey, type Hop, type Location } from '../core/location.js';
import type { Policy } from '../core/policy.js';
import type { RelatedLocation } from '../core/rule.js';
import { analyzeExposure, describeDatastores, type ExposureAnalysis } from './exposure.js';
import { formatPortSet, formatRanges, normalizeRanges } from './ports.js';
import type { Exposure, Fix, PortRange } from './types.js';

export interface ExposureSite {
  exposures: Exposure[];
  analyses: ExposureAnalysis[];
  /** Where the finding goes: the deciding source, else the exposure's own location. */
  location: Location;
  /** Provenance of the deciding source of the first exposure. */
  via?: Hop[];
  /** "aws_security_group.db", or up to three names and a count. */
  subject: string;
  subjects: string[];
  /** Related locations the exposures carry themselves (an entry point's backend Service and workload). */
  related: RelatedLocation[];
  /** Only when the site is a single exposure (a fix edits one place). */
  fix?: Fix;
}

/**
 * The exposures `select` keeps, grouped by reporting location, in first-seen order.
 * `partition` keeps apart exposures that a more specific rule may supersede (PW001 keeps its
 * datastore exposures apart, so that PW002 replacing them leaves the others standing).
 */
export function exposureSites(
  exposures: Exposure[],
  policy: Policy,
  select: (a: ExposureAnalysis, e: Exposure) => boolean,
  partition: (a: ExposureAnalysis, e: Exposure) => string = () => '',
): ExposureSite[] {
  const groups = new Map<string, { exposures: Exposure[]; analyses: ExposureAnalysis[] }>();
  for (const exposure of exposures) {
    const a = analyzeExposure(exposure, policy);
    if (!select(a, exposure)) continue;
    // Instances of one resource (count, for_each) share a site; different resources do not.
    const key = `${locationKey(a.location)}\u0000${exposure.subject.replace(/\[[^\]]*\]/g, '')}\u0000${partition(a, exposure)}`;
    const group = groups.get(key);
    if (group) {
      group.exposures.push(exposure);
      group.analyses.push(a);
    } else groups.set(key, { exposures: [exposure], analyses: [a] });
  }
  return [...groups.values()].map(({ exposures: list, analyses }) => {
    const first = list[0]!;
    const a = analyses[0]!;
    const names = [...new Set(list.map((e) => e.subject))];
    const subject = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    return {
      exposures: list,
      analyses,
      location: a.location,
      ...(a.via ? { via: a.via } : {}),
      subject,
      subjects: list.map((e) => e.id),
      related: uniqueRelated(list.flatMap((e) => e.related ?? [])),
      ...(list.length === 1 && first.fix ? { fix: first.fix } : {}),
    };
  });
}

function uniqueRelated(related: RelatedLocation[]): RelatedLocation[] {
  const seen = new Set<string>();
  return related.filter((r) => {
    const key = `${locationKey(r.location)}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "port 9200/tcp", or the ports of every exposure of the site merged per protocol. */
export function sitePortsText(site: ExposureSite): string {
  if (site.analyses.length === 1) return site.analyses[0]!.portsText;
  const known = site.exposures.every((e) => !e.ports.unknown && !e.targetPorts);
  if (!known) return [...new Set(site.analyses.map((a) => a.portsText))].join(', ');
  const byProtocol = new Map<string, PortRange[]>();
  for (const e of site.exposures) byProtocol.set(e.ports.protocol, [...(byProtocol.get(e.ports.protocol) ?? []), ...e.ports.ranges]);
  return [...byProtocol].map(([protocol, ranges]) => formatPortSet({ protocol: protocol as Exposure['ports']['protocol'], ranges: normalizeRanges(ranges) })).join(', ');
}

/** Datastore names of every exposure of the site: "Elasticsearch 9200, MongoDB 27017, Redis 6379". */
export function siteDatastores(site: ExposureSite): string {
  if (site.analyses.length === 1) return describeDatastores(site.analyses[0]!);
  const names = new Set<string>();
  for (const a of site.analyses) {
    for (const w of a.datastoreWorkloads) names.add(w.datastore!.label);
  }
  if (names.size === 0) {
    const ports = site.analyses.flatMap((a) => a.datastorePorts);
    const seen = new Map<string, (typeof ports)[number]>();
    for (const p of ports) seen.set(`${p.name}\u0000${p.port}-${p.to}`, p);
    for (const p of seen.values()) names.add(`${p.name} ${p.port === p.to ? p.port : `${p.port}-${p.to}`}`);
  }
  return [...names].join(', ');
}

/** Ports the policy does not allow publicly, over the whole site: "8080, 9000/tcp". */
export function siteDisallowedText(site: ExposureSite): { text: string; plural: boolean } {
  const byProtocol = new Map<string, PortRange[]>();
  site.exposures.forEach((e, i) => {
    const p = e.ports.protocol === 'all' || e.ports.protocol === 'unknown' ? '' : `/${e.ports.protocol}`;
    byProtocol.set(p, [...(byProtocol.get(p) ?? []), ...site.analyses[i]!.disallowedPorts]);
  });
  const parts = [...byProtocol].map(([p, ranges]) => ({ p, ranges: normalizeRanges(ranges) }));
  const plural = parts.length > 1 || parts.some(({ ranges }) => ranges.length > 1 || ranges[0]!.from !== ranges[0]!.to);
  return { text: parts.map(({ p, ranges }) => `${formatRanges(ranges)}${p}`).join(', '), plural };
}
