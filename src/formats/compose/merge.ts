/**
 * Compose override merging (https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/):
 * single values (image, command, entrypoint, network_mode) are replaced; ports and expose are
 * concatenated; environment is merged by variable name, the override winning.
 */
import type { ComposeService } from './services.js';

export function mergeOverride(base: ComposeService[], override: ComposeService[]): ComposeService[] {
  const result = base.map((s) => ({ ...s }));
  for (const o of override) {
    const target = result.find((s) => s.name === o.name);
    if (!target) {
      result.push({ ...o });
      continue;
    }
    mergeInto(target, o);
  }
  return result;
}

/**
 * `extends`: the extending service is the base service with its own values merged on top,
 * by the same rules as an override file. The result keeps the extending service's name and place.
 */
export function extendService(base: ComposeService, child: ComposeService): ComposeService {
  const merged: ComposeService = { ...base, name: child.name, file: child.file, location: child.location, projectDir: child.projectDir, ports: [...base.ports], expose: [...base.expose], env: [...base.env] };
  delete merged.extends;
  mergeInto(merged, child);
  return merged;
}

function mergeInto(target: ComposeService, o: ComposeService): void {
  if (o.image) target.image = o.image;
  if (o.command) target.command = o.command;
  if (o.entrypoint) target.entrypoint = o.entrypoint;
  if (o.networkMode) target.networkMode = o.networkMode;
  target.ports = [...target.ports, ...o.ports];
  target.expose = [...target.expose, ...o.expose];
  const overridden = new Set(o.env.map((e) => e.name));
  target.env = [...target.env.filter((e) => !overridden.has(e.name)), ...o.env];
  target.envOpaque = target.envOpaque || o.envOpaque;
  if (o.profiles.length) target.profiles = o.profiles;
}
