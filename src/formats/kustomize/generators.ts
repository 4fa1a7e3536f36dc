/**
 * configMapGenerator and secretGenerator: literals, env files and files become ConfigMaps and
 * Secrets whose every data value is located where it was written (the literal, the env file
 * line), so that a password set by a generator counts for auth at that line.
 */
import path from 'node:path';
import type { SourceFile } from '../types.js';
import { newResource, kindOf, nameOf, type Resource } from './resources.js';
import { fileStart, get, str, type KEntry, type KMap, type KValue, type Origin } from './tree.js';
import { pushAll } from '../../core/arrays.js';

interface GeneratorIo {
  /** Reads a file named relative to the kustomization folder (restricted like kustomize); throws when missing. */
  readRelative(entry: string, at: Origin): SourceFile;
  fail(message: string, at: Origin): never;
}

interface Datum {
  key: string;
  value: string;
  origin: Origin;
}

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) return value.slice(1, -1);
  return value;
}

function envFileData(file: SourceFile): Datum[] {
  const out: Datum[] = [];
  let offset = 0;
  for (const line of file.text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const text = line.replace(/\r$/, '').replace(/^\uFEFF/, '');
    const trimmed = text.trimStart();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    const lead = text.length - trimmed.length;
    const location = { file: file.path, region: file.index.region(start + lead, start + text.length) };
    if (eq === -1) out.push({ key: trimmed.trim(), value: '', origin: { location } });
    else out.push({ key: trimmed.slice(0, eq), value: trimmed.slice(eq + 1), origin: { location } });
  }
  return out;
}

function seq(value: KValue | undefined): KValue[] {
  return value?.t === 'seq' ? value.items : [];
}

function generatorData(spec: KMap, io: GeneratorIo): Datum[] {
  const data: Datum[] = [];
  for (const literal of seq(get(spec, 'literals'))) {
    const text = str(literal) ?? '';
    const eq = text.indexOf('=');
    if (eq === -1) io.fail(`literal "${text.slice(0, 40)}" is not KEY=VALUE`, literal.origin);
    data.push({ key: text.slice(0, eq), value: unquote(text.slice(eq + 1)), origin: literal.origin });
  }
  const envs = [...seq(get(spec, 'envs')), ...(get(spec, 'env') ? [get(spec, 'env')!] : [])];
  for (const entry of envs) {
    const file = io.readRelative(str(entry) ?? '', entry.origin);
    pushAll(data, envFileData(file));
  }
  for (const entry of seq(get(spec, 'files'))) {
    const text = str(entry) ?? '';
    const eq = text.indexOf('=');
    const key = eq === -1 ? path.posix.basename(text) : text.slice(0, eq);
    const file = io.readRelative(eq === -1 ? text : text.slice(eq + 1), entry.origin);
    data.push({ key, value: file.text, origin: { location: fileStart(file) } });
  }
  return data;
}

function scalarEntry(key: string, value: string, origin: Origin): KEntry {
  return { key, keyOrigin: origin, value: { t: 'scalar', value, origin } };
}

function stringMapOf(value: KValue | undefined): KEntry[] {
  return value?.t === 'map' ? value.entries.map((e) => ({ ...e })) : [];
}

interface GeneratorDefaults {
  disableNameSuffixHash: boolean;
  labels: KEntry[];
  annotations: KEntry[];
}

export function generatorDefaults(options: KValue | undefined): GeneratorDefaults {
  return {
    disableNameSuffixHash: str(get(options, 'disableNameSuffixHash')) === 'true',
    labels: stringMapOf(get(options, 'labels')),
    annotations: stringMapOf(get(options, 'annotations')),
  };
}

/** Run one generator list against the accumulated resources (create, merge or replace). */
export function runGenerators(kind: 'ConfigMap' | 'Secret', specs: KValue | undefined, resources: Resource[], defaults: GeneratorDefaults, io: GeneratorIo): void {
  for (const spec of seq(specs)) {
    if (spec.t !== 'map') continue;
    const name = str(get(spec, 'name'));
    if (!name) io.fail(`a ${kind} generator needs a name`, spec.origin);
    const namespace = str(get(spec, 'namespace'));
    const behavior = str(get(spec, 'behavior')) ?? 'create';
    const options = get(spec, 'options');
    const disable = str(get(options, 'disableNameSuffixHash')) === 'true' || (defaults.disableNameSuffixHash && str(get(options, 'disableNameSuffixHash')) !== 'false');
    const data = generatorData(spec, io);
    const encode = (v: string) => (kind === 'Secret' ? Buffer.from(v, 'utf8').toString('base64') : v);
    const dataEntries = data.map((d) => scalarEntry(d.key, encode(d.value), d.origin));
    const origin = spec.origin;
    if (behavior === 'merge' || behavior === 'replace') {
      const existing = resources.find((r) => kindOf(r) === kind && (r.names.includes(name) || nameOf(r) === name) && (!namespace || r.namespaces.includes(namespace)));
      if (!existing) io.fail(`${kind} ${name} to ${behavior} is not among the resources`, origin);
      const current = get(existing.tree, 'data');
      const merged: KEntry[] = behavior === 'merge' && current?.t === 'map' ? current.entries.map((e) => ({ ...e })) : [];
      for (const e of dataEntries) {
        const at = merged.findIndex((m) => m.key === e.key);
        if (at >= 0) merged[at] = e;
        else merged.push(e);
      }
      const idx = existing.tree.entries.findIndex((e) => e.key === 'data');
      const dataMap: KMap = { t: 'map', entries: merged, origin };
      if (idx >= 0) existing.tree.entries[idx]!.value = dataMap;
      else existing.tree.entries.push({ key: 'data', keyOrigin: origin, value: dataMap });
      existing.needsHash = existing.needsHash || !disable;
      continue;
    }
    const labels = [...defaults.labels, ...stringMapOf(get(options, 'labels'))];
    const annotations = [...defaults.annotations, ...stringMapOf(get(options, 'annotations'))];
    const metadata: KEntry[] = [scalarEntry('name', name, get(spec, 'name')!.origin)];
    if (namespace) metadata.push(scalarEntry('namespace', namespace, get(spec, 'namespace')!.origin));
    if (labels.length) metadata.push({ key: 'labels', keyOrigin: origin, value: { t: 'map', entries: labels, origin } });
    if (annotations.length) metadata.push({ key: 'annotations', keyOrigin: origin, value: { t: 'map', entries: annotations, origin } });
    const entries: KEntry[] = [scalarEntry('apiVersion', 'v1', origin), scalarEntry('kind', kind, origin), { key: 'metadata', keyOrigin: origin, value: { t: 'map', entries: metadata, origin } }];
    if (kind === 'Secret') entries.push(scalarEntry('type', str(get(spec, 'type')) ?? 'Opaque', get(spec, 'type')?.origin ?? origin));
    if (dataEntries.length) entries.push({ key: 'data', keyOrigin: origin, value: { t: 'map', entries: dataEntries, origin } });
    const immutable = get(options, 'immutable');
    if (immutable && str(immutable) === 'true') entries.push({ key: 'immutable', keyOrigin: origin, value: { t: 'scalar', value: true, origin: immutable.origin } });
    const resource = newResource({ t: 'map', entries, origin });
    if (resources.some((r) => kindOf(r) === kind && nameOf(r) === name && (r.namespaces.at(-1) ?? '') === (namespace ?? ''))) {
      io.fail(`${kind} ${name} is generated twice (use behavior: merge)`, origin);
    }
    resource.needsHash = !disable;
    resources.push(resource);
  }
}

