#!/usr/bin/env node
/**
 * One measured process for scripts/bench.mjs; prints one JSON line.
 * The payload is argv[3] or, when absent, stdin (JSON).
 *   portwall   {cwd, paths}      lint() in-process: time inside, peak RSS, files, findings
 *   floor      {cwd, files}      read + parse the same files with the same libraries (and walk
 *                                the tree when `files` is the whole tree): the physical floor
 *   floor-cold {file, format}    load the format's parser and parse one file
 *   phases     {cwd}             lint() the whole tree, timing each format's own work inside
 *                                it (its detect, parse and adapt calls, outermost only)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const [mode, raw] = process.argv.slice(2);
const payload = JSON.parse(raw ?? readFileSync(0, 'utf8'));
const require = createRequire(import.meta.url);

const now = () => Number(process.hrtime.bigint()) / 1e6;
const rss = () => process.resourceUsage().maxRSS * 1024;

let treeSitter;
async function hclParser() {
  if (treeSitter) return treeSitter;
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
  const language = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
  treeSitter = new Parser();
  treeSitter.setLanguage(language);
  return treeSitter;
}

let yamlLib;
async function parseWith(format, file, text) {
  if (format === 'terraform' && !file.endsWith('.json')) {
    const parser = await hclParser();
    parser.parse(text)?.delete();
    return;
  }
  if (file.endsWith('.json')) {
    JSON.parse(text);
    return;
  }
  if (format === 'datastore-config') {
    text.split('\n');
    return;
  }
  yamlLib ??= await import('yaml');
  yamlLib.parseAllDocuments(text);
}

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git' || entry.name === '.terraform') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

if (mode === 'portwall' || mode === 'phases') {
  // The heap as the CLI sets it for its own process (cli/bin.ts).
  const { limitHeapGrowth } = await import(pathToFileURL(path.join(root, 'build/src/engine/collect-garbage.js')).href);
  limitHeapGrowth();
}

if (mode === 'portwall') {
  const { lint } = await import(pathToFileURL(path.join(root, 'build/src/index.js')).href);
  const start = now();
  const result = await lint({ cwd: payload.cwd, paths: payload.paths });
  const ms = now() - start;
  const byRule = {};
  for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const internal = result.notifications.filter((n) => n.kind === 'internal' || /internal error/.test(n.message)).length;
  console.log(JSON.stringify({ ms, rss: rss(), files: result.files.map((f) => ({ path: f.path, format: f.format })), findings: result.findings.length, byRule, internal }));
} else if (mode === 'floor') {
  const start = now();
  // The whole-tree floor walks the tree too, as portwall's discovery does.
  if (payload.walk) walk(payload.cwd, []);
  for (const f of payload.files) {
    const text = readFileSync(path.join(payload.cwd, f.path), 'utf8');
    try {
      await parseWith(f.format, f.path, text);
    } catch {
      // A file that does not parse costs its parse attempt, as in portwall.
    }
  }
  console.log(JSON.stringify({ ms: now() - start, rss: rss() }));
} else if (mode === 'phases') {
  const { prepareFormats } = await import(pathToFileURL(path.join(root, 'build/src/formats/index.js')).href);
  const { makeSourceFile } = await import(pathToFileURL(path.join(root, 'build/src/engine/lint.js')).href);
  const { lint } = await import(pathToFileURL(path.join(root, 'build/src/index.js')).href);
  const spent = {};
  let depth = 0;
  // Every format loaded (the lazy ones load for a file of theirs): the objects lint will use.
  const all = await prepareFormats(['Chart.yaml', 'kustomization.yaml', 'main.tf'].map((name) => makeSourceFile(name, 'name: x\n')));
  for (const format of all) {
    spent[format.id] = 0;
    for (const method of ['detect', 'parse', 'adapt']) {
      const original = format[method];
      format[method] = function timed(...args) {
        if (depth > 0) return original.apply(this, args);
        depth++;
        const start = now();
        try {
          return original.apply(this, args);
        } finally {
          spent[format.id] += now() - start;
          depth--;
        }
      };
    }
  }
  const start = now();
  await lint({ cwd: payload.cwd, paths: ['.'] });
  console.log(JSON.stringify({ ms: now() - start, rss: rss(), spent }));
} else if (mode === 'floor-cold') {
  const start = now();
  await parseWith(payload.format, payload.file, readFileSync(payload.file, 'utf8'));
  console.log(JSON.stringify({ ms: now() - start, rss: rss() }));
} else {
  console.error(`bench-child: unknown mode ${mode}`);
  process.exit(2);
}
