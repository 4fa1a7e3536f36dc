/**
 * The GitHub Actions runner protocol, as @actions/core speaks it, without the dependency:
 * inputs from INPUT_* variables, outputs and the job summary through the files the runner
 * names, and workflow commands on stdout. Pure Node; no network.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

export type Env = Record<string, string | undefined>;

/** `INPUT_<NAME>`: upper case, spaces to underscores, hyphens kept (what the runner sets). */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export class InputError extends Error {}

/** The YAML 1.2 core-schema booleans, the same set @actions/core's getBooleanInput accepts. */
export function getBooleanInput(env: Env, name: string, fallback: boolean): boolean {
  const raw = getInput(env, name);
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new InputError(`input "${name}" must be true or false, got "${raw}"`);
}

/** One value per line, blank lines and surrounding spaces dropped (getMultilineInput). */
export function getMultilineInput(env: Env, name: string): string[] {
  return getInput(env, name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Output sink, injectable so the orchestration can be driven without a real process. */
export interface Runner {
  env: Env;
  log(line: string): void;
}

export function info(runner: Runner, message: string): void {
  runner.log(message);
}

export function warning(runner: Runner, message: string): void {
  runner.log(`::warning title=portwall::${escapeData(message)}`);
}

export function error(runner: Runner, message: string): void {
  runner.log(`::error title=portwall::${escapeData(message)}`);
}

/**
 * A collapsed log group of untrusted text (file names and source lines from the PR). The runner
 * ignores workflow commands between `::stop-commands::TOKEN` and `::TOKEN::`, so a file named
 * `::error::x.yml` cannot forge an annotation or mask the log.
 */
export function group(runner: Runner, title: string, lines: string[]): void {
  if (lines.length === 0) return;
  const token = `portwall-${randomUUID()}`;
  runner.log(`::group::${escapeData(title)}`);
  runner.log(`::stop-commands::${token}`);
  for (const line of lines) runner.log(line);
  runner.log(`::${token}::`);
  runner.log('::endgroup::');
}

/**
 * Appends `name<<delimiter` blocks to $GITHUB_OUTPUT. The random delimiter cannot be
 * guessed by a value (a finding message comes from the scanned, untrusted tree), and we
 * still check it does not occur, as @actions/core does.
 */
export function setOutputs(runner: Runner, outputs: Record<string, string>): void {
  const file = runner.env.GITHUB_OUTPUT;
  if (!file) {
    // Outside a runner (local try-out): print them so they are not lost.
    for (const [name, value] of Object.entries(outputs)) runner.log(`output ${name}=${value}`);
    return;
  }
  let block = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name} contains the delimiter`);
    block += `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
  }
  appendFileSync(file, block, 'utf8');
}

/** Appends Markdown to $GITHUB_STEP_SUMMARY (the runner caps it at 1 MiB per step). */
export function appendStepSummary(runner: Runner, markdown: string): boolean {
  const file = runner.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return true;
}
