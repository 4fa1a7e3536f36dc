/**
 * Compose top-level `include:` (https://docs.docker.com/reference/compose-file/include/), the
 * way compose-go's loader applies it: each entry is a path (short form) or a mapping with
 * `path` (a file, or a list: the first is the main file, the others override it),
 * `project_directory` and `env_file`. Paths are relative to the including file's project
 * directory; the included project's directory defaults to the folder of its main file and its
 * variables come from `env_file` (default: `.env` in that directory), the including project's
 * variables winning. Included services join the including project with their own file and lines.
 *
 * Everything is read through `context.readFile` (never outside the scanned folders), work is
 * bounded (depth, files per project), and what cannot be followed is a notice, never an error:
 * Compose would refuse such a project, but the rest of it is still worth checking.
 */
import path from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import type { Location } from '../../core/location.js';
import type { Notice } from '../../model/types.js';
import type { AdaptContext, ParseFailure, SourceFile } from '../types.js';
import { getEntry, nodeLocation, parseYaml, scalarText, seqItems, type YamlDocument } from '../yaml/index.js';
import { interpolate, parseDotEnv } from './interpolate.js';
import { mergeOverride } from './merge.js';
import { joinPath, readServices, type ComposeService } from './services.js';
import { pushAll } from '../../core/arrays.js';

/** compose-go has no depth limit but rejects cycles; 8 levels is far beyond real projects. */
const MAX_INCLUDE_DEPTH = 8;
/** Files one project may pull in through includes (diamonds count each time). */
const MAX_INCLUDED_FILES = 64;

interface IncludeEnv {
  context: AdaptContext;
  /** `extends` inside one file's services, resolved the way the including format does. */
  resolveExtends(services: ComposeService[]): ComposeService[];
  notices: Notice[];
  failures: ParseFailure[];
  /** Every file the includes of one project read (main files and `path:` overrides). */
  read: Set<string>;
}

interface IncludeEntry {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
  location: Location;
}

/** A compose file as the include loader needs it. */
interface ComposeDocument {
  file: SourceFile;
  doc: YamlDocument;
  servicesNode: Node | undefined;
  includeNode: Node | undefined;
}

/** Remote includes (git, OCI, URLs) are never fetched: the scan is offline. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|oci:)/i;

/**
 * The services that `include:` of one file brings into its project, each already merged with
 * its own includes, extends and `path:` overrides. `chain` holds the files being included
 * (cycle check); `budget` is shared by the whole project.
 */
export function includedServices(
  source: ComposeDocument,
  vars: Map<string, string>,
  projectDir: string,
  env: IncludeEnv,
  chain: readonly string[] = [source.file.path],
  budget = { files: MAX_INCLUDED_FILES },
): ComposeService[] {
  if (!source.includeNode) return [];
  const note = (message: string) => env.notices.push({ file: source.file.path, level: 'note', message });
  const out: ComposeService[] = [];
  for (const entry of readEntries(source, vars, note)) {
    const [main, ...overrides] = entry.paths;
    if (main === undefined) continue;
    const where = `include at line ${entry.location.region.startLine}`;
    const skip = [main, ...overrides].find((p) => REMOTE.test(p) || path.posix.isAbsolute(p));
    if (skip !== undefined) {
      note(`${where}: "${skip}" is ${REMOTE.test(skip) ? 'a remote include' : 'an absolute path'}; portwall reads only files inside the scanned folders, so its services are not checked`);
      continue;
    }
    const mainPath = joinPath(projectDir, main);
    if (chain.includes(mainPath)) {
      note(`${where}: include cycle (${[...chain, mainPath].join(' -> ')}); Compose rejects it, the cycle is not followed`);
      continue;
    }
    if (chain.length > MAX_INCLUDE_DEPTH) {
      note(`${where}: includes nested deeper than ${MAX_INCLUDE_DEPTH} levels are not followed (${mainPath})`);
      continue;
    }
    const includedDir = entry.projectDirectory !== undefined ? joinPath(projectDir, entry.projectDirectory) : path.posix.dirname(mainPath);
    const includedVars = includeVars(entry, projectDir, includedDir, vars, env.context, (m) => note(`${where}: ${m}`));
    let services: ComposeService[] | undefined;
    for (const [i, relative] of [main, ...overrides].entries()) {
      const filePath = joinPath(projectDir, relative);
      if (--budget.files < 0) {
        note(`${where}: more than ${MAX_INCLUDED_FILES} included files in one project; ${filePath} and later ones are not read`);
        break;
      }
      const loaded = loadComposeDocument(filePath, env);
      if (!loaded) {
        note(`${where}: ${filePath} was not found inside the scanned folders; its services are not checked`);
        if (i === 0) break;
        continue;
      }
      if (loaded === 'broken') {
        if (i === 0) break;
        continue;
      }
      // Nested includes are relative to the included project's directory, as in compose-go.
      const nested = i === 0 ? includedServices(loaded, includedVars, includedDir, env, [...chain, filePath], budget) : [];
      const own = env.resolveExtends(readServices(loaded.file, loaded.doc, includedVars, env.context, loaded.servicesNode, includedDir));
      const fileServices = combine(own, nested, loaded.file.path, env.notices);
      services = services ? mergeOverride(services, fileServices) : fileServices;
    }
    if (services) pushAll(out, services);
  }
  return out;
}

/**
 * A project's services: its own first, then included ones. Compose rejects a project where an
 * included service differs from one of the same name; portwall keeps the first and says so.
 */
export function combine(own: ComposeService[], included: ComposeService[], filePath: string, notices: Notice[]): ComposeService[] {
  const result = [...own];
  for (const service of included) {
    const existing = result.find((s) => s.name === service.name);
    if (!existing) {
      result.push(service);
    } else if (existing.file.path !== service.file.path || existing.location.region.startOffset !== service.location.region.startOffset) {
      notices.push({
        file: filePath,
        level: 'note',
        message: `service '${service.name}' of ${service.file.path} conflicts with the one of ${existing.file.path} (Compose rejects the project); the first is checked`,
      });
    }
  }
  return result;
}

function readEntries(source: ComposeDocument, vars: Map<string, string>, note: (message: string) => void): IncludeEntry[] {
  const { file, doc, includeNode } = source;
  if (!isSeq(includeNode)) {
    note('`include` must be a list; it is not followed');
    return [];
  }
  const text = (node: unknown, what: string): string | undefined => {
    const raw = scalarText(node, file);
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = interpolate(raw, vars);
    if (value.value !== undefined) return value.value;
    note(`${what} "${raw}" uses ${value.unresolved.join(', ')}, which is not set; it is not followed`);
    return undefined;
  };
  const list = (node: unknown, what: string): string[] =>
    (isSeq(node) ? seqItems(node, doc) : [node]).map((n) => text(n, what)).filter((p): p is string => p !== undefined);
  const entries: IncludeEntry[] = [];
  for (const item of seqItems(includeNode, doc)) {
    const location = nodeLocation(file, item);
    if (!isMap(item)) {
      const p = text(item, 'include path');
      if (p !== undefined) entries.push({ paths: [p], location });
      continue;
    }
    const paths = list(getEntry(item, 'path', doc)?.value, 'include path');
    const projectDirectory = text(getEntry(item, 'project_directory', doc)?.value, 'project_directory');
    const envFileNode = getEntry(item, 'env_file', doc)?.value;
    const envFiles = envFileNode === undefined ? undefined : list(envFileNode, 'env_file');
    entries.push({ paths, location, ...(projectDirectory !== undefined ? { projectDirectory } : {}), ...(envFiles ? { envFiles } : {}) });
  }
  return entries;
}

/** The included project's variables: its env files as defaults, the including project's on top. */
function includeVars(entry: IncludeEntry, projectDir: string, includedDir: string, parent: Map<string, string>, context: AdaptContext, note: (m: string) => void): Map<string, string> {
  const vars = new Map<string, string>();
  const files = entry.envFiles ? entry.envFiles.map((f) => joinPath(projectDir, f)) : [joinPath(includedDir, '.env')];
  for (const filePath of files) {
    const envFile = context.readFile(filePath);
    if (!envFile) {
      if (entry.envFiles) note(`env_file ${filePath} was not found inside the scanned folders`);
      continue;
    }
    for (const e of parseDotEnv(envFile)) vars.set(e.name, e.value);
  }
  for (const [name, value] of parent) vars.set(name, value);
  return vars;
}

/**
 * An included file, parsed once per scan (the YAML cache lives on the SourceFile). A broken
 * file is a PW000 of its own, unless the scan found it too: the engine reports that one.
 */
function loadComposeDocument(filePath: string, env: IncludeEnv): ComposeDocument | 'broken' | undefined {
  const file = env.context.readFile(filePath);
  if (!file) return undefined;
  env.read.add(file.path);
  const { documents, failure } = parseYaml(file);
  if (failure) {
    if (!env.context.allFiles.includes(file.path)) env.failures.push(failure);
    return 'broken';
  }
  const doc = documents[0];
  if (!doc || !isMap(doc.contents)) return 'broken';
  return composeDocument(file, doc);
}

export function composeDocument(file: SourceFile, doc: YamlDocument): ComposeDocument {
  const services = getEntry(doc.contents, 'services', doc)?.value;
  const include = getEntry(doc.contents, 'include', doc);
  return { file, doc, servicesNode: isMap(services) ? services : undefined, includeNode: include?.value };
}

/**
 * The scanned compose files to check as projects of their own, in a stable order. A file that a
 * checked project includes is checked there, with that project's variables and overrides, and
 * not again on its own. Files that include each other (Compose rejects the cycle) keep the
 * first by path, so a cycle is never dropped entirely.
 */
export function projectRoots(roots: string[], includedBy: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const sorted = [...roots].sort();
  const includedByOther = (root: string, among: Iterable<string>) => [...among].some((other) => other !== root && includedBy.get(other)?.has(root));
  const kept = sorted.filter((root) => !includedByOther(root, sorted));
  for (const root of sorted) {
    if (!kept.includes(root) && !includedByOther(root, kept)) kept.push(root);
  }
  return kept;
}
