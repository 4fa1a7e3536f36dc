/**
 * What an exposure means under a policy: how far it reaches, whether it is all traffic,
 * which datastore ports and services sit behind it, which ports the policy does not allow.
 * Shared by PW001/PW002/PW004/PW007/PW010 so that their precedence rests on one analysis.
 */
import type { Hop, Location } from '../core/location.js';
import type { Policy } from '../core/policy.js';
import { datastorePortsIn, type DatastorePortMatch } from './datastores.js';
import { assessSources, type ExposureSourceVerdict } from './net.js';
import { formatPortSet, isAllTraffic, normalizeRanges, subtractRanges } from './ports.js';
import type { Exposure, PortRange, PortSet, Workload } from './types.js';

/** The ports an exposure reaches and, where they differ, the ports of the process behind it. */
interface ExposurePorts {
  reached: PortSet;
  /** Only when known and different from `reached` (a compose container port, a load balancer's target group). */
  target?: { label: string; ports: PortSet };
}

export interface ExposureAnalysis {
  verdict: ExposureSourceVerdict;
  /** Where a finding about this exposure goes: the deciding source, else the exposure's own location. */
  location: Location;
  /** Provenance of the deciding source (absent when it has none). */
  via?: Hop[];
  ports: ExposurePorts;
  allTraffic: boolean;
  portsUnknown: boolean;
  /** Catalogue ports reachable through this exposure. */
  datastorePorts: DatastorePortMatch[];
  /** Workloads behind it that are datastores. */
  datastoreWorkloads: Workload[];
  /** Ports reachable that the policy does not allow publicly. */
  disallowedPorts: PortRange[];
  /** "port 9200/tcp", "ports 8000-8010/tcp (container ports 9200-9210/tcp)": `ports` as text. */
  portsText: string;
}

const cache = new WeakMap<Exposure, { policy: Policy; analysis: ExposureAnalysis }>();

export function analyzeExposure(exposure: Exposure, policy: Policy): ExposureAnalysis {
  const hit = cache.get(exposure);
  if (hit && hit.policy === policy) return hit.analysis;
  const verdict = assessSources(exposure.sources, policy);
  const portsUnknown = !!exposure.ports.unknown;
  const allTraffic = !portsUnknown && isAllTraffic(exposure.ports);
  const datastoreWorkloads = exposure.workloads.filter((w) => w.datastore);
  // What listens decides: with a known workload, its container ports; without one, every port number we have.
  const candidateRanges = exposure.workloads.length > 0 && exposure.targetPorts
    ? exposure.targetPorts.ranges
    : normalizeRanges([...exposure.ports.ranges, ...(exposure.targetPorts?.ranges ?? [])]);
  const datastorePorts = datastorePortsIn(candidateRanges, policy, exposure.ports.protocol);
  const disallowedPorts = portsUnknown ? [] : subtractRanges(exposure.ports.ranges, policy.allowedPublicPorts);
  const target = exposure.targetPorts;
  const ports: ExposurePorts = {
    reached: exposure.ports,
    ...(target && !target.unknown && !portsUnknown && JSON.stringify(target.ranges) !== JSON.stringify(exposure.ports.ranges)
      ? { target: { label: exposure.targetLabel ?? 'container', ports: target } }
      : {}),
  };
  const via = verdict.source?.via;
  const analysis: ExposureAnalysis = {
    verdict,
    location: verdict.location ?? exposure.location,
    ...(via?.length ? { via } : {}),
    ports,
    allTraffic,
    portsUnknown,
    datastorePorts,
    datastoreWorkloads,
    disallowedPorts,
    portsText: formatPortSet(ports.reached) + targetPortsText(ports),
  };
  cache.set(exposure, { policy, analysis });
  return analysis;
}

/** " (container port 443/tcp)", " (target group port 8080/tcp)", or "" when the ports behind are the same. */
function targetPortsText(ports: ExposurePorts): string {
  return ports.target ? ` (${ports.target.label} ${formatPortSet(ports.target.ports)})` : '';
}

/**
 * " (container port 443/tcp)" when the ports behind are a container's, else "": PW001 names the
 * port a compose/Kubernetes process listens on, not a load balancer's target group.
 */
export function containerPortsText(ports: ExposurePorts): string {
  return ports.target?.label === 'container' ? targetPortsText(ports) : '';
}

/** Products named in a message at most; the rest is counted (the ports are in the message anyway). */
const MAX_NAMED_DATASTORES = 3;

/**
 * "Redis", "SSH 22, PostgreSQL 5432", or for a wide range "SSH 22, SQL Server 1433, Oracle 1521
 * and 27 more datastore ports": a message stays one line, the full list is the catalogue (help).
 */
export function describeDatastores(analysis: ExposureAnalysis): string {
  const names = new Set<string>();
  for (const w of analysis.datastoreWorkloads) names.add(w.datastore!.label);
  if (names.size === 0) for (const p of analysis.datastorePorts) names.add(`${p.name} ${p.port === p.to ? p.port : `${p.port}-${p.to}`}`);
  const list = [...names];
  if (list.length <= MAX_NAMED_DATASTORES + 1) return list.join(', ');
  const more = analysis.datastoreWorkloads.length > 0 ? 'datastores' : 'datastore ports';
  return `${list.slice(0, MAX_NAMED_DATASTORES).join(', ')} and ${list.length - MAX_NAMED_DATASTORES} more ${more}`;
}
