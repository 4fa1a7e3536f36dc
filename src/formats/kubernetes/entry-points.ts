/**
 * Datastores behind public entry points: an Ingress, a Gateway API route (HTTPRoute, TLSRoute,
 * TCPRoute, GRPCRoute) or an OpenShift Route whose backend is a Service port of a datastore
 * puts that datastore on the internet, on 443 as much as on 9200. Each such backend becomes an
 * Exposure (via 'entry-point') at the backend reference, with the Service port and the
 * containers behind it as related locations; non-datastore backends are PW009's business.
 */
import type { Node } from 'yaml';
import type { Located, Location } from '../../core/location.js';
import type { Policy } from '../../core/policy.js';
import { datastorePortsIn } from '../../model/datastores.js';
import { portSet } from '../../model/ports.js';
import type { Exposure, HttpListener, PortRange, SourceValue } from '../../model/types.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import { gatewayPrivacy } from './http-listeners.js';
import { entryAt, objectRef, type K8sObject } from './objects.js';
import { tightLocation } from './ranges.js';
import { serviceBackend, type PodIndex } from './services.js';
import { parsePort } from './workloads.js';

const GATEWAY_API = /^gateway\.networking\.k8s\.io\//;
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute']);
const OPENSHIFT_ROUTE_API = /^(route\.openshift\.io\/v1|v1)$/;

interface BackendRef {
  /** The `name:` value (or `serviceName:`), where the finding is reported. */
  nameNode: Node;
  name: string;
  namespace: string;
  port?: { number?: number; name?: string };
  /** OpenShift Route spec.port.targetPort names the Service's targetPort. */
  byTargetPort?: boolean;
}

interface EntryPoint {
  object: K8sObject;
  /** The ports the entry point serves to the internet. */
  ports: PortRange[];
  backends: BackendRef[];
}

interface EntryPointContext {
  /** The objects to judge as entry points. */
  objects: K8sObject[];
  /** Every object of the scan (Services, Gateways). */
  services: K8sObject[];
  listeners: ReadonlyMap<K8sObject, HttpListener[]>;
  pods: PodIndex;
  policy: Policy;
  uniqueId: (base: string) => string;
}

export function entryPointExposures(ctx: EntryPointContext): Exposure[] {
  const services = ctx.services.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  const out: Exposure[] = [];
  for (const object of ctx.objects) {
    const entry = entryPointOf(object, ctx);
    if (!entry) continue;
    entry.backends.forEach((backend, i) => {
      const service = services.find((s) => s.name === backend.name && s.namespace === backend.namespace);
      if (!service) return;
      const reached = serviceBackend(service, backend.port, ctx.pods, ctx.policy, backend.byTargetPort);
      if (!reached) return;
      const behind = reached.targetPorts.length > 0 ? reached.targetPorts : reached.servicePort ? [reached.servicePort] : [];
      const ranges = behind.map((p) => ({ from: p, to: p }));
      const datastore = reached.workloads.some((w) => w.datastore) || datastorePortsIn(ranges, ctx.policy, 'tcp').length > 0;
      if (!datastore) return;
      const location = tightLocation(object.file, backend.nameNode);
      if (!location) return;
      const subject = objectRef(entry.object);
      const source: Located<SourceValue> = { value: { kind: 'any', label: `any address (public ${entry.object.kind})` }, location };
      const related: { location: Location; message: string }[] = [
        { location: reached.portLocation, message: `backend ${objectRef(service)} port` },
        ...reached.workloads.map((w) => ({ location: w.location, message: `${w.name} serves it` })),
      ];
      out.push({
        id: ctx.uniqueId(`k8s:${object.file.path}:${object.namespace}/${subject}:backends[${i}]`),
        via: 'entry-point',
        subject: `${subject} (backend ${objectRef(service)})`,
        ports: portSet('tcp', entry.ports),
        targetPorts: portSet('tcp', ranges),
        sources: [source],
        location,
        workloads: reached.workloads,
        related,
      });
    });
  }
  return out;
}

/** Whether an object of this kind may be an entry point here (by name; entryPointOf checks the API group). */
export function isEntryPointKind(kind: string): boolean {
  return kind === 'Ingress' || kind === 'Route' || ROUTE_KINDS.has(kind);
}

function entryPointOf(object: K8sObject, ctx: EntryPointContext): EntryPoint | undefined {
  if (object.kind === 'Ingress') {
    const listeners = ctx.listeners.get(object) ?? [];
    const open = listeners.filter((l) => l.public);
    if (open.length === 0) return undefined;
    const ports = open.some((l) => l.tls) ? [{ from: 443, to: 443 }] : [{ from: 80, to: 80 }];
    return { object, ports, backends: ingressBackends(object) };
  }
  if (object.kind === 'Route' && OPENSHIFT_ROUTE_API.test(object.apiVersion)) {
    const listeners = ctx.listeners.get(object) ?? [];
    const open = listeners.filter((l) => l.public);
    if (open.length === 0) return undefined;
    return { object, ports: [{ from: open.some((l) => l.tls) ? 443 : 80, to: open.some((l) => l.tls) ? 443 : 80 }], backends: routeBackend(object) };
  }
  if (ROUTE_KINDS.has(object.kind) && GATEWAY_API.test(object.apiVersion)) {
    const ports = publicParentPorts(object, ctx.services);
    if (ports.length === 0) return undefined;
    return { object, ports, backends: gatewayRouteBackends(object) };
  }
  return undefined;
}

/** spec.defaultBackend / spec.backend and every rule path's backend, in v1 and v1beta1 spellings. */
function ingressBackends(object: K8sObject): BackendRef[] {
  const nodes: unknown[] = [entryAt(object, ['spec', 'defaultBackend']), entryAt(object, ['spec', 'backend'])];
  for (const rule of seqItems(entryAt(object, ['spec', 'rules']), object.doc)) {
    for (const path of seqItems(entryAt(object, ['http', 'paths'], rule), object.doc)) nodes.push(getEntry(path, 'backend', object.doc)?.value);
  }
  const out: BackendRef[] = [];
  for (const backend of nodes) {
    if (!backend) continue;
    const service = getEntry(backend, 'service', object.doc)?.value;
    if (service) {
      const nameNode = getEntry(service, 'name', object.doc)?.value;
      const portNode = getEntry(service, 'port', object.doc)?.value;
      const ref = reference(object, nameNode, getEntry(portNode, 'number', object.doc)?.value, getEntry(portNode, 'name', object.doc)?.value);
      if (ref) out.push(ref);
      continue;
    }
    const servicePort = getEntry(backend, 'servicePort', object.doc)?.value;
    const ref = reference(object, getEntry(backend, 'serviceName', object.doc)?.value, servicePort, servicePort);
    if (ref) out.push(ref);
  }
  return out;
}

function routeBackend(object: K8sObject): BackendRef[] {
  const to = entryAt(object, ['spec', 'to']);
  const kind = scalarText(getEntry(to, 'kind', object.doc)?.value, object.file)?.trim() ?? 'Service';
  if (kind !== 'Service') return [];
  const target = entryAt(object, ['spec', 'port', 'targetPort']);
  const ref = reference(object, getEntry(to, 'name', object.doc)?.value, target, target);
  return ref ? [{ ...ref, byTargetPort: true }] : [];
}

function gatewayRouteBackends(object: K8sObject): BackendRef[] {
  const out: BackendRef[] = [];
  for (const rule of seqItems(entryAt(object, ['spec', 'rules']), object.doc)) {
    for (const backend of seqItems(getEntry(rule, 'backendRefs', object.doc)?.value, object.doc)) {
      const kind = scalarText(getEntry(backend, 'kind', object.doc)?.value, object.file)?.trim() ?? 'Service';
      if (kind !== 'Service') continue;
      const portNode = getEntry(backend, 'port', object.doc)?.value;
      const ref = reference(object, getEntry(backend, 'name', object.doc)?.value, portNode, undefined, scalarText(getEntry(backend, 'namespace', object.doc)?.value, object.file)?.trim());
      if (ref) out.push(ref);
    }
  }
  return out;
}

function reference(object: K8sObject, nameNode: Node | undefined, numberNode: unknown, nameOrNumberNode: unknown, namespace?: string): BackendRef | undefined {
  const name = scalarText(nameNode, object.file)?.trim();
  if (!name || !nameNode) return undefined;
  const number = parsePort(numberNode, object);
  const portName = number === undefined ? scalarText(nameOrNumberNode, object.file)?.trim() : undefined;
  const port = number !== undefined ? { number } : portName ? { name: portName } : undefined;
  return { nameNode, name, namespace: namespace || object.namespace, ...(port ? { port } : {}) };
}

/**
 * The ports of the public Gateways (in the scan) that a route attaches to, restricted to the
 * listener its sectionName names. A route whose Gateway is not in the scan is not judged.
 */
function publicParentPorts(object: K8sObject, objects: K8sObject[]): PortRange[] {
  const ports: PortRange[] = [];
  for (const parent of seqItems(entryAt(object, ['spec', 'parentRefs']), object.doc)) {
    const name = scalarText(getEntry(parent, 'name', object.doc)?.value, object.file)?.trim();
    const namespace = scalarText(getEntry(parent, 'namespace', object.doc)?.value, object.file)?.trim() || object.namespace;
    const section = scalarText(getEntry(parent, 'sectionName', object.doc)?.value, object.file)?.trim();
    const gateway = objects.find((o) => o.kind === 'Gateway' && GATEWAY_API.test(o.apiVersion) && o.name === name && o.namespace === namespace);
    if (!gateway || gatewayPrivacy(gateway)) continue;
    for (const listener of seqItems(entryAt(gateway, ['spec', 'listeners']), gateway.doc)) {
      const listenerName = scalarText(getEntry(listener, 'name', gateway.doc)?.value, gateway.file)?.trim();
      if (section && listenerName !== section) continue;
      const port = parsePort(getEntry(listener, 'port', gateway.doc)?.value, gateway);
      if (port) ports.push({ from: port, to: port });
    }
  }
  return ports;
}
