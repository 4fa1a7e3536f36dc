/**
 * Terraform deployment units: a root module evaluated with its tree of called modules.
 * A call's arguments become the child's input variables, its outputs become the caller's
 * `module.NAME.OUTPUT` values, count/for_each on the call make one child per instance.
 * Local sources (`./`, `../`) are read at any depth (cycle guard, depth limit); registry
 * and git sources are read from `.terraform/modules` when `terraform init` left a
 * modules.json. A value that reached a resource through a call argument is reported at the
 * call site (the argument), with the resource inside the module as a related location;
 * nothing ever points into `.terraform`.
 */
import type { Hop, Location } from '../../core/location.js';
import type { Exposure, ManagedDatastore, Notice, SourceValue } from '../../model/types.js';
import { unknownPorts } from '../../model/ports.js';
import type { AdaptContext, ParseFailure, SourceFile } from '../types.js';
import type { Body } from './ast.js';
import { adaptInstances, ADAPTED_TYPES, isTableModule } from './adapters/index.js';
import { Evaluator } from './evaluator.js';
import type { ResourceInstance } from './instances.js';
import { expandDeclaration } from './instances.js';
import type { ConfigFile, Declaration } from './module-config.js';
import { buildModuleConfig, isAutoLoadedTfvars } from './module-config.js';
import { parseJsonLocated } from './json-located.js';
import { isLocalSource, joinPath } from './paths.js';
import type { FileRef, TfValue, TrailHop } from './values.js';
import { asString, attr, list, object, region, unknown } from './values.js';
import { pushAll } from '../../core/arrays.js';

/** Deeper module trees are not followed (a PW010 at the call says so). */
export const MAX_MODULE_DEPTH = 12;
const CALL_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

export interface ModuleFiles {
  configs: ConfigFile[];
  tfvars: ConfigFile[];
  paths: Set<string>;
}

export type ParseTerraform = (file: SourceFile) => { kind: 'config' | 'tfvars'; body: Body } | { failure: ParseFailure } | undefined;

interface UnitOutput {
  exposures: Exposure[];
  managedDatastores: ManagedDatastore[];
  notices: Notice[];
  /** Every file the unit read (its modules' files and the root's tfvars). */
  files: Set<string>;
}

interface CallSite {
  address: string;
  header: Location;
}

interface Run {
  dir: string;
  /** "" for the root, else "module.a", "module.a[0].module.b". */
  label: string;
  depth: number;
  /** Directories of the modules above, for the cycle guard. */
  stack: string[];
  /** Calls from the root down to this module, outermost first. */
  calls: CallSite[];
  /** Call names from the root, for modules.json keys ("a.b"). */
  keyPath: string[];
  inputs?: Map<string, TfValue>;
}

function inDotTerraform(file: string): boolean {
  return file === '.terraform' || file.startsWith('.terraform/') || file.includes('/.terraform/');
}

/** The literal `source` of a module block, when it is one. */
function literalSource(block: { body: Body }, file: FileRef): string | undefined {
  const a = block.body.attributes.find((x) => x.name === 'source');
  if (!a) return undefined;
  const value = new Evaluator(buildModuleConfig('', [], [])).evaluate(a.expr, { file: a.file ?? file, bindings: new Map() });
  return value.kind === 'string' ? value.value : undefined;
}

export class ModuleTree {
  private readonly loaded = new Map<string, ModuleFiles | null>();
  private readonly modulesJson = new Map<string, Map<string, string> | null>();

  constructor(
    private readonly scanned: ReadonlyMap<string, ModuleFiles>,
    private readonly context: AdaptContext,
    private readonly parse: ParseTerraform,
    private readonly failures: ParseFailure[],
  ) {}

  /** Directories of the scan that another directory of the scan calls by a local source. */
  calledDirectories(): Set<string> {
    const called = new Set<string>();
    for (const [dir, m] of this.scanned) {
      for (const { file, body } of m.configs) {
        for (const block of body.blocks) {
          if (block.type !== 'module') continue;
          const source = literalSource(block, file);
          if (!source || !isLocalSource(source)) continue;
          const target = joinPath(dir, source.replace(/\/+$/, ''));
          if (target !== undefined && target !== dir) called.add(target);
        }
      }
    }
    return called;
  }

  /** A module directory: from the scan, else read through the engine (a module outside the named files, .terraform/modules). */
  load(dir: string): ModuleFiles | undefined {
    const scanned = this.scanned.get(dir);
    if (scanned && scanned.configs.length > 0) return scanned;
    if (this.loaded.has(dir)) return this.loaded.get(dir) ?? undefined;
    const names = this.context.listDirectory?.(dir) ?? [];
    const m: ModuleFiles = { configs: [], tfvars: [], paths: new Set() };
    for (const name of names) {
      if (!/\.tf(\.json)?$/.test(name) && !isAutoLoadedTfvars(name)) continue;
      const path = dir ? `${dir}/${name}` : name;
      const file = this.context.readFile(path);
      if (!file) continue;
      const parsed = this.parse(file);
      if (!parsed) continue;
      if ('failure' in parsed) {
        this.failures.push(parsed.failure);
        continue;
      }
      m.paths.add(path);
      const ref = { path: file.path, index: file.index };
      if (parsed.kind === 'config') m.configs.push({ file: ref, body: parsed.body });
      else m.tfvars.push({ file: ref, body: parsed.body });
    }
    const result = m.configs.length > 0 ? m : null;
    this.loaded.set(dir, result);
    return result ?? undefined;
  }

  /** `.terraform/modules/modules.json` of a root module: call key ("a.b") -> module directory. */
  private installed(rootDir: string): Map<string, string> | undefined {
    if (this.modulesJson.has(rootDir)) return this.modulesJson.get(rootDir) ?? undefined;
    const path = rootDir ? `${rootDir}/.terraform/modules/modules.json` : '.terraform/modules/modules.json';
    const file = this.context.readFile(path);
    let result: Map<string, string> | null = null;
    if (file) {
      const json = parseJsonLocated(file.text);
      if ('node' in json && json.node.kind === 'object') {
        result = new Map();
        const modules = json.node.entries.find((e) => e.key === 'Modules')?.value;
        for (const item of modules?.kind === 'array' ? modules.items : []) {
          if (item.kind !== 'object') continue;
          const field = (name: string) => {
            const v = item.entries.find((e) => e.key === name)?.value;
            return v?.kind === 'string' ? v.value : undefined;
          };
          const key = field('Key');
          const dir = field('Dir');
          if (key && dir !== undefined) {
            const target = joinPath(rootDir, dir.replace(/\/+$/, ''));
            if (target !== undefined) result.set(key, target);
          }
        }
      }
    }
    this.modulesJson.set(rootDir, result);
    return result ?? undefined;
  }

  evaluateRoot(dir: string): UnitOutput {
    const out: UnitOutput = { exposures: [], managedDatastores: [], notices: [], files: new Set() };
    this.run({ dir, label: '', depth: 0, stack: [], calls: [], keyPath: [] }, dir, out);
    return out;
  }

  /** Evaluates one module of the tree; returns its outputs as an object value. */
  private run(run: Run, rootDir: string, out: UnitOutput): TfValue {
    const files = this.load(run.dir)!;
    for (const p of files.paths) out.files.add(p);
    for (const c of files.configs) out.files.add(c.file.path);
    const isRoot = run.depth === 0;
    if (isRoot) for (const t of files.tfvars) out.files.add(t.file.path);
    const config = buildModuleConfig(run.dir, files.configs, isRoot ? files.tfvars : []);
    const calls = new Map<string, { value: TfValue; instances: ResourceInstance[] }>();
    const inProgress = new Set<string>();
    const moduleValue = (name: string, label: string, loc: Location): TfValue => {
      const done = calls.get(name);
      if (done) return done.value;
      if (inProgress.has(name)) return unknown(`${label} depends on itself`, label, loc, true);
      const decl = config.declarations.find((d) => d.mode === 'module' && d.name === name);
      if (!decl) return unknown(`module "${name}" is not declared in this module`, label, loc, true);
      return call(decl).value;
    };
    const evaluator = new Evaluator(
      config,
      (path) => {
        const read = this.context.readFile(path);
        return read ? { text: read.text, file: { path: read.path, index: read.index } } : undefined;
      },
      { ...(run.label ? { label: run.label } : {}), ...(run.inputs ? { inputs: run.inputs } : {}), moduleValue },
    );
    const call = (decl: Declaration): { value: TfValue; instances: ResourceInstance[] } => {
      const cached = calls.get(decl.name);
      if (cached) return cached;
      inProgress.add(decl.name);
      try {
        const result = this.call(decl, evaluator, run, rootDir, out);
        calls.set(decl.name, result);
        return result;
      } finally {
        inProgress.delete(decl.name);
      }
    };

    const instances: ResourceInstance[] = [];
    for (const decl of config.declarations) {
      if (decl.mode === 'data') continue;
      if (decl.mode === 'module') {
        try {
          pushAll(instances, call(decl).instances);
        } catch (error) {
          out.notices.push(internalError(decl.file.path, error, `module.${decl.name}`));
        }
        continue;
      }
      if (!ADAPTED_TYPES.has(decl.type)) continue;
      try {
        pushAll(instances, expandDeclaration(decl, evaluator));
      } catch (error) {
        out.notices.push(internalError(decl.file.path, error, `${decl.type}.${decl.name}`));
      }
    }
    const prefix = run.label ? `${run.label}.` : '';
    for (const i of instances) if (prefix && !i.address.startsWith(prefix)) i.address = prefix + i.address;
    const adapted = adaptInstances(instances);
    pushAll(out.notices, adapted.notices);
    if (run.calls.length === 0) {
      pushAll(out.exposures, adapted.exposures);
      pushAll(out.managedDatastores, adapted.managedDatastores);
    } else {
      pushAll(out.exposures, adapted.exposures.map((e) => promoteExposure(e, run.calls)));
      pushAll(out.managedDatastores, adapted.managedDatastores.map((d) => promoteDatastore(d, run.calls)));
    }

    const outputs = new Map<string, TfValue>();
    for (const [name, o] of config.outputs) {
      try {
        outputs.set(name, evaluator.evaluate(o.expr, { file: o.file, bindings: new Map() }));
      } catch (error) {
        out.notices.push(internalError(o.file.path, error, `output "${name}"`));
      }
    }
    return object(outputs, run.calls.at(-1)?.header ?? region(files.configs[0]!.file, 0, 0));
  }

  /**
   * A module call: its instances (with evaluated arguments, for the modules read by a table of
   * inputs) and its value for `module.NAME` references.
   */
  private call(decl: Declaration, evaluator: Evaluator, run: Run, rootDir: string, out: UnitOutput): { value: TfValue; instances: ResourceInstance[] } {
    const header = region(decl.file, decl.block.start, decl.block.headerEnd);
    const label = `${run.label ? `${run.label}.` : ''}module.${decl.name}`;
    const instances = expandDeclaration(decl, evaluator);
    const source = literalSource(decl.block, decl.file) ?? asString(attr(instances[0]?.value, 'source'));
    for (const i of instances) identifyVendoredModule(i, run.dir, this.context);
    const missing = (reason: string): TfValue => unknown(`the outputs of module "${decl.name}" are not known: ${reason}`, label, header);
    if (instances.length === 0) return { value: missing('the call has no instances (count = 0 or an empty for_each)'), instances };
    // Modules read by their inputs (terraform-aws-modules/security-group, rds, redshift): adapted at the call.
    if (instances.some((i) => isTableModule(i))) return { value: missing(`its source "${source}" is read by its inputs, not by its code`), instances };
    if (!source) return { value: missing('its source is not a literal string'), instances: [] };
    let target: string | undefined;
    if (isLocalSource(source)) target = joinPath(run.dir, source.replace(/\/+$/, ''));
    else target = this.installed(rootDir)?.get([...run.keyPath, decl.name].join('.'));
    if (target === undefined || !this.load(target)) {
      const why = isLocalSource(source)
        ? `its source "${source}" is not in the scan`
        : `its source "${source}" is not downloaded (run terraform init so that .terraform/modules holds it)`;
      return { value: unknown(`module "${decl.name}" cannot be read: ${why}`, label, header), instances: [] };
    }
    const counted = decl.block.body.attributes.some((a) => a.name === 'count');
    const keyed = decl.block.body.attributes.some((a) => a.name === 'for_each');
    const values: { key: number | string | undefined; value: TfValue }[] = [];
    for (const instance of instances) {
      const address = `${run.label ? `${run.label}.` : ''}${instance.address}`;
      const site: CallSite = { address, header: instance.header };
      if (run.depth + 1 > MAX_MODULE_DEPTH || run.stack.includes(target) || target === run.dir) {
        const reason = run.depth + 1 > MAX_MODULE_DEPTH ? `modules are nested more than ${MAX_MODULE_DEPTH} deep` : `module "${decl.name}" calls a module that calls it (${source})`;
        out.exposures.push(unresolvedCall(address, [...run.calls, site][0]!.header, reason, instance));
        values.push({ key: instance.instanceKey, value: unknown(`${label} cannot be evaluated: ${reason}`, label, header) });
        continue;
      }
      const inputs = new Map<string, TfValue>();
      for (const [name, value] of instance.value.entries) if (!CALL_META.has(name)) inputs.set(name, value);
      const outputs = this.run(
        { dir: target, label: address, depth: run.depth + 1, stack: [...run.stack, run.dir], calls: [...run.calls, site], keyPath: [...run.keyPath, decl.name], inputs },
        rootDir,
        out,
      );
      values.push({ key: instance.instanceKey, value: outputs });
    }
    let value: TfValue;
    if (counted) value = list(values.map((v) => v.value), header);
    else if (keyed) value = object(new Map(values.map((v) => [String(v.key), v.value])), header);
    else value = values[0]!.value;
    return { value, instances: [] };
  }
}

/**
 * A value inside a called module is reported where the caller instantiated it: the outermost
 * call argument it came through (never inside .terraform). The place in the module becomes the
 * first related location. A value that no argument brought stays in the module, unless the
 * module is in .terraform: then the root's call is the primary location.
 */
function promote(location: Location, via: Hop[] | undefined, subject: string, calls: CallSite[]): { location: Location; via?: Hop[] } {
  const hops = (via ?? []) as TrailHop[];
  // The outermost call of this module's own chain whose argument brought the value.
  let at = -1;
  for (const c of calls) {
    at = hops.findIndex((h) => h.argument === c.address && !inDotTerraform(h.location.file));
    if (at >= 0) break;
  }
  let primary = location;
  let rest: Hop[] = hops;
  if (at >= 0) {
    primary = hops[at]!.location;
    rest = [{ location, note: `used by ${subject}` }, ...hops.filter((_, i) => i !== at)];
  } else if (inDotTerraform(location.file)) {
    primary = calls[0]!.header;
  }
  const kept = rest.filter((h) => !inDotTerraform(h.location.file)).map((h) => ({ location: h.location, note: h.note }));
  return { location: primary, ...(kept.length ? { via: kept } : {}) };
}

function promoteExposure(e: Exposure, calls: CallSite[]): Exposure {
  const sources = e.sources.map((s) => ({ ...s, ...promote(s.location, s.via, e.subject, calls) }));
  for (const s of sources) if (!s.via) delete s.via;
  const location = inDotTerraform(e.location.file) ? calls[0]!.header : e.location;
  return { ...e, sources, location };
}

function promoteDatastore(d: ManagedDatastore, calls: CallSite[]): ManagedDatastore {
  // Judged later under the policy: a domain in .terraform is reported at the root's call, as promote() does.
  if (d.access) return inDotTerraform(d.location.file) ? { ...d, location: calls[0]!.header, reportAt: calls[0]!.header } : d;
  const p = promote(d.location, d.via, d.subject, calls);
  const { via: _old, ...rest } = d;
  return { ...rest, ...p };
}

/** A call portwall will not follow (a cycle, too deep): what it opens is unknown, and said so at the call. */
function unresolvedCall(address: string, location: Location, reason: string, instance: ResourceInstance): Exposure {
  const source: SourceValue = { kind: 'unknown', reason, label: address };
  return {
    id: `tf:${instance.file}:${address}:unresolved`,
    via: 'firewall-rule',
    subject: address,
    ports: unknownPorts('the module is not evaluated'),
    sources: [{ value: source, location }],
    location,
    workloads: [],
  };
}

/**
 * A local copy of terraform-aws-modules/security-group is recognised by its rules.tf, so its
 * inputs are read like the registry module's (its code builds rules from tables).
 */
function identifyVendoredModule(instance: ResourceInstance, dir: string, context: AdaptContext): void {
  const source = asString(attr(instance.value, 'source'));
  if (!source || !isLocalSource(source)) return;
  const target = joinPath(dir, source.replace(/\/+$/, ''));
  if (target === undefined) return;
  const isSecurityGroupModule = (root: string): boolean => {
    const rules = context.readFile(root ? `${root}/rules.tf` : 'rules.tf');
    return !!rules && rules.text.includes('variable "auto_groups"') && rules.text.includes('elasticsearch-rest-tcp');
  };
  if (isSecurityGroupModule(target)) {
    instance.knownSource = 'terraform-aws-modules/security-group/aws';
    return;
  }
  const submodule = /^(?:(.*)\/)?modules\/([\w-]+)$/.exec(target);
  if (submodule && isSecurityGroupModule(submodule[1] ?? '')) {
    instance.knownSource = `terraform-aws-modules/security-group/aws//modules/${submodule[2]}`;
  }
}

function internalError(file: string, error: unknown, what?: string): Notice {
  const message = error instanceof Error ? error.message : String(error);
  return { file, level: 'warning', message: `${what ?? 'Terraform module'} could not be checked (internal error: ${message})` };
}
