/** Findings and tool messages as LSP diagnostics; portwall regions as LSP ranges. Pure. */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Finding, ToolNotification } from '../core/finding.js';
import type { Region } from '../core/location.js';
import type { Rule } from '../core/rule.js';

/** What a diagnostic carries back to the server in code actions (`Diagnostic.data`). */
export interface DiagnosticData {
  fingerprint: string;
}

/** Regions are 1-based with UTF-16 columns, endColumn exclusive: LSP positions minus one. */
export function toRange(region: Region): Range {
  return {
    start: { line: region.startLine - 1, character: region.startColumn - 1 },
    end: { line: region.endLine - 1, character: region.endColumn - 1 },
  };
}

export function fileUri(root: string, file: string): string {
  return pathToFileURL(path.resolve(root, file)).href;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information } as const;

export function findingDiagnostic(finding: Finding, root: string, rules: Rule[]): Diagnostic {
  const helpUri = rules.find((r) => r.meta.id === finding.ruleId)?.meta.helpUri;
  return {
    range: toRange(finding.location.region),
    severity: SEVERITY[finding.level],
    code: finding.ruleId,
    ...(helpUri ? { codeDescription: { href: helpUri } } : {}),
    source: 'portwall',
    message: finding.message,
    ...(finding.related.length > 0
      ? {
          relatedInformation: finding.related.map((r) => ({
            location: { uri: fileUri(root, r.location.file), range: toRange(r.location.region) },
            message: r.message,
          })),
        }
      : {}),
    data: { fingerprint: finding.fingerprint } satisfies DiagnosticData,
  };
}

/** Tool messages with a place (an invalid or unused `portwall-ignore`) are diagnostics too, without a rule code. */
export function notificationDiagnostic(notification: ToolNotification & { location: NonNullable<ToolNotification['location']> }): Diagnostic {
  return {
    range: toRange(notification.location.region),
    severity: SEVERITY[notification.level],
    source: 'portwall',
    message: notification.message,
  };
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Markdown for a hover: what was found here, then the rule's help and its page. */
export function hoverMarkdown(findings: Finding[], rules: Rule[]): string {
  return findings
    .map((f) => {
      const rule = rules.find((r) => r.meta.id === f.ruleId);
      const head = `**${f.ruleId} ${f.ruleName}** (${f.level})\n\n${f.message}`;
      if (!rule) return head;
      const link = rule.meta.helpUri ? `\n\n[${f.ruleId} documentation](${rule.meta.helpUri})` : '';
      return `${head}\n\n---\n\n${rule.meta.shortDescription}\n\n${rule.meta.help.trim()}${link}`;
    })
    .join('\n\n---\n\n');
}
