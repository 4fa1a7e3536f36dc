/** One (merged) compose service -> a Workload and the Exposures of its published ports. */
import type { Located } from '../../core/location.js';
import type { Policy } from '../../core/policy.js';
import { assessContainerAuth, type ContainerSpec } from '../../model/auth.js';
import { identifyContainer } from '../../model/container-identity.js';
import { portSet, unknownPorts } from '../../model/ports.js';
import type { ParseFailure } from '../types.js';
import type { DatastoreIdentity, Exposure, Fix, SourceValue, Workload } from '../../model/types.js';
import { EPHEMERAL_PORTS } from './ports.js';
import type { ComposePortEntry, ComposeService } from './services.js';

export function serviceToModel(service: ComposeService, policy: Policy): { workload: Workload; exposures: Exposure[]; failures: ParseFailure[] } {
  const id = `compose:${service.file.path}:${service.name}`;
  const args = [...(service.entrypoint ?? []), ...(service.command ?? [])];
  const spec: ContainerSpec = { ...(service.image ? { image: service.image } : {}), env: service.env, args, opaqueEnv: service.envOpaque };
  const identity = identifyContainer(spec, policy);
  const listenPorts = [
    ...service.ports.filter((p) => p.parsed).map((p) => portSet(p.parsed!.protocol, [p.parsed!.target])),
    ...service.expose.map((p) => portSet(p.protocol, [p.target])),
  ];
  // No datastore identity from the ports: an unknown image that publishes 5601 is named
  // "Kibana" on that port only (the exposure's catalogue match), its other ports are judged alone.
  const datastore: DatastoreIdentity | undefined = identity ? { kind: identity.kind, label: identity.label, evidence: identity.evidence } : undefined;
  const auth = identity ? assessContainerAuth(identity, spec) : undefined;
  const workload: Workload = {
    id,
    kind: 'compose-service',
    name: `service '${service.name}'`,
    location: service.location,
    ...(service.image ? { image: service.image } : {}),
    ...(datastore ? { datastore } : {}),
    ...(auth ? { auth } : {}),
    listenPorts,
  };
  if (service.networkMode?.value === 'host') workload.hostNetwork = { value: true, location: service.networkMode.location };

  const exposures: Exposure[] = [];
  const failures: ParseFailure[] = [];
  // With network_mode: host, Docker ignores `ports`; PW006 covers the whole host network instead.
  service.ports.forEach((entry, i) => {
    if (entry.invalid) {
      failures.push({ file: entry.location.file, message: `invalid port mapping "${entry.display}" of service '${service.name}': ${entry.invalid}`, location: entry.location });
    } else if (!workload.hostNetwork) {
      exposures.push(portToExposure(entry, `${id}:ports[${i}]`, `service '${service.name}'`, workload));
    }
  });
  return { workload, exposures, failures };
}

function portToExposure(entry: ComposePortEntry, id: string, subject: string, workload: Workload): Exposure {
  const source = sourceOf(entry);
  const sources: Located<SourceValue>[] = [{ value: source, location: entry.location, ...(entry.via?.length ? { via: entry.via } : {}) }];
  if (!entry.parsed) {
    return { id, via: 'compose-port', subject, ports: unknownPorts(`"${entry.display}": ${entry.unknown ?? 'cannot be read'}`), sources, location: entry.location, workloads: [workload] };
  }
  const p = entry.parsed;
  const fix = source.kind === 'any' ? localFix(entry) : undefined;
  const publishedUnknown = p.unresolved?.published;
  return {
    id,
    via: 'compose-port',
    subject,
    ports: publishedUnknown ? unknownPorts(`host port of "${entry.display}": ${publishedUnknown}`, p.protocol) : portSet(p.protocol, [p.published ?? EPHEMERAL_PORTS]),
    targetPorts: portSet(p.protocol, [p.target]),
    sources,
    location: entry.location,
    workloads: [workload],
    ...(fix ? { fix } : {}),
  };
}

function sourceOf(entry: ComposePortEntry): SourceValue {
  const hostIpUnknown = entry.parsed?.unresolved?.hostIp;
  if (hostIpUnknown) return { kind: 'unknown', reason: `host address of "${entry.display}": ${hostIpUnknown}`, label: 'an unresolved host address' };
  const hostIp = entry.parsed?.hostIp;
  if (hostIp !== undefined) return { kind: 'host-ip', address: hostIp };
  return { kind: 'any', label: 'all interfaces (no host IP)' };
}

/** "9200:9200" -> "127.0.0.1:9200:9200": publish on loopback only. Short syntax scalars only. */
function localFix(entry: ComposePortEntry): Fix | undefined {
  const s = entry.shortScalar;
  if (!s || entry.parsed?.unresolved?.hostIp) return undefined;
  const file = entry.location.file;
  const inner = entry.text.slice(s.quote ? 1 : 0, s.quote ? -1 : undefined);
  const single = !inner.includes(':');
  const replacement = `"127.0.0.1:${single ? ':' : ''}${inner}"`;
  return {
    description: 'Publish the port on 127.0.0.1 only',
    edits: [{ file, startOffset: s.start, endOffset: s.end, location: entry.location, text: replacement }],
  };
}
