/**
 * docker-compose: detect (a YAML mapping with `services`, whatever the file is called),
 * parse (shared YAML), adapt (services -> workloads, published ports -> exposures),
 * with override files merged the way Compose merges them.
 */
import path from 'node:path';
import { isMap, type Node } from 'yaml';
import type { AdaptContext, Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import type { Notice } from '../../model/types.js';
import { combine, composeDocument, includedServices, projectRoots } from './include.js';
import { getEntry, isYamlFileName, mapEntries, parseYaml, type YamlDocument } from '../yaml/index.js';
import { joinPath, loadProjectVars, readServices, type ComposeService } from './services.js';
import { extendService, mergeOverride } from './merge.js';
import { serviceToModel } from './adapt.js';
import type { Model } from '../../model/types.js';
import { pushAll } from '../../core/arrays.js';

interface ComposeParsed {
  doc: YamlDocument;
  /** undefined for a file that only includes others. */
  servicesNode: Node | undefined;
}

const COMPOSE_NAME = /(^|\/)(docker-)?compose(\.[\w.-]+)?\.ya?ml$/i;
const OVERRIDE_NAME = /^(.*)\.override\.ya?ml$/i;

function looksLikeCompose(file: SourceFile): boolean {
  if (!isYamlFileName(file.path) && !file.path.startsWith('<stdin>')) return false;
  return /^services\s*:/m.test(file.text) || COMPOSE_NAME.test(file.path);
}

export const composeFormat: Format<ComposeParsed> = {
  id: 'compose',
  name: 'docker-compose',
  detect: looksLikeCompose,
  parse(file) {
    const { documents, failure } = parseYaml(file);
    const byName = COMPOSE_NAME.test(file.path);
    if (failure) {
      // Only claim a broken file when it really looks like compose; others are offered on.
      return byName || /^services\s*:/m.test(file.text) ? { failure } : null;
    }
    const doc = documents[0];
    if (!doc || !isMap(doc.contents)) return null;
    const services = getEntry(doc.contents, 'services', doc);
    if (services && isMap(services.value)) return { parsed: { doc, servicesNode: services.value } };
    // Compose file format v1: services at the top level (only trusted by file name).
    if (byName && !services && mapEntries(doc.contents, doc).some((e) => isMap(e.value) && (getEntry(e.value, 'image', doc) || getEntry(e.value, 'build', doc)))) {
      return { parsed: { doc, servicesNode: doc.contents as Node } };
    }
    if (byName && services && services.value === undefined) return { parsed: { doc, servicesNode: services.keyNode } };
    // A compose.yaml that only includes other files (by name only: GitLab CI has `include:` too).
    if (byName && !services && getEntry(doc.contents, 'include', doc)) return { parsed: { doc, servicesNode: undefined } };
    return null;
  },
  adapt(files, context) {
    const perFile = new Map<string, ComposeService[]>();
    const varsOf = new Map<string, Map<string, string>>();
    for (const { file, parsed } of files) {
      const vars = loadProjectVars(file, context);
      varsOf.set(file.path, vars);
      perFile.set(file.path, readServices(file, parsed.doc, vars, context, parsed.servicesNode));
    }
    const resolver = extendsResolver(perFile, context);
    for (const [filePath, services] of perFile) perFile.set(filePath, services.map((s) => resolver(s, services, 0)));
    // Includes join after extends: a service's `extends` without `file` names a service of its own file.
    const notices: Notice[] = [];
    const failures: ParseFailure[] = [];
    const resolveExtends = (services: ComposeService[]) => services.map((s) => resolver(s, services, 0));
    const includedBy = new Map<string, Set<string>>();
    for (const { file, parsed } of files) {
      const source = composeDocument(file, parsed.doc);
      if (!source.includeNode) continue;
      const read = new Set<string>();
      const included = includedServices(source, varsOf.get(file.path)!, path.posix.dirname(file.path), { context, notices, failures, resolveExtends, read });
      includedBy.set(file.path, read);
      perFile.set(file.path, combine(perFile.get(file.path)!, included, file.path, notices));
    }
    // Overrides: x.override.yml merges into x.yml / x.yaml in the same folder.
    const merged = new Map(perFile);
    const overridesOf = new Map<string, string[]>();
    for (const filePath of [...perFile.keys()].sort()) {
      const base = baseOf(filePath, perFile);
      if (!base) continue;
      overridesOf.set(base, [...(overridesOf.get(base) ?? []), filePath]);
      merged.set(base, mergeOverride(merged.get(base)!, perFile.get(filePath)!));
      merged.delete(filePath);
      const read = includedBy.get(filePath);
      if (read) includedBy.set(base, new Set([...(includedBy.get(base) ?? []), ...read]));
    }
    // Each project (a root file with its overrides, includes and .env) is a deployment unit. A
    // service of a file two projects include is in both; the engine reports its findings once,
    // naming both projects. Failures are per file: reported once.
    const units: UnitResult[] = [];
    const failed = new Set<string>();
    for (const root of projectRoots([...merged.keys()], includedBy)) {
      const model: Partial<Model> = { workloads: [], exposures: [] };
      const files = new Set([root, ...(overridesOf.get(root) ?? []), ...(includedBy.get(root) ?? [])]);
      for (const service of merged.get(root)!) {
        const part = serviceToModel(service, context.policy);
        model.workloads!.push(part.workload);
        pushAll(model.exposures!, part.exposures);
        files.add(service.file.path);
        for (const f of part.failures) {
          const key = `${f.file}\u0000${f.location?.region.startOffset}\u0000${f.message}`;
          if (!failed.has(key)) failures.push(f);
          failed.add(key);
        }
      }
      const dir = path.posix.dirname(root);
      const env = dir === '.' ? '.env' : `${dir}/.env`;
      if (context.readFile(env)) files.add(env);
      units.push({ id: `compose:${root}`, name: `compose project ${root}`, kind: 'compose', files: [...files].sort(), model });
    }
    return { model: {}, failures, units, ...(notices.length > 0 ? { notices } : {}) };
  },
};

/** Files that `extends: {file}` may name and the scan did not claim (a common.yml without `services`). */
function loadServicesOf(filePath: string, context: AdaptContext): ComposeService[] | undefined {
  const file = context.readFile(filePath);
  if (!file) return undefined;
  const { documents, failure } = parseYaml(file);
  const doc = documents[0];
  if (failure || !doc || !isMap(doc.contents)) return undefined;
  const services = getEntry(doc.contents, 'services', doc);
  if (!services || !isMap(services.value)) return undefined;
  return readServices(file, doc, loadProjectVars(file, context), context, services.value);
}

const MAX_EXTENDS_DEPTH = 8;

/** Resolves `extends` chains (same file or another file), with a depth limit against cycles. */
function extendsResolver(perFile: Map<string, ComposeService[]>, context: AdaptContext) {
  const loaded = new Map<string, ComposeService[] | undefined>();
  const servicesOf = (filePath: string) => {
    if (perFile.has(filePath)) return perFile.get(filePath);
    if (!loaded.has(filePath)) loaded.set(filePath, loadServicesOf(filePath, context));
    return loaded.get(filePath);
  };
  const resolve = (service: ComposeService, siblings: ComposeService[], depth: number): ComposeService => {
    const ext = service.extends;
    if (!ext || depth >= MAX_EXTENDS_DEPTH) return service;
    const baseFile = ext.file ? joinPath(service.projectDir, ext.file) : undefined;
    const pool = baseFile ? servicesOf(baseFile) : siblings;
    const base = pool?.find((s) => s.name === ext.service && s !== service);
    // An unknown base keeps the service's own values: nothing is invented.
    if (!base || !pool) return service;
    return extendService(resolve(base, pool, depth + 1), service);
  };
  return resolve;
}

function baseOf(filePath: string, files: Map<string, unknown>): string | undefined {
  const dir = path.posix.dirname(filePath);
  const name = path.posix.basename(filePath);
  const m = OVERRIDE_NAME.exec(name);
  if (!m) return undefined;
  for (const ext of ['yml', 'yaml']) {
    const candidate = dir === '.' ? `${m[1]}.${ext}` : `${dir}/${m[1]}.${ext}`;
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}
