/**
 * Provenance that rules do not pass on: a located value's `via` (or an auth state's) becomes
 * related locations of each finding reported at its location, or at a related location of the
 * finding (the auth setting of PW004). Looked up by location, so rules need no change.
 */
import { locationKey, type Hop, type Location } from '../core/location.js';
import type { RelatedLocation } from '../core/rule.js';
import type { Model } from '../model/types.js';
import { relatedWithHops } from '../units/findings.js';

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

export function addHopsByLocation<T extends { location: Location; related: RelatedLocation[] }>(findings: T[], models: Model[]): T[] {
  const via = collectVia(models);
  if (via.size === 0) return findings;
  return findings.map((f) => {
    const hops = [...(via.get(locationKey(f.location)) ?? []), ...f.related.flatMap((r) => via.get(locationKey(r.location)) ?? [])];
    return hops.length === 0 ? f : { ...f, related: relatedWithHops(f.location, f.related, hops) };
  });
}
