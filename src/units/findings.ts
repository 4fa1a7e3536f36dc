/**
 * Findings of several units, reported once. Two units (a base used by two overlays, a
 * module called by two roots with the same inputs) produce the same finding at the same
 * place: it is one finding, naming every unit that produces it.
 */
import { locationKey, type Hop, type Location } from '../core/location.js';
import type { RelatedLocation } from '../core/rule.js';

interface Mergeable {
  ruleId: string;
  message: string;
  location: Location;
  related: RelatedLocation[];
  units?: string[];
}

/** Identity of a finding across units: rule, place and text (what its fingerprint is made of, plus the message). */
function unitFindingKey(f: Mergeable): string {
  return `${f.ruleId}\u0000${locationKey(f.location)}\u0000${f.message}`;
}

export function mergeUnitFindings<T extends Mergeable>(findings: T[]): T[] {
  const byKey = new Map<string, T>();
  const out: T[] = [];
  for (const f of findings) {
    const key = unitFindingKey(f);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, f);
      out.push(f);
      continue;
    }
    if (f.units?.length) {
      const names = new Set([...(seen.units ?? []), ...f.units]);
      seen.units = [...names].sort();
    }
    const related = new Set(seen.related.map((r) => `${locationKey(r.location)}\u0000${r.message}`));
    for (const r of f.related) if (!related.has(`${locationKey(r.location)}\u0000${r.message}`)) seen.related.push(r);
  }
  return out;
}

/** The provenance chain as related locations, after the rule's own, without repeating one or the primary. */
export function relatedWithHops(primary: Location, related: RelatedLocation[], via: Hop[] | undefined): RelatedLocation[] {
  if (!via || via.length === 0) return related;
  const out = [...related];
  const seen = new Set([locationKey(primary), ...related.map((r) => locationKey(r.location))]);
  for (const hop of via) {
    const key = locationKey(hop.location);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ location: hop.location, message: hop.note });
  }
  return out;
}

/** Files named on the command line: a finding counts when any of its locations is in one of them. */
export function touchesFiles(f: { location: Location; related: RelatedLocation[] }, files: ReadonlySet<string>): boolean {
  if (files.has(f.location.file)) return true;
  return f.related.some((r) => files.has(r.location.file));
}

/** Hops by the location of the value that carries them, from anything in the model with `location` and `via`. */
function hopsByLocation(model: object): Map<string, Hop[]> {
  const out = new Map<string, Hop[]>();
  const seen = new WeakSet<object>();
  // Iterative: a model is deep but must not overflow the stack.
  const stack: unknown[] = [model];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as { location?: Location; via?: unknown };
    if (record.location && Array.isArray(record.via) && record.via.length > 0) {
      const key = locationKey(record.location);
      const list = out.get(key) ?? [];
      for (const hop of record.via as Hop[]) if (!list.some((h) => locationKey(h.location) === locationKey(hop.location) && h.note === hop.note)) list.push(hop);
      out.set(key, list);
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') stack.push(value);
  }
  return out;
}

/**
 * Rendered units (a kustomize build, a Helm chart) put provenance on every model object with a
 * location (env entries, auth state, exposures): the hops of whatever sits at a finding's
 * location become its related locations.
 */
export function addProvenance<T extends { location: Location; related: RelatedLocation[] }>(findings: T[], model: object, options: { throughRelated?: boolean } = {}): T[] {
  const hops = hopsByLocation(model);
  if (hops.size === 0) return findings;
  return findings.map((f) => {
    // Helm: also the hops of the related values (the auth setting of PW004 names its values line).
    const via = [...(hops.get(locationKey(f.location)) ?? []), ...(options.throughRelated ? f.related.flatMap((r) => hops.get(locationKey(r.location)) ?? []) : [])];
    return via.length ? { ...f, related: relatedWithHops(f.location, f.related, via) } : f;
  });
}
