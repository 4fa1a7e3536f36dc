/**
 * The action, end to end: inputs -> the base commit's tree (engine/diff-base.ts) -> loadConfig()
 * + lint() of head and base (the same API as the CLI) -> SARIF file -> new vs pre-existing
 * findings -> what the PR silences -> PR diff placement -> review / annotations / summary
 * comment -> job summary, outputs and exit status. Nothing is downloaded; git is only asked for
 * the base commit.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { Finding, LintResult } from '../core/finding.js';
import { defaultPolicy } from '../core/policy.js';
import type { Rule } from '../core/rule.js';
import { findBaseline } from '../engine/baseline.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../engine/config.js';
import { compareWithBase, type BaseTree, type DiffBaseComparison } from '../engine/diff-base.js';
import { lint } from '../engine/lint.js';
import { FORMATTERS } from '../formatters/index.js';
import { VERSION } from '../version.js';
import { chooseBase, prepareBaseTree, type BaseChoice } from './base.js';
import { callOutThread, differentialSummary, findingThread, type Thread } from './comments.js';
import { buildPullDiff, type PullDiff } from './diff.js';
import { readContext, type RunContext } from './event.js';
import { createGitHubApi, describeApiError, type ApiStats, type GitHubApi } from './github.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { code, countFindings, describeCounts, escapeText, findingsTable } from './markdown.js';
import { addedLineAnchor, anchorOnChange, type Anchor } from './placement.js';
import { MAX_INLINE_COMMENTS, publish } from './publish.js';
import { appendStepSummary, error, group, info, InputError, setOutputs, warning, type Runner } from './runner.js';
import { callOuts as findCallOuts, changedPolicyKeys, readPolicyFiles, type CallOut } from './trust.js';

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
  const started = performance.now();
  const pr = context.pullRequest;
  // Differential on pull requests, and on pushes that name the previous commit.
  const differential = inputs.onlyChanged && (!!pr || !!context.before);
  let baseTree: BaseTree | undefined;
  let baseChoice: BaseChoice | undefined;
  let noBase: string | undefined;
  if (differential) {
    const choice = chooseBase(context);
    if ('reason' in choice) noBase = choice.reason;
    else {
      try {
        baseTree = prepareBaseTree(context, choice, inputs.token);
        baseChoice = choice;
        info(runner, `portwall: base ${choice.sha.slice(0, 7)} (${choice.how})${baseTree.fetched ? ', fetched with --depth=1 (shallow checkout)' : ''}`);
      } catch (e) {
        noBase = `the base commit ${choice.sha.slice(0, 7)} cannot be read from git (${(e as Error).message}); with a shallow checkout, give actions/checkout a token that can fetch it, or fetch-depth: 0`;
      }
    }
  }
  try {
    return await runWithBase(runner, inputs, context, { differential, ...(baseTree ? { baseTree } : {}), ...(baseChoice ? { baseChoice } : {}), ...(noBase ? { noBase } : {}), started });
  } finally {
    baseTree?.remove();
  }
}

interface BaseState {
  differential: boolean;
  baseTree?: BaseTree;
  baseChoice?: BaseChoice;
  noBase?: string;
  started: number;
}

function builtinConfig(): LoadedConfig {
  return { policy: defaultPolicy(), ignore: [], rules: BUILTIN_RULES };
}

async function loadFrom(root: string, inputs: ActionInputs, allowJsRules: boolean): Promise<LoadedConfig> {
  // The config's paths stay inside the tree it came from; its plugins load only when allowed.
  return loadConfig({ cwd: root, ...(inputs.config ? { configPath: inputs.config } : {}), builtinRules: BUILTIN_RULES, allowJsRules: allowJsRules ? true : 'skip', confine: true });
}

function lintWith(cwd: string, paths: string[], config: LoadedConfig, configRoot: string): Promise<LintResult> {
  const baseline = findBaseline(configRoot, config.baselinePath, config.confineTo);
  return lint({
    cwd,
    paths,
    policy: config.policy,
    rules: config.rules,
    ...(config.isIgnored ? { isIgnored: config.isIgnored } : {}),
    ...(config.levelFor ? { levelFor: config.levelFor } : {}),
    ...(config.helm ? { helm: config.helm } : {}),
    ...(baseline ? { baseline } : {}),
  });
}

async function runWithBase(runner: Runner, inputs: ActionInputs, context: RunContext, state: BaseState): Promise<number> {
  const pr = context.pullRequest;
  const notes: string[] = [];
  const { baseTree } = state;
  let { noBase } = state;
  if (noBase) warning(runner, `portwall: no base comparison: ${noBase}. Every finding counts as new.`);

  // The policy: the head's (default) or the base commit's (config-from: base). JavaScript rules
  // from the head run the PR author's code, so they need allow-js-rules; the base's are merged code.
  const fromBase = inputs.configFrom === 'base' && !!pr;
  const configRoot = fromBase && baseTree ? baseTree.cwd : context.workspace;
  let config: LoadedConfig;
  let result: LintResult;
  let base: LintResult | undefined;
  try {
    if (fromBase && !baseTree) {
      warning(runner, 'portwall: config-from base, but the base commit is not available: the built-in default policy applies');
      config = builtinConfig();
    } else {
      try {
        config = await loadFrom(configRoot, inputs, fromBase ? true : inputs.allowJsRules);
        for (const notice of config.notices ?? []) info(runner, `portwall: note: ${notice}`);
      } catch (e) {
        if (!(fromBase && e instanceof ConfigError)) throw e;
        warning(runner, `portwall: the base commit's config is invalid (${e.message}): the built-in default policy applies`);
        config = builtinConfig();
      }
    }
    result = await lintWith(context.workspace, inputs.paths, config, configRoot);
    if (baseTree) {
      try {
        base = await lintWith(baseTree.cwd, inputs.paths, config, configRoot);
      } catch (e) {
        noBase = `the base commit could not be linted (${(e as Error).message})`;
        warning(runner, `portwall: no base comparison: ${noBase}. Every finding counts as new.`);
      }
    }
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

  const active = result.findings.filter((f) => f.suppressions.length === 0);
  const comparison: DiffBaseComparison | undefined = base ? compareWithBase(result, base) : undefined;
  if (comparison && comparison.baseParseFailures.length > 0) {
    const list = comparison.baseParseFailures.slice(0, 5).join(', ') + (comparison.baseParseFailures.length > 5 ? ` and ${comparison.baseParseFailures.length - 5} more` : '');
    notes.push(`The base commit has ${comparison.baseParseFailures.length} file(s) portwall cannot parse (${list}): what they held is unknown, so their findings count as new.`);
  }
  const reportedFindings = state.differential && comparison ? comparison.newFindings : active;

  // What the PR silences (suppression comments, baseline entries, config changes).
  let calls: CallOut[] = [];
  if (pr && baseTree && comparison) {
    try {
      calls = await trustCallOuts(inputs, context, baseTree, result, comparison, notes);
    } catch (e) {
      notes.push(`What this pull request silences could not be worked out: ${(e as Error).message}`);
    }
    for (const c of calls) info(runner, `portwall: ${c.file}:${c.line}: ${c.what} ${c.notApplied ? 'would silence' : 'silences'} ${c.silences.length} finding(s)`);
  }

  let apiPromise: Promise<(GitHubApi & { stats: ApiStats }) | undefined> | undefined;
  const maxSleep = runner.env.PORTWALL_ACTION_MAX_SLEEP_MS;
  const api = () =>
    (apiPromise ??= inputs.token
      ? createGitHubApi(inputs.token, context.apiUrl, { ...(maxSleep !== undefined && /^\d+$/.test(maxSleep) ? { maxSleepMs: Number(maxSleep) } : {}), log: (line) => info(runner, `portwall: ${line}`) })
      : Promise.resolve(undefined));

  const repo = { owner: context.owner, repo: context.repo };
  let diff: PullDiff | undefined;
  let staleHead: string | undefined;
  if (pr && inputs.commentMode === 'review') {
    const client = await api();
    if (client) {
      try {
        const [entries, head] = await Promise.all([client.listPullFiles(repo, pr.number), client.pullHeadSha(repo, pr.number)]);
        diff = buildPullDiff(entries, pr.changedFiles);
        if (head !== pr.headSha) staleHead = head;
        if (!diff.complete) warning(runner, `portwall: GitHub listed ${entries.length} of ${pr.changedFiles} changed files; findings in unlisted files go to the summary comment`);
      } catch (e) {
        warning(runner, `portwall: cannot read the files of pull request #${pr.number} (${describeApiError(e).message}): findings go to the summary comment, not inline`);
      }
    }
  }

  // Inline: each reported finding on a changed line among its locations; one comment per line.
  const groups = new Map<string, { finding: Finding; anchor: Anchor }[]>();
  const elsewhere: Finding[] = [];
  for (const finding of reportedFindings) {
    const anchor = anchorOnChange(finding, diff, linesOf);
    if (!anchor) {
      elsewhere.push(finding);
      continue;
    }
    const key = `${anchor.path}\u0000${anchor.line}`;
    const group = groups.get(key);
    if (group) group.push({ finding, anchor });
    else if (groups.size < MAX_INLINE_COMMENTS) groups.set(key, [{ finding, anchor }]);
    else elsewhere.push(finding);
  }
  const threads: Thread[] = [...groups.values()].map((g) => findingThread(g, config.rules, textOf));
  const inlineCount = [...groups.values()].reduce((n, g) => n + g.length, 0);
  for (const call of calls) {
    for (let line = call.line; line <= (call.endLine ?? call.line); line++) {
      const at = addedLineAnchor(call.file, line, diff, linesOf);
      if (at && !threads.some((t) => t.path === at.path && t.line === at.line && t.ids.includes(call.id))) {
        threads.push(callOutThread(call, config.rules, at));
        break;
      }
    }
  }

  const counts = countFindings(reportedFindings);
  const internalError = result.notifications.some((n) => n.kind === 'internal');
  const failed = inputs.failOn !== 'none' && reportedFindings.some((f) => RANK[f.level] >= RANK[inputs.failOn as keyof typeof RANK]);
  const scope = state.differential
    ? comparison
      ? `new since ${base ? state.baseChoice!.sha.slice(0, 7) : 'the base'}`
      : 'in the scanned files (no base comparison)'
    : 'in the scanned files';

  info(runner, `portwall ${VERSION}: ${result.files.length} file(s) checked, ${active.length} finding(s) in total, ${counts.total} ${scope} (${describeCounts(counts)})${comparison ? `; ${comparison.preExisting.length} pre-existing, ${comparison.fixed.length} fixed` : ''}`);
  if (result.files.length === 0) warning(runner, `portwall: no supported file found under ${inputs.paths.join(', ')}: nothing was checked`);
  for (const n of result.notifications) if (n.level !== 'note') warning(runner, `portwall: ${n.message}`);
  group(runner, 'portwall findings', reportedFindings.length ? FORMATTERS.text!({ ...result, findings: reportedFindings, notifications: [] }, { rules: config.rules, version: VERSION, color: false, lineText: (file, line) => linesOf(file)?.[line - 1] }).trimEnd().split('\n') : []);

  const blobUrl = `${context.serverUrl}/${context.owner}/${context.repo}/blob/${context.sha}`;
  const summaryFor = (inlineWorked: boolean, all: boolean): string =>
    differentialSummary({
      sha: context.sha,
      ...(comparison && state.baseChoice ? { baseSha: state.baseChoice.sha, baseHow: state.baseChoice.how } : {}),
      ...(state.differential && !comparison && noBase ? { noBase } : {}),
      newFindings: reportedFindings,
      inline: inlineWorked && !all ? inlineCount : 0,
      elsewhere: inlineWorked && !all ? elsewhere : reportedFindings,
      preExisting: comparison?.preExisting.length ?? 0,
      fixed: comparison?.fixed.length ?? 0,
      callOuts: calls,
      notes,
      rules: config.rules,
      blobUrl,
      failed,
      ...(!state.differential ? { all: true } : {}),
    });
  const somethingToSay = reportedFindings.length > 0 || calls.length > 0 || notes.length > 0 || (state.differential && !comparison);
  const headFingerprints = new Map(result.findings.map((f) => [f.fingerprint, f]));
  const reportedSet = new Set(reportedFindings.map((f) => f.fingerprint));
  const outcome = await publish({
    runner,
    mode: inputs.commentMode,
    context,
    findings: reportedFindings,
    threads,
    summary: (inlineWorked) => (somethingToSay ? summaryFor(inlineWorked, inputs.commentMode === 'summary') : undefined),
    clearedSummary: summaryFor(true, false),
    closeReason: (ids) => {
      if (ids.some((id) => id.includes(':'))) return 'No longer applies';
      const still = ids.map((id) => headFingerprints.get(id)).filter((f): f is Finding => !!f);
      if (still.length === 0) return 'Fixed';
      if (still.some((f) => reportedSet.has(f.fingerprint))) return 'Still reported, in the summary comment';
      if (still.every((f) => f.suppressions.length > 0)) return 'Suppressed';
      return 'No longer new (the base has it too)';
    },
    rules: config.rules,
    api,
    failed,
    ...(staleHead ? { staleHead } : {}),
  });
  for (const line of outcome.log) info(runner, `portwall: ${line}`);
  if (outcome.quiet) info(runner, `portwall: ${outcome.quiet}`);
  if (outcome.fallback) warning(runner, `portwall: ${outcome.fallback}. Reporting the findings as workflow annotations and in the job summary instead.`);
  if (outcome.fallback || outcome.quiet) {
    const annotations = FORMATTERS.github!({ ...result, findings: reportedFindings, notifications: [] }, { rules: config.rules, version: VERSION, color: false });
    for (const line of annotations.split('\n').filter(Boolean)) runner.log(line);
  }
  const client = apiPromise ? await apiPromise : undefined;
  if (client) {
    const s = client.stats;
    info(runner, `portwall: GitHub API: ${s.reads + s.writes} request(s) (${s.reads} read(s), ${s.writes} write(s)), ${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}, ${(s.waitedMs / 1000).toFixed(1)} s of pacing and back-off; run took ${((performance.now() - state.started) / 1000).toFixed(1)} s`);
  }

  appendStepSummary(
    runner,
    stepSummary({ result, active: active.length, reported: reportedFindings, scope, context, rules: config.rules, comparison, calls, notes, ...(outcome.fallback ? { fallback: outcome.fallback } : {}) }),
  );
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

/** Lints the head tree with the other side's policy when the PR changes the config, and lists the call-outs. */
async function trustCallOuts(inputs: ActionInputs, context: RunContext, baseTree: BaseTree, result: LintResult, comparison: DiffBaseComparison, notes: string[]): Promise<CallOut[]> {
  const basePolicy = readPolicyFiles(baseTree.cwd, inputs.config);
  const headPolicy = readPolicyFiles(context.workspace, inputs.config);
  let silencedByConfig: Finding[] = [];
  if (changedPolicyKeys(basePolicy, headPolicy).length > 0) {
    try {
      const fromBase = inputs.configFrom === 'base';
      const otherRoot = fromBase ? context.workspace : baseTree.cwd;
      const other = await loadFrom(otherRoot, inputs, fromBase ? inputs.allowJsRules : true);
      // Plugins the head adds are not loaded without allow-js-rules: what they would change cannot be known.
      if (other.notices?.length) throw new Error('JavaScript rules are not allowed from the pull request without allow-js-rules');
      const otherResult = await lintWith(context.workspace, inputs.paths, other, otherRoot);
      const [underBase, underHead] = fromBase ? [result, otherResult] : [otherResult, result];
      const headActive = new Map(underHead.findings.filter((f) => f.suppressions.length === 0).map((f) => [f.fingerprint, f]));
      silencedByConfig = underBase.findings.filter((f) => {
        if (f.suppressions.length > 0) return false;
        const now = headActive.get(f.fingerprint);
        return !now || RANK[now.level] < RANK[f.level];
      });
    } catch (e) {
      notes.push(`The effect of this pull request's config change could not be measured: ${(e as Error).message}`);
    }
  }
  return findCallOuts({ base: basePolicy, head: headPolicy, newlySilenced: comparison.newlySilenced, headFindings: result.findings, silencedByConfig, configFrom: inputs.configFrom });
}

function stepSummary(s: {
  result: LintResult;
  active: number;
  reported: LintResult['findings'];
  scope: string;
  context: RunContext;
  rules: Rule[];
  comparison: DiffBaseComparison | undefined;
  calls: CallOut[];
  notes: string[];
  fallback?: string;
}): string {
  const counts = countFindings(s.reported);
  const suppressed = s.result.findings.length - s.active;
  const lines = ['## portwall', '', `**${describeCounts(counts)}** ${s.scope}.`, ''];
  lines.push(`${s.result.files.length} file(s) checked; ${s.active} finding(s) in total${suppressed ? `, ${suppressed} suppressed` : ''}${s.comparison ? `; ${s.comparison.preExisting.length} pre-existing (not failing), ${s.comparison.fixed.length} fixed` : ''}. The SARIF file has all of them.`);
  if (s.result.files.length === 0) lines.push('', '> [!WARNING]', '> No supported file was found: nothing was checked.');
  if (s.fallback) lines.push('', '> [!NOTE]', `> ${s.fallback.replace(/\n/g, ' ')}. The findings are listed here and as annotations instead.`);
  for (const c of s.calls) lines.push('', `- Trust: ${code(`${c.file}:${c.line}`)}: ${c.whatMarkdown ?? escapeText(c.what)} ${c.notApplied ? 'would silence' : 'silences'} ${c.silences.length} finding(s)`);
  for (const n of s.notes) lines.push('', `> ${escapeText(n)}`);
  if (s.reported.length > 0) {
    const c = s.context;
    lines.push('', findingsTable(s.reported, { rules: s.rules, maxRows: 1000, maxChars: 500_000, ...(c.owner ? { blobUrl: `${c.serverUrl}/${c.owner}/${c.repo}/blob/${c.sha}` } : {}) }));
  }
  return `${lines.join('\n')}\n`;
}
