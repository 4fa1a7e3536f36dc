/** Machine-readable JSON: findings, notifications and a summary, stable key order. */
import type { Formatter } from './types.js';
import { summarize } from './summary.js';

export const formatJson: Formatter = (result, context) => {
  const output = {
    tool: { name: 'portwall', version: context.version },
    summary: summarize(result),
    files: result.files,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      level: f.level,
      message: f.message,
      file: f.location.file,
      startLine: f.location.region.startLine,
      startColumn: f.location.region.startColumn,
      endLine: f.location.region.endLine,
      endColumn: f.location.region.endColumn,
      related: f.related.map((r) => ({ message: r.message, file: r.location.file, startLine: r.location.region.startLine, startColumn: r.location.region.startColumn, endLine: r.location.region.endLine, endColumn: r.location.region.endColumn })),
      fingerprint: f.fingerprint,
      ...(f.units?.length ? { units: f.units } : {}),
      suppressed: f.suppressions.length > 0,
      ...(f.suppressions.length ? { suppressions: f.suppressions.map((s) => ({ kind: s.kind, justification: s.justification })) } : {}),
      fixable: !!f.fix,
    })),
    notifications: result.notifications,
  };
  return `${JSON.stringify(output, null, 2)}\n`;
};
