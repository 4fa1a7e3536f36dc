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
  const fix = source.kind === 'any' ? localFix(entry) : source.kind === 'host-ip' && ALL_INTERFACES.has(source.address) ? loopbackFix(entry, source.address) : undefined;
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

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);
const LOCAL_FIX = 'Publish the port on 127.0.0.1 only';

/**
 * `0.0.0.0:9200:9200` -> `127.0.0.1:9200:9200` and `host_ip: 0.0.0.0` -> `host_ip: 127.0.0.1`
 * (`[::]` / `::` -> `[::1]` / `::1`). Only the address itself is replaced, so quotes, comments,
 * anchors and everything else on the line stay as written.
 */
function loopbackFix(entry: ComposePortEntry, address: string): Fix | undefined {
  const file = entry.location.file;
  const v6 = address !== '0.0.0.0';
  const s = entry.shortScalar;
  if (s) {
    const open = s.start + (s.quote ? 1 : 0);
    const written = v6 ? '[::]' : '0.0.0.0';
    // The scalar must spell the address literally (no variable, no escape).
    if (entry.text.slice(s.quote ? 1 : 0, (s.quote ? 1 : 0) + written.length + 1) !== `${written}:`) return undefined;
    return { description: LOCAL_FIX, edits: [{ file, startOffset: open, endOffset: open + written.length, location: entry.location, text: v6 ? '[::1]' : '127.0.0.1' }] };
  }
  const h = entry.hostIpScalar;
  if (!h) return undefined;
  const m = /^(["']?)(0\.0\.0\.0|::|\[::\])\1$/.exec(h.text);
  if (!m) return undefined;
  const q = m[1]!.length;
  const replacement = m[2] === '0.0.0.0' ? '127.0.0.1' : m[2] === '::' ? '::1' : '[::1]';
  // A plain `::1` would not be read as a string by every YAML parser: quote IPv6 when unquoted.
  const text = q === 0 && replacement !== '127.0.0.1' ? `"${replacement}"` : replacement;
  return { description: LOCAL_FIX, edits: [{ file, startOffset: h.start + q, endOffset: h.end - q, location: entry.location, text }] };
}

/** "9200:9200" -> "127.0.0.1:9200:9200": publish on loopback only; long syntax gets `host_ip: 127.0.0.1`. */
function localFix(entry: ComposePortEntry): Fix | undefined {
  const s = entry.shortScalar;
  if (!s && entry.firstKey && !entry.parsed?.unresolved?.hostIp) {
    const k = entry.firstKey;
    const text = k.flow ? 'host_ip: 127.0.0.1, ' : `host_ip: 127.0.0.1\n${' '.repeat(k.indent)}`;
    return { description: LOCAL_FIX, edits: [{ file: entry.location.file, startOffset: k.offset, endOffset: k.offset, location: entry.location, text }] };
  }
  if (!s || entry.parsed?.unresolved?.hostIp) return undefined;
  const file = entry.location.file;
  const inner = entry.text.slice(s.quote ? 1 : 0, s.quote ? -1 : undefined);
  const single = !inner.includes(':');
  const replacement = `"127.0.0.1:${single ? ':' : ''}${inner}"`;
  return {
    description: LOCAL_FIX,
    edits: [{ file, startOffset: s.start, endOffset: s.end, location: entry.location, text: replacement }],
  };
}
