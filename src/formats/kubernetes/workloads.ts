/**
 * Pods and the controllers that template them: each container becomes a Workload with its
 * datastore identity and auth state (shared model modules), and each hostPort an Exposure.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import type { Policy } from '../../core/policy.js';
import { assessContainerAuth } from '../../model/auth.js';
import { identifyContainer } from '../../model/container-identity.js';
import { normalizeProtocol, portSet } from '../../model/ports.js';
import type { Exposure, PortSet, Protocol, SourceValue, Workload } from '../../model/types.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import { containerSpec } from './container-spec.js';
import { runsImageServer } from './process.js';
import { entryAt, objectRef, stringMap, type K8sObject } from './objects.js';
import { tightLocation } from './ranges.js';
import { pushAll } from '../../core/arrays.js';

/** Where the pod template sits in each workload kind. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // Same pod template shape, common enough in real repositories to be worth following.
  Rollout: ['spec', 'template'],
  DeploymentConfig: ['spec', 'template'],
};

/**
 * Knative Serving (serving.knative.dev): a Service and a Configuration template their
 * Revisions like a Deployment templates pods; a Revision carries the pod spec itself.
 */
const KNATIVE_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Service: ['spec', 'template'],
  Configuration: ['spec', 'template'],
  Revision: [],
};

function isKnative(apiVersion: string | undefined): boolean {
  return !!apiVersion && apiVersion.startsWith('serving.knative.dev/');
}

function podTemplatePath(kind: string, apiVersion?: string): readonly string[] | undefined {
  if (isKnative(apiVersion)) return Object.hasOwn(KNATIVE_TEMPLATE_PATHS, kind) ? KNATIVE_TEMPLATE_PATHS[kind] : undefined;
  return Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol: Protocol | 'unknown';
}

export interface PodContainer {
  workload: Workload;
  ports: ContainerPort[];
  /** Serves traffic: a regular container, or an init container that is a native sidecar (restartPolicy: Always). */
  serving: boolean;
}

export interface Pod {
  /** The path of the workload's file (a Service prefers the pods nearest to it); the object itself is not kept. */
  file: string;
  namespace: string;
  labels: Record<string, string>;
  containers: PodContainer[];
}

/** Kinds that template pods; `apiVersion` tells a Knative Service from a core Service. */
export function isWorkloadKind(kind: string, apiVersion?: string): boolean {
  return podTemplatePath(kind, apiVersion) !== undefined;
}

export function parsePort(node: unknown, object: K8sObject): number | undefined {
  const text = scalarText(node, object.file);
  if (text === undefined || !/^\s*\d{1,5}\s*$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function protocolOf(node: unknown, object: K8sObject): Protocol | 'unknown' {
  return normalizeProtocol(scalarText(node, object.file)) ?? 'tcp';
}

/** The pod of a workload object, its containers as Workloads, and the exposures of its hostPorts. */
export function adaptWorkload(object: K8sObject, policy: Policy, uniqueId: (base: string) => string): { pod: Pod; exposures: Exposure[] } | undefined {
  const templatePath = podTemplatePath(object.kind, object.apiVersion);
  if (!templatePath) return undefined;
  const template = templatePath.length === 0 ? object.node : entryAt(object, templatePath);
  if (!template) return undefined;
  const podSpec = entryAt(object, ['spec'], template);
  if (!podSpec) return undefined;
  const labels: Record<string, string> = {};
  for (const [key, { value }] of stringMap(entryAt(object, ['metadata', 'labels'], template), object)) labels[key] = value;

  const hostNetworkNode = getEntry(podSpec, 'hostNetwork', object.doc)?.value;
  const hostNetworkLocation = scalarText(hostNetworkNode, object.file) === 'true' ? tightLocation(object.file, hostNetworkNode) : undefined;
  const specPath = [...templatePath, 'spec'].join('.');
  const hostNetwork: Located<true> | undefined = hostNetworkLocation ? { value: true, location: hostNetworkLocation, path: `${specPath}.hostNetwork` } : undefined;

  const pod: Pod = { file: object.file.path, namespace: object.namespace, labels, containers: [] };
  const exposures: Exposure[] = [];
  const base = `k8s:${object.file.path}:${object.namespace}/${objectRef(object)}`;
  for (const listKey of ['containers', 'initContainers'] as const) {
    seqItems(getEntry(podSpec, listKey, object.doc)?.value, object.doc).forEach((node, i) => {
      const container = adaptContainer(node, object, policy, { listKey, index: i, base, specPath, labels, hostNetwork, uniqueId });
      if (!container) return;
      pod.containers.push(container.container);
      pushAll(exposures, container.exposures);
    });
  }
  return { pod, exposures };
}

interface ContainerContext {
  listKey: 'containers' | 'initContainers';
  index: number;
  base: string;
  /** "spec.template.spec": logical path of the pod spec inside the object. */
  specPath: string;
  labels: Record<string, string>;
  hostNetwork: Located<true> | undefined;
  uniqueId: (base: string) => string;
}

function adaptContainer(node: Node, object: K8sObject, policy: Policy, ctx: ContainerContext): { container: PodContainer; exposures: Exposure[] } | undefined {
  const { doc, file } = object;
  const nameEntry = getEntry(node, 'name', doc);
  const containerName = scalarText(nameEntry?.value, file) || `#${ctx.index}`;
  // The declaration is the `name: x` pair: a region over the whole container would span dozens of lines.
  const location = tightLocation(file, nameEntry?.pair ?? node);
  if (!location) return undefined;
  const init = ctx.listKey === 'initContainers';
  const serving = !init || scalarText(getEntry(node, 'restartPolicy', doc)?.value, file) === 'Always';

  const spec = containerSpec(node, object);
  // An init container (not a native sidecar) must exit before the pod's containers start and
  // before the pod is Ready: with a `command` of its own it is a setup task (copy plugins, a
  // sysctl), not the image's server. Without one it runs the image's server (and the pod hangs):
  // still judged as that server.
  const setupTask = !serving && !!getEntry(node, 'command', doc);
  const identity = !setupTask && runsImageServer(spec.args) ? identifyContainer(spec, policy) : undefined;
  const auth = identity ? assessContainerAuth(identity, spec) : undefined;

  const ports: ContainerPort[] = [];
  const hostPorts: HostPort[] = [];
  seqItems(getEntry(node, 'ports', doc)?.value, doc).forEach((item, p) => {
    const containerPort = parsePort(getEntry(item, 'containerPort', doc)?.value, object);
    const protocol = protocolOf(getEntry(item, 'protocol', doc)?.value, object);
    const name = scalarText(getEntry(item, 'name', doc)?.value, file);
    ports.push({ ...(name ? { name } : {}), ...(containerPort ? { containerPort } : {}), protocol });
    const hostPortNode = getEntry(item, 'hostPort', doc)?.value;
    const hostPort = parsePort(hostPortNode, object);
    if (hostPort && hostPortNode) {
      const hostIpNode = getEntry(item, 'hostIP', doc)?.value;
      const hostIpText = scalarText(hostIpNode, file);
      hostPorts.push({ port: hostPort, protocol, ...(containerPort ? { containerPort } : {}), portNode: hostPortNode, index: p, ...(hostIpText && hostIpNode ? { hostIp: { address: hostIpText, node: hostIpNode } } : {}) });
    }
  });

  const workload: Workload = {
    id: ctx.uniqueId(`${ctx.base}:${ctx.listKey}[${ctx.index}]`),
    kind: 'k8s-container',
    name: `${init ? 'init container' : 'container'} '${containerName}' of ${objectRef(object)}`,
    location,
    ...(spec.image ? { image: spec.image } : {}),
    ...(identity ? { datastore: { kind: identity.kind, label: identity.label, evidence: identity.evidence } } : {}),
    ...(auth ? { auth } : {}),
    listenPorts: listenPortSets(ports),
    ...(ctx.hostNetwork ? { hostNetwork: ctx.hostNetwork } : {}),
    namespace: object.namespace,
    labels: ctx.labels,
  };

  const exposures = hostPorts
    .map((hostPort) => hostPortExposure(hostPort, workload, object, `${ctx.specPath}.${ctx.listKey}[${ctx.index}]`, ctx.uniqueId))
    .filter((e): e is Exposure => !!e);
  return { container: { workload, ports, serving }, exposures };
}

interface HostPort {
  port: number;
  protocol: Protocol | 'unknown';
  containerPort?: number;
  portNode: Node;
  hostIp?: { address: string; node: Node };
  /** Index in the container's `ports`. */
  index: number;
}

/** A hostPort is published on the node: on every node address, or only on its hostIP. */
function hostPortExposure(hostPort: HostPort, workload: Workload, object: K8sObject, containerPath: string, uniqueId: (base: string) => string): Exposure | undefined {
  const portLocation = tightLocation(object.file, hostPort.portNode);
  if (!portLocation) return undefined;
  const path = `${containerPath}.ports[${hostPort.index}]`;
  const hostIpLocation = hostPort.hostIp ? tightLocation(object.file, hostPort.hostIp.node) : undefined;
  const source: Located<SourceValue> =
    hostPort.hostIp && hostIpLocation
      ? { value: { kind: 'host-ip', address: hostPort.hostIp.address }, location: hostIpLocation, path: `${path}.hostIP` }
      : { value: { kind: 'any', label: 'every node address (hostPort)' }, location: portLocation, path: `${path}.hostPort` };
  const single = (port: number) => portSet(hostPort.protocol, [{ from: port, to: port }]);
  return {
    id: uniqueId(`${workload.id}.ports[${hostPort.index}]:hostPort`),
    via: 'k8s-host-port',
    subject: workload.name,
    ports: single(hostPort.port),
    ...(hostPort.containerPort ? { targetPorts: single(hostPort.containerPort) } : {}),
    sources: [source],
    location: portLocation,
    workloads: [workload],
  };
}

function listenPortSets(ports: ContainerPort[]): PortSet[] {
  const byProtocol = new Map<string, number[]>();
  for (const port of ports) {
    if (!port.containerPort) continue;
    const list = byProtocol.get(port.protocol) ?? [];
    list.push(port.containerPort);
    byProtocol.set(port.protocol, list);
  }
  return [...byProtocol].map(([protocol, list]) => portSet(protocol as Protocol | 'unknown', list.map((p) => ({ from: p, to: p }))));
}
