/**
 * Runs the bundled action the way the runner does: `node index.js` with INPUT_* variables,
 * an event payload file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and GITHUB_API_URL at the
 * fake server. The environment is built from scratch so no real token or API URL leaks in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAction } from '../../scripts/build-action.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');

/**
 * The bundle under test: a fresh build of the current sources by the same script that writes
 * dist/ (so the tests never pass on a stale dist/), or the committed dist/ itself when
 * PORTWALL_ACTION_BUNDLE=dist (CI, after `npm run check:action`).
 */
export async function prepareBundle(scratch: string): Promise<{ entry: string; buildMs: number; bytes: number }> {
  if (process.env.PORTWALL_ACTION_BUNDLE === 'dist') {
    return { entry: path.join(REPO_ROOT, 'dist/index.js'), buildMs: 0, bytes: readFileSync(path.join(REPO_ROOT, 'dist/index.js')).length };
  }
  const result = await buildAction(path.join(scratch, 'bundle'));
  return { entry: path.join(result.outdir, 'index.js'), buildMs: result.milliseconds, bytes: result.bytes };
}

export function makeScratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'portwall-action-test-'));
}

/** A temp copy of the fixture repository, optionally edited. */
export function makeWorkspace(scratch: string, name: string, edit?: (dir: string) => void): string {
  const dir = path.join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(here, 'fixtures/repo'), dir, { recursive: true });
  edit?.(dir);
  return dir;
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
const gitIn = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

/**
 * The fixture repository with git history: a base commit (`toBase` of the text files) and the
 * head commit (the fixture, optionally edited), checked out at the head.
 */
export function makeGitWorkspace(scratch: string, name: string, toBase: (files: Record<string, string>) => Record<string, string>, edit?: (dir: string) => void): { dir: string; baseSha: string } {
  const dir = makeWorkspace(scratch, name, edit);
  const textFiles = ['docker-compose.yml', 'README.md', 'deploy/legacy-compose.yml'].filter((f) => existsSync(path.join(dir, f)));
  const head = Object.fromEntries(textFiles.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  gitIn(dir, ['init', '-q', '-b', 'main']);
  for (const [file, text] of Object.entries(toBase(head))) writeFileSync(path.join(dir, file), text);
  gitIn(dir, ['add', '-A', '--', ...textFiles]);
  gitIn(dir, ['commit', '-q', '-m', 'base']);
  const baseSha = gitIn(dir, ['rev-parse', 'HEAD']);
  for (const [file, text] of Object.entries(head)) writeFileSync(path.join(dir, file), text);
  gitIn(dir, ['add', '-A']);
  gitIn(dir, ['commit', '-q', '-m', 'head']);
  return { dir, baseSha };
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
}

export interface RunOptions {
  bundle: string;
  scratch: string;
  workspace: string;
  apiUrl: string;
  event: { name: string; payload: unknown };
  inputs: Record<string, string>;
  sha?: string;
  /** Extra variables (e.g. PORTWALL_ACTION_MAX_SLEEP_MS=0 so back-off waits are logged, not slept). */
  env?: Record<string, string>;
}

let runCounter = 0;

export async function runBundledAction(options: RunOptions): Promise<ActionRun> {
  const dir = path.join(options.scratch, `run-${++runCounter}`);
  mkdirSync(dir, { recursive: true });
  const eventPath = path.join(dir, 'event.json');
  const outputPath = path.join(dir, 'output');
  const summaryPath = path.join(dir, 'summary.md');
  const runnerTemp = path.join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(options.event.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_SHA: options.sha ?? '0000000000000000000000000000000000000000',
    RUNNER_TEMP: runnerTemp,
  };
  Object.assign(env, options.env ?? {});
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = performance.now();
  const child = spawn(process.execPath, [options.bundle], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  // Bounded: a hung action fails the test instead of hanging the suite.
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stdout, stderr, outputs: parseOutputs(readFileSync(outputPath, 'utf8')), summary: readFileSync(summaryPath, 'utf8'), durationMs: Math.round(performance.now() - started) };
}

/** Reads `name<<DELIMITER` ... `DELIMITER` blocks the way the runner does. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    outputs[m[1]!] = value.join('\n');
  }
  return outputs;
}
