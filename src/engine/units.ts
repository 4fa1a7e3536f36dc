/**
 * Deployment units in the engine: entries of files a unit covers are dropped from the loose
 * model; findings of several units that are equal by fingerprint become one naming every unit;
 * provenance hops (`Located.via`) of the value a finding is located at become related locations.
 */
import type { Hop, Location } from '../core/location.js';
import { locationKey } from '../core/location.js';
import type { Finding } from '../core/finding.js';
import type { Model } from '../model/types.js';

export function dropCovered(model: Partial<Model>, covered: Set<string>): Partial<Model> {
  if (covered.size === 0) return model;
  const keep = <T extends { location: Location }>(list: T[] | undefined) => list?.filter((x) => !covered.has(x.location.file));
  return {
    ...model,
    ...(model.workloads ? { workloads: keep(model.workloads) } : {}),
    ...(model.exposures ? { exposures: keep(model.exposures) } : {}),
    ...(model.bindings ? { bindings: keep(model.bindings) } : {}),
    ...(model.managedDatastores ? { managedDatastores: keep(model.managedDatastores) } : {}),
    ...(model.httpListeners ? { httpListeners: keep(model.httpListeners) } : {}),
  };
}

/** Hops by the location of the value that carries them, from anything in the model with `location` and `via`. */
function hopsByLocation(model: Model): Map<string, Hop[]> {
  const out = new Map<string, Hop[]>();
  const seen = new WeakSet<object>();
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || seen.has(node) || depth > 40) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as { location?: Location; via?: Hop[] };
    if (record.location && Array.isArray(record.via) && record.via.length > 0) {
      const key = locationKey(record.location);
      const list = out.get(key) ?? [];
      for (const hop of record.via) if (!list.some((h) => locationKey(h.location) === locationKey(hop.location) && h.note === hop.note)) list.push(hop);
      out.set(key, list);
    }
    for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(model, 0);
  return out;
}

export function addProvenance<T extends Omit<Finding, 'fingerprint'>>(findings: T[], model: Model): T[] {
  const hops = hopsByLocation(model);
  if (hops.size === 0) return findings;
  return findings.map((f) => {
    const via = hops.get(locationKey(f.location));
    if (!via) return f;
    const known = new Set(f.related.map((r) => `${locationKey(r.location)}\u0000${r.message}`));
    const extra = via.filter((h) => locationKey(h.location) !== locationKey(f.location) && !known.has(`${locationKey(h.location)}\u0000${h.note}`));
    return extra.length ? { ...f, related: [...f.related, ...extra.map((h) => ({ location: h.location, message: h.note }))] } : f;
  });
}

export function mergeUnitFindings(loose: Finding[], units: { name: string; findings: Finding[] }[]): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const f of loose) byFingerprint.set(f.fingerprint, f);
  for (const unit of units) {
    for (const f of unit.findings) {
      const existing = byFingerprint.get(f.fingerprint);
      if (existing) {
        if (!existing.units?.includes(unit.name)) existing.units = [...(existing.units ?? []), unit.name];
      } else byFingerprint.set(f.fingerprint, { ...f, units: [unit.name] });
    }
  }
  return [...byFingerprint.values()];
}
