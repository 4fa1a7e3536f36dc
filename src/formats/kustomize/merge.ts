/**
 * Strategic merge patch on located trees, the way kustomize (kyaml merge2) applies it:
 * maps merge, `null` deletes a key, `$patch: delete|replace` act on maps and list items,
 * lists of maps merge by their Kubernetes merge key (containers by name, container ports by
 * containerPort + protocol, Service ports by port + protocol, env, volumes...), other lists are
 * replaced. A value the patch changes takes the patch's location, with a hop to the value it replaced.
 */
import type { Hop } from '../../core/location.js';
import { clone, get, str, type KEntry, type KMap, type KSeq, type KValue, type Origin } from './tree.js';

interface MergeContext {
  /** The resource kind ("Service"): a few merge keys depend on it. */
  kind: string;
  /** Describes the replaced value for the hop ("base value in base/service.yaml"). */
  replacedNote(replaced: Origin): string;
}

/** Keys kyaml falls back to for lists it has no schema for, in its order. */
const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

const NAME_KEYED = new Set(['containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'imagePullSecrets', 'resourceClaims', 'schedulingGates']);
/** Lists of maps in core types that have no merge key: replaced as a whole. */
const ATOMIC_LISTS = new Set(['tolerations', 'rules', 'tls', 'subjects', 'args', 'command', 'envFrom', 'loadBalancerSourceRanges', 'externalIPs', 'ingress', 'egress', 'from', 'to', 'paths', 'http', 'nodeSelectorTerms', 'matchExpressions']);

function mergeKeys(path: readonly string[], ctx: MergeContext, items: KValue[]): string[] | undefined {
  const last = path[path.length - 1] ?? '';
  if (NAME_KEYED.has(last)) return ['name'];
  if (last === 'volumeMounts') return ['mountPath'];
  if (last === 'volumeDevices') return ['devicePath'];
  if (last === 'hostAliases') return ['ip'];
  if (last === 'topologySpreadConstraints') return ['topologyKey', 'whenUnsatisfiable'];
  if (last === 'ports') {
    if (ctx.kind === 'Service' && path.length === 2 && path[0] === 'spec') return ['port', 'protocol'];
    return ['containerPort', 'protocol'];
  }
  if (ATOMIC_LISTS.has(last)) return undefined;
  const maps = items.filter((i) => i.t === 'map');
  if (maps.length === 0 || maps.length !== items.length) return undefined;
  const key = ASSOCIATIVE_KEYS.find((k) => maps.every((m) => get(m, k) !== undefined));
  return key ? [key] : undefined;
}

function keyValue(item: KValue, keys: string[]): string | undefined {
  if (item.t !== 'map') return undefined;
  const first = str(get(item, keys[0]!));
  if (first === undefined) return undefined;
  // protocol defaults to TCP in ports.
  return keys.map((k, i) => (i === 0 ? first : (str(get(item, k)) ?? (k === 'protocol' ? 'TCP' : '')))).join('\u0000');
}

function isDirective(key: string): boolean {
  return key.startsWith('$');
}

/** The patch value with its directives removed, for inserting where nothing is merged. */
function stripDirectives(value: KValue): KValue | undefined {
  if (value.t === 'map') {
    if (str(get(value, '$patch')) === 'delete') return undefined;
    const entries: KEntry[] = [];
    for (const e of value.entries) {
      if (isDirective(e.key)) continue;
      const v = stripDirectives(e.value);
      if (v && !(v.t === 'scalar' && v.value === null)) entries.push({ key: e.key, keyOrigin: e.keyOrigin, value: v });
    }
    return { t: 'map', entries, origin: value.origin };
  }
  if (value.t === 'seq') {
    const items = value.items.filter((i) => !(i.t === 'map' && str(get(i, '$patch')) === 'replace' && i.entries.length === 1)).map(stripDirectives).filter((i): i is KValue => !!i);
    return { t: 'seq', items, origin: value.origin };
  }
  return clone(value);
}

function replaced(next: KValue, previous: KValue, ctx: MergeContext): KValue {
  const value = stripDirectives(next) ?? next;
  if (value.t !== 'scalar' || previous.t !== 'scalar') return value;
  if (previous.origin.location.file === value.origin.location.file && previous.origin.location.region.startOffset === value.origin.location.region.startOffset) return value;
  const hop: Hop = { location: previous.origin.location, note: ctx.replacedNote(previous.origin) };
  return { ...value, origin: { location: value.origin.location, hops: [...(value.origin.hops ?? []), hop] } };
}

/** Merge `patch` into `target`; undefined means the patch deletes it. */
export function mergeMap(target: KMap, patch: KMap, path: readonly string[], ctx: MergeContext): KMap | undefined {
  const directive = str(get(patch, '$patch'));
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as KMap;
  const out: KMap = { t: 'map', entries: target.entries.map((e) => ({ ...e })), origin: target.origin };
  for (const entry of patch.entries) {
    if (isDirective(entry.key)) continue;
    const index = out.entries.findIndex((e) => e.key === entry.key);
    const current = index >= 0 ? out.entries[index]! : undefined;
    const value = entry.value;
    if (value.t === 'scalar' && value.value === null) {
      if (current) out.entries.splice(index, 1);
      continue;
    }
    if (!current) {
      const inserted = stripDirectives(value);
      if (inserted) out.entries.push({ key: entry.key, keyOrigin: entry.keyOrigin, value: inserted });
      continue;
    }
    const childPath = [...path, entry.key];
    if (current.value.t === 'map' && value.t === 'map') {
      const merged = mergeMap(current.value, value, childPath, ctx);
      if (merged) current.value = merged;
      else out.entries.splice(index, 1);
    } else if (current.value.t === 'seq' && value.t === 'seq') {
      current.value = mergeList(current.value, value, childPath, ctx);
    } else {
      current.value = replaced(value, current.value, ctx);
    }
  }
  return out;
}

function mergeList(target: KSeq, patch: KSeq, path: readonly string[], ctx: MergeContext): KSeq {
  if (patch.items.some((i) => i.t === 'map' && str(get(i, '$patch')) === 'replace')) return stripDirectives(patch) as KSeq;
  const keys = mergeKeys(path, ctx, [...target.items, ...patch.items]);
  if (!keys || ![...target.items, ...patch.items].every((i) => i.t === 'map' && get(i, keys[0]!) !== undefined)) return stripDirectives(patch) as KSeq;
  // kustomize merges with ListIncreaseDirection "prepend": the patch's elements come first, in
  // the patch's order, then the target's elements the patch does not name.
  const items: KValue[] = [];
  const named = new Set<string>();
  for (const item of patch.items) {
    const key = keyValue(item, keys);
    if (key === undefined || item.t !== 'map' || named.has(key)) continue;
    named.add(key);
    const existing = target.items.find((i) => keyValue(i, keys) === key);
    if (str(get(item, '$patch')) === 'delete') continue;
    const merged = existing ? mergeMap(existing as KMap, item, path, ctx) : stripDirectives(item);
    if (merged) items.push(merged);
  }
  for (const item of target.items) if (!named.has(keyValue(item, keys) ?? '')) items.push(item);
  if (keys.length > 1) {
    // Lists keyed by two fields (ports: containerPort + protocol) keep the target's order, with
    // the patch's new elements in front (observed with kubectl kustomize 5.7).
    const merged = new Map(items.map((i) => [keyValue(i, keys), i]));
    const existing = target.items.map((i) => merged.get(keyValue(i, keys))).filter((i): i is KValue => !!i);
    const fresh = items.filter((i) => !target.items.some((t) => keyValue(t, keys) === keyValue(i, keys)));
    return { t: 'seq', items: [...fresh, ...existing], origin: target.origin };
  }
  return { t: 'seq', items, origin: target.origin };
}
