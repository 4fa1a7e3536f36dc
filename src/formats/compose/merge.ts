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
    // Ports the override adds: the base service they join is a related place.
    const joined = { location: target.location, note: `service '${o.name}' is declared in ${target.file.path}, which ${o.file.path} overrides` };
    mergeInto(target, { ...o, ports: o.ports.map((p) => ({ ...p, via: [...(p.via ?? []), joined] })) });
  }
  return result;
}

/**
 * `extends`: the extending service is the base service with its own values merged on top,
 * by the same rules as an override file. The result keeps the extending service's name and place.
 */
export function extendService(base: ComposeService, child: ComposeService): ComposeService {
  // Inherited ports are instantiated by the extending service: its `extends` entry is a related place.
  const inherited = child.extends ? { location: child.extends.location, note: `service '${child.name}' extends service '${child.extends.service}'${child.extends.file ? ` of ${child.extends.file}` : ''}` } : undefined;
  const ports = inherited ? base.ports.map((p) => ({ ...p, via: [...(p.via ?? []), inherited] })) : [...base.ports];
  const merged: ComposeService = { ...base, name: child.name, file: child.file, location: child.location, projectDir: child.projectDir, ports, expose: [...base.expose], env: [...base.env] };
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
