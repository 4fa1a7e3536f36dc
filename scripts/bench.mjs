#!/usr/bin/env node
/**
 * Benchmark: speed and memory of a full scan, and the cold start a pre-commit hook pays.
 *   npm run bench                 # ../shared/corpus beside the project, 3 runs
 *   npm run bench -- DIR [RUNS]
 * Prints figures; asserts nothing (timed tests are flaky, figures go into notes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { lint } = await import(path.join(root, 'build/src/index.js'));

const target = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'corpus'));
const runs = Number(process.argv[3] ?? 3);
if (!existsSync(target)) {
  console.error(`bench: ${target} does not exist`);
  process.exit(2);
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

const times = [];
let result;
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  result = await lint({ cwd: target, paths: ['.'] });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
clearInterval(sampler);

const byFormat = {};
for (const f of result.files) byFormat[f.format] = (byFormat[f.format] ?? 0) + 1;
const byRule = {};
for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
const internal = result.notifications.filter((n) => /internal error/.test(n.message));
const sorted = [...times].sort((a, b) => a - b);

console.log(`target: ${target}`);
console.log(`files checked: ${result.files.length} ${JSON.stringify(byFormat)}`);
console.log(`findings: ${result.findings.length} ${JSON.stringify(byRule)}`);
console.log(`internal errors: ${internal.length}`);
for (const n of internal.slice(0, 10)) console.log(`  ${n.message}`);
console.log(`full scan: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms over ${runs} runs (first run ${times[0].toFixed(0)} ms)`);
console.log(`files/s: ${(result.files.length / (sorted[0] / 1000)).toFixed(0)}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);

// The pre-commit case: a fresh process on one staged compose file.
const dir = mkdtempSync(path.join(os.tmpdir(), 'portwall-bench-'));
writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports: ["127.0.0.1:9200:9200"]\n');
const cold = [];
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, [path.join(root, 'bin/portwall.js'), 'docker-compose.yml'], { cwd: dir, stdio: 'ignore' });
  cold.push(Number(process.hrtime.bigint() - start) / 1e6);
}
rmSync(dir, { recursive: true, force: true });
cold.sort((a, b) => a - b);
console.log(`one-file cold start (pre-commit): median ${cold[2].toFixed(0)} ms, min ${cold[0].toFixed(0)} ms`);
