#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/main.ts) into one file, dist/index.js, with every
 * dependency inside — the runner executes it from the action's checkout and never runs npm
 * install, and the action must not download anything. WASM files the code resolves at run
 * time (web-tree-sitter and the Terraform grammar) are copied next to the bundle.
 *
 *   node scripts/build-action.mjs            build into dist/
 *   node scripts/build-action.mjs --check    build into a temp dir and compare with dist/ (CI)
 *
 * Deterministic: no timestamps, no absolute paths, sorted asset list; same sources and same
 * esbuild version give the same bytes.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** `<something>.resolve('<package>/<file>.wasm')`, the way src/formats/terraform finds its grammars. */
const WASM_RESOLVE = /\b[\w$]+(?:\([^()]*\))?\.resolve\(\s*(['"])([^'"\n]+\.wasm)\1\s*\)/g;
const ANY_WASM_LITERAL = /(['"`])[^'"`\n]*\.wasm\1/;

/**
 * Package-root folders the library reads at run time through `import.meta.url` (config and rule
 * JSON Schemas). They are copied into the output folder, which plays the package root.
 */
const PACKAGE_DATA = ['schemas'];

/**
 * Makes our sources behave in the bundle as they do in the package, without editing them:
 *
 * - `import.meta.url` in a source file becomes the URL that file would have if the output
 *   folder were the package root (dist/src/engine/config-document.ts), so lookups like
 *   `../../schemas` from src/engine land on the copied dist/schemas.
 * - There is no node_modules next to the bundle, so each `require.resolve('pkg/x.wasm')`
 *   becomes "x.wasm next to the bundle" and the file is copied there. A .wasm reference in any
 *   other shape fails the build rather than failing at run time on a user's pull request.
 */
function packageLayoutPlugin(assets) {
  return {
    name: 'portwall-package-layout',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        const relative = path.relative(root, args.path).split(path.sep).join('/');
        if (relative.startsWith('node_modules/') || relative.startsWith('..')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const usesWasm = source.includes('.wasm');
        const usesModuleUrl = source.includes('import.meta.url');
        if (!usesWasm && !usesModuleUrl) return undefined;
        let rewritten = source.replace(/\bimport\.meta\.url\b/g, '__portwallModuleUrl');
        let helper = `const __portwallModuleUrl = new URL(${JSON.stringify(`./${relative}`)}, import.meta.url).href;\n`;
        if (usesWasm) {
          rewritten = rewritten.replace(WASM_RESOLVE, (_match, _quote, specifier) => {
            const file = requireFromRoot.resolve(specifier);
            const name = path.basename(file);
            const known = assets.get(name);
            if (known && known !== file) throw new Error(`two different WASM files named ${name}: ${known} and ${file}`);
            assets.set(name, file);
            return `__portwallAsset(${JSON.stringify(name)})`;
          });
          const leftover = rewritten.split('\n').find((line) => ANY_WASM_LITERAL.test(line) && !line.includes('__portwallAsset(') && !/^\s*(\/\/|\*|\/\*)/.test(line));
          if (leftover) throw new Error(`${relative}: a .wasm reference the bundler cannot relocate: ${leftover.trim()}`);
          helper += `import { fileURLToPath as __portwallFileURLToPath } from 'node:url';\nconst __portwallAsset = (name) => __portwallFileURLToPath(new URL('./' + name, import.meta.url));\n`;
        }
        return { contents: helper + rewritten, loader: path.extname(args.path).slice(1).replace(/^[cm]/, '') || 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isDirectory()) copyTree(path.join(from, entry.name), path.join(to, entry.name));
    else writeFileSync(path.join(to, entry.name), readFileSync(path.join(from, entry.name)));
  }
}

export async function buildAction(outdir, entry = 'src/action/main.ts') {
  const started = performance.now();
  const assets = new Map();
  mkdirSync(outdir, { recursive: true });
  for (const entry of readdirSync(outdir)) rmSync(path.join(outdir, entry), { recursive: true, force: true });
  const bundle = (entryPoint, outfile, split = false) =>
    build({
      absWorkingDir: root,
      // Split: modules only some runs need (ajv for config files, the language server for
      // `lsp`, merge-sarif) go to chunks next to the entry, read only when imported. Chunks sit
      // in the output folder itself, so `import.meta.url` lookups resolve as from the entry.
      ...(split
        ? { entryPoints: { [outfile.replace(/\.js$/, '')]: entryPoint }, outdir, splitting: true, chunkNames: 'chunks-[hash]' }
        : { entryPoints: [entryPoint], outfile: path.join(outdir, outfile) }),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      charset: 'utf8',
      legalComments: 'eof',
      logLevel: 'warning',
      // Bundled CommonJS dependencies call require() for Node built-ins; ESM has none by default.
      banner: {
        js: "// Generated by scripts/build-action.mjs from src/ - do not edit; run `npm run build:action`.\nimport { createRequire as __portwallCreateRequire } from 'node:module';\nconst require = __portwallCreateRequire(import.meta.url);",
      },
      plugins: [packageLayoutPlugin(assets)],
    });
  await bundle(entry, 'index.js');
  // The CLI as one file too: bin/portwall.js falls back to it where nothing was built
  // (pre-commit hooks install from a git checkout without a build step).
  if (entry === 'src/action/main.ts') await bundle('src/cli/bin.ts', 'cli.js', true);
  // Copy the bytes, not the file mode: dist/ should not depend on how node_modules was unpacked.
  for (const name of [...assets.keys()].sort()) writeFileSync(path.join(outdir, name), readFileSync(assets.get(name)));
  for (const folder of PACKAGE_DATA) copyTree(path.join(root, folder), path.join(outdir, folder));
  // Makes dist/ ESM on its own, whatever package.json sits above it.
  writeFileSync(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n');
  return { outdir, assets: [...assets.keys()].sort(), milliseconds: Math.round(performance.now() - started), bytes: statSync(path.join(outdir, 'index.js')).size };
}

/** Relative paths of every file under dir, sorted. */
function listFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
      .sort();
  } catch {
    return [];
  }
}

async function check() {
  const dist = path.join(root, 'dist');
  const temp = mkdtempSync(path.join(tmpdir(), 'portwall-action-'));
  try {
    await buildAction(temp);
    const built = listFiles(temp);
    const committed = listFiles(dist);
    const problems = [];
    for (const name of new Set([...built, ...committed])) {
      if (!committed.includes(name)) problems.push(`dist/${name} is missing`);
      else if (!built.includes(name)) problems.push(`dist/${name} is not produced by the build (remove it)`);
      else if (!readFileSync(path.join(temp, name)).equals(readFileSync(path.join(dist, name)))) problems.push(`dist/${name} differs from a fresh build`);
    }
    if (problems.length > 0) {
      process.stderr.write(`${problems.join('\n')}\ndist/ does not match the sources: run \`npm run build:action\` and commit dist/.\n`);
      return 1;
    }
    process.stdout.write(`dist/ matches the sources (${built.length} files).\n`);
    return 0;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    process.exitCode = await check();
  } else {
    const outdir = path.join(root, 'dist');
    const result = await buildAction(outdir);
    process.stdout.write(`dist/index.js: ${(result.bytes / 1024).toFixed(0)} KiB in ${result.milliseconds} ms${result.assets.length ? `; assets: ${result.assets.join(', ')}` : ''}\n`);
  }
}
