/**
 * HTTP entry points from the internet: Ingress rules (networking.k8s.io/v1, v1beta1 and
 * extensions/v1beta1) and Gateway API listeners; Istio Gateways and OpenShift Routes live in
 * mesh-listeners.ts. Plain HTTP on a public one is PW009.
 */
import type { Node } from 'yaml';
import { isPrivateCidr, parseCidr } from '../../model/net.js';
import type { HttpListener } from '../../model/types.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import { annotationsOf, internalSource, type Annotations } from './load-balancer.js';
import { entryAt, objectRef, type K8sObject } from './objects.js';
import { adaptMeshListeners, isMeshListenerKind } from './mesh-listeners.js';
import { tightLocation } from './ranges.js';

const INGRESS_API = /^(networking\.k8s\.io\/(v1|v1beta1)|extensions\/v1beta1)$/;
const GATEWAY_API = /^gateway\.networking\.k8s\.io\//;

/**
 * Ingress classes by convention private to a network: GKE's internal HTTP(S) load balancer and
 * names such as "nginx-internal". A guess only about what is *not* public; everything else is.
 */
const INTERNAL_CLASS = /(^|[-_.])(internal|private)([-_.]|$)/i;

export function isHttpListenerKind(object: K8sObject): boolean {
  return (
    (object.kind === 'Ingress' && INGRESS_API.test(object.apiVersion)) ||
    (object.kind === 'Gateway' && GATEWAY_API.test(object.apiVersion)) ||
    isMeshListenerKind(object)
  );
}

export function adaptHttpListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  if (isMeshListenerKind(object)) return adaptMeshListeners(object, uniqueId);
  if (object.kind === 'Ingress') return ingressListeners(object, uniqueId);
  return gatewayListeners(object, uniqueId);
}

/** Why an Ingress is not public, or undefined when it is. */
function ingressPrivacy(object: K8sObject, annotations: Annotations): string | undefined {
  const ingressClass = scalarText(entryAt(object, ['spec', 'ingressClassName']), object.file) ?? annotations.get('kubernetes.io/ingress.class')?.value;
  if (ingressClass && INTERNAL_CLASS.test(ingressClass)) return `ingress class "${ingressClass}" is internal`;
  // AWS ALB: the controller's default scheme is internal, but portwall treats a missing scheme as public.
  if (annotations.get('alb.ingress.kubernetes.io/scheme')?.value.trim() === 'internal') return 'alb.ingress.kubernetes.io/scheme is internal';
  if (annotations.get('appgw.ingress.kubernetes.io/use-private-ip')?.value.trim().toLowerCase() === 'true') return 'the Application Gateway uses a private IP';
  return undefined;
}

function hostCovered(host: string, tlsHosts: string[]): boolean {
  return tlsHosts.some((t) => t === host || (t.startsWith('*.') && host.endsWith(t.slice(1)) && !host.slice(0, -t.length + 1).includes('.')));
}

/**
 * One listener per distinct rule host, located at the `host:` value; host-less rules and a
 * default backend give one listener located at `metadata.name`, the only value that names them.
 */
function ingressListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  const annotations = annotationsOf(object);
  // GCE: `kubernetes.io/ingress.allow-http: "false"` turns the HTTP front end off.
  const httpOff = annotations.get('kubernetes.io/ingress.allow-http')?.value.trim().toLowerCase() === 'false';
  const privacy = ingressPrivacy(object, annotations);
  const tlsEntries = seqItems(entryAt(object, ['spec', 'tls']), object.doc);
  const tlsHosts = tlsEntries.flatMap((entry) => seqItems(getEntry(entry, 'hosts', object.doc)?.value, object.doc).map((h) => scalarText(h, object.file) ?? ''));
  // A tls entry without hosts uses the controller's default certificate for every host.
  const tlsForAll = tlsEntries.some((entry) => seqItems(getEntry(entry, 'hosts', object.doc)?.value, object.doc).length === 0);
  const base = `k8s:${object.file.path}:${object.namespace}/${objectRef(object)}`;
  const listeners: HttpListener[] = [];
  const seen = new Set<string>();
  let anyHostless = !entryAt(object, ['spec', 'rules']) || seqItems(entryAt(object, ['spec', 'rules']), object.doc).length === 0;

  const push = (id: string, host: string | undefined, node: Node | undefined) => {
    const location = tightLocation(object.file, node);
    if (!location) return;
    const tls = httpOff || tlsForAll || (host !== undefined ? hostCovered(host, tlsHosts) : tlsEntries.length > 0);
    const what = host !== undefined ? `host ${host}` : 'every host';
    const subject = `${objectRef(object)} (${what})`;
    // Reasons name the cause only: rules put the subject in front.
    const reason = httpOff
      ? 'plain HTTP is turned off (kubernetes.io/ingress.allow-http)'
      : tls
        ? 'covered by spec.tls'
        : 'no spec.tls entry covers it';
    listeners.push({ id: uniqueId(id), subject, tls, public: !privacy, reason: privacy ? `${reason}; not public: ${privacy}` : reason, location });
  };

  seqItems(entryAt(object, ['spec', 'rules']), object.doc).forEach((rule, i) => {
    const hostNode = getEntry(rule, 'host', object.doc)?.value;
    const host = scalarText(hostNode, object.file)?.trim();
    if (!host) {
      anyHostless = true;
      return;
    }
    if (seen.has(host)) return;
    seen.add(host);
    push(`${base}:rules[${i}]`, host, hostNode);
  });
  if (anyHostless) push(`${base}:default`, undefined, entryAt(object, ['metadata', 'name']) ?? object.node);
  return listeners;
}

/** Why a Gateway is not public, or undefined when it is. */
export function gatewayPrivacy(object: K8sObject): string | undefined {
  const className = scalarText(entryAt(object, ['spec', 'gatewayClassName']), object.file) ?? '';
  // GKE's internal classes: gke-l7-rilb, gke-l7-rilb-mc, gke-l7-cross-regional-internal-managed(-mc).
  if (/rilb|internal/i.test(className)) return `gateway class "${className}" is internal`;
  for (const [metadata, path] of [
    [entryAt(object, ['metadata']), 'metadata'],
    [entryAt(object, ['spec', 'infrastructure']), 'spec.infrastructure'],
  ] as const) {
    const internal = internalSource(object, annotationsOf(object, metadata), path);
    if (internal && internal.value.kind === 'reference') return internal.value.label;
  }
  const addresses = seqItems(entryAt(object, ['spec', 'addresses']), object.doc).map((a) => ({
    type: scalarText(getEntry(a, 'type', object.doc)?.value, object.file) ?? 'IPAddress',
    value: scalarText(getEntry(a, 'value', object.doc)?.value, object.file) ?? '',
  }));
  if (addresses.length > 0 && addresses.every((a) => a.type === 'IPAddress' && isPrivateAddress(a.value))) return 'every address of the Gateway is private';
  return undefined;
}

function isPrivateAddress(value: string): boolean {
  const cidr = parseCidr(value);
  return !!cidr && isPrivateCidr(cidr);
}

function gatewayListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  const privacy = gatewayPrivacy(object);
  const base = `k8s:${object.file.path}:${object.namespace}/${objectRef(object)}`;
  const listeners: HttpListener[] = [];
  seqItems(entryAt(object, ['spec', 'listeners']), object.doc).forEach((listener, i) => {
    const protocolNode = getEntry(listener, 'protocol', object.doc)?.value;
    const protocol = scalarText(protocolNode, object.file)?.trim().toUpperCase();
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') return;
    const location = tightLocation(object.file, protocolNode);
    if (!location) return;
    const name = scalarText(getEntry(listener, 'name', object.doc)?.value, object.file) || `#${i}`;
    const port = scalarText(getEntry(listener, 'port', object.doc)?.value, object.file);
    const subject = `${objectRef(object)} listener '${name}'${port ? ` on port ${port}` : ''}`;
    const tls = protocol === 'HTTPS';
    const reason = tls ? 'protocol HTTPS' : 'protocol HTTP without TLS';
    listeners.push({ id: uniqueId(`${base}:listeners[${i}]`), subject, tls, public: !privacy, reason: privacy ? `${reason}; not public: ${privacy}` : reason, location });
  });
  return listeners;
}
