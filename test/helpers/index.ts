/** Test helpers: lint real files in a temp folder or a fixture folder, and compact finding views. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { lint, type LintOptions } from '../../src/engine/lint.js';
import type { Finding, LintResult } from '../../src/core/finding.js';
import { LineIndex } from '../../src/core/location.js';
import type { SourceFile } from '../../src/formats/types.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The CLI as users run it (the built code). */
export const BIN = path.join(ROOT, 'bin', 'portwall.js');

export function tempDir(prefix = 'portwall-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/**
 * Temp projects for one test file, removed after its tests: call at module level, then
 * `project({ 'docker-compose.yml': '...' })` returns the folder.
 */
export function useTempProjects(prefix = 'portwall-test-'): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (files) => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    writeTree(dir, files);
    return dir;
  };
}

/** Runs the built CLI in `cwd` without colors; `env` adds to (or, with undefined, removes from) the environment. */
export function runBin(cwd: string, args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Lint an in-memory tree written to a temp folder (removed afterwards). */
export async function lintTree(files: Record<string, string>, options: Omit<LintOptions, 'cwd'> = {}): Promise<LintResult> {
  const dir = tempDir();
  try {
    writeTree(dir, files);
    return await lint({ ...options, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function lintDir(dir: string, options: Omit<LintOptions, 'cwd'> = {}): Promise<LintResult> {
  return lint({ ...options, cwd: dir });
}

export interface FindingView {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The fields a location test asserts: rule, file, start and end. */
export function view(f: Finding): FindingView {
  const r = f.location.region;
  return { ruleId: f.ruleId, file: f.location.file, line: r.startLine, column: r.startColumn, endLine: r.endLine, endColumn: r.endColumn };
}

export function views(result: LintResult, ruleId?: string): FindingView[] {
  return result.findings.filter((f) => !ruleId || f.ruleId === ruleId).map(view);
}

export function sourceFile(filePath: string, text: string): SourceFile {
  return { path: filePath, text, index: new LineIndex(text), cache: new Map() };
}
