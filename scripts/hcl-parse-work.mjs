#!/usr/bin/env node
/**
 * Measures tree-sitter's counted work against time for the HCL grammar (issue 14, the parse
 * budget in src/formats/terraform/parse-budget.ts): progress callbacks (one per 100 parser
 * operations), their rate per KB and the time per callback, for every Terraform file of a
 * corpus and for generated pathological shapes at two sizes (x4: linear work gives x4 time).
 * Not run in CI.
 *
 *   node scripts/hcl-parse-work.mjs [corpus-dir]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const { Parser, Language } = await import(require.resolve('web-tree-sitter'));
await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
const parser = new Parser();
parser.setLanguage(await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')));

function measure(text) {
  let callbacks = 0;
  let streak = 0;
  let maxStreak = 0;
  const cpu = process.cpuUsage();
  const tree = parser.parse(text, null, {
    progressCallback: (s) => {
      callbacks++;
      streak = s.hasError ? streak + 1 : 0;
      maxStreak = Math.max(maxStreak, streak);
      return false;
    },
  });
  const used = process.cpuUsage(cpu);
  tree?.delete();
  return { ms: (used.user + used.system) / 1000, callbacks, maxStreak, perKb: callbacks / Math.max(1, text.length / 1024) };
}

const corpus = process.argv[2] ?? path.join(here, '..', '..', 'shared', 'corpus');
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (/\.(tf|tfvars)$/.test(e.name)) files.push(full);
  }
};
walk(corpus);
let total = { ms: 0, callbacks: 0, chars: 0 };
let maxPerKb = 0;
let maxStreak = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const m = measure(text);
  total = { ms: total.ms + m.ms, callbacks: total.callbacks + m.callbacks, chars: total.chars + text.length };
  if (text.length > 2048) maxPerKb = Math.max(maxPerKb, m.perKb);
  maxStreak = Math.max(maxStreak, m.maxStreak);
}
console.log(`corpus: ${files.length} files, ${(total.chars / 1e6).toFixed(1)} MB, ${total.callbacks} callbacks (${(total.callbacks / (total.chars / 1024)).toFixed(1)}/KB, max ${maxPerKb.toFixed(1)}/KB), ${(total.ms / 1000).toFixed(1)} s CPU, ${((total.ms * 1000) / total.callbacks).toFixed(0)} µs per callback, longest error streak ${maxStreak}`);

const shapes = {
  'valid list': (n) => `x = [${'a,'.repeat(n)}]\n`,
  'deep nesting': (n) => `x = ${'['.repeat(n / 5)}1${']'.repeat(n / 5)}\n`,
  'empty elements ", , ," in an object': (n) => `r = {\n  a = "2"\n${', '.repeat(n / 4)}\n}\n`,
  'empty elements in a call': (n) => `x = f(1${', '.repeat(n / 4)})\n`,
  'junk ",a,a,a"': (n) => `value = x.y${',a'.repeat(n)}\n`,
  'junk "${x}${x}"': (n) => `default = {}${'${x}'.repeat(n / 2)}\n`,
  'junk "= = ="': (n) => `r = {\n  a = "2"\n${'= '.repeat(n)}\n}\n`,
  'junk quotes': (n) => `g = var.x${'""'.repeat(n)}\n`,
};
for (const [name, shape] of Object.entries(shapes)) {
  const a = measure(shape(4000));
  const b = measure(shape(16000));
  console.log(`${name.padEnd(38)} callbacks x${(b.callbacks / a.callbacks).toFixed(1)}, CPU x${(b.ms / a.ms).toFixed(1)} (${a.ms.toFixed(0)} -> ${b.ms.toFixed(0)} ms; ${((b.ms * 1000) / b.callbacks).toFixed(0)} µs per callback; error streak ${b.maxStreak})`);
}
