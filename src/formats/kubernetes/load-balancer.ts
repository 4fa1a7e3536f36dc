/**
 * Who can reach a cloud load balancer created for a Service (or a Gateway): an internal
 * annotation of the cloud provider makes it private; loadBalancerSourceRanges restrict it;
 * otherwise it is public. Which controller serves it decides the default: the in-tree one
 * is public, the AWS Load Balancer Controller internal, an unknown loadBalancerClass undecided.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import type { SourceValue } from '../../model/types.js';
import { scalarText, seqItems } from '../yaml/index.js';
import { entryAt, stringMap, type K8sObject } from './objects.js';
import { substringLocation, tightLocation } from './ranges.js';

interface InternalAnnotation {
  key: string;
  provider: string;
  isInternal(value: string): boolean;
}

const INTERNAL_ANNOTATIONS: readonly InternalAnnotation[] = [
  // The AWS Load Balancer Controller's scheme decides over the legacy annotation when both are set.
  { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', provider: 'AWS', isInternal: (v) => v.trim().toLowerCase() === 'internal' },
  // The in-tree AWS provider treats any value but "false" as internal (old docs used "0.0.0.0/0").
  { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', provider: 'AWS', isInternal: (v) => v.trim() !== '' && v.trim().toLowerCase() !== 'false' },
  { key: 'networking.gke.io/load-balancer-type', provider: 'GKE', isInternal: (v) => v.trim().toLowerCase() === 'internal' },
  { key: 'cloud.google.com/load-balancer-type', provider: 'GKE', isInternal: (v) => v.trim().toLowerCase() === 'internal' },
  { key: 'service.beta.kubernetes.io/azure-load-balancer-internal', provider: 'Azure', isInternal: (v) => v.trim().toLowerCase() === 'true' },
  { key: 'service.beta.kubernetes.io/oci-load-balancer-internal', provider: 'OCI', isInternal: (v) => v.trim().toLowerCase() === 'true' },
  { key: 'service.beta.kubernetes.io/openstack-internal-load-balancer', provider: 'OpenStack', isInternal: (v) => v.trim().toLowerCase() === 'true' },
  { key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', provider: 'Alibaba Cloud', isInternal: (v) => v.trim().toLowerCase() === 'intranet' },
  { key: 'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', provider: 'IBM Cloud', isInternal: (v) => v.trim().toLowerCase() === 'private' },
];

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export type Annotations = ReturnType<typeof stringMap>;

export function annotationsOf(object: K8sObject, metadata: unknown = entryAt(object, ['metadata'])): Annotations {
  return stringMap(entryAt(object, ['annotations'], metadata), object);
}

const AWS_SCHEME = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
const AWS_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
/** The class the AWS Load Balancer Controller serves. */
const AWS_LBC_CLASS = 'service.k8s.aws/nlb';
/** aws-load-balancer-type values that hand the Service to the AWS Load Balancer Controller. */
const AWS_LBC_TYPES = new Set(['external', 'nlb-ip']);

/**
 * loadBalancerClass values whose controller portwall knows, and whether they are internal. Any
 * other class is served by a controller portwall cannot judge: PW010, never a guess.
 */
const KNOWN_CLASSES: Readonly<Record<string, 'public' | 'internal' | 'aws-lbc'>> = {
  [AWS_LBC_CLASS]: 'aws-lbc',
  'networking.gke.io/l4-regional-external': 'public',
  'networking.gke.io/l4-regional-internal': 'internal',
};

/**
 * The AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb, or
 * aws-load-balancer-type external / nlb-ip) makes an internal NLB unless the scheme says
 * internet-facing; the in-tree controller makes a public one unless annotated internal.
 */
function awsControllerDefault(object: K8sObject, annotations: Annotations, path: string): Located<SourceValue> | undefined {
  if (annotations.get(AWS_SCHEME)) return undefined;
  const classNode = entryAt(object, ['spec', 'loadBalancerClass']);
  const lbClass = scalarText(classNode, object.file)?.trim();
  const type = annotations.get(AWS_TYPE);
  const byType = type && AWS_LBC_TYPES.has(type.value.trim().toLowerCase());
  if (lbClass !== AWS_LBC_CLASS && !byType) return undefined;
  const node = lbClass === AWS_LBC_CLASS ? classNode : type!.node;
  const location = node ? tightLocation(object.file, node) : undefined;
  if (!location) return undefined;
  return {
    value: { kind: 'reference', label: `internal NLB (the AWS Load Balancer Controller's default without ${AWS_SCHEME}: internet-facing)` },
    location,
    path: lbClass === AWS_LBC_CLASS ? 'spec.loadBalancerClass' : `${path}.annotations["${AWS_TYPE}"]`,
  };
}

/** A loadBalancerClass that portwall cannot judge, as an unknown source at its value. */
function unknownClassSource(object: K8sObject): Located<SourceValue> | undefined {
  const classNode = entryAt(object, ['spec', 'loadBalancerClass']);
  const lbClass = scalarText(classNode, object.file)?.trim();
  if (!lbClass || Object.hasOwn(KNOWN_CLASSES, lbClass)) return undefined;
  const location = classNode ? tightLocation(object.file, classNode) : undefined;
  if (!location) return undefined;
  return {
    value: { kind: 'unknown', reason: `loadBalancerClass ${lbClass} is served by a controller portwall does not know`, label: `loadBalancerClass ${lbClass}` },
    location,
    path: 'spec.loadBalancerClass',
  };
}

function internalClassSource(object: K8sObject): Located<SourceValue> | undefined {
  const classNode = entryAt(object, ['spec', 'loadBalancerClass']);
  const lbClass = scalarText(classNode, object.file)?.trim();
  if (!lbClass || KNOWN_CLASSES[lbClass] !== 'internal') return undefined;
  const location = classNode ? tightLocation(object.file, classNode) : undefined;
  return location ? { value: { kind: 'reference', label: `internal load balancer (loadBalancerClass ${lbClass})` }, location, path: 'spec.loadBalancerClass' } : undefined;
}

/** The internal-load-balancer annotation in effect, if any, as a private source located at its value. */
export function internalSource(object: K8sObject, annotations: Annotations, path: string): Located<SourceValue> | undefined {
  const aws = annotations.get(AWS_SCHEME);
  const controllerDefault = awsControllerDefault(object, annotations, path);
  if (controllerDefault) return controllerDefault;
  for (const rule of INTERNAL_ANNOTATIONS) {
    if (rule.key === 'service.beta.kubernetes.io/aws-load-balancer-internal' && aws) continue;
    const entry = annotations.get(rule.key);
    if (!entry || !rule.isInternal(entry.value)) continue;
    const location = tightLocation(object.file, entry.node);
    if (!location) continue;
    return {
      value: { kind: 'reference', label: `internal ${rule.provider} load balancer (${rule.key})` },
      location,
      path: `${path}.annotations["${rule.key}"]`,
    };
  }
  return undefined;
}

/**
 * The sources of a Service of type LoadBalancer, for one port entry. `any` is located at the
 * port entry (SPEC: Kubernetes findings point at the `- port:` item); a CIDR of
 * loadBalancerSourceRanges at the range itself, so that a `0.0.0.0/0` there is blamed exactly.
 */
export function loadBalancerSources(object: K8sObject, annotations: Annotations, portItem: Node, portPath: string): Located<SourceValue>[] {
  const internal = internalClassSource(object) ?? internalSource(object, annotations, 'metadata');
  if (internal) return [internal];
  const sources: Located<SourceValue>[] = [];
  seqItems(entryAt(object, ['spec', 'loadBalancerSourceRanges']), object.doc).forEach((node, i) => {
    const cidr = scalarText(node, object.file)?.trim();
    const location = tightLocation(object.file, node);
    if (cidr && location) sources.push({ value: { kind: 'cidr', cidr }, location, path: `spec.loadBalancerSourceRanges[${i}]` });
  });
  // The annotation is the older spelling; the spec field wins when both are present.
  const annotation = annotations.get(SOURCE_RANGES_ANNOTATION);
  if (sources.length === 0 && annotation?.node) {
    for (const cidr of annotation.value.split(',').map((c) => c.trim()).filter(Boolean)) {
      const location = substringLocation(object.file, annotation.node, cidr) ?? tightLocation(object.file, annotation.node);
      if (location) sources.push({ value: { kind: 'cidr', cidr }, location, path: `metadata.annotations["${SOURCE_RANGES_ANNOTATION}"]` });
    }
  }
  if (sources.length > 0) return sources;
  const unknownClass = unknownClassSource(object);
  if (unknownClass) return [unknownClass];
  const location = tightLocation(object.file, portItem);
  return location ? [{ value: { kind: 'any', label: 'any address (LoadBalancer)' }, location, path: portPath }] : [];
}
