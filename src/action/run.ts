/**
 * The action, end to end: inputs -> loadConfig() + lint() (the same API as the CLI) -> SARIF
 * file -> PR diff placement -> review / annotations / summary comment -> job summary, outputs
 * and exit status. Everything it posts is derived from the lint result; nothing is downloaded.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { LintResult } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { findBaseline } from '../engine/baseline.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../engine/config.js';
import { lint } from '../engine/lint.js';
import { FORMATTERS } from '../formatters/index.js';
import { VERSION } from '../version.js';
import { buildPullDiff, type PullDiff } from './diff.js';
import { readContext, type RunContext } from './event.js';
import { createGitHubApi, describeApiError, type GitHubApi } from './github.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { countFindings, describeCounts, findingsTable } from './markdown.js';
import { placeFindings, type Placement } from './placement.js';
import { publish } from './publish.js';
import { appendStepSummary, error, group, info, InputError, setOutputs, warning, type Runner } from './runner.js';

const RANK = { note: 1, warning: 2, error: 3 } as const;

/** Returns the process exit status: 0 pass, 1 findings at/above fail-on, 2 bad input or internal error. */
export async function runAction(runner: Runner): Promise<number> {
  let inputs: ActionInputs;
  let context: RunContext;
  try {
    inputs = readInputs(runner.env);
    context = readContext(runner.env);
  } catch (e) {
    error(runner, `portwall: ${e instanceof InputError ? e.message : `cannot read the run's context: ${(e as Error).message}`}`);
    return 2;
  }

  // Loading JS rules runs code from the checked-out tree — the PR head on a pull request —
  // so it needs the explicit allow-js-rules opt-in; a config naming plugins is otherwise an error.
  let result: LintResult;
  let config: LoadedConfig;
  try {
    config = await loadConfig({ cwd: context.workspace, ...(inputs.config ? { configPath: inputs.config } : {}), builtinRules: BUILTIN_RULES, allowJsRules: inputs.allowJsRules });
    const baseline = findBaseline(context.workspace, config.baselinePath);
    result = await lint({
      cwd: context.workspace,
      paths: inputs.paths,
      policy: config.policy,
      rules: config.rules,
      ...(config.isIgnored ? { isIgnored: config.isIgnored } : {}),
      ...(config.levelFor ? { levelFor: config.levelFor } : {}),
      ...(config.helm ? { helm: config.helm } : {}),
      ...(baseline ? { baseline } : {}),
    });
  } catch (e) {
    error(runner, `portwall: ${e instanceof ConfigError ? e.message : `internal error: ${(e as Error).stack ?? String(e)}`}`);
    return 2;
  }

  // SARIF always has every finding: code scanning tracks the whole repository, not the diff.
  const sarifFile = path.resolve(context.workspace, inputs.sarifFile ?? path.join(runner.env.RUNNER_TEMP || context.workspace, 'portwall.sarif'));
  mkdirSync(path.dirname(sarifFile), { recursive: true });
  writeFileSync(sarifFile, FORMATTERS.sarif!(result, { rules: config.rules, version: VERSION, color: false }));

  const files = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    if (!files.has(file)) {
      try {
        files.set(file, readFileSync(path.resolve(result.root, file), 'utf8').replace(/^\ufeff/, ''));
      } catch {
        files.set(file, undefined);
      }
    }
    return files.get(file);
  };

  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!lineCache.has(file)) lineCache.set(file, textOf(file)?.split(/\r?\n/));
    return lineCache.get(file);
  };

  let apiPromise: Promise<GitHubApi | undefined> | undefined;
  const api = () => (apiPromise ??= inputs.token ? createGitHubApi(inputs.token, context.apiUrl) : Promise.resolve(undefined));

  const pr = context.pullRequest;
  const repo = { owner: context.owner, repo: context.repo };
  let diff: PullDiff | undefined;
  let staleHead: string | undefined;
  if (pr && (inputs.onlyChanged || inputs.commentMode === 'review')) {
    const client = await api();
    if (!client) {
      warning(runner, 'portwall: no github-token, so the pull request diff cannot be read: every finding is reported and counts for fail-on');
    } else {
      try {
        const [entries, head] = await Promise.all([client.listPullFiles(repo, pr.number), client.pullHeadSha(repo, pr.number)]);
        diff = buildPullDiff(entries, pr.changedFiles);
        if (head !== pr.headSha) staleHead = head;
        if (!diff.complete) warning(runner, `portwall: GitHub listed ${entries.length} of ${pr.changedFiles} changed files; findings in unlisted files count as changed`);
      } catch (e) {
        warning(runner, `portwall: cannot read the files of pull request #${pr.number} (${describeApiError(e).message}): every finding is reported and counts for fail-on`);
      }
    }
  }

  const active = result.findings.filter((f) => f.suppressions.length === 0);
  const placements = placeFindings(active, diff, linesOf);
  const onlyChanged = !!(pr && inputs.onlyChanged && diff);
  const reported: Placement[] = onlyChanged ? placements.filter((p) => p.touched) : placements;
  const reportedFindings = reported.map((p) => p.finding);
  const counts = countFindings(reportedFindings);
  const internalError = result.notifications.some((n) => n.level === 'error' && /internal error/.test(n.message));
  const failed = inputs.failOn !== 'none' && reportedFindings.some((f) => RANK[f.level] >= RANK[inputs.failOn as keyof typeof RANK]);

  const scope = onlyChanged ? 'on lines this pull request changes' : 'in the scanned files';
  info(runner, `portwall ${VERSION}: ${result.files.length} file(s) checked, ${active.length} finding(s) in total, ${counts.total} ${scope} (${describeCounts(counts)})`);
  if (result.files.length === 0) warning(runner, `portwall: no supported file found under ${inputs.paths.join(', ')}: nothing was checked`);
  for (const n of result.notifications) if (n.level !== 'note') warning(runner, `portwall: ${n.message}`);
  group(runner, 'portwall findings', reportedFindings.length ? FORMATTERS.text!({ ...result, findings: reportedFindings, notifications: [] }, { rules: config.rules, version: VERSION, color: false, lineText: (file, line) => linesOf(file)?.[line - 1] }).trimEnd().split('\n') : []);

  const outcome = await publish({ runner, mode: inputs.commentMode, context, reported, rules: config.rules, api, textOf, failed, ...(staleHead ? { staleHead } : {}) });
  for (const line of outcome.log) info(runner, `portwall: ${line}`);
  if (outcome.fallback) {
    warning(runner, `portwall: ${outcome.fallback}. Reporting the findings as workflow annotations and in the job summary instead.`);
    const annotations = FORMATTERS.github!({ ...result, findings: reportedFindings, notifications: [] }, { rules: config.rules, version: VERSION, color: false });
    for (const line of annotations.split('\n').filter(Boolean)) runner.log(line);
  }

  appendStepSummary(runner, stepSummary({ result, active: active.length, reported: reportedFindings, scope, context, rules: config.rules, ...(outcome.fallback ? { fallback: outcome.fallback } : {}) }));
  setOutputs(runner, { errors: String(counts.errors), warnings: String(counts.warnings), notes: String(counts.notes), total: String(counts.total), 'sarif-file': sarifFile });

  if (internalError) {
    error(runner, 'portwall: an internal error occurred during the scan (see the warnings above)');
    return 2;
  }
  if (failed) {
    error(runner, `portwall: ${describeCounts(counts)} ${scope}; failing because of findings at or above fail-on=${inputs.failOn}`);
    return 1;
  }
  return 0;
}

/** The same baseline the CLI uses: the config's `baseline`, else portwall-baseline.json in the root if present. */
function stepSummary(s: {
  result: LintResult;
  active: number;
  reported: LintResult['findings'];
  scope: string;
  context: RunContext;
  rules: Rule[];
  fallback?: string;
}): string {
  const counts = countFindings(s.reported);
  const suppressed = s.result.findings.length - s.active;
  const lines = ['## portwall', '', `**${describeCounts(counts)}** ${s.scope}.`, ''];
  lines.push(`${s.result.files.length} file(s) checked; ${s.active} finding(s) in total${suppressed ? `, ${suppressed} suppressed` : ''}. The SARIF file has all of them.`);
  if (s.result.files.length === 0) lines.push('', '> [!WARNING]', '> No supported file was found: nothing was checked.');
  if (s.fallback) lines.push('', '> [!NOTE]', `> ${s.fallback.replace(/\n/g, ' ')}. The findings are listed here and as annotations instead.`);
  if (s.reported.length > 0) {
    const c = s.context;
    lines.push('', findingsTable(s.reported, { rules: s.rules, maxRows: 1000, maxChars: 500_000, ...(c.owner ? { blobUrl: `${c.serverUrl}/${c.owner}/${c.repo}/blob/${c.sha}` } : {}) }));
  }
  return `${lines.join('\n')}\n`;
}
