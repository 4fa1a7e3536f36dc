/**
 * What an exposure means under a policy: how far it reaches, whether it is all traffic,
 * which datastore ports and services sit behind it, which ports the policy does not allow.
 * Shared by PW001/PW002/PW004/PW007/PW010 so that their precedence rests on one analysis.
 */
import type { Policy } from '../core/policy.js';
import { datastorePortsIn, type DatastorePortMatch } from './datastores.js';
import { assessSources, type ExposureSourceVerdict } from './net.js';
import { formatPortSet, isAllTraffic, normalizeRanges, subtractRanges } from './ports.js';
import type { Exposure, PortRange, Workload } from './types.js';

export interface ExposureAnalysis {
  verdict: ExposureSourceVerdict;
  allTraffic: boolean;
  portsUnknown: boolean;
  /** Catalogue ports reachable through this exposure. */
  datastorePorts: DatastorePortMatch[];
  /** Workloads behind it that are datastores. */
  datastoreWorkloads: Workload[];
  /** Ports reachable that the policy does not allow publicly. */
  disallowedPorts: PortRange[];
  /** "port 9200/tcp", "ports 8000-8010/tcp", with container ports where they differ. */
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
  let portsText = formatPortSet(exposure.ports);
  const target = exposure.targetPorts;
  if (target && !target.unknown && !portsUnknown && JSON.stringify(target.ranges) !== JSON.stringify(exposure.ports.ranges)) {
    portsText += ` (${exposure.targetLabel ?? 'container'} ${formatPortSet(target)})`;
  }
  const analysis: ExposureAnalysis = { verdict, allTraffic, portsUnknown, datastorePorts, datastoreWorkloads, disallowedPorts, portsText };
  cache.set(exposure, { policy, analysis });
  return analysis;
}

export function describeSource(analysis: ExposureAnalysis): string {
  return analysis.verdict.label;
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
