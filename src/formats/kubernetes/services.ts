/**
 * Services that reach beyond the cluster (LoadBalancer, NodePort, externalIPs) become
 * Exposures. The selector is resolved to the pods of the scan (same namespace) and the
 * targetPort to their containers, so rules see which datastore, and in which auth state,
 * sits behind a public port.
 */
import type { Node } from 'yaml';
import type { Located, Location } from '../../core/location.js';
import type { Policy } from '../../core/policy.js';
import { folderOf } from '../../core/paths.js';
import { datastorePortsIn } from '../../model/datastores.js';
import { portSet, unknownPorts } from '../../model/ports.js';
import type { Exposure, ExposureVia, Protocol, SourceValue, Workload } from '../../model/types.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import { annotationsOf, loadBalancerSources } from './load-balancer.js';
import { entryAt, objectRef, stringMap, type K8sObject } from './objects.js';
import { tightLocation } from './ranges.js';
import { parsePort, protocolOf, type Pod, type PodContainer } from './workloads.js';

/** Pods of the scan by namespace, for selector resolution across documents and files. */
export type PodIndex = Map<string, Pod[]>;

export function indexPods(pods: Pod[]): PodIndex {
  const index: PodIndex = new Map();
  for (const pod of pods) {
    const list = index.get(pod.namespace) ?? [];
    list.push(pod);
    index.set(pod.namespace, list);
  }
  return index;
}

/** The default --service-node-port-range of the API server. */
const NODE_PORT_RANGE = { from: 30000, to: 32767 } as const;

type TargetPort = { number: number } | { name: string } | undefined;

export function adaptService(object: K8sObject, pods: PodIndex, policy: Policy, uniqueId: (base: string) => string): Exposure[] {
  const type = scalarText(entryAt(object, ['spec', 'type']), object.file) || 'ClusterIP';
  const externalIps = seqItems(entryAt(object, ['spec', 'externalIPs']), object.doc);
  const viaType: ExposureVia | undefined = type === 'LoadBalancer' ? 'k8s-load-balancer' : type === 'NodePort' ? 'k8s-node-port' : undefined;
  if (!viaType && externalIps.length === 0) return [];

  const selector = stringMap(entryAt(object, ['spec', 'selector']), object);
  // Without a selector the endpoints are managed by hand: nothing in the scan is known to be behind it.
  const matching = selector.size === 0 ? [] : (pods.get(object.namespace) ?? []).filter((pod) => [...selector].every(([key, { value }]) => pod.labels[key] === value));
  const selected = nearest(matching, object.file.path);
  const annotations = annotationsOf(object);
  const subject = objectRef(object);
  const base = `k8s:${object.file.path}:${object.namespace}/${subject}`;
  const exposures: Exposure[] = [];

  seqItems(entryAt(object, ['spec', 'ports']), object.doc).forEach((item, i) => {
    const location = tightLocation(object.file, item);
    if (!location) return;
    const portPath = `spec.ports[${i}]`;
    const protocol = protocolOf(getEntry(item, 'protocol', object.doc)?.value, object);
    const portNode = getEntry(item, 'port', object.doc)?.value;
    const port = parsePort(portNode, object);
    const servicePorts = port ? portSet(protocol, [{ from: port, to: port }]) : unknownPorts(`port ${describe(portNode, object)} of ${subject} is not a port number`, protocol);
    const target = targetPortOf(getEntry(item, 'targetPort', object.doc)?.value, port, object);
    const behind = resolveTargets(selected, target, policy);
    const targetPorts = behind.ports.length > 0 ? portSet(protocol, behind.ports.map((p) => ({ from: p, to: p }))) : undefined;
    const common = { subject, location, workloads: behind.workloads, ...(targetPorts ? { targetPorts } : {}) };

    if (viaType === 'k8s-load-balancer') {
      exposures.push({ id: uniqueId(`${base}:ports[${i}]`), via: viaType, ports: servicePorts, sources: loadBalancerSources(object, annotations, item, portPath), ...common });
    } else if (viaType === 'k8s-node-port') {
      // Every node serves the nodePort. Without one, the API server allocates a port of the
      // node-port range: that range is what the nodes expose, not the Service port. The
      // targetPort (or the Service port it defaults to) still names the process behind it.
      const nodePort = parsePort(getEntry(item, 'nodePort', object.doc)?.value, object);
      const ports = nodePort ? portSet(protocol, [{ from: nodePort, to: nodePort }]) : portSet(protocol, [NODE_PORT_RANGE]);
      const label = nodePort ? 'every node address (NodePort)' : `every node address (NodePort, one port allocated in ${NODE_PORT_RANGE.from}-${NODE_PORT_RANGE.to})`;
      const sources: Located<SourceValue>[] = [{ value: { kind: 'any', label }, location, path: portPath }];
      const behindPorts = targetPorts ?? (port ? portSet(protocol, [{ from: port, to: port }]) : undefined);
      exposures.push({ id: uniqueId(`${base}:ports[${i}]`), via: viaType, ports, sources, ...common, ...(behindPorts ? { targetPorts: behindPorts } : {}) });
    }
    if (externalIps.length > 0) {
      // Traffic to an external IP on the Service port is routed by every node: each address is
      // judged on its own (a private 10.x address is not the internet).
      const sources: Located<SourceValue>[] = [];
      externalIps.forEach((node, j) => {
        const address = scalarText(node, object.file)?.trim();
        const ipLocation = tightLocation(object.file, node);
        if (address && ipLocation) sources.push({ value: { kind: 'host-ip', address }, location: ipLocation, path: `spec.externalIPs[${j}]` });
      });
      if (sources.length > 0) exposures.push({ id: uniqueId(`${base}:ports[${i}]:externalIPs`), via: 'k8s-external-ip', ports: servicePorts, sources, ...common });
    }
  });
  return exposures;
}

interface ServiceBackend {
  /** The Service's `- port:` item that the reference selects. */
  portLocation: Location;
  servicePort: number | undefined;
  protocol: Protocol | 'unknown';
  workloads: Workload[];
  /** The container ports behind it (the targetPort, resolved through named ports). */
  targetPorts: number[];
}

/**
 * What a reference to a Service port (an Ingress backend, a route's backendRef) reaches: the
 * Service's port item selected by number or name, and the containers behind its targetPort.
 * `byTargetPort` selects by the Service's targetPort instead (OpenShift Route spec.port).
 */
export function serviceBackend(object: K8sObject, port: { number?: number; name?: string } | undefined, pods: PodIndex, policy: Policy, byTargetPort = false): ServiceBackend | undefined {
  const selector = stringMap(entryAt(object, ['spec', 'selector']), object);
  const matching = selector.size === 0 ? [] : (pods.get(object.namespace) ?? []).filter((pod) => [...selector].every(([key, { value }]) => pod.labels[key] === value));
  const selected = nearest(matching, object.file.path);
  const items = seqItems(entryAt(object, ['spec', 'ports']), object.doc);
  for (const item of items) {
    const servicePort = parsePort(getEntry(item, 'port', object.doc)?.value, object);
    const name = scalarText(getEntry(item, 'name', object.doc)?.value, object.file)?.trim();
    const targetNode = getEntry(item, 'targetPort', object.doc)?.value;
    const target = targetPortOf(targetNode, servicePort, object);
    const matches = !port || items.length === 1 && port.number === undefined && port.name === undefined
      ? true
      : byTargetPort
        ? (port.number !== undefined && target !== undefined && 'number' in target && target.number === port.number) || (port.name !== undefined && (name === port.name || (target !== undefined && 'name' in target && target.name === port.name)))
        : (port.number !== undefined && servicePort === port.number) || (port.name !== undefined && name === port.name);
    if (!matches) continue;
    const location = tightLocation(object.file, item);
    if (!location) return undefined;
    const behind = resolveTargets(selected, target, policy);
    const protocol = protocolOf(getEntry(item, 'protocol', object.doc)?.value, object);
    return { portLocation: location, servicePort, protocol, workloads: behind.workloads, targetPorts: behind.ports };
  }
  return undefined;
}

/**
 * The matching pods closest to the Service: same file, else the same folder, else the nearest
 * enclosing folder. A repository of independent examples (or base + overlay copies) often
 * repeats `app: web` in the same namespace; what is applied together lives together.
 */
function nearest(pods: Pod[], servicePath: string): Pod[] {
  if (pods.length <= 1) return pods;
  const sameFile = pods.filter((pod) => pod.file === servicePath);
  if (sameFile.length > 0) return sameFile;
  let folder = folderOf(servicePath);
  while (folder) {
    const prefix = `${folder}/`;
    const inFolder = pods.filter((pod) => pod.file.startsWith(prefix));
    if (inFolder.length > 0) return inFolder;
    folder = folderOf(folder);
  }
  return pods;
}

function describe(node: unknown, object: K8sObject): string {
  const text = scalarText(node, object.file);
  return text === undefined ? '(missing)' : JSON.stringify(text.slice(0, 40));
}

function targetPortOf(node: Node | undefined, port: number | undefined, object: K8sObject): TargetPort {
  if (!node) return port ? { number: port } : undefined;
  const number = parsePort(node, object);
  if (number) return { number };
  const name = scalarText(node, object.file)?.trim();
  return name ? { name } : undefined;
}

/** The containers of the selected pods that serve the target port, and their port numbers. */
function resolveTargets(pods: Pod[], target: TargetPort, policy: Policy): { workloads: Workload[]; ports: number[] } {
  const workloads = new Set<Workload>();
  const ports = new Set<number>();
  if (!target) return { workloads: [], ports: [] };
  if ('number' in target) ports.add(target.number);
  for (const pod of pods) {
    const serving = pod.containers.filter((c) => c.serving);
    let matched: PodContainer[];
    if ('name' in target) {
      matched = serving.filter((c) => c.ports.some((p) => p.name === target.name));
      for (const c of matched) for (const p of c.ports) if (p.name === target.name && p.containerPort) ports.add(p.containerPort);
    } else {
      matched = serving.filter((c) => c.ports.some((p) => p.containerPort === target.number));
      // containerPort is informational: an undeclared port still reaches the container that
      // listens on it — the only one, or the one whose datastore uses that port by default.
      if (matched.length === 0) {
        if (serving.length === 1) matched = serving;
        else {
          const kinds = new Set(datastorePortsIn([{ from: target.number, to: target.number }], policy).map((d) => d.kind));
          matched = serving.filter((c) => c.workload.datastore && kinds.has(c.workload.datastore.kind));
        }
      }
    }
    for (const c of matched) workloads.add(c.workload);
  }
  return { workloads: [...workloads], ports: [...ports].sort((a, b) => a - b) };
}
