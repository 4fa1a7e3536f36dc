#!/usr/bin/env node
/**
 * Mutation testing, small and dependency-free (Stryker 10 needs Node 22; this runs on Node 20).
 *   npm run mutation                          # the default targets below, every mutant
 *   npm run mutation -- src/model/net.ts      # one or more files
 *   npm run mutation -- --max 40 --seed 7     # a deterministic sample per file
 *   npm run mutation -- --retest build/mutation-report.json --report build/after.json
 *                                             # only the survivors of a report, after adding tests
 *   --tests a,b (test files/folders for every target), --no-baseline, --timeout SECONDS
 *
 * For each target it finds mutation points with the TypeScript parser (so strings, comments and
 * types are never touched), applies one mutation at a time to a scratch copy of the project, and
 * runs the tests listed for the file in TARGET_TESTS (else `vitest related`), stopping at the
 * first failure. A mutant
 * that no test kills "survives". Not run in CI: a full run takes tens of minutes on 2 cores.
 * Writes build/mutation-report.json and prints the score with every survivor.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** Decision code: the domain helpers and the adapters' judging code. */
const DEFAULT_TARGETS = [
  'src/model/net.ts',
  'src/model/ports.ts',
  'src/model/firewall.ts',
  'src/model/exposure.ts',
  'src/model/auth.ts',
  'src/model/datastores.ts',
  'src/formats/kubernetes/services.ts',
  'src/formats/compose/services.ts',
  'src/engine/fingerprint.ts',
];

/**
 * Per-target test lists: `vitest related` walks the whole import graph and, for a model file,
 * picks nearly every test of the suite. These lists are the tests that judge the file's
 * decisions (its unit tests, the rule fixtures, the adapters that call it); a target not
 * listed falls back to `vitest related`. `--tests a,b` overrides for every target.
 */
const MODEL_TESTS = ['test/model', 'rules'];
const TARGET_TESTS = {
  'src/model/net.ts': [...MODEL_TESTS, 'test/cloud-json'],
  'src/model/ports.ts': MODEL_TESTS,
  'src/model/firewall.ts': [...MODEL_TESTS, 'test/cloud-json'],
  'src/model/exposure.ts': MODEL_TESTS,
  'src/model/auth.ts': MODEL_TESTS,
  'src/model/datastores.ts': MODEL_TESTS,
  'src/model/container-identity.ts': MODEL_TESTS,
  'src/model/sites.ts': MODEL_TESTS,
  'src/model/types.ts': MODEL_TESTS,
};

const args = process.argv.slice(2);
let testsOverride;
/** `--retest build/mutation-report.json`: run only that report's survivors again (its kills stand). */
let retestFrom;
/** `--no-baseline`: trust that the selected tests pass unmutated (saves one full run per target). */
let skipBaseline = false;
let reportPath = path.join(root, 'build', 'mutation-report.json');
let max = Infinity;
let seed = 1;
let timeoutMs;
const targets = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--max') max = Number(args[++i]);
  else if (a === '--seed') seed = Number(args[++i]);
  else if (a === '--timeout') timeoutMs = Number(args[++i]) * 1000;
  else if (a === '--retest') retestFrom = args[++i];
  else if (a === '--no-baseline') skipBaseline = true;
  else if (a === '--report') reportPath = args[++i];
  else if (a === '--tests') testsOverride = args[++i].split(',').filter(Boolean);
  else targets.push(a);
}
if (targets.length === 0) targets.push(...DEFAULT_TARGETS);

const SWAPS = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
  [ts.SyntaxKind.LessThanToken]: '<=',
  [ts.SyntaxKind.LessThanEqualsToken]: '<',
  [ts.SyntaxKind.GreaterThanToken]: '>=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '||',
  [ts.SyntaxKind.BarBarToken]: '&&',
  [ts.SyntaxKind.PlusToken]: '-',
  [ts.SyntaxKind.MinusToken]: '+',
  [ts.SyntaxKind.QuestionQuestionToken]: '&&',
};

/** Every mutation point of a file: { start, end, replacement, line, description }. */
export function mutantsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (start, end, replacement, description) => out.push({ start, end, replacement, line: lineOf(start), description });
  const visit = (node) => {
    // Types, imports and declarations of shape carry no behaviour.
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const swap = SWAPS[node.operatorToken.kind];
      // String concatenation with + is message text, not logic.
      const isStringy = node.operatorToken.kind === ts.SyntaxKind.PlusToken && (ts.isStringLiteralLike(node.left) || ts.isStringLiteralLike(node.right) || ts.isTemplateExpression(node.left) || ts.isTemplateExpression(node.right));
      if (swap && !isStringy) {
        add(node.operatorToken.getStart(source), node.operatorToken.getEnd(), swap, `${node.operatorToken.getText(source)} -> ${swap}`);
      }
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node.getStart(source), node.operand.getStart(source), '', `remove !`);
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) add(node.getStart(source), node.getEnd(), 'false', 'true -> false');
    if (node.kind === ts.SyntaxKind.FalseKeyword) add(node.getStart(source), node.getEnd(), 'true', 'false -> true');
    if (ts.isNumericLiteral(node) && !ts.isEnumMember(node.parent) && !ts.isElementAccessExpression(node.parent)) {
      const value = Number(node.text);
      if (Number.isFinite(value)) add(node.getStart(source), node.getEnd(), String(value + 1), `${node.text} -> ${value + 1}`);
    }
    if (ts.isIfStatement(node)) {
      add(node.expression.getStart(source), node.expression.getEnd(), 'false', `if (${truncate(node.expression.getText(source))}) -> if (false)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function truncate(s) {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

/** Deterministic sample (mulberry32). */
function sample(list, n, seedValue) {
  if (list.length <= n) return list;
  let t = seedValue >>> 0;
  const rand = () => {
    t += 0x6d2b79f5;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n).sort((a, b) => a.start - b.start);
}

function scratchCopy() {
  // Beside the project, so tests that read ../shared/corpus find it as in the real checkout.
  const dir = mkdtempSync(path.join(root, '..', '.portwall-mutation-'));
  for (const entry of ['src', 'rules', 'test', 'examples', 'schemas', 'scripts', 'docs', 'bin', 'build', 'dist', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts', 'README.md', 'action.yml', '.pre-commit-hooks.yaml']) {
    const from = path.join(root, entry);
    if (existsSync(from)) cpSync(from, path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  return dir;
}

function runTests(dir, file, limitMs = 600_000) {
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const started = Date.now();
  // Tests that drive the built CLI or the bundled Action run the unmutated build: they cannot
  // kill a mutant of the sources, so they only cost time here.
  const excludes = ['test/cli/**', 'test/action/**', 'test/precommit/**', 'test/config/cli.test.ts'].flatMap((g) => ['--exclude', g]);
  const listed = testsOverride ?? TARGET_TESTS[file];
  const selection = listed ? ['run', ...listed] : ['related', file, '--run'];
  const result = spawnSync(process.execPath, [vitest, ...selection, '--bail', '1', '--reporter', 'dot', '--silent', ...excludes], {
    cwd: dir,
    encoding: 'utf8',
    timeout: limitMs,
    env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
  });
  const ms = Date.now() - started;
  if (result.error && result.error.code === 'ETIMEDOUT') return { status: 'timeout', ms };
  if (result.status === 0) return { status: 'survived', ms, output: result.stdout };
  return { status: 'killed', ms };
}

const dir = scratchCopy();
const report = { date: new Date().toISOString(), targets: [], killed: 0, survived: 0, timeout: 0, total: 0 };
try {
  // Sanity: the unmutated tests must pass, else every mutant would look killed.
  const previous = retestFrom ? JSON.parse(readFileSync(path.resolve(retestFrom), 'utf8')) : undefined;
  if (previous && targets.length === DEFAULT_TARGETS.length && targets.every((t, i) => t === DEFAULT_TARGETS[i])) {
    targets.splice(0, targets.length, ...previous.targets.map((t) => t.file));
  }
  for (const file of targets) {
    const baseline = skipBaseline || previous ? { status: 'survived', ms: 60_000 } : runTests(dir, file);
    if (baseline.status !== 'survived') {
      console.error(`mutation: the tests related to ${file} fail before mutation (${baseline.status}); fix them first`);
      process.exit(2);
    }
    const original = readFileSync(path.join(root, file), 'utf8');
    const all = mutantsOf(file, original);
    const before = previous?.targets.find((t) => t.file === file);
    const key = (m) => `${m.line} ${m.mutation ?? m.description}`;
    // A survivor is found again by its offset; older reports without one match by line and
    // mutation, which may pick several mutants of one line (each is then tested and counted).
    const chosen = before ? all.filter((m) => before.survived.some((s) => (s.start !== undefined ? s.start === m.start && key(s) === key(m) : key(s) === key(m)))) : sample(all, max, seed);
    const entry = { file, mutants: all.length, tested: before ? before.tested - before.survived.length + chosen.length : chosen.length, killed: before ? before.killed : 0, survived: [], timeout: before ? before.timeout : 0 };
    if (before) {
      report.total += before.killed + before.timeout;
      report.killed += before.killed;
      report.timeout += before.timeout;
    }
    console.log(`${file}: ${chosen.length} of ${all.length} mutants${before ? ' (survivors of the previous report)' : ''} (baseline ${baseline.ms} ms)`);
    for (const m of chosen) {
      const mutated = original.slice(0, m.start) + m.replacement + original.slice(m.end);
      writeFileSync(path.join(dir, file), mutated);
      // A mutant that loops is cut off at three times the unmutated run (as Stryker does).
      const outcome = runTests(dir, file, timeoutMs ?? Math.max(30_000, baseline.ms * 3));
      report.total++;
      if (outcome.status === 'killed') {
        entry.killed++;
        report.killed++;
        process.stdout.write('.');
      } else if (outcome.status === 'timeout') {
        // A mutant that makes the tests hang is detected (as Stryker counts it).
        entry.timeout++;
        report.timeout++;
        process.stdout.write('T');
      } else {
        entry.survived.push({ line: m.line, mutation: m.description, start: m.start });
        report.survived++;
        process.stdout.write('S');
      }
    }
    writeFileSync(path.join(dir, file), original);
    process.stdout.write('\n');
    for (const s of entry.survived) console.log(`  survived ${file}:${s.line}  ${s.mutation}`);
    report.targets.push(entry);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const detected = report.killed + report.timeout;
report.score = report.total ? detected / report.total : 1;
mkdirSync(path.dirname(path.resolve(reportPath)), { recursive: true });
writeFileSync(path.resolve(reportPath), JSON.stringify(report, null, 2));
console.log(`mutation score: ${(report.score * 100).toFixed(1)}% (${detected} of ${report.total} detected, ${report.survived} survived)`);
