/**
 * GitLab Code Quality (artifacts:reports:codequality): a JSON array of issues, each with
 * description, check_name, fingerprint, severity (info|minor|major|critical|blocker) and
 * location.path + location.lines.begin, paths relative to the repository root. Suppressed
 * findings are left out (GitLab has no notion of them); fingerprints are portwall's stable ones.
 */
import type { Formatter } from './types.js';

const SEVERITY = { error: 'critical', warning: 'major', note: 'info' } as const;

export const formatGitlab: Formatter = (result, context) => {
  const security = new Set(context.rules.filter((r) => r.meta.tags.includes('security')).map((r) => r.meta.id));
  const issues = result.findings
    .filter((f) => f.suppressions.length === 0)
    .map((f) => ({
      type: 'issue',
      description: f.message,
      check_name: `${f.ruleId} ${f.ruleName}`,
      fingerprint: f.fingerprint,
      severity: SEVERITY[f.level],
      categories: [security.has(f.ruleId) ? 'Security' : 'Bug Risk'],
      location: { path: f.location.file, lines: { begin: f.location.region.startLine, end: f.location.region.endLine } },
    }));
  return `${JSON.stringify(issues, null, 2)}\n`;
};
