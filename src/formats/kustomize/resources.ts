/**
 * Resources as kustomize tracks them: the tree, the ids it had (patch targets and references
 * match the original or the current name), and whether a generator wants a hash suffix.
 */
import { get, getPath, str, type KMap } from './tree.js';

export interface Resource {
  tree: KMap;
  /** Every name it had, the original first. */
  names: string[];
  /** Every namespace it had ('' = none), the original first. */
  namespaces: string[];
  /** A generated ConfigMap/Secret whose final name gets the content hash. */
  needsHash?: boolean;
}

export function kindOf(r: Resource): string {
  return str(get(r.tree, 'kind')) ?? '';
}

function apiVersionOf(r: Resource): string {
  return str(get(r.tree, 'apiVersion')) ?? '';
}

export function groupVersion(r: Resource): { group: string; version: string } {
  const api = apiVersionOf(r);
  const slash = api.indexOf('/');
  return slash === -1 ? { group: '', version: api } : { group: api.slice(0, slash), version: api.slice(slash + 1) };
}

export function nameOf(r: Resource): string {
  return str(getPath(r.tree, ['metadata', 'name'])) ?? '';
}

export function namespaceOf(r: Resource): string {
  return str(getPath(r.tree, ['metadata', 'namespace'])) ?? '';
}

export function newResource(tree: KMap): Resource {
  const name = str(getPath(tree, ['metadata', 'name'])) ?? '';
  const namespace = str(getPath(tree, ['metadata', 'namespace'])) ?? '';
  return { tree, names: [name], namespaces: [namespace] };
}

/** Record the current name/namespace in the history after a transformer changed them. */
export function noteIdentity(r: Resource): void {
  const name = nameOf(r);
  const namespace = namespaceOf(r);
  if (r.names[r.names.length - 1] !== name) r.names.push(name);
  if (r.namespaces[r.namespaces.length - 1] !== namespace) r.namespaces.push(namespace);
}

/** Kinds without a namespace: the namespace transformer leaves them alone. */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'Node',
  'PodSecurityPolicy',
  'VolumeAttachment',
  'ClusterIssuer',
  'GatewayClass',
  'ComponentStatus',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'SelfSubjectAccessReview',
  'TokenReview',
  'ClusterRoleBindingList',
]);

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

/** A Kubernetes label selector string ("app=web,tier in (a,b),!legacy"). */
function matchesLabelSelector(selector: string, labels: Map<string, string>): boolean {
  const requirements = selector.match(/[^,(]+(?:\([^)]*\))?[^,]*/g) ?? [];
  return requirements.every((raw) => {
    const req = raw.trim();
    if (!req) return true;
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      const has = labels.has(m[1]!) && values.includes(labels.get(m[1]!)!);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (m) return m[2] === '!=' ? labels.get(m[1]!) !== m[3]!.trim() : labels.get(m[1]!) === m[3]!.trim();
    if (req.startsWith('!')) return !labels.has(req.slice(1).trim());
    return labels.has(req);
  });
}

function stringEntries(r: Resource, key: 'labels' | 'annotations'): Map<string, string> {
  const out = new Map<string, string>();
  const map = getPath(r.tree, ['metadata', key]);
  if (map?.t === 'map') for (const e of map.entries) out.set(e.key, str(e.value) ?? '');
  return out;
}

/** kustomize's Selector semantics: empty fields match anything; name and namespace are regexes on the original or current value. */
export function matchesSelector(r: Resource, s: Selector): boolean {
  const gv = groupVersion(r);
  if (s.kind && !fullMatch(s.kind, kindOf(r))) return false;
  if (s.group !== undefined && s.group !== '' && !fullMatch(s.group, gv.group)) return false;
  if (s.version && !fullMatch(s.version, gv.version)) return false;
  if (s.name && !r.names.some((n) => fullMatch(s.name!, n))) return false;
  if (s.namespace && !r.namespaces.some((n) => fullMatch(s.namespace!, n || 'default'))) return false;
  if (s.labelSelector && !matchesLabelSelector(s.labelSelector, stringEntries(r, 'labels'))) return false;
  if (s.annotationSelector && !matchesLabelSelector(s.annotationSelector, stringEntries(r, 'annotations'))) return false;
  return true;
}

export function selectorOf(value: KMap | undefined): Selector {
  const s: Selector = {};
  if (!value) return s;
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = str(get(value, key));
    if (v !== undefined) s[key] = v;
  }
  return s;
}
