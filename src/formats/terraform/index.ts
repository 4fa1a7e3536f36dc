/**
 * The Terraform format: .tf (HCL via tree-sitter), .tf.json, .tfvars(.json) and plan JSON
 * (`terraform show -json`). Files of one directory form a module and are evaluated
 * together; the engine must `await initTerraform()` once before parsing Terraform files.
 */
import type { Location } from '../../core/location.js';
import type { Exposure, ManagedDatastore, Notice } from '../../model/types.js';
import type { AdaptContext, AdaptResult, Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import type { Body } from './ast.js';
import { emptyBody } from './ast.js';
import { adaptInstances } from './adapters/index.js';
import { HclSyntaxBuilder, NestingError } from './hcl-syntax.js';
import type { JsonNode } from './json-located.js';
import { parseJsonLocated } from './json-located.js';
import { folderOf } from '../../core/paths.js';
import { isAutoLoadedTfvars } from './module-config.js';
import { ModuleTree, type ModuleFiles, type ParseTerraform } from './module-tree.js';
import { terraformGroups } from './groups.js';
import { detectTerraform, fileKind, isUnnamedStdin, looksLikePlan, TERRAFORM } from './detect.js';
import { isPlanDocument, planInstances } from './plan.js';
import { tfJsonToBody } from './tf-json.js';
import { parseHcl } from './tree-sitter.js';
import type { FileRef } from './values.js';
import { pushAll } from '../../core/arrays.js';

export { initTerraform } from './tree-sitter.js';

type TerraformParsed =
  /** .tf or .tf.json: blocks and attributes of a module. */
  | { kind: 'config'; body: Body }
  /** .tfvars or .tfvars.json: variable values only. */
  | { kind: 'tfvars'; body: Body }
  | { kind: 'plan'; root: JsonNode };

/** Larger files are reported, not parsed: no real configuration is this big, and parsing must stay fast. */
const MAX_FILE_CHARS = 8_000_000;

function failure(file: SourceFile, message: string, start: number, end = start): { failure: ParseFailure } {
  // A missing token has no width: show the character where it was expected (or the last one).
  if (end <= start) {
    if (start >= file.text.length) {
      start = file.text.length;
      while (start > 0 && /\s/.test(file.text[start - 1]!)) start--;
      start = Math.max(0, start - 1);
    }
    end = Math.min(file.text.length, start + 1);
  }
  const location: Location = { file: file.path, region: file.index.region(start, end) };
  return { failure: { file: file.path, message, location } };
}

function parseFile(file: SourceFile): { parsed: TerraformParsed } | { failure: ParseFailure } | null {
  const kind = fileKind(file.path, file.text);
  if (!kind) return null;
  if (file.text.length > MAX_FILE_CHARS) return failure(file, `the file is too large to parse (${file.text.length} characters; the limit is ${MAX_FILE_CHARS})`, 0);
  if (kind === 'hcl' || kind === 'tfvars') {
    const result = parseHcl(file.text);
    if ('error' in result) return failure(file, result.error.message, result.error.start, result.error.end);
    const root = new HclSyntaxBuilder(file.text).configFile(result.root);
    if (!('attributes' in root)) {
      // HCL also parses a bare JSON-like object; only tfvars may be written like that.
      if (kind === 'hcl') return failure(file, 'expected blocks and attributes, found an object', root.objectRoot.start, root.objectRoot.end);
      return { parsed: { kind: 'tfvars', body: objectRootBody(file, root.objectRoot.start, root.objectRoot.end) } };
    }
    return { parsed: { kind: kind === 'hcl' ? 'config' : 'tfvars', body: root } };
  }
  if (kind === 'plan' && !looksLikePlan(file.text)) return null;
  const json = parseJsonLocated(file.text);
  if ('error' in json) return failure(file, `invalid JSON: ${json.error.message}`, json.error.offset, Math.min(file.text.length, json.error.offset + 1));
  const root = json.node;
  if (kind === 'plan') return isPlanDocument(root) ? { parsed: { kind: 'plan', root } } : null;
  if (root.kind !== 'object') return failure(file, 'expected a JSON object at the top level', root.start, root.end);
  if (kind === 'tf-json') return { parsed: { kind: 'config', body: tfJsonToBody(file.text, root) } };
  const body = emptyBody(root.start, root.end);
  for (const entry of root.entries) {
    body.attributes.push({ name: entry.key, expr: { type: 'json', node: entry.value, start: entry.value.start, end: entry.value.end }, start: entry.keyStart, end: entry.value.end });
  }
  return { parsed: { kind: 'tfvars', body } };
}

/** tfvars written as `{ a = 1 }`: re-read as JSON when possible, otherwise contribute nothing. */
function objectRootBody(file: SourceFile, start: number, end: number): Body {
  const json = parseJsonLocated(file.text, start, end);
  const body = emptyBody(start, end);
  if ('node' in json && json.node.kind === 'object') {
    for (const entry of json.node.entries) {
      body.attributes.push({ name: entry.key, expr: { type: 'json', node: entry.value, start: entry.value.start, end: entry.value.end }, start: entry.keyStart, end: entry.value.end });
    }
  }
  return body;
}

function fileRef(file: SourceFile): FileRef {
  return { path: file.path, index: file.index };
}

function adaptTerraform(files: { file: SourceFile; parsed: TerraformParsed }[], context: AdaptContext): AdaptResult {
  const exposures: Exposure[] = [];
  const managedDatastores: ManagedDatastore[] = [];
  const notices: Notice[] = [];
  const failures: ParseFailure[] = [];
  const units: UnitResult[] = [];
  const modules = new Map<string, ModuleFiles>();
  const moduleOf = (dir: string): ModuleFiles => {
    let m = modules.get(dir);
    if (!m) modules.set(dir, (m = { configs: [], tfvars: [], paths: new Set() }));
    return m;
  };

  for (const { file, parsed } of files) {
    try {
      if (parsed.kind === 'plan') {
        const out = adaptInstances(planInstances(parsed.root, fileRef(file)));
        pushAll(exposures, out.exposures);
        pushAll(managedDatastores, out.managedDatastores);
        pushAll(notices, out.notices);
      } else {
        // Unnamed standard input is a module of its own: it is not in the scan root's
        // directory, so that directory's .tf and tfvars files must not merge into it.
        const m = moduleOf(isUnnamedStdin(file.path) ? file.path : folderOf(file.path));
        m.paths.add(file.path);
        if (parsed.kind === 'config') m.configs.push({ file: fileRef(file), body: parsed.body });
        else if (isAutoLoadedTfvars(file.path)) m.tfvars.push({ file: fileRef(file), body: parsed.body });
      }
    } catch (error) {
      notices.push(internalError(file.path, error));
    }
  }

  // tfvars Terraform would load but the scan did not hand us (excluded by a pattern, say), by directory.
  const autoTfvars = autoTfvarsByDirectory(context.allFiles);
  for (const [dir, m] of modules) {
    if (m.configs.length === 0) continue;
    for (const path of autoTfvars.get(dir) ?? []) {
      if (m.paths.has(path)) continue;
      const extra = context.readFile(path);
      // Through the format's parse: a tfvars nested too deeply is that file's PW000, not an internal error.
      const parsed = extra ? terraformFormat.parse(extra) : null;
      if (extra && parsed && 'parsed' in parsed && parsed.parsed.kind === 'tfvars') {
        m.tfvars.push({ file: fileRef(extra), body: parsed.parsed.body });
        m.paths.add(path);
      } else if (parsed && 'failure' in parsed) failures.push(parsed.failure);
    }
  }

  const tree = new ModuleTree(modules, context, parseForTree, failures);
  // Root modules: folders no other folder of the scan calls; a module nobody calls is its own root.
  const called = tree.calledDirectories();
  const roots = [...modules.keys()].filter((dir) => modules.get(dir)!.configs.length > 0 && !called.has(dir)).sort();
  const reached = new Set<string>();
  const evaluate = (dir: string) => {
    try {
      const out = tree.evaluateRoot(dir);
      for (const f of out.files) reached.add(folderOf(f));
      const name = isUnnamedStdin(dir) ? dir : dir || '.';
      units.push({
        id: `terraform:${name}`,
        name: `Terraform root module ${name}`,
        kind: 'terraform',
        files: [...out.files].sort(),
        model: { exposures: out.exposures, managedDatastores: out.managedDatastores },
        notices: out.notices,
      });
    } catch (error) {
      notices.push(internalError(dir || '.', error));
    }
  };
  for (const dir of roots) evaluate(dir);
  // Called folders that no root reached (a call with count = 0, a cycle of folders): judged as their own roots.
  for (const dir of [...modules.keys()].sort()) {
    if (modules.get(dir)!.configs.length > 0 && !roots.includes(dir) && !reached.has(dir)) evaluate(dir);
  }
  return { model: { exposures, managedDatastores }, failures, notices, units };
}

const autoTfvarsOf = new WeakMap<readonly string[], Map<string, string[]>>();

/** The auto-loaded tfvars among a scan's files, by directory: worked out once per scan, not per group. */
function autoTfvarsByDirectory(allFiles: readonly string[]): Map<string, string[]> {
  const known = autoTfvarsOf.get(allFiles);
  if (known) return known;
  const byDir = new Map<string, string[]>();
  for (const path of allFiles) {
    if (!isAutoLoadedTfvars(path)) continue;
    const dir = folderOf(path);
    const list = byDir.get(dir);
    if (list) list.push(path);
    else byDir.set(dir, [path]);
  }
  autoTfvarsOf.set(allFiles, byDir);
  return byDir;
}

const FAILURE_CACHE_KEY = 'terraform:failure';

function parseOnce(file: SourceFile): ReturnType<typeof parseFile> {
  try {
    return parseFile(file);
  } catch (error) {
    if (error instanceof NestingError) return failure(file, `the file is nested too deeply to read (${error.message})`, error.offset);
    const out = failure(file, `internal error while parsing: ${error instanceof Error ? error.message : String(error)}`, 0);
    return { failure: { ...out.failure, kind: 'internal' } };
  }
}

function parseForTree(file: SourceFile): ReturnType<ParseTerraform> {
  const parsed = terraformFormat.parse(file);
  if (!parsed) return undefined;
  if ('failure' in parsed) return parsed;
  return parsed.parsed.kind === 'plan' ? undefined : { kind: parsed.parsed.kind, body: parsed.parsed.body };
}

function internalError(file: string, error: unknown, what?: string): Notice {
  const message = error instanceof Error ? error.message : String(error);
  return { file, level: 'warning', kind: 'internal', message: `${what ?? 'Terraform module'} could not be checked (internal error: ${message})` };
}

export const terraformFormat: Format<TerraformParsed> = {
  ...TERRAFORM,
  detect: detectTerraform,
  parse(file) {
    // A file that failed once fails again: the module tree and the auto-loaded tfvars read
    // files the scan already parsed, and a hostile file must not cost its parse twice.
    const known = file.cache.get(FAILURE_CACHE_KEY) as { failure: ParseFailure } | undefined;
    if (known) return known;
    const outcome = parseOnce(file);
    if (outcome && 'failure' in outcome) file.cache.set(FAILURE_CACHE_KEY, outcome);
    return outcome;
  },
  groupFiles: terraformGroups,
  adapt(files, context) {
    try {
      return adaptTerraform(files, context);
    } catch (error) {
      return {
        model: {},
        notices: [{ file: files[0]?.file.path ?? '.', level: 'warning', kind: 'internal', message: `Terraform files could not be checked (internal error: ${error instanceof Error ? error.message : String(error)})` }],
      };
    }
  },
};
