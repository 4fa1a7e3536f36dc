/**
 * Baseline: accept today's findings, report only new ones. portwall-baseline.json lists the
 * current findings keyed by their fingerprint (rule + file + normalized located text +
 * occurrence, never line numbers), so moving lines does not resurrect them. Later runs mark
 * matching findings as suppressed (SARIF kind "external") and count entries that no longer
 * match, so a fixed finding can be dropped from the file.
 */
import { existsSync } from 'node:fs';
import { readConfined, realRoots } from './read-source.js';
import path from 'node:path';
import type { Finding, ToolNotification } from '../core/finding.js';
import { ConfigError } from './config-document.js';

export const BASELINE_FILE_NAME = 'portwall-baseline.json';
const BASELINE_VERSION = 1;

interface BaselineEntry {
  ruleId: string;
  file: string;
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** fingerprint -> what it was, for people reading the file in review. */
  findings: Record<string, BaselineEntry>;
  /** Display path the baseline was read from (not serialized). */
  source?: string;
}

/** Findings already suppressed inline do not need a baseline entry. */
export function createBaseline(findings: Finding[]): Baseline {
  const entries = findings
    .filter((f) => f.suppressions.length === 0)
    .map((f) => [f.fingerprint, { ruleId: f.ruleId, file: f.location.file, message: f.message }] as const)
    .sort(([fa, a], [fb, b]) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.message, b.message) || compare(fa, fb));
  return { version: BASELINE_VERSION, findings: Object.fromEntries(entries) };
}

/** Deterministic text: sorted entries, fixed key order, no timestamps (reviewable diffs). */
export function serializeBaseline(baseline: Baseline): string {
  const findings: Record<string, BaselineEntry> = {};
  for (const [fingerprint, e] of Object.entries(baseline.findings)) findings[fingerprint] = { ruleId: e.ruleId, file: e.file, message: e.message };
  return `${JSON.stringify({ version: baseline.version, findings }, null, 2)}\n`;
}

export function parseBaseline(text: string, displayPath: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new ConfigError(`${displayPath}: invalid baseline: ${(error as Error).message}`);
  }
  const record = data as { version?: unknown; findings?: unknown };
  if (!record || typeof record !== 'object' || record.version !== BASELINE_VERSION || !record.findings || typeof record.findings !== 'object' || Array.isArray(record.findings)) {
    throw new ConfigError(`${displayPath}: invalid baseline: expected {"version": ${BASELINE_VERSION}, "findings": {...}} as written by "portwall baseline"`);
  }
  const findings: Record<string, BaselineEntry> = {};
  for (const [fingerprint, value] of Object.entries(record.findings as Record<string, unknown>)) {
    const e = value as Partial<BaselineEntry> | null;
    if (!/^[0-9a-f]{8,64}$/.test(fingerprint) || !e || typeof e.ruleId !== 'string' || typeof e.file !== 'string') {
      throw new ConfigError(`${displayPath}: invalid baseline entry "${fingerprint}": expected a fingerprint with ruleId, file and message`);
    }
    findings[fingerprint] = { ruleId: e.ruleId, file: e.file, message: typeof e.message === 'string' ? e.message : '' };
  }
  return { version: BASELINE_VERSION, findings, source: displayPath };
}

/** A baseline is a regular file of at most 64 MiB; `roots` confine one named by a config in the repository. */
function readBaseline(absolutePath: string, displayPath: string, roots?: readonly string[]): Baseline {
  const read = readConfined(absolutePath, roots, 64 * 1024 * 1024);
  if ('problem' in read) {
    const p = read.problem;
    throw new ConfigError(`${displayPath}: baseline ${p.reason === 'missing' ? 'cannot be read (ENOENT)' : p.message}`);
  }
  return parseBaseline(read.text, displayPath);
}

/**
 * Suppress findings whose fingerprint is in the baseline. An entry is stale when its file was
 * scanned and nothing matched it; entries of files outside this scan (a pre-commit run on a
 * few files) are neither used nor stale.
 */
export function applyBaseline(findings: Finding[], baseline: Baseline, scannedFiles: ReadonlySet<string>): { findings: Finding[]; stale: number; notifications: ToolNotification[] } {
  const matched = new Set<string>();
  const justification = `in baseline${baseline.source ? ` ${baseline.source}` : ''}`;
  const out = findings.map((f) => {
    const entry = baseline.findings[f.fingerprint];
    if (!entry) return f;
    matched.add(f.fingerprint);
    return { ...f, suppressions: [...f.suppressions, { kind: 'external' as const, justification }] };
  });
  let stale = 0;
  for (const [fingerprint, entry] of Object.entries(baseline.findings)) {
    if (!matched.has(fingerprint) && scannedFiles.has(entry.file)) stale++;
  }
  const notifications: ToolNotification[] = [];
  if (stale > 0) {
    notifications.push({
      level: 'note',
      message: `${stale} baseline entr${stale === 1 ? 'y' : 'ies'} in ${baseline.source ?? BASELINE_FILE_NAME} no longer match${stale === 1 ? 'es' : ''} any finding (fixed or changed): run "portwall baseline" to update it`,
    });
  }
  return { findings: out, stale, notifications };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The baseline a run uses: an explicit file (option or config `baseline`, which must exist),
 * else portwall-baseline.json in the scan root when present. Shared by the CLI and the Action.
 */
export function findBaseline(root: string, explicitPath: string | undefined, roots?: readonly string[]): Baseline | undefined {
  const file = explicitPath ?? path.resolve(root, BASELINE_FILE_NAME);
  if (!explicitPath && !existsSync(file)) return undefined;
  return readBaseline(file, path.relative(root, file).split(path.sep).join('/') || BASELINE_FILE_NAME, explicitPath ? roots : (roots ?? realRoots([root])));
}
