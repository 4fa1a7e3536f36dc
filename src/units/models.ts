/**
 * The models rules run over: the entries that formats judged on their own (one "loose"
 * model, as before units existed) and one model per deployment unit. Entries that a unit
 * rebuilt from another format's files (`covers`: a kustomize base the plain Kubernetes
 * format also read) are dropped from the other models.
 */
import type { Location } from '../core/location.js';
import { emptyModel, mergeModels, type Model } from '../model/types.js';
import type { UnitResult } from '../formats/types.js';

export interface UnitModel {
  id: string;
  name: string;
  kind: string;
  files: string[];
  model: Model;
  /** The format that built it (covers of a format never drop its own entries). */
  format: string;
}

/**
 * A unit's files are the ones it names and every file an entry of its model is located in (a
 * compose service that extends one of another file exposes its ports there): a finding lies in its
 * unit's files, which --shard's keys and --list-files rely on.
 */
export function unitModel(unit: UnitResult, format: string): UnitModel {
  const model = mergeModels(emptyModel(), withoutParseErrors(unit.model));
  const files = new Set(unit.files);
  const extra: string[] = [];
  for (const entries of [model.workloads, model.exposures, model.bindings, model.managedDatastores, model.httpListeners]) {
    for (const { location } of entries) {
      if (files.has(location.file)) continue;
      files.add(location.file);
      extra.push(location.file);
    }
  }
  return { id: unit.id, name: unit.name, kind: unit.kind, files: [...unit.files, ...extra.sort()], model, format };
}

/** Parse errors are per file, not per unit: the engine keeps them in one place so a broken file gives one PW000. */
function withoutParseErrors(model: Partial<Model>): Partial<Model> {
  const { parseErrors: _ignored, ...rest } = model;
  return rest;
}

/** Removes from `model` every entry located in a covered file. */
export function dropCovered(model: Model, covered: ReadonlySet<string>): void {
  if (covered.size === 0) return;
  const keep = <T extends { location: Location }>(items: T[]) => items.filter((item) => !covered.has(item.location.file));
  model.workloads = keep(model.workloads);
  model.exposures = keep(model.exposures);
  model.bindings = keep(model.bindings);
  model.managedDatastores = keep(model.managedDatastores);
  model.httpListeners = keep(model.httpListeners);
}
