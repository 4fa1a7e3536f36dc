/**
 * Merges SARIF logs of sharded scans (`--shard i/n`) into one log with one run per tool and
 * category, as GitHub code scanning wants (it rejects several runs of one tool and category in
 * one upload, and replaces a category's alerts with each upload). Pure: logs in, log out.
 */

import { MAX_RESULTS } from './sarif.js';

interface SarifRule {
  id: string;
  [key: string]: unknown;
}
interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  [key: string]: unknown;
}
interface SarifRun {
  tool: { driver: { name: string; rules?: SarifRule[]; [key: string]: unknown } };
  automationDetails?: { id?: string };
  results?: SarifResult[];
  invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[]; [key: string]: unknown }[];
  [key: string]: unknown;
}
export interface SarifLog {
  version: string;
  $schema?: string;
  runs: SarifRun[];
}

export class SarifMergeError extends Error {}

/** One run per (tool, category); rules unioned by id, results re-indexed, invocations folded into one. */
export function mergeSarif(logs: SarifLog[]): SarifLog {
  if (logs.length === 0) throw new SarifMergeError('no SARIF logs to merge');
  const merged = new Map<string, SarifRun>();
  const order: string[] = [];
  for (const [i, log] of logs.entries()) {
    if (log?.version !== '2.1.0' || !Array.isArray(log.runs)) throw new SarifMergeError(`input ${i + 1} is not a SARIF 2.1.0 log`);
    for (const run of log.runs) {
      const name = run?.tool?.driver?.name;
      if (typeof name !== 'string') throw new SarifMergeError(`input ${i + 1} has a run without tool.driver.name`);
      const key = `${name}\u0000${run.automationDetails?.id ?? ''}`;
      const into = merged.get(key);
      if (!into) {
        merged.set(key, cloneRun(run));
        order.push(key);
      } else {
        mergeInto(into, run);
      }
    }
  }
  const runs = order.map((k) => capResults(merged.get(k)!));
  return { version: '2.1.0', ...(logs[0]!.$schema ? { $schema: logs[0]!.$schema } : {}), runs };
}

/** GitHub rejects a run of more than 25,000 results: keep the first ones and say so. */
function capResults(run: SarifRun): SarifRun {
  const results = run.results ?? [];
  if (results.length <= MAX_RESULTS) return run;
  const dropped = results.length - MAX_RESULTS;
  run.results = results.slice(0, MAX_RESULTS);
  const invocations = (run.invocations ??= []);
  if (invocations.length === 0) invocations.push({ executionSuccessful: true });
  (invocations[0]!.toolExecutionNotifications ??= []).push({
    level: 'warning',
    message: { text: `${dropped} results were left out: GitHub accepts at most ${MAX_RESULTS} results in a run` },
  });
  return run;
}

function cloneRun(run: SarifRun): SarifRun {
  const copy = JSON.parse(JSON.stringify(run)) as SarifRun;
  copy.results ??= [];
  return copy;
}

function mergeInto(into: SarifRun, run: SarifRun): void {
  const rules = (into.tool.driver.rules ??= []);
  const indexOf = new Map(rules.map((r, i) => [r.id, i]));
  // A custom rule that only one shard loaded still needs its metadata.
  for (const rule of run.tool.driver.rules ?? []) {
    if (!indexOf.has(rule.id)) {
      indexOf.set(rule.id, rules.length);
      rules.push(JSON.parse(JSON.stringify(rule)) as SarifRule);
    }
  }
  const theirRules = run.tool.driver.rules ?? [];
  // A finding two deployment units produce is reported by each shard that evaluates one of them: keep it once.
  const seen = new Set((into.results ?? []).map(resultKey).filter((k): k is string => k !== undefined));
  for (const result of run.results ?? []) {
    const key = resultKey(result);
    if (key !== undefined) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const copy = JSON.parse(JSON.stringify(result)) as SarifResult;
    const id = copy.ruleId ?? (copy.ruleIndex !== undefined ? theirRules[copy.ruleIndex]?.id : undefined);
    if (id !== undefined && indexOf.has(id)) copy.ruleIndex = indexOf.get(id)!;
    else delete copy.ruleIndex;
    into.results!.push(copy);
  }
  const mine = (into.invocations ??= []);
  for (const invocation of run.invocations ?? []) {
    if (mine.length === 0) {
      mine.push(JSON.parse(JSON.stringify(invocation)));
      continue;
    }
    const first = mine[0]!;
    first.executionSuccessful = first.executionSuccessful && invocation.executionSuccessful;
    if (invocation.toolExecutionNotifications?.length) {
      const notes = (first.toolExecutionNotifications ??= []);
      for (const n of invocation.toolExecutionNotifications) notes.push(JSON.parse(JSON.stringify(n)));
    }
  }
}

/** Rule and partial fingerprints: the identity of a result across shards (none without fingerprints). */
function resultKey(result: SarifResult): string | undefined {
  const fingerprints = result.partialFingerprints as Record<string, string> | undefined;
  if (!fingerprints || Object.keys(fingerprints).length === 0) return undefined;
  const parts = Object.keys(fingerprints).sort().map((k) => `${k}=${fingerprints[k]}`);
  return `${result.ruleId ?? ''}\u0000${parts.join('\u0000')}`;
}
