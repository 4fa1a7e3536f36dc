/**
 * Layering meta-test: the dependency rules of STYLE.md, checked on the import statements of
 * every source file (static, type-only, re-exports, dynamic import(), require()), plus the
 * places where chalk, @octokit/rest, child processes and eval-like code may appear.
 * formats -> model <- rules; core depends on nothing but model types; shells stay thin.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/index.js';

interface ImportRef {
  /** The specifier as written. */
  specifier: string;
  /** Repo-relative target file for our own modules, `pkg:<name>` for packages, `node:<name>` for builtins. */
  target: string;
  typeOnly: boolean;
  dynamic: boolean;
  line: number;
}

interface SourceInfo {
  file: string;
  imports: ImportRef[];
  /** `eval(...)`, `new Function(...)`, `Function(...)` with their lines. */
  evals: { what: string; line: number }[];
}

const SCANNED = ['src', 'rules', 'scripts', 'bin', 'test'];
const EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;
const BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // Fixtures are scanned data, not code of ours; build output is generated.
    if (name === 'node_modules' || name === 'fixtures' || name === 'build' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return listFiles(full);
    return EXTENSIONS.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts') ? [full] : [];
  });
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolveTarget(fromFile: string, specifier: string): string {
  if (specifier.startsWith('node:')) return `node:${specifier.slice(5).split('/')[0]}`;
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    const name = packageName(specifier);
    return BUILTINS.has(name) ? `node:${name}` : `pkg:${name}`;
  }
  const absolute = path.resolve(path.dirname(path.join(ROOT, fromFile)), specifier);
  // ESM TypeScript imports name the emitted .js file; the source is the .ts beside it.
  const candidates = [absolute, absolute.replace(/\.js$/, '.ts'), absolute.replace(/\.mjs$/, '.mts'), `${absolute}.ts`, path.join(absolute, 'index.ts')];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? absolute;
  return path.relative(ROOT, found).split(path.sep).join('/');
}

/** Parses one file with the TypeScript parser (no type checking) and collects what it depends on. */
export function analyze(file: string, text: string): SourceInfo {
  const kind = /\.(m|c)?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportRef[] = [];
  const evals: SourceInfo['evals'] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, dynamic: boolean) =>
    imports.push({ specifier, target: resolveTarget(file, specifier), typeOnly, dynamic, line: lineOf(node) });

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      // `import { type A, type B } from` is type-only too: every named binding is a type.
      const allNamedTypes =
        !!clause && !clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier.text, !!clause?.isTypeOnly || allNamedTypes, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true, false);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        // A computed import() (a user's plugin path) is not a dependency of ours.
        if (first && ts.isStringLiteralLike(first)) add(node, first.text, false, true);
      } else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && first && ts.isStringLiteralLike(first)) {
        add(node, first.text, false, false);
      } else if (ts.isIdentifier(node.expression) && (node.expression.text === 'eval' || node.expression.text === 'Function')) {
        evals.push({ what: `${node.expression.text}()`, line: lineOf(node) });
      } else if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'eval' && ts.isIdentifier(node.expression.expression) && /^(globalThis|window|global|self)$/.test(node.expression.expression.text)) {
        evals.push({ what: `${node.expression.expression.text}.eval()`, line: lineOf(node) });
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
      evals.push({ what: 'new Function()', line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, imports, evals };
}

const FILES: SourceInfo[] = SCANNED.flatMap((d) => listFiles(path.join(ROOT, d)))
  .map((abs) => path.relative(ROOT, abs).split(path.sep).join('/'))
  .sort()
  .map((file) => analyze(file, readFileSync(path.join(ROOT, file), 'utf8')));

const isTest = (file: string) => /\.test\.(ts|mts|js|mjs)$/.test(file) || file.startsWith('test/');
const under = (file: string, ...prefixes: string[]) => prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

/** The production files of a layer (tests may import anything). */
function filesOf(...prefixes: string[]): SourceInfo[] {
  return FILES.filter((f) => under(f.file, ...prefixes) && !isTest(f.file));
}

/** `file:line imports target` for every import of `files` that `allowed` rejects. */
function violations(files: SourceInfo[], allowed: (ref: ImportRef, file: string) => boolean): string[] {
  return files.flatMap((f) => f.imports.filter((ref) => !allowed(ref, f.file)).map((ref) => `${f.file}:${ref.line} imports ${ref.specifier}${ref.typeOnly ? ' (type)' : ''}`));
}

const ours = (ref: ImportRef) => !ref.target.startsWith('pkg:') && !ref.target.startsWith('node:');

describe('the import parser', () => {
  it('sees static, type-only, re-export, dynamic and require imports, and eval-like calls', () => {
    const info = analyze(
      'src/core/sample.ts',
      [
        "import a from './a.js';",
        "import type { B } from '../model/types.js';",
        "import { type C, type D } from '../model/types.js';",
        "import { type E, F } from '../model/net.js';",
        "export { G } from '../formats/index.js';",
        "export type * from '../model/types.js';",
        "const h = await import('@octokit/rest');",
        "const i = require('node:child_process');",
        "type J = import('../engine/lint.js').LintOptions;",
        'const k = eval("1"); const l = new Function("return 1"); const m = globalThis.eval("2");',
      ].join('\n'),
    );
    expect(info.imports.map((r) => [r.specifier, r.typeOnly, r.dynamic, r.line])).toEqual([
      ['./a.js', false, false, 1],
      ['../model/types.js', true, false, 2],
      ['../model/types.js', true, false, 3],
      ['../model/net.js', false, false, 4],
      ['../formats/index.js', false, false, 5],
      ['../model/types.js', true, false, 6],
      ['@octokit/rest', false, true, 7],
      ['node:child_process', false, false, 8],
      ['../engine/lint.js', true, false, 9],
    ]);
    expect(info.imports.map((r) => r.target)).toEqual([
      'src/core/a.js',
      'src/model/types.ts',
      'src/model/types.ts',
      'src/model/net.ts',
      'src/formats/index.ts',
      'src/model/types.ts',
      'pkg:@octokit/rest',
      'node:child_process',
      'src/engine/lint.ts',
    ]);
    expect(info.evals.map((e) => e.what)).toEqual(['eval()', 'new Function()', 'globalThis.eval()']);
  });

  it('reads every layer of the tree', () => {
    for (const prefix of ['src/core/', 'src/model/', 'src/formats/', 'src/units/', 'src/engine/', 'src/formatters/', 'src/cli/', 'src/action/', 'rules/', 'test/', 'scripts/']) {
      expect(FILES.filter((f) => f.file.startsWith(prefix)).length, prefix).toBeGreaterThan(0);
    }
    expect(FILES.find((f) => f.file === 'rules/PW002-public-datastore/index.ts')?.imports.length).toBeGreaterThan(0);
  });

  it('resolves every relative import of ours to a file that exists', () => {
    const broken = FILES.flatMap((f) => f.imports.filter((r) => ours(r) && !existsSync(path.join(ROOT, r.target))).map((r) => `${f.file}:${r.line} ${r.specifier}`));
    expect(broken).toEqual([]);
  });
});

describe('layering (STYLE.md: formats -> model <- rules; thin shells)', () => {
  it('rules import only src/core, src/model and other rules — never formats, engine, formatters, cli or action', () => {
    expect(violations(filesOf('rules/'), (ref) => (ours(ref) ? under(ref.target, 'src/core/', 'src/model/', 'rules/') : false))).toEqual([]);
  });

  it('rules are pure: no node builtins and no packages (no file I/O, no parsing)', () => {
    expect(violations(filesOf('rules/'), (ref) => ours(ref))).toEqual([]);
  });

  it('src/units (deployment units) imports only src/core, src/model and the format contract types; the engine uses it, formats and rules do not', () => {
    expect(violations(filesOf('src/units/'), (ref) => !ours(ref) || under(ref.target, 'src/core/', 'src/model/', 'src/units/') || (ref.target === 'src/formats/types.ts' && ref.typeOnly))).toEqual([]);
    expect(violations(filesOf('src/formats/', 'rules/'), (ref) => !ours(ref) || !under(ref.target, 'src/units/'))).toEqual([]);
  });

  it('src/model imports only src/core and itself', () => {
    expect(violations(filesOf('src/model/'), (ref) => !ours(ref) || under(ref.target, 'src/core/', 'src/model/'))).toEqual([]);
  });

  it('src/model does no I/O and runs nothing', () => {
    expect(violations(filesOf('src/model/'), (ref) => !/^node:(fs|child_process|net|http|https|vm|worker_threads)$/.test(ref.target))).toEqual([]);
  });

  it('src/formats never imports rules, the engine, formatters, the CLI or the Action', () => {
    expect(violations(filesOf('src/formats/'), (ref) => !ours(ref) || !under(ref.target, 'rules/', 'src/engine/', 'src/formatters/', 'src/cli/', 'src/action/', 'src/index.ts'))).toEqual([]);
  });

  it('src/core imports only src/core, and src/model for types only', () => {
    expect(violations(filesOf('src/core/'), (ref) => !ours(ref) || under(ref.target, 'src/core/') || (under(ref.target, 'src/model/') && ref.typeOnly))).toEqual([]);
  });

  it('src/formatters are pure functions of the results: only core, model types, the version and themselves', () => {
    expect(
      violations(filesOf('src/formatters/'), (ref) => (ours(ref) ? under(ref.target, 'src/core/', 'src/formatters/', 'src/version.ts') || (under(ref.target, 'src/model/') && ref.typeOnly) : ref.target !== 'node:fs')),
    ).toEqual([]);
  });

  it('the engine never depends on the shells or the formatters', () => {
    expect(violations(filesOf('src/engine/'), (ref) => !ours(ref) || !under(ref.target, 'src/formatters/', 'src/cli/', 'src/action/', 'src/index.ts'))).toEqual([]);
  });

  it('nothing but the Action (and tests/scripts) depends on the Action; the CLI and the Action do not depend on each other', () => {
    expect(violations(filesOf('src/', 'rules/'), (ref, file) => !ours(ref) || !under(ref.target, 'src/action/') || under(file, 'src/action/'))).toEqual([]);
    expect(violations(filesOf('src/', 'rules/'), (ref, file) => !ours(ref) || !under(ref.target, 'src/cli/') || under(file, 'src/cli/'))).toEqual([]);
  });
});

describe('where third-party and dangerous modules may appear', () => {
  const production = () => FILES.filter((f) => !isTest(f.file) && !f.file.startsWith('scripts/'));

  it('chalk only in the text formatter (and the CLI)', () => {
    expect(violations(production(), (ref, file) => ref.target !== 'pkg:chalk' || under(file, 'src/formatters/text.ts', 'src/cli/'))).toEqual([]);
  });

  it('@octokit/rest only in src/action, and there only as types or loaded lazily', () => {
    expect(violations(FILES.filter((f) => !isTest(f.file)), (ref, file) => ref.target !== 'pkg:@octokit' && ref.target !== 'pkg:@octokit/rest' || under(file, 'src/action/'))).toEqual([]);
    expect(violations(filesOf('src/action/'), (ref) => ref.target !== 'pkg:@octokit/rest' || ref.typeOnly || ref.dynamic)).toEqual([]);
  });

  it('vscode-languageserver only in src/lsp, which only the CLI loads, lazily', () => {
    expect(violations(production(), (ref, file) => !ref.target.startsWith('pkg:vscode-languageserver') || under(file, 'src/lsp/'))).toEqual([]);
    expect(violations(filesOf('src/', 'rules/'), (ref, file) => !ours(ref) || !under(ref.target, 'src/lsp/') || under(file, 'src/lsp/') || (under(file, 'src/cli/') && ref.dynamic))).toEqual([]);
  });

  it('no child processes or vm outside tests, scripts and the Action', () => {
    // src/engine/diff-base.ts runs git (never anything from the scanned tree) for --diff-base and the Action;
    // src/engine/collect-garbage.ts takes V8's `gc` from a fresh context (the constant source "gc", nothing read).
    const allowed = (ref: { target: string }, file: string) =>
      (file === 'src/engine/diff-base.ts' && ref.target === 'node:child_process') || (file === 'src/engine/collect-garbage.ts' && ref.target === 'node:vm');
    expect(violations(production(), (ref, file) => !/^node:(child_process|vm|worker_threads)$/.test(ref.target) || under(file, 'src/action/') || allowed(ref, file))).toEqual([]);
  });

  it('no eval or new Function outside tests, scripts and the Action', () => {
    const found = production()
      .filter((f) => !under(f.file, 'src/action/'))
      .flatMap((f) => f.evals.map((e) => `${f.file}:${e.line} ${e.what}`));
    expect(found).toEqual([]);
  });

  it('dependencies of the shipped code are declared in package.json dependencies (dev dependencies only as types or lazily)', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const shipped = FILES.filter((f) => under(f.file, 'src/', 'rules/', 'bin/') && !isTest(f.file));
    expect(
      violations(shipped, (ref, file) => {
        if (!ref.target.startsWith('pkg:')) return true;
        const name = ref.target.slice(4);
        if (name in pkg.dependencies) return true;
        // The Action bundles its dev dependencies (dist/); elsewhere a dev dependency may only be a type.
        return name in pkg.devDependencies && (ref.typeOnly || under(file, 'src/action/'));
      }),
    ).toEqual([]);
  });
});

describe('no import cycles', () => {
  /** Cycles among our own modules under the prefixes, type-only imports included (they couple modules too). */
  function cycles(...prefixes: string[]): string[] {
    const graph = new Map(filesOf(...prefixes).map((f) => [f.file, f.imports.filter((r) => ours(r) && !r.dynamic && under(r.target, ...prefixes)).map((r) => r.target)]));
    const found = new Set<string>();
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') found.add(stack.slice(stack.indexOf(next)).join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
    return [...found];
  }

  it('src/formats, src/model and src/core have none (the Terraform evaluator and instances meet in scope.ts)', () => {
    expect(cycles('src/formats/', 'src/model/', 'src/core/')).toEqual([]);
  });

  it('src/ as a whole and rules/ have none (the CLI io type lives in cli/io.ts, discovery\'s shared names in discover-common.ts)', () => {
    expect(cycles('src/', 'rules/')).toEqual([]);
  });
});
