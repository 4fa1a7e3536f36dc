/**
 * Deployment units in the engine: rules run on each unit's model (a chart with one values set),
 * findings equal across units are reported once naming the units, and a located value's
 * provenance (`via`) becomes related locations of the findings reported at it.
 */
import { locationKey, type Hop, type Location } from '../core/location.js';
import type { Finding } from '../core/finding.js';
import type { AdaptResult } from '../formats/types.js';
import type { Model } from '../model/types.js';

export interface UnitRun {
  name: string;
  model: Model;
}

type Draft = Omit<Finding, 'fingerprint'>;

/** Drops the entries of covered files (raw chart templates) from a format's result. */
export function dropCovered(result: AdaptResult, covered: Set<string>): AdaptResult {
  if (covered.size === 0) return result;
  const keep = (x: { location?: Location; file?: string }) => !covered.has(x.location?.file ?? x.file ?? '');
  const model = { ...result.model };
  for (const key of Object.keys(model) as (keyof Model)[]) {
    const list = model[key] as { location?: Location; file?: string }[] | undefined;
    if (Array.isArray(list)) (model as Record<string, unknown>)[key] = list.filter(keep);
  }
  return {
    ...result,
    model,
    ...(result.failures ? { failures: result.failures.filter((f) => !covered.has(f.file)) } : {}),
    ...(result.notices ? { notices: result.notices.filter((n) => !covered.has(n.file)) } : {}),
  };
}

/** Hops of every located value of the models, by location. */
function collectVia(models: Model[]): Map<string, Hop[]> {
  const out = new Map<string, Hop[]>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const obj = node as { via?: unknown; location?: Location };
    if (Array.isArray(obj.via) && obj.via.length > 0 && obj.location?.region) {
      const key = locationKey(obj.location);
      const hops = out.get(key) ?? [];
      for (const h of obj.via as Hop[]) if (!hops.some((x) => x.note === h.note)) hops.push(h);
      out.set(key, hops);
    }
    for (const v of Object.values(obj)) if (v && typeof v === 'object') visit(v);
  };
  models.forEach(visit);
  return out;
}

export function applyUnits(base: Draft[], units: UnitRun[], run: (model: Model) => Draft[], models: Model[]): Draft[] {
  const out: Draft[] = [...base];
  const byKey = new Map<string, Draft>();
  for (const unit of units) {
    for (const f of run(unit.model)) {
      const key = `${f.ruleId}\u0000${locationKey(f.location)}\u0000${f.message}`;
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.units!.includes(unit.name)) existing.units!.push(unit.name);
        continue;
      }
      const draft = { ...f, units: [unit.name] };
      byKey.set(key, draft);
      out.push(draft);
    }
  }
  const via = collectVia(models);
  if (via.size === 0) return out;
  return out.map((f) => {
    // The hops of the primary location, then those of each related location (the auth setting).
    const hops = [...(via.get(locationKey(f.location)) ?? []), ...f.related.flatMap((r) => via.get(locationKey(r.location)) ?? [])];
    if (hops.length === 0) return f;
    const related = [...f.related];
    // One related location per place: the first hop that names it says what it contributed.
    for (const h of hops) if (!related.some((r) => locationKey(r.location) === locationKey(h.location))) related.push({ location: h.location, message: h.note });
    return { ...f, related };
  });
}
