/**
 * One Terraform module (= one directory): its variables, locals, resources, data sources
 * and module calls gathered from every .tf / .tf.json file, plus the values of
 * terraform.tfvars and *.auto.tfvars, which Terraform loads automatically.
 */
import type { Block, Body, Expr } from './ast.js';
import { attributeOf } from './ast.js';
import { isOverrideFile, mergeBlock } from './overrides.js';
import type { FileRef } from './values.js';

export interface ConfigFile {
  file: FileRef;
  body: Body;
}

export interface Declaration {
  mode: 'managed' | 'data' | 'module';
  type: string;
  name: string;
  file: FileRef;
  block: Block;
}

export interface ModuleConfig {
  /** Directory relative to the scan root ("" for the root). */
  dir: string;
  /** `file` is where `default` is written (an override file may have replaced it). */
  variables: Map<string, { file: FileRef; block: Block; default?: Expr }>;
  locals: Map<string, { file: FileRef; expr: Expr }>;
  /** Variable values from tfvars files, highest precedence last-written. */
  tfvars: Map<string, { file: FileRef; expr: Expr }>;
  declarations: Declaration[];
  /** managed resources by "type.name", for references such as aws_security_group.lb.id. */
  resources: Map<string, Declaration>;
  /** `output "name" { value = ... }`, for callers' module.NAME.output references. */
  outputs: Map<string, { file: FileRef; expr: Expr }>;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Terraform loads these tfvars files by itself: terraform.tfvars(.json), then *.auto.tfvars(.json) in name order. */
export function isAutoLoadedTfvars(path: string): boolean {
  const name = baseName(path);
  return name === 'terraform.tfvars' || name === 'terraform.tfvars.json' || /\.auto\.tfvars(\.json)?$/.test(name);
}

function tfvarsPrecedence(a: string, b: string): number {
  const rank = (p: string): string => {
    const name = baseName(p);
    if (name === 'terraform.tfvars') return '0';
    if (name === 'terraform.tfvars.json') return '1';
    return `2${name}`;
  };
  const ra = rank(a);
  const rb = rank(b);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

export function buildModuleConfig(dir: string, configFiles: ConfigFile[], tfvarsFiles: ConfigFile[]): ModuleConfig {
  const config: ModuleConfig = {
    dir,
    variables: new Map(),
    locals: new Map(),
    tfvars: new Map(),
    declarations: [],
    resources: new Map(),
    outputs: new Map(),
  };
  // Sorted so the result does not depend on discovery order; override files come last, in
  // name order, as Terraform merges them.
  const files = [...configFiles].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  for (const { file, body } of files.filter((f) => !isOverrideFile(f.file.path))) {
    for (const block of body.blocks) {
      const [first, second] = block.labels;
      switch (block.type) {
        case 'variable':
          if (first) {
            const def = attributeOf(block.body, 'default');
            config.variables.set(first.value, { file, block, ...(def ? { default: def.expr } : {}) });
          }
          break;
        case 'locals':
          for (const a of block.body.attributes) config.locals.set(a.name, { file, expr: a.expr });
          break;
        case 'resource':
        case 'data':
          if (first && second) {
            const decl: Declaration = { mode: block.type === 'resource' ? 'managed' : 'data', type: first.value, name: second.value, file, block };
            config.declarations.push(decl);
            if (decl.mode === 'managed') config.resources.set(`${decl.type}.${decl.name}`, decl);
          }
          break;
        case 'module':
          if (first) config.declarations.push({ mode: 'module', type: 'module', name: first.value, file, block });
          break;
        case 'output': {
          const value = attributeOf(block.body, 'value');
          if (first && value) config.outputs.set(first.value, { file, expr: value.expr });
          break;
        }
        default:
          break;
      }
    }
  }
  for (const { file, body } of files.filter((f) => isOverrideFile(f.file.path))) applyOverrides(config, file, body);
  for (const { file, body } of [...tfvarsFiles].sort((a, b) => tfvarsPrecedence(a.file.path, b.file.path))) {
    for (const a of body.attributes) config.tfvars.set(a.name, { file, expr: a.expr });
  }
  return config;
}

/**
 * Merges one override file into the module. A block that overrides nothing is an error to
 * Terraform ("Missing base ... to override"); here it is ignored rather than guessed into a
 * new resource.
 */
function applyOverrides(config: ModuleConfig, file: FileRef, body: Body): void {
  for (const block of body.blocks) {
    const [first, second] = block.labels;
    switch (block.type) {
      case 'variable': {
        const declared = first ? config.variables.get(first.value) : undefined;
        if (!first || !declared) break;
        const def = attributeOf(block.body, 'default');
        const merged = mergeBlock(declared.block, block, file);
        config.variables.set(first.value, def ? { file, block: merged, default: def.expr } : { ...declared, block: merged });
        break;
      }
      case 'locals':
        for (const a of block.body.attributes) config.locals.set(a.name, { file, expr: a.expr });
        break;
      case 'resource':
      case 'data':
      case 'module': {
        const mode = block.type === 'resource' ? 'managed' : block.type;
        const type = block.type === 'module' ? 'module' : first?.value;
        const name = block.type === 'module' ? first?.value : second?.value;
        const decl = config.declarations.find((d) => d.mode === mode && d.type === type && d.name === name);
        if (decl) decl.block = mergeBlock(decl.block, block, file);
        break;
      }
      default:
        break;
    }
  }
}
