/**
 * kustomize's built-in transformers on located trees: namespace, name prefix/suffix, labels
 * and annotations (with the field specs that keep Service selectors matched), images,
 * replicas, generator hash suffixes and the back-references that follow renamed objects.
 * A value a transformer writes is located at the kustomization field that set it.
 */
import { createHash } from 'node:crypto';
import type { Hop } from '../../core/location.js';
import { CLUSTER_SCOPED, groupVersion, kindOf, nameOf, namespaceOf, noteIdentity, type Resource } from './resources.js';
import { ensureMap, get, scalar, set, str, type KMap, type KValue, type Origin } from './tree.js';

interface FieldSpec {
  path: string;
  kind?: string;
  group?: string;
  create: boolean;
}

const WORKLOADS_WITH_TEMPLATE = ['ReplicationController', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];

const SELECTOR_SPECS: FieldSpec[] = [
  { path: 'spec/selector', kind: 'ReplicationController', create: true },
  { path: 'spec/selector/matchLabels', kind: 'Deployment', create: true },
  { path: 'spec/selector/matchLabels', kind: 'ReplicaSet', create: true },
  { path: 'spec/selector/matchLabels', kind: 'DaemonSet', create: true },
  { path: 'spec/selector/matchLabels', kind: 'StatefulSet', create: true },
  { path: 'spec/selector/matchLabels', kind: 'Job', create: false },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', kind: 'CronJob', create: false },
  { path: 'spec/selector', kind: 'Service', create: true },
  { path: 'spec/podSelector/matchLabels', kind: 'NetworkPolicy', create: false },
  { path: 'spec/ingress[]/from[]/podSelector/matchLabels', kind: 'NetworkPolicy', create: false },
  { path: 'spec/egress[]/to[]/podSelector/matchLabels', kind: 'NetworkPolicy', create: false },
  { path: 'spec/selector/matchLabels', kind: 'PodDisruptionBudget', create: false },
];

const TEMPLATE_LABEL_SPECS: FieldSpec[] = [
  ...WORKLOADS_WITH_TEMPLATE.map((kind) => ({ path: 'spec/template/metadata/labels', kind, create: true })),
  { path: 'spec/volumeClaimTemplates[]/metadata/labels', kind: 'StatefulSet', create: true },
  { path: 'spec/jobTemplate/metadata/labels', kind: 'CronJob', create: true },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', kind: 'CronJob', create: true },
];

const ANNOTATION_SPECS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  ...WORKLOADS_WITH_TEMPLATE.map((kind) => ({ path: 'spec/template/metadata/annotations', kind, create: true })),
  { path: 'spec/jobTemplate/metadata/annotations', kind: 'CronJob', create: true },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', kind: 'CronJob', create: true },
];

/** The maps at a field spec path (`[]` walks every item of a list), created where the spec says so. */
function mapsAt(node: KValue, segments: string[], create: boolean, origin: Origin): KMap[] {
  if (segments.length === 0) return node.t === 'map' ? [node] : [];
  if (node.t !== 'map') return [];
  const [head, ...rest] = segments as [string, ...string[]];
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  let next = get(node, key);
  if (isList) return next?.t === 'seq' ? next.items.flatMap((item) => mapsAt(item, rest, create, origin)) : [];
  if (!next || (next.t === 'scalar' && next.value === null)) {
    if (!create) return [];
    next = { t: 'map', entries: [], origin };
    set(node, key, next, origin);
  }
  return mapsAt(next, rest, create, origin);
}

function specApplies(r: Resource, spec: FieldSpec): boolean {
  return !spec.kind || spec.kind === kindOf(r);
}

function setPairs(maps: KMap[], pairs: { key: string; value: KValue; keyOrigin: Origin }[]): void {
  for (const map of maps) for (const p of pairs) set(map, p.key, { ...p.value }, p.keyOrigin);
}

interface LabelOptions {
  includeSelectors: boolean;
  includeTemplates: boolean;
}

export function applyLabels(resources: Resource[], pairs: { key: string; value: KValue; keyOrigin: Origin }[], options: LabelOptions, origin: Origin): void {
  for (const r of resources) {
    setPairs(mapsAt(r.tree, ['metadata', 'labels'], true, origin), pairs);
    const specs = [...(options.includeSelectors || options.includeTemplates ? TEMPLATE_LABEL_SPECS : []), ...(options.includeSelectors ? SELECTOR_SPECS : [])];
    for (const spec of specs) if (specApplies(r, spec)) setPairs(mapsAt(r.tree, spec.path.split('/'), spec.create, origin), pairs);
  }
}

export function applyAnnotations(resources: Resource[], pairs: { key: string; value: KValue; keyOrigin: Origin }[], origin: Origin): void {
  for (const r of resources) for (const spec of ANNOTATION_SPECS) if (specApplies(r, spec)) setPairs(mapsAt(r.tree, spec.path.split('/'), spec.create, origin), pairs);
}

export function applyNamespace(resources: Resource[], namespace: KValue, origin: Origin): void {
  for (const r of resources) {
    const kind = kindOf(r);
    if (CLUSTER_SCOPED.has(kind)) {
      if (kind === 'ClusterRoleBinding') setSubjectNamespaces(r, namespace);
      continue;
    }
    set(ensureMap(r.tree, ['metadata'], origin), 'namespace', { ...namespace } as KValue, origin);
    if (kind === 'RoleBinding') setSubjectNamespaces(r, namespace);
    noteIdentity(r);
  }
}

/** ServiceAccount subjects in the default namespace (or none) follow the new namespace (kustomize's defaultOnly). */
function setSubjectNamespaces(r: Resource, value: KValue): void {
  const subjects = get(r.tree, 'subjects');
  if (subjects?.t !== 'seq') return;
  for (const s of subjects.items) {
    if (s.t !== 'map' || str(get(s, 'kind')) !== 'ServiceAccount') continue;
    const current = str(get(s, 'namespace'));
    if (current === undefined || current === '' || current === 'default') set(s, 'namespace', { ...value } as KValue);
  }
}

const NO_PREFIX = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function applyPrefixSuffix(resources: Resource[], prefix: string, suffix: string, origin: Origin): void {
  for (const r of resources) {
    const kind = kindOf(r);
    if (NO_PREFIX.has(kind) && !(kind === 'APIService' && groupVersion(r).group !== 'apiregistration.k8s.io')) continue;
    const metadata = get(r.tree, 'metadata');
    if (metadata?.t !== 'map') continue;
    const name = get(metadata, 'name');
    if (!name || name.t !== 'scalar') continue;
    set(metadata, 'name', { t: 'scalar', value: `${prefix}${str(name) ?? ''}${suffix}`, origin: { location: name.origin.location, hops: [...(name.origin.hops ?? []), { location: origin.location, note: 'name prefix/suffix set here' }] } });
    noteIdentity(r);
  }
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
  origin: Origin;
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) };
  return { name: rest, ...(digest ? { digest } : {}) };
}

function containerLists(node: KValue, out: KMap[], depth = 0): void {
  if (depth > 64) return;
  if (node.t === 'map') {
    for (const e of node.entries) {
      if ((e.key === 'containers' || e.key === 'initContainers') && e.value.t === 'seq') {
        for (const c of e.value.items) if (c.t === 'map') out.push(c);
      } else containerLists(e.value, out, depth + 1);
    }
  } else if (node.t === 'seq') for (const i of node.items) containerLists(i, out, depth + 1);
}

export function applyImages(resources: Resource[], rules: ImageRule[]): void {
  for (const r of resources) {
    const containers: KMap[] = [];
    containerLists(r.tree, containers);
    for (const c of containers) {
      const image = get(c, 'image');
      const text = str(image);
      if (!image || text === undefined) continue;
      const parts = splitImage(text);
      const rule = rules.find((x) => x.name === parts.name || x.name === text);
      if (!rule) continue;
      let name = rule.newName ?? parts.name;
      let tag = parts.tag;
      let digest = parts.digest;
      if (rule.newTag !== undefined) {
        tag = rule.newTag;
        digest = undefined;
      }
      if (rule.digest !== undefined) {
        digest = rule.digest;
        tag = undefined;
      }
      if (rule.tagSuffix !== undefined) tag = `${tag ?? 'latest'}${rule.tagSuffix}`;
      // newName may carry its own tag (`newName: quay.io/x:0.5.0`).
      const value = `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
      if (value === text) continue;
      name = value;
      const hop: Hop = { location: rule.origin.location, note: `image set to ${value} by images:` };
      set(c, 'image', { t: 'scalar', value: name, origin: { location: image.origin.location, hops: [...(image.origin.hops ?? []), hop] } });
    }
  }
}

const REPLICA_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export function applyReplicas(resources: Resource[], name: string, count: KValue, origin: Origin): void {
  for (const r of resources) {
    if (!REPLICA_KINDS.has(kindOf(r)) || !r.names.includes(name)) continue;
    set(ensureMap(r.tree, ['spec'], origin), 'replicas', { ...count } as KValue, origin);
  }
}

/** Go's json.Marshal of string maps: keys sorted, <, > and & escaped. */
function goJson(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goJson(k)}:${goJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function stringData(r: Resource, key: string): Record<string, string> | undefined {
  const map = get(r.tree, key);
  if (map?.t !== 'map') return undefined;
  const out: Record<string, string> = {};
  for (const e of map.entries) out[e.key] = str(e.value) ?? '';
  return out;
}

/** kustomize's content hash of a generated ConfigMap/Secret (sha256 of kind, name, data; ten characters). */
function contentHash(r: Resource): string {
  const kind = kindOf(r);
  // kustomize 5 hashes with an empty name: a prefixed copy of a generated ConfigMap keeps its suffix.
  const encoded: Record<string, unknown> = { kind, name: '', data: stringData(r, 'data') ?? {} };
  if (kind === 'Secret') encoded.type = str(get(r.tree, 'type')) ?? '';
  const binary = stringData(r, 'binaryData');
  if (kind === 'ConfigMap' && binary && Object.keys(binary).length > 0) encoded.binaryData = binary;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  return [...hex.slice(0, 10)].map((c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] ?? c).join('');
}

export function applyHashes(resources: Resource[]): void {
  for (const r of resources) {
    if (!r.needsHash) continue;
    const metadata = get(r.tree, 'metadata');
    const name = metadata?.t === 'map' ? get(metadata, 'name') : undefined;
    if (!name || metadata?.t !== 'map') continue;
    set(metadata, 'name', { t: 'scalar', value: `${str(name)}-${contentHash(r)}`, origin: name.origin });
    noteIdentity(r);
  }
}

type RefSpec = { kinds: string[]; path: string[] };

const POD_SPECS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];

/** Reference fields relative to a pod spec, by referenced kind. */
const POD_REFS: { kind: string; path: string[] }[] = [
  { kind: 'ConfigMap', path: ['volumes[]', 'configMap', 'name'] },
  { kind: 'ConfigMap', path: ['volumes[]', 'projected', 'sources[]', 'configMap', 'name'] },
  { kind: 'Secret', path: ['volumes[]', 'secret', 'secretName'] },
  { kind: 'Secret', path: ['volumes[]', 'projected', 'sources[]', 'secret', 'name'] },
  { kind: 'Secret', path: ['imagePullSecrets[]', 'name'] },
  { kind: 'PersistentVolumeClaim', path: ['volumes[]', 'persistentVolumeClaim', 'claimName'] },
  { kind: 'ServiceAccount', path: ['serviceAccountName'] },
  { kind: 'ServiceAccount', path: ['serviceAccount'] },
  { kind: 'PriorityClass', path: ['priorityClassName'] },
  ...['containers[]', 'initContainers[]', 'ephemeralContainers[]'].flatMap((list) => [
    { kind: 'ConfigMap', path: [list, 'env[]', 'valueFrom', 'configMapKeyRef', 'name'] },
    { kind: 'ConfigMap', path: [list, 'envFrom[]', 'configMapRef', 'name'] },
    { kind: 'Secret', path: [list, 'env[]', 'valueFrom', 'secretKeyRef', 'name'] },
    { kind: 'Secret', path: [list, 'envFrom[]', 'secretRef', 'name'] },
  ]),
];

const OTHER_REFS: { referrer: string; kind: string; path: string[] }[] = [
  { referrer: 'Ingress', kind: 'Service', path: ['spec', 'rules[]', 'http', 'paths[]', 'backend', 'service', 'name'] },
  { referrer: 'Ingress', kind: 'Service', path: ['spec', 'rules[]', 'http', 'paths[]', 'backend', 'serviceName'] },
  { referrer: 'Ingress', kind: 'Service', path: ['spec', 'defaultBackend', 'service', 'name'] },
  { referrer: 'Ingress', kind: 'Secret', path: ['spec', 'tls[]', 'secretName'] },
  { referrer: 'StatefulSet', kind: 'Service', path: ['spec', 'serviceName'] },
  { referrer: 'HorizontalPodAutoscaler', kind: 'Deployment', path: ['spec', 'scaleTargetRef', 'name'] },
  { referrer: 'HorizontalPodAutoscaler', kind: 'StatefulSet', path: ['spec', 'scaleTargetRef', 'name'] },
  { referrer: 'RoleBinding', kind: 'Role', path: ['roleRef', 'name'] },
  { referrer: 'RoleBinding', kind: 'ClusterRole', path: ['roleRef', 'name'] },
  { referrer: 'ClusterRoleBinding', kind: 'ClusterRole', path: ['roleRef', 'name'] },
  { referrer: 'RoleBinding', kind: 'ServiceAccount', path: ['subjects[]', 'name'] },
  { referrer: 'ClusterRoleBinding', kind: 'ServiceAccount', path: ['subjects[]', 'name'] },
  { referrer: 'ServiceAccount', kind: 'Secret', path: ['secrets[]', 'name'] },
  { referrer: 'ServiceAccount', kind: 'Secret', path: ['imagePullSecrets[]', 'name'] },
];

/** The scalar holders at a path: [parent map, key] pairs. */
function holders(node: KValue | undefined, path: string[]): { map: KMap; key: string }[] {
  if (!node || path.length === 0) return [];
  const [head, ...rest] = path as [string, ...string[]];
  if (node.t !== 'map') return [];
  if (head.endsWith('[]')) {
    const list = get(node, head.slice(0, -2));
    return list?.t === 'seq' ? list.items.flatMap((i) => (rest.length === 0 ? [] : holders(i, rest))) : [];
  }
  if (rest.length === 0) return get(node, head)?.t === 'scalar' ? [{ map: node, key: head }] : [];
  return holders(get(node, head), rest);
}

/** After every rename (prefix, suffix, hash), references to the old names follow (kustomize FixBackReferences). */
export function fixBackReferences(resources: Resource[]): void {
  const renamed = resources.filter((r) => r.names.length > 1);
  if (renamed.length === 0) return;
  for (const referrer of resources) {
    const specs: RefSpec[] = [];
    const kind = kindOf(referrer);
    for (const podSpec of POD_SPECS) for (const ref of POD_REFS) specs.push({ kinds: [ref.kind], path: [...podSpec, ...ref.path] });
    for (const ref of OTHER_REFS) if (ref.referrer === kind) specs.push({ kinds: [ref.kind], path: ref.path });
    for (const spec of specs) {
      for (const { map, key } of holders(referrer.tree, spec.path)) {
        const value = get(map, key)!;
        const name = str(value);
        if (name === undefined) continue;
        if (spec.path[0] === 'subjects[]' && str(get(map, 'kind')) !== 'ServiceAccount') continue;
        if (spec.path[0] === 'roleRef' && str(get(map, 'kind')) !== spec.kinds[0]) continue;
        const ns = namespaceOf(referrer);
        const candidates = renamed.filter((r) => spec.kinds.includes(kindOf(r)) && r.names.slice(0, -1).includes(name) && nameOf(r) !== name);
        const target = candidates.find((r) => namespaceOf(r) === ns) ?? (candidates.length === 1 ? candidates[0] : undefined);
        if (target) set(map, key, scalar(nameOf(target), value.origin));
      }
    }
  }
}

