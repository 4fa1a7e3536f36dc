/**
 * HTTP entry points outside the Kubernetes core APIs: Istio Gateways (networking.istio.io) and
 * OpenShift Routes (route.openshift.io). Plain HTTP on a public one is PW009, like an Ingress.
 *
 * What counts as public (a guess only about what is *not* public; everything else is):
 * - Istio: a Gateway binds to the gateway pods its `spec.selector` picks. The default
 *   `istio: ingressgateway` sits behind a public LoadBalancer. A selector value that names an
 *   internal/private gateway (`istio: internal-ingressgateway`, `app: private-gateway`, the
 *   usual way to run a second, internal gateway), an egress gateway (outbound traffic only), or
 *   an internal load-balancer annotation of a cloud on the Gateway itself makes it not public.
 * - OpenShift: a Route is served by the cluster's default router, which is public. A label that
 *   shards it to an internal router (`router: internal`, `type: private`...) makes it not public.
 */
import type { Node } from 'yaml';
import type { HttpListener } from '../../model/types.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import { annotationsOf, internalSource } from './load-balancer.js';
import { entryAt, objectRef, stringMap, type K8sObject } from './objects.js';
import { tightLocation } from './ranges.js';

const ISTIO_API = /^networking\.istio\.io\/(v1|v1alpha3|v1beta1)$/;
/** OpenShift 3 served Routes from the legacy `v1` group as well. */
const ROUTE_API = /^(route\.openshift\.io\/v1|v1)$/;

const INTERNAL_NAME = /(^|[-_.])(internal|private|ilb)([-_.]|$)/i;
const EGRESS_NAME = /egress/i;

/** Istio protocols that carry HTTP in clear text (HTTP2 and GRPC without TLS are h2c). */
const PLAIN_HTTP = new Set(['HTTP', 'HTTP2', 'GRPC']);

export function isMeshListenerKind(object: K8sObject): boolean {
  return (object.kind === 'Gateway' && ISTIO_API.test(object.apiVersion)) || (object.kind === 'Route' && ROUTE_API.test(object.apiVersion));
}

export function adaptMeshListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  return object.kind === 'Route' ? routeListeners(object, uniqueId) : istioListeners(object, uniqueId);
}

const baseId = (object: K8sObject) => `k8s:${object.file.path}:${object.namespace}/${objectRef(object)}`;

/** Why an Istio Gateway is not public, or undefined when it is. */
function istioPrivacy(object: K8sObject): string | undefined {
  for (const [key, { value }] of stringMap(entryAt(object, ['spec', 'selector']), object)) {
    if (EGRESS_NAME.test(value)) return `the selector ${key}: ${value} picks an egress gateway`;
    if (INTERNAL_NAME.test(value)) return `the selector ${key}: ${value} picks an internal gateway`;
  }
  const internal = internalSource(object, annotationsOf(object), 'metadata');
  return internal?.value.kind === 'reference' ? internal.value.label : undefined;
}

/** One listener per server, located at its `port.protocol` value. */
function istioListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  const privacy = istioPrivacy(object);
  const listeners: HttpListener[] = [];
  seqItems(entryAt(object, ['spec', 'servers']), object.doc).forEach((server, i) => {
    const port = getEntry(server, 'port', object.doc)?.value;
    const protocolNode = getEntry(port, 'protocol', object.doc)?.value;
    const protocol = scalarText(protocolNode, object.file)?.trim().toUpperCase();
    if (protocol === undefined || (protocol !== 'HTTPS' && !PLAIN_HTTP.has(protocol))) return;
    const location = tightLocation(object.file, protocolNode);
    if (!location) return;
    const name = scalarText(getEntry(port, 'name', object.doc)?.value, object.file) || `#${i}`;
    const number = scalarText(getEntry(port, 'number', object.doc)?.value, object.file);
    const tlsNode = getEntry(server, 'tls', object.doc)?.value;
    const redirect = scalarText(getEntry(tlsNode, 'httpsRedirect', object.doc)?.value, object.file)?.trim().toLowerCase() === 'true';
    // A plain server that only answers with a redirect to HTTPS serves no content in clear text.
    const tls = protocol === 'HTTPS' || redirect;
    const reason = protocol === 'HTTPS' ? 'protocol HTTPS' : redirect ? `protocol ${protocol} redirects to HTTPS (tls.httpsRedirect)` : `protocol ${protocol} without tls.httpsRedirect`;
    listeners.push({
      id: uniqueId(`${baseId(object)}:servers[${i}]`),
      subject: `${objectRef(object)} server '${name}'${number ? ` on port ${number}` : ''}`,
      tls,
      public: !privacy,
      reason: privacy ? `${reason}; not public: ${privacy}` : reason,
      location,
    });
  });
  return listeners;
}

/** Why a Route is not public, or undefined when it is. */
function routePrivacy(object: K8sObject): string | undefined {
  for (const [key, { value }] of stringMap(entryAt(object, ['metadata', 'labels']), object)) {
    if (INTERNAL_NAME.test(value)) return `the label ${key}: ${value} shards it to an internal router`;
  }
  return undefined;
}

/** One listener per Route, located at `spec.host`, or at `metadata.name` when the router generates the host. */
function routeListeners(object: K8sObject, uniqueId: (base: string) => string): HttpListener[] {
  const hostNode = entryAt(object, ['spec', 'host']);
  const host = scalarText(hostNode, object.file)?.trim();
  const node: Node | undefined = host ? hostNode : (entryAt(object, ['metadata', 'name']) ?? object.node);
  const location = tightLocation(object.file, node);
  if (!location) return [];
  const tlsNode = entryAt(object, ['spec', 'tls']);
  const termination = scalarText(getEntry(tlsNode, 'termination', object.doc)?.value, object.file)?.trim().toLowerCase();
  const insecure = scalarText(getEntry(tlsNode, 'insecureEdgeTerminationPolicy', object.doc)?.value, object.file)?.trim();
  // `tls: {}` or a tls block without termination is rejected by the API server's defaults: no TLS.
  const hasTls = !!termination;
  // Allow serves the route on port 80 as well; Redirect and None (the default) do not.
  const allowsHttp = hasTls && insecure?.toLowerCase() === 'allow';
  const tls = hasTls && !allowsHttp;
  const reason = !hasTls ? 'no spec.tls: the router serves it over plain HTTP' : allowsHttp ? 'spec.tls.insecureEdgeTerminationPolicy is Allow' : `TLS termination ${termination}`;
  const privacy = routePrivacy(object);
  return [
    {
      id: uniqueId(`${baseId(object)}:route`),
      subject: `${objectRef(object)} (${host ? `host ${host}` : 'generated host'})`,
      tls,
      public: !privacy,
      reason: privacy ? `${reason}; not public: ${privacy}` : reason,
      location,
    },
  ];
}
