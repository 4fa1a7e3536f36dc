/**
 * A built kustomization through the Kubernetes adapter: render, adapt, then move every location
 * from the rendered text back to where the value was set, with its hops. A Service a patch
 * makes public is reported at the patch's `type:` with the base's port entry as a hop.
 */
import type { Hop, Location } from '../../core/location.js';
import type { Exposure, Model } from '../../model/types.js';
import { adaptKubernetesDocuments } from '../kubernetes/index.js';
import type { AdaptContext, ParseFailure } from '../types.js';
import { resolveEnvironment } from './env.js';
import { renderResources, type SourceMap } from './render.js';
import type { Resource } from './resources.js';
import { get, getPath, str, type KMap, type KValue } from './tree.js';

function isLocation(value: unknown): value is Location {
  return !!value && typeof value === 'object' && 'file' in value && 'region' in value;
}

/** Replace every rendered location in the model (in place) by its source, adding hops as `via`. */
function remap(model: Partial<Model>, map: SourceMap): void {
  const seen = new WeakSet<object>();
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || seen.has(node) || depth > 40) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    // A fix edits the rendered text, which is no file: it cannot be applied to the sources.
    if (record.fix && JSON.stringify(record.fix).includes(JSON.stringify(map.file.path))) delete record.fix;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'location' && isLocation(value)) {
        const mapped = map.lookup(value);
        if (mapped) {
          record.location = mapped.location;
          // An exposure's own `via` is its kind ('k8s-load-balancer'), not hops.
          if (mapped.hops.length > 0 && (record.via === undefined || Array.isArray(record.via))) record.via = [...((record.via as Hop[] | undefined) ?? []), ...mapped.hops];
        }
      } else visit(value, depth + 1);
    }
  };
  visit(model, 0);
}

function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.region.startOffset === b.region.startOffset && a.region.endOffset === b.region.endOffset;
}

/** A public Service type set by a patch decides the exposure: primary there, the base's port entry as a hop. */
function promotePatchedServiceTypes(exposures: Exposure[], trees: KMap[], renderedPath: string): void {
  const services = new Map<string, KMap>();
  for (const tree of trees) {
    if (str(get(tree, 'kind')) !== 'Service') continue;
    services.set(`k8s:${renderedPath}:${str(getPath(tree, ['metadata', 'namespace'])) || 'default'}/Service/${str(getPath(tree, ['metadata', 'name']))}`, tree);
  }
  for (const exposure of exposures) {
    if (exposure.via !== 'k8s-load-balancer' && exposure.via !== 'k8s-node-port') continue;
    const m = /^(.*):ports\[(\d+)\]/.exec(exposure.id);
    const tree = m ? services.get(m[1]!) : undefined;
    if (!tree) continue;
    const type = getPath(tree, ['spec', 'type']);
    const ports = getPath(tree, ['spec', 'ports']);
    const port: KValue | undefined = ports?.t === 'seq' ? ports.items[Number(m![2])] : undefined;
    if (!type || !port) continue;
    if (type.origin.location.file === port.origin.location.file) {
      // A rendered chart: the values behind `type:` decide the exposure too (hops, as in a Helm unit).
      const typeHops = type.origin.hops ?? [];
      for (const source of exposure.sources) source.via = [...(source.via ?? []), ...typeHops.filter((h) => !(source.via ?? []).some((e) => e.note === h.note))];
      continue;
    }
    const portLocation = port.origin.location;
    const typeLocation = type.origin.location;
    const hop: Hop = { location: portLocation, note: `port entry of Service/${str(getPath(tree, ['metadata', 'name']))} in ${portLocation.file}, made ${str(type)} by ${typeLocation.file}` };
    const via = [...(type.origin.hops ?? []), hop];
    if (sameLocation(exposure.location, portLocation)) exposure.location = typeLocation;
    for (const source of exposure.sources) {
      if (!sameLocation(source.location, portLocation)) continue;
      source.location = typeLocation;
      source.via = [...via, ...(source.via ?? []).filter((h) => !sameLocation(h.location, portLocation))];
    }
  }
}

interface AdaptedBuild {
  model: Partial<Model>;
  failures: ParseFailure[];
  notices: { file: string; level: 'note' | 'warning'; message: string }[];
}

export function adaptBuild(kustomizationPath: string, resources: Resource[], context: AdaptContext): AdaptedBuild {
  const trees = resolveEnvironment(resources.map((r) => r.tree));
  const renderedPath = `${kustomizationPath}#build`;
  const map = renderResources(trees, renderedPath);
  const result = adaptKubernetesDocuments([map.file], context);
  remap(result.model, map);
  promotePatchedServiceTypes(result.model.exposures ?? [], trees, renderedPath);
  const failures = (result.failures ?? []).map((f) => ({ ...f, file: kustomizationPath, ...(f.location ? { location: map.lookup(f.location)?.location ?? f.location } : {}) }));
  const notices = (result.notices ?? []).map((n) => ({ ...n, file: kustomizationPath }));
  return { model: result.model, failures, notices };
}
