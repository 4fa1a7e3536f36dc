/**
 * comment-mode "annotations": a check run whose annotations GitHub shows on the diff and in
 * the Checks tab. The API takes at most 50 annotations per request, so the run is created with
 * the first batch and each further batch is PATCHed on (GitHub appends them); the last
 * request completes the run. Needs `checks: write`.
 */
import type { Finding } from '../core/finding.js';
import { lastLine } from './placement.js';
import type { CheckAnnotation, GitHubApi, Repo } from './github.js';

const ANNOTATIONS_PER_REQUEST = 50;
const LEVEL = { error: 'failure', warning: 'warning', note: 'notice' } as const;

function toAnnotation(finding: Finding): CheckAnnotation {
  const r = finding.location.region;
  const end = lastLine(finding.location);
  return {
    path: finding.location.file,
    start_line: r.startLine,
    end_line: end,
    // GitHub accepts columns only on one-line annotations.
    ...(r.startLine === end && r.endLine === end ? { start_column: r.startColumn, end_column: Math.max(r.startColumn, r.endColumn - 1) } : {}),
    annotation_level: LEVEL[finding.level],
    title: `${finding.ruleId} ${finding.ruleName}`,
    message: finding.message.slice(0, 64_000),
  };
}

/**
 * Never leaves the run `in_progress`: up to 50 annotations it is created completed in one
 * request; beyond, the last PATCH completes it, and when a PATCH fails the run is completed
 * anyway (best effort) with the reason in its summary before the error is passed on.
 */
export async function publishCheckRun(
  api: GitHubApi,
  repo: Repo,
  run: { headSha: string; title: string; summary: string; findings: Finding[]; failed: boolean },
): Promise<{ id: number; requests: number }> {
  const annotations = run.findings.map(toAnnotation);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = { title: run.title, summary: run.summary.slice(0, 65_000) };
  const conclusion = run.failed ? ('failure' as const) : ('success' as const);
  if (batches.length <= 1) {
    const id = await api.createCheckRun(repo, { name: 'portwall', head_sha: run.headSha, ...output, annotations: batches[0] ?? [], conclusion });
    return { id, requests: 1 };
  }
  const id = await api.createCheckRun(repo, { name: 'portwall', head_sha: run.headSha, ...output, annotations: batches[0]! });
  let requests = 1;
  const rest = batches.slice(1);
  try {
    for (let i = 0; i < rest.length; i++) {
      const last = i === rest.length - 1;
      await api.updateCheckRun(repo, id, { ...output, annotations: rest[i]!, ...(last ? { conclusion } : {}) });
      requests++;
    }
  } catch (error) {
    await completeCheckRun(api, repo, id, { title: run.title, summary: `${output.summary}\n\nportwall could not attach every annotation: ${(error as Error).message}`.slice(0, 65_000), conclusion });
    throw error;
  }
  return { id, requests };
}

/** Ends a check run, swallowing a second failure: the caller reports the first one. */
async function completeCheckRun(api: GitHubApi, repo: Repo, id: number, run: { title: string; summary: string; conclusion: 'success' | 'failure' | 'neutral' }): Promise<boolean> {
  try {
    await api.updateCheckRun(repo, id, { title: run.title, summary: run.summary, annotations: [], conclusion: run.conclusion });
    return true;
  } catch {
    return false;
  }
}
