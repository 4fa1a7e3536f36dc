/**
 * What a container's environment holds once ConfigMaps and Secrets of the same build are
 * read: envFrom and valueFrom references to them become plain env entries located where the
 * value was written (the generator literal, the env file line), so auth detection sees them.
 * Works on copies handed to the adapter; the built resources stay as kustomize builds them.
 */
import { clone, get, getPath, str, type KEntry, type KMap, type KSeq, type KValue, type Origin } from './tree.js';

const POD_SPECS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];

interface Datum {
  value: string;
  origin: Origin;
}

function dataOf(tree: KMap): Map<string, Datum> {
  const out = new Map<string, Datum>();
  const kind = str(get(tree, 'kind'));
  const data = get(tree, 'data');
  if (data?.t === 'map') {
    for (const e of data.entries) {
      const text = str(e.value) ?? '';
      out.set(e.key, { value: kind === 'Secret' ? Buffer.from(text, 'base64').toString('utf8') : text, origin: e.value.origin });
    }
  }
  const stringData = get(tree, 'stringData');
  if (kind === 'Secret' && stringData?.t === 'map') for (const e of stringData.entries) out.set(e.key, { value: str(e.value) ?? '', origin: e.value.origin });
  return out;
}

function entry(key: string, value: KValue): KEntry {
  return { key, keyOrigin: value.origin, value };
}

function envItem(name: string, datum: Datum, hopAt: Origin, note: string): KMap {
  const origin: Origin = { location: datum.origin.location, hops: [...(datum.origin.hops ?? []), { location: hopAt.location, note }] };
  return { t: 'map', entries: [entry('name', { t: 'scalar', value: name, origin }), entry('value', { t: 'scalar', value: datum.value, origin: datum.origin })], origin };
}

export function resolveEnvironment(trees: KMap[]): KMap[] {
  const sources = new Map<string, Map<string, Datum>>();
  for (const tree of trees) {
    const kind = str(get(tree, 'kind'));
    if (kind !== 'ConfigMap' && kind !== 'Secret') continue;
    const ns = str(getPath(tree, ['metadata', 'namespace'])) || 'default';
    sources.set(`${kind}/${ns}/${str(getPath(tree, ['metadata', 'name']))}`, dataOf(tree));
  }
  if (sources.size === 0) return trees;
  return trees.map((original) => {
    const tree = clone(original) as KMap;
    const ns = str(getPath(tree, ['metadata', 'namespace'])) || 'default';
    const lookup = (kind: string, name: string | undefined) => (name === undefined ? undefined : sources.get(`${kind}/${ns}/${name}`));
    for (const specPath of POD_SPECS) {
      const spec = getPath(tree, specPath);
      if (spec?.t !== 'map' || (specPath.length === 1 && str(get(tree, 'kind')) !== 'Pod')) continue;
      for (const listKey of ['containers', 'initContainers']) {
        const containers = get(spec, listKey);
        for (const container of containers?.t === 'seq' ? containers.items : []) if (container.t === 'map') resolveContainer(container, lookup);
      }
    }
    return tree;
  });
}

function resolveContainer(container: KMap, lookup: (kind: string, name: string | undefined) => Map<string, Datum> | undefined): void {
  const env = get(container, 'env');
  const explicit = env?.t === 'seq' ? env.items : [];
  const explicitNames = new Set(explicit.map((i) => str(get(i, 'name'))));
  const expanded: KValue[] = [];
  const envFrom = get(container, 'envFrom');
  const keptFrom: KValue[] = [];
  for (const item of envFrom?.t === 'seq' ? envFrom.items : []) {
    const kind = get(item, 'configMapRef') ? 'ConfigMap' : get(item, 'secretRef') ? 'Secret' : undefined;
    const name = kind ? str(get(get(item, kind === 'ConfigMap' ? 'configMapRef' : 'secretRef'), 'name')) : undefined;
    const data = kind ? lookup(kind, name) : undefined;
    if (!data) {
      keptFrom.push(item);
      continue;
    }
    const prefix = str(get(item, 'prefix')) ?? '';
    for (const [key, datum] of data) {
      if (!explicitNames.has(prefix + key)) expanded.push(envItem(prefix + key, datum, item.origin, `set by envFrom ${kind} ${name}`));
    }
  }
  const resolvedExplicit = explicit.map((item) => {
    const ref = get(get(item, 'valueFrom'), 'configMapKeyRef') ?? get(get(item, 'valueFrom'), 'secretKeyRef');
    if (!ref || item.t !== 'map') return item;
    const kind = get(get(item, 'valueFrom'), 'configMapKeyRef') ? 'ConfigMap' : 'Secret';
    const datum = lookup(kind, str(get(ref, 'name')))?.get(str(get(ref, 'key')) ?? '');
    if (!datum) return item;
    const origin: Origin = { location: item.origin.location, hops: [...(item.origin.hops ?? []), { location: datum.origin.location, note: `value from ${kind} ${str(get(ref, 'name'))} key ${str(get(ref, 'key'))}` }] };
    const name = get(item, 'name');
    return { t: 'map', entries: [...(name ? [entry('name', name)] : []), entry('value', { t: 'scalar', value: datum.value, origin: datum.origin })], origin } as KMap;
  });
  if (expanded.length === 0 && resolvedExplicit.every((x, i) => x === explicit[i])) return;
  const newEnv: KSeq = { t: 'seq', items: [...expanded, ...resolvedExplicit], origin: env?.origin ?? container.origin };
  container.entries = container.entries.filter((e) => e.key !== 'env' && !(e.key === 'envFrom' && keptFrom.length === 0));
  if (keptFrom.length > 0) {
    const from = container.entries.find((e) => e.key === 'envFrom');
    if (from) from.value = { t: 'seq', items: keptFrom, origin: from.value.origin };
  }
  container.entries.push(entry('env', newEnv));
}
