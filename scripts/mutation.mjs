#!/usr/bin/env node
/**
 * Mutation testing, small and dependency-free (Stryker 10 needs Node 22; this runs on Node 20).
 *   npm run mutation                          # the default targets below, every mutant
 *   npm run mutation -- src/model/net.ts      # one or more files
 *   npm run mutation -- --max 40 --seed 7     # a deterministic sample per file
 *   npm run mutation -- --retest build/mutation-report.json --report build/after.json
 *                                             # only the survivors of a report, after adding tests
 *   --tests a,b (test files/folders to choose from), --jobs N (parallel vitest hosts, default 2),
 *   --timeout SECONDS (per mutant; default 3x the selected tests' unmutated time + 15 s),
 *   --no-baseline (accepted for old command lines; the coverage pass is the baseline)
 *
 * How it stays fast (1-3 s per mutant on 2 shared cores instead of 40-90 s):
 * - Mutation points come from the TypeScript parser (strings, comments and types are never
 *   touched). Every mutant of a target is compiled into ONE instrumented copy of the file
 *   ("mutation schemata"): each point becomes a guarded switch, `__pw$h(id) ? mutated : original`.
 *   The copy is served by a Vite transform plugin in memory; no file of the project is written,
 *   and tests that read a source file as text read the original.
 * - The active mutant id is read by a setup file in each test worker (from a per-host file), so
 *   one long-lived vitest instance per host (programmatic API, `createVitest`) runs every mutant;
 *   the transform is the same for all of them and stays cached. Each mutant is one run: all its
 *   test files in one fresh worker (isolate: false), so module-level code sees the mutant;
 *   files that fail when sharing a worker are found unmutated and run alone.
 * - A coverage pass runs each candidate test file once, unmutated: it is the baseline (a file
 *   that fails unmutated is left out, with a warning) and records which mutation points the file
 *   reaches. A mutant then runs only the test files that reach it, fastest first, and stops at the
 *   first failure. A mutant no test reaches is "no coverage": it survives and is counted.
 * - A mutant that hangs (e.g. an endless loop) is cut off by the parent, counted as a timeout
 *   (detected, as Stryker counts it), and its host is restarted.
 * Not run in CI. Writes build/mutation-report.json (rewritten every 20 mutants with
 * "partial": true, so a stopped run keeps its results; survivors also stream to
 * <report>.survivors) and prints the score with every survivor.
 * PW_MUTATION_DEBUG=1 prints each mutant's time and the failing modules.
 * After adding tests only, `--retest REPORT --tests <the new test files>` is exact: the old tests
 * did not kill the survivors, so only the new ones can. If a target was edited since the report,
 * its survivors are re-located (same mutation of the same node text, nearest the old offset; see
 * relocate); one that cannot be is printed as "could not re-locate" and counted as a survivor.
 */
import { fork } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const self = fileURLToPath(import.meta.url);

/** Decision code: the domain helpers and the adapters' judging code. */
const DEFAULT_TARGETS = [
  'src/model/net.ts',
  'src/model/ports.ts',
  'src/model/firewall.ts',
  'src/model/exposure.ts',
  'src/model/auth.ts',
  'src/model/datastores.ts',
  'src/model/container-identity.ts',
  'src/model/sites.ts',
  'src/model/access-policy.ts',
  'src/formats/kubernetes/services.ts',
  'src/formats/kubernetes/load-balancer.ts',
  'src/formats/compose/services.ts',
  'src/engine/fingerprint.ts',
  'src/formats/terraform/adapters/aws.ts',
  'src/formats/terraform/adapters/azure.ts',
  'src/formats/terraform/adapters/gcp.ts',
  'src/formats/terraform/adapters/common.ts',
  'src/formats/terraform/adapters/load-balancers.ts',
  'src/formats/terraform/adapters/datastores.ts',
  'src/formats/cloudformation/security-groups.ts',
  'src/formats/cloud-json/aws.ts',
  'src/formats/cloud-json/azure.ts',
  'src/formats/cloud-json/gcloud.ts',
  'src/formats/datastore-config/redis.ts',
  'src/formats/datastore-config/mongodb.ts',
  'src/formats/datastore-config/elasticsearch.ts',
  'src/formats/datastore-config/postgres.ts',
  'src/formats/datastore-config/mysql.ts',
  'src/formats/datastore-config/memcached.ts',
];

/** Test files never chosen: they drive the built CLI or the bundled Action, not the sources. */
const EXCLUDED_TESTS = [/^test\/cli\//, /^test\/action\//, /^test\/precommit\//, /^test\/package\//, /^test\/config\/cli\.test\.ts$/];
/** Left out unless named in --tests: each run costs a minute or more (the whole corpus, twice). */
const SLOW_TESTS = ['test/engine/fingerprint-stability.test.ts'];
/**
 * The tests that judge decisions: the model's unit tests, the rules' fixtures, the adapters'
 * tests. Left out by default (`--tests test,rules` takes them all): fuzz, hostile input, LSP,
 * Helm/Kustomize rendering, formatters, config and the other plumbing, which reach the targets
 * only through the adapters these folders already test, and would make every survivor cost
 * minutes.
 */
const TEST_ROOTS = ['test/model', 'rules', 'test/rules', 'test/compose', 'test/kubernetes', 'test/terraform', 'test/cloudformation', 'test/cloud-json', 'test/datastore-config', 'test/engine'];

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
const SHORT_CIRCUIT = new Set(['&&', '||', '??']);

/** Types, imports and declarations of shape carry no behaviour. */
function isInert(node) {
  return ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
}

/** Every mutation point of a file, with its AST node (internal). */
function collect(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const lineTextOf = (pos) => {
    const { line } = source.getLineAndCharacterOfPosition(pos);
    const starts = source.getLineStarts();
    return text.slice(starts[line], line + 1 < starts.length ? starts[line + 1] : text.length).trim();
  };
  // What a survivor is found again by when the file was edited: the mutated node's text and the
  // text of its line (both without surrounding whitespace).
  const add = (node, kind, start, end, replacement, description) =>
    out.push({ start, end, replacement, line: lineOf(start), description, kind, node, text: nodeText(node.getText(source)), lineText: lineTextOf(start) });
  const visit = (node) => {
    if (isInert(node)) return;
    if (ts.isBinaryExpression(node)) {
      const swap = SWAPS[node.operatorToken.kind];
      // String concatenation with + is message text, not logic.
      const isStringy = node.operatorToken.kind === ts.SyntaxKind.PlusToken && (ts.isStringLiteralLike(node.left) || ts.isStringLiteralLike(node.right) || ts.isTemplateExpression(node.left) || ts.isTemplateExpression(node.right));
      if (swap && !isStringy) {
        add(node, 'binary', node.operatorToken.getStart(source), node.operatorToken.getEnd(), swap, `${node.operatorToken.getText(source)} -> ${swap}`);
      }
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, 'not', node.getStart(source), node.operand.getStart(source), '', `remove !`);
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) add(node, 'literal', node.getStart(source), node.getEnd(), 'false', 'true -> false');
    if (node.kind === ts.SyntaxKind.FalseKeyword) add(node, 'literal', node.getStart(source), node.getEnd(), 'true', 'false -> true');
    if (ts.isNumericLiteral(node) && !ts.isEnumMember(node.parent) && !ts.isElementAccessExpression(node.parent)) {
      const value = Number(node.text);
      if (Number.isFinite(value)) add(node, 'literal', node.getStart(source), node.getEnd(), String(value + 1), `${node.text} -> ${value + 1}`);
    }
    if (ts.isIfStatement(node)) {
      add(node.expression, 'if', node.expression.getStart(source), node.expression.getEnd(), 'false', `if (${truncate(node.expression.getText(source))}) -> if (false)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { source, points: out };
}

/** A node's text with runs of whitespace as one space, cut at 200 characters. */
function nodeText(s) {
  return s.replace(/\s+/g, ' ').slice(0, 200);
}

/** Every mutation point of a file: { start, end, replacement, line, description, text, lineText }. */
export function mutantsOf(file, text) {
  return collect(file, text).points.map(({ start, end, replacement, line, description, text: nodeText, lineText }) => ({ start, end, replacement, line, description, text: nodeText, lineText }));
}

/** How far (in lines) a survivor of an older report, which has no node text, is looked for. */
const RELOCATE_WINDOW = 20;

/**
 * The mutants of a file that are a previous report's survivors, found again in the file as it is
 * now (`points`: { start, line, description, text?, lineText? }). A survivor is first looked for
 * at its offset (same mutation, and same node text when the report has it); if the file was
 * edited since, it is re-located: the same mutation of the same node text, on a line of the same
 * text if there is one, nearest the old offset. A survivor of an older report (no node text)
 * re-locates only to the one mutant of that mutation within RELOCATE_WINDOW lines of its old line.
 * A survivor that cannot be re-located is returned in `unlocated` (the caller counts it as a
 * survivor); none is dropped. Reports without offsets match by line and mutation, every mutant
 * that matches. Returns { chosen, relocated: [{ survivor, mutant }], unlocated }.
 */
export function relocate(survivors, points) {
  const taken = new Set();
  const chosen = [];
  const relocated = [];
  const unlocated = [];
  const mutationOf = (s) => s.mutation ?? s.description;
  const pending = [];
  for (const s of survivors) {
    if (s.start === undefined) {
      const all = points.filter((m) => !taken.has(m) && m.line === s.line && m.description === mutationOf(s));
      for (const m of all) taken.add(m);
      if (all.length > 0) chosen.push(...all);
      else unlocated.push(s);
      continue;
    }
    const exact = points.find((m) => !taken.has(m) && m.start === s.start && m.description === mutationOf(s) && (s.text === undefined || m.text === s.text));
    if (exact) {
      taken.add(exact);
      chosen.push(exact);
    } else pending.push(s);
  }
  for (const s of pending) {
    const same = points.filter((m) => !taken.has(m) && m.description === mutationOf(s));
    let found;
    if (s.text !== undefined) {
      const candidates = same.filter((m) => m.text === s.text);
      const onSameLine = candidates.filter((m) => m.lineText === s.lineText);
      found = (onSameLine.length > 0 ? onSameLine : candidates).sort((a, b) => Math.abs(a.start - s.start) - Math.abs(b.start - s.start))[0];
    } else {
      const near = same.filter((m) => Math.abs(m.line - s.line) <= RELOCATE_WINDOW);
      if (near.length === 1) found = near[0];
    }
    if (found) {
      taken.add(found);
      chosen.push(found);
      relocated.push({ survivor: s, mutant: found });
    } else unlocated.push(s);
  }
  chosen.sort((a, b) => a.start - b.start);
  return { chosen, relocated, unlocated };
}

/** Whether an await or yield of this function body lies inside node (a thunk cannot hold it). */
function suspends(node) {
  let found = false;
  const visit = (n) => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const HELPERS = `
function __pw$h(k) { const m = globalThis.__pwMutation; if (m === undefined) return false; m.hits[k] = 1; return m.active === k; }
function __pw$n(k, x) { return __pw$h(k) ? x : !x; }
function __pw$e(k, a, b, o, s) { switch (__pw$h(k) ? s : o) { case '===': return a === b; case '!==': return a !== b; case '<': return a < b; case '<=': return a <= b; case '>': return a > b; case '>=': return a >= b; case '+': return a + b; case '-': return a - b; } throw new Error('mutation: unknown operator'); }
function __pw$l(k, a, r, o, s) { switch (__pw$h(k) ? s : o) { case '&&': return a && r(); case '||': return a || r(); case '??': return a ?? r(); } throw new Error('mutation: unknown operator'); }
`;

/**
 * The schema: the file's text with every mutation point as a switch on the active mutant id.
 * ids[i] is the global id of points[i]. Unmutated (no id active) it computes what the original
 * computes, in the same order.
 */
export function instrument(file, text, firstId = 0) {
  const { source, points } = collect(file, text);
  const byNode = new Map();
  points.forEach((p, i) => {
    const list = byNode.get(p.node) ?? [];
    list.push({ ...p, id: firstId + i });
    byNode.set(p.node, list);
  });
  const slice = (from, to) => text.slice(from, to);
  const emitChildren = (node, from, to) => {
    let out = '';
    let pos = from;
    ts.forEachChild(node, (child) => {
      const start = child.getStart(source);
      if (start < pos) throw new Error(`mutation: children out of order in ${file} at ${start}`);
      out += slice(pos, start) + emit(child);
      pos = child.getEnd();
    });
    return out + slice(pos, to);
  };
  const emit = (node) => {
    const start = node.getStart(source);
    const end = node.getEnd();
    if (isInert(node)) return slice(start, end);
    const own = byNode.get(node) ?? [];
    let out;
    const binary = own.find((p) => p.kind === 'binary');
    if (binary) {
      const left = emit(node.left);
      const right = emit(node.right);
      const op = node.operatorToken.getText(source);
      const k = binary.id;
      if (!SHORT_CIRCUIT.has(op)) out = `__pw$e(${k}, (${left}), (${right}), '${op}', '${binary.replacement}')`;
      else if (!suspends(node.right)) out = `__pw$l(${k}, (${left}), () => (${right}), '${op}', '${binary.replacement}')`;
      else out = `(__pw$h(${k}) ? ((${left}) ${binary.replacement} (${right})) : ((${left}) ${op} (${right})))`;
    } else if (own.some((p) => p.kind === 'not')) {
      const k = own.find((p) => p.kind === 'not').id;
      out = `__pw$n(${k}, (${emit(node.operand)}))`;
    } else {
      out = emitChildren(node, start, end);
    }
    const literal = own.find((p) => p.kind === 'literal');
    if (literal) {
      out = `(__pw$h(${literal.id}) ? ${literal.replacement} : ${out})`;
      // A numeric property name becomes a computed one.
      const parent = node.parent;
      if (parent && (parent.name === node || parent.propertyName === node)) out = `[${out}]`;
    }
    const cond = own.find((p) => p.kind === 'if');
    if (cond) out = `(__pw$h(${cond.id}) ? false : (${out}))`;
    return out;
  };
  const body = emitChildren(source, 0, text.length);
  return { code: `${body}\n${HELPERS}`, points };
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

function testFilesUnder(rel) {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) throw new Error(`mutation: no such test path ${rel}`);
  if (statSync(abs).isFile()) return [rel];
  const out = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...testFilesUnder(child));
    else if (entry.name.endsWith('.test.ts')) out.push(child);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Host: one long-lived vitest instance; runs test files on request (child process, IPC).

async function host() {
  const state = process.env.PW_MUTATION_STATE;
  const slot = process.env.PW_MUTATION_SLOT;
  const { createVitest } = await import('vitest/node');
  const schemata = new Map(JSON.parse(readFileSync(path.join(state, 'targets.json'), 'utf8')).map((t) => [t.abs, readFileSync(t.code, 'utf8')]));
  const plugin = {
    name: 'portwall-mutation-schemata',
    enforce: 'pre',
    transform(code, id) {
      const schema = schemata.get(id.split('?')[0]);
      return schema === undefined ? undefined : { code: schema, map: null };
    },
  };
  const silentReporter = {};
  // Mutant runs: all the chosen files in one worker, in the given order, one module graph for
  // the run (isolate: false), stopping at the first failing test. The worker is new for each
  // run, so module-level code is evaluated with that run's mutant active.
  const coverageMode = process.env.PW_MUTATION_MODE === 'coverage';
  const keepOrder = class {
    async shard(files) {
      return files;
    }
    async sort(files) {
      return files;
    }
  };
  const options = { watch: false, reporters: [silentReporter], setupFiles: [process.env.PW_MUTATION_SETUP], silent: true, passWithNoTests: true, coverage: { enabled: false } };
  if (!coverageMode) Object.assign(options, { isolate: false, maxWorkers: 1, fileParallelism: false, bail: 1, sequence: { sequencer: keepOrder } });
  const vitest = await createVitest('test', options, { plugins: [plugin] });
  const project = vitest.getRootProject();
  const activeFile = path.join(state, `active-${slot}`);
  const hitsFile = path.join(state, `hits-${slot}.json`);
  const runFiles = async (files) => {
    const started = Date.now();
    let ok = false;
    let failed = [];
    try {
      const wanted = new Set(files.map((file) => path.join(root, file)));
      const run = await vitest.runTestSpecifications([...wanted].map((file) => project.createSpecification(file)));
      // The result lists every module the instance has run so far: judge the requested ones.
      const modules = run.testModules.filter((m) => wanted.has(m.moduleId));
      ok = run.unhandledErrors.length === 0 && modules.length === wanted.size && modules.every((m) => m.state() === 'passed' || m.state() === 'skipped');
      failed = modules.filter((m) => m.state() === 'failed').map((m) => path.relative(root, m.moduleId));
      if (!ok && process.env.PW_MUTATION_DEBUG) console.error(JSON.stringify([run.unhandledErrors, modules.map((m) => [m.moduleId, m.state(), m.errors()])]).slice(0, 3000));
    } catch (error) {
      if (process.env.PW_MUTATION_DEBUG) console.error(error);
      ok = false;
    }
    return { ok, failed, ms: Date.now() - started };
  };
  process.on('message', async (msg) => {
    if (msg.type === 'exit') {
      await vitest.close();
      process.exit(0);
    }
    writeFileSync(activeFile, String(msg.active));
    const results = [];
    if (coverageMode) {
      for (const file of msg.files) {
        rmSync(hitsFile, { force: true });
        const result = { file, ...(await runFiles([file])) };
        result.hits = existsSync(hitsFile) ? JSON.parse(readFileSync(hitsFile, 'utf8')) : [];
        results.push(result);
      }
    } else {
      // Groups run one after the other, each in a fresh worker; the first failure ends the run.
      for (const group of msg.groups) {
        const result = await runFiles(group);
        results.push(result);
        if (!result.ok) break;
      }
    }
    process.send({ type: 'done', results });
  });
  process.send({ type: 'ready' });
}

// ---------------------------------------------------------------------------------------------
// Parent.

function setupSource(total) {
  return `import { afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
const state = process.env.PW_MUTATION_STATE;
const slot = process.env.PW_MUTATION_SLOT;
const active = Number(readFileSync(state + '/active-' + slot, 'utf8'));
const hits = new Uint8Array(${total});
globalThis.__pwMutation = { active, hits };
afterAll(() => {
  if (active >= 0) return;
  const ids = [];
  hits.forEach((v, i) => { if (v) ids.push(i); });
  writeFileSync(state + '/hits-' + slot + '.json', JSON.stringify(ids));
});
`;
}

class Host {
  constructor(state, setup, slot, mode) {
    this.mode = mode;
    this.state = state;
    this.setup = setup;
    this.slot = slot;
  }
  async start() {
    this.child = fork(self, ['--host'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, PW_MUTATION_STATE: this.state, PW_MUTATION_SETUP: this.setup, PW_MUTATION_SLOT: String(this.slot), PW_MUTATION_MODE: this.mode, CI: '1', FORCE_COLOR: '0' },
    });
    this.child.on('message', (msg) => this.pending?.(msg));
    this.child.on('exit', (code) => this.pending?.({ type: 'exit', code }));
    const msg = await new Promise((resolve) => (this.pending = resolve));
    if (msg.type !== 'ready') throw new Error(`mutation: test host ${this.slot} did not start (${JSON.stringify(msg)})`);
  }
  kill() {
    this.pending = undefined;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  /** Runs files; resolves { results } or { timeout: true } (the host is then restarted). */
  async run(request, limitMs) {
    let timer;
    const answer = await new Promise((resolve) => {
      this.pending = resolve;
      timer = setTimeout(() => resolve({ type: 'timeout' }), limitMs);
      this.child.send(request);
    });
    clearTimeout(timer);
    if (answer.type === 'done') return answer;
    this.kill();
    await this.start();
    return { timeout: true };
  }
  async stop() {
    this.pending = undefined;
    this.child.send({ type: 'exit' });
    await new Promise((resolve) => {
      const t = setTimeout(() => {
        this.kill();
        resolve();
      }, 10_000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

async function main() {
  const args = process.argv.slice(2);
  let testsOverride;
  /** `--retest build/mutation-report.json`: run only that report's survivors again (its kills stand). */
  let retestFrom;
  let reportPath = path.join(root, 'build', 'mutation-report.json');
  let max = Infinity;
  let seed = 1;
  let timeoutMs;
  let jobs = 2;
  const targets = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--max') max = Number(args[++i]);
    else if (a === '--seed') seed = Number(args[++i]);
    else if (a === '--timeout') timeoutMs = Number(args[++i]) * 1000;
    else if (a === '--retest') retestFrom = args[++i];
    else if (a === '--no-baseline') continue;
    else if (a === '--report') reportPath = args[++i];
    else if (a === '--jobs') jobs = Math.max(1, Number(args[++i]));
    else if (a === '--tests') testsOverride = args[++i].split(',').filter(Boolean);
    else targets.push(a);
  }
  const previous = retestFrom ? JSON.parse(readFileSync(path.resolve(retestFrom), 'utf8')) : undefined;
  if (targets.length === 0) targets.push(...(previous ? previous.targets.map((t) => t.file) : DEFAULT_TARGETS));

  const started = Date.now();
  const state = mkdtempSync(path.join(os.tmpdir(), 'portwall-mutation-'));
  // The setup file imports vitest, so it lives under the project (build/ is not committed).
  const setupDir = path.join(root, 'build', `.mutation-${process.pid}`);
  mkdirSync(setupDir, { recursive: true });

  // Schemata for every target; ids are global so one hit array serves all files.
  let nextId = 0;
  const plans = [];
  const schemaList = [];
  for (const file of targets) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const { code, points } = instrument(file, text, nextId);
    const bad = ts.transpileModule(code, { fileName: file, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).diagnostics ?? [];
    if (bad.length > 0) throw new Error(`mutation: the schema of ${file} does not parse: ${ts.flattenDiagnosticMessageText(bad[0].messageText, '\n')}`);
    const codePath = path.join(state, `${schemaList.length}.ts`);
    writeFileSync(codePath, code);
    schemaList.push({ abs: path.join(root, file), code: codePath });
    const all = points.map((p, i) => ({ id: nextId + i, start: p.start, line: p.line, description: p.description, text: p.text, lineText: p.lineText }));
    nextId += points.length;
    const before = previous?.targets.find((t) => t.file === file);
    // A survivor is found again by its offset, or re-located if the file was edited since (see
    // relocate); one that cannot be is reported and counted as a survivor, never dropped.
    const found = before ? relocate(before.survived, all) : { chosen: sample(all, max, seed), relocated: [], unlocated: [] };
    for (const { survivor, mutant } of found.relocated) console.log(`${file}: survivor re-located, line ${survivor.line} -> ${mutant.line}  ${mutant.description}`);
    for (const s of found.unlocated) console.log(`${file}: survivor could not re-locate, line ${s.line}  ${s.mutation ?? s.description}  (counted as a survivor)`);
    plans.push({ file, all, chosen: found.chosen, unlocated: found.unlocated, before });
  }
  writeFileSync(path.join(state, 'targets.json'), JSON.stringify(schemaList));
  writeFileSync(path.join(setupDir, 'setup.mjs'), setupSource(nextId));

  const candidates = [...new Set((testsOverride ?? TEST_ROOTS).flatMap(testFilesUnder))].filter((f) => !EXCLUDED_TESTS.some((re) => re.test(f)) && (testsOverride?.includes(f) || !SLOW_TESTS.includes(f))).sort();
  const hosts = [];
  const abandon = () => {
    for (const h of hosts) h.kill();
    rmSync(state, { recursive: true, force: true });
    rmSync(setupDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', abandon);
  process.once('SIGTERM', abandon);
  try {
    for (let slot = 0; slot < jobs; slot++) {
      const h = new Host(state, path.join(setupDir, 'setup.mjs'), slot, 'coverage');
      await h.start();
      hosts.push(h);
    }
    // Coverage pass (also the baseline): each candidate once, unmutated.
    const coverage = new Map();
    const failing = [];
    {
      const queue = [...candidates];
      await Promise.all(
        hosts.map(async (h) => {
          while (queue.length > 0) {
            const file = queue.shift();
            const answer = await h.run({ type: 'run', active: -1, files: [file], coverage: true }, 600_000);
            const r = answer.results?.[0];
            if (!r || !r.ok) failing.push(file);
            else if (r.hits.length > 0) coverage.set(file, { ms: r.ms, hits: new Set(r.hits) });
          }
        }),
      );
    }
    // Mutant hosts: one vitest each, a fresh worker and module graph per mutant.
    await Promise.all(hosts.map((h) => h.stop()));
    hosts.length = 0;
    for (let slot = 0; slot < jobs; slot++) {
      const h = new Host(state, path.join(setupDir, 'setup.mjs'), slot, 'mutant');
      await h.start();
      hosts.push(h);
    }
    // The mutant runs share one module graph per run. A file that fails so (state left by an
    // earlier file, or left for a later one) runs alone in its own worker instead.
    const solo = new Set();
    const groupsOf = (files) => {
      const shared = files.filter((f) => !solo.has(f));
      return [...(shared.length > 0 ? [shared] : []), ...files.filter((f) => solo.has(f)).map((f) => [f])];
    };
    let sharedMs = 0;
    for (let attempt = 0; ; attempt++) {
      const files = [...coverage.keys()];
      const t0 = Date.now();
      const answer = await hosts[0].run({ type: 'run', active: -1, groups: groupsOf(files) }, 900_000);
      sharedMs = Date.now() - t0;
      const failed = answer.timeout ? [] : answer.results.flatMap((r) => r.failed);
      console.log(`unmutated in one worker: ${files.length} files, ${Math.round((Date.now() - t0) / 1000)} s${solo.size ? `, alone: ${[...solo].join(', ')}` : ''}`);
      if (!answer.timeout && answer.results.every((r) => r.ok)) break;
      if (attempt === 3 || failed.length === 0) {
        console.error(`mutation: the covering tests fail unmutated when run in one worker (isolate: false); fix them first`);
        process.exitCode = 2;
        return;
      }
      for (const f of failed) solo.add(f);
    }
    if (failing.length > 0) console.error(`mutation: left out, failing unmutated: ${failing.sort().join(', ')}`);
    console.log(`coverage pass: ${candidates.length} test files, ${coverage.size} reach a target (${Math.round((Date.now() - started) / 1000)} s); slowest: ${[...coverage].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5).map(([f, c]) => `${f} ${c.ms} ms`).join(', ')}`);

    const report = { date: new Date().toISOString(), tests: candidates.length, failingUnmutated: failing, targets: [], killed: 0, survived: 0, timeout: 0, noCoverage: 0, unlocated: 0, total: 0 };
    const queue = [];
    for (const plan of plans) {
      plan.entry = { file: plan.file, mutants: plan.all.length, tested: plan.before ? plan.before.tested - plan.before.survived.length + plan.chosen.length + plan.unlocated.length : plan.chosen.length, killed: plan.before?.killed ?? 0, timeout: plan.before?.timeout ?? 0, noCoverage: 0, unlocated: 0, survived: [], ms: 0 };
      if (plan.before) {
        report.total += plan.before.killed + plan.before.timeout;
        report.killed += plan.before.killed;
        report.timeout += plan.before.timeout;
      }
      // Survivors of the previous report not found in the file as it is now: still survivors.
      for (const s of plan.unlocated) {
        plan.entry.survived.push({ line: s.line, mutation: s.mutation ?? s.description, start: s.start, ...(s.text !== undefined ? { text: s.text, lineText: s.lineText } : {}), unlocated: true });
        plan.entry.unlocated++;
        report.unlocated++;
        report.survived++;
        report.total++;
      }
      for (const m of plan.chosen) {
        const files = [...coverage].filter(([, c]) => c.hits.has(m.id)).sort((a, b) => a[1].ms - b[1].ms);
        queue.push({ plan, m, files: files.map(([f]) => f), ms: files.reduce((s, [, c]) => s + c.ms, 0) });
      }
      console.log(`${plan.file}: ${plan.chosen.length} of ${plan.all.length} mutants${plan.before ? ' (survivors of the previous report)' : ''}`);
    }
    let sinceWrite = 0;
    const writeReport = (partial) => {
      const detected = report.killed + report.timeout;
      const out = { ...report, partial, score: report.total ? detected / report.total : 1, targets: plans.map((p) => ({ ...p.entry, tested: p.entry.tested - p.chosen.length + (p.entry.done ?? 0), survived: [...p.entry.survived].sort((a, b) => a.start - b.start) })) };
      mkdirSync(path.dirname(path.resolve(reportPath)), { recursive: true });
      writeFileSync(path.resolve(reportPath), JSON.stringify(out, null, 2));
    };
    let ran = 0;
    const record = (job, status, ms) => {
      const { plan, m } = job;
      if (status !== 'no-coverage') ran++;
      plan.entry.done = (plan.entry.done ?? 0) + 1;
      if (++sinceWrite === 20) {
        sinceWrite = 0;
        queueMicrotask(() => writeReport(true));
      }
      report.total++;
      plan.entry.ms += ms;
      if (status === 'killed') {
        plan.entry.killed++;
        report.killed++;
        process.stdout.write('.');
      } else if (status === 'timeout') {
        plan.entry.timeout++;
        report.timeout++;
        process.stdout.write('T');
      } else {
        const survivor = { line: m.line, mutation: m.description, start: m.start, text: m.text, lineText: m.lineText };
        if (status === 'no-coverage') {
          survivor.noCoverage = true;
          plan.entry.noCoverage++;
          report.noCoverage++;
        }
        plan.entry.survived.push(survivor);
        appendFileSync(`${path.resolve(reportPath)}.survivors`, `${plan.file}:${m.line}  ${m.description}${survivor.noCoverage ? '  (no coverage)' : ''}\n`);
        report.survived++;
        process.stdout.write(status === 'no-coverage' ? '0' : 'S');
      }
    };
    rmSync(`${path.resolve(reportPath)}.survivors`, { force: true });
    for (const plan of plans) for (const s of plan.unlocated) appendFileSync(`${path.resolve(reportPath)}.survivors`, `${plan.file}:${s.line}  ${s.mutation ?? s.description}  (could not re-locate)\n`);
    const mutantsStarted = Date.now();
    await Promise.all(
      hosts.map(async (h) => {
        while (queue.length > 0) {
          const job = queue.shift();
          if (job.files.length === 0) {
            record(job, 'no-coverage', 0);
            continue;
          }
          const t0 = Date.now();
          const answer = await h.run({ type: 'run', active: job.m.id, groups: groupsOf(job.files) }, timeoutMs ?? Math.min(job.ms, sharedMs) * 3 + 15_000);
          const status = answer.timeout ? 'timeout' : answer.results.every((r) => r.ok) ? 'survived' : 'killed';
          record(job, status, Date.now() - t0);
          if (process.env.PW_MUTATION_DEBUG) console.error(`\n${job.plan.file}:${job.m.line} ${job.m.description}: ${status} in ${Date.now() - t0} ms (${job.files.length} files, ${answer.results?.map((r) => `${r.ms} ms`).join(' + ')})`);
        }
      }),
    );
    process.stdout.write('\n');
    for (const plan of plans) {
      plan.entry.survived.sort((a, b) => a.start - b.start);
      report.targets.push(plan.entry);
      const e = plan.entry;
      const score = e.tested ? ((e.killed + e.timeout) / e.tested) * 100 : 100;
      console.log(`${e.file}: ${e.tested} tested, ${e.killed} killed, ${e.timeout} timeout, ${e.survived.length - e.noCoverage - e.unlocated} survived, ${e.noCoverage} no coverage, ${e.unlocated} could not re-locate, score ${score.toFixed(1)}%`);
      for (const s of e.survived) console.log(`  survived ${e.file}:${s.line}  ${s.mutation}${s.noCoverage ? '  (no coverage)' : ''}${s.unlocated ? '  (could not re-locate)' : ''}`);
    }
    report.seconds = Math.round((Date.now() - started) / 1000);
    report.msPerMutant = ran > 0 ? Math.round((Date.now() - mutantsStarted) / ran) : 0;
    const detected = report.killed + report.timeout;
    report.score = report.total ? detected / report.total : 1;
    mkdirSync(path.dirname(path.resolve(reportPath)), { recursive: true });
    writeFileSync(path.resolve(reportPath), JSON.stringify(report, null, 2));
    console.log(`mutation score: ${(report.score * 100).toFixed(1)}% (${detected} of ${report.total} detected, ${report.survived} survived of which ${report.noCoverage} without coverage and ${report.unlocated} could not re-locate; ${report.msPerMutant} ms per mutant wall-clock with ${jobs} hosts, ${report.seconds} s in all)`);
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
    rmSync(state, { recursive: true, force: true });
    rmSync(setupDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--host') await host();
else if (path.resolve(process.argv[1] ?? '') === self) await main();
