/**
 * SARIF 2.1.0 for GitHub code scanning: rule metadata from the rule modules, relative URIs
 * under %SRCROOT%, stable partialFingerprints, suppressions, fixes, and parse failures as
 * toolExecutionNotifications. Never a snippet: snippets could carry secrets.
 */
import type { Finding } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { Rule } from '../core/rule.js';
import { INFORMATION_URI } from '../version.js';
import type { Formatter } from './types.js';

/** GitHub rejects more than 25,000 results in a run. */
export const MAX_RESULTS = 25_000;

function region(location: Location) {
  const r = location.region;
  return { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn };
}

function physical(location: Location) {
  return { artifactLocation: { uri: encodeUri(location.file), uriBaseId: '%SRCROOT%' }, region: region(location) };
}

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * A rule is a security rule when it is tagged `security`: only then does it carry a
 * security-severity, which is what makes GitHub list its results as security alerts. PW000
 * (a file portwall cannot parse) and PW010 (an exposure it cannot decide) are not: their tags
 * and precision say what they are.
 */
export function isSecurityRule(rule: Rule): boolean {
  return rule.meta.tags.includes('security');
}

function sarifRule(rule: Rule) {
  const m = rule.meta;
  const markdown = helpMarkdown(m.help, m.helpUri);
  return {
    id: m.id,
    name: m.name,
    shortDescription: { text: m.shortDescription },
    fullDescription: { text: m.fullDescription },
    help: { text: stripMarkdown(markdown), markdown },
    ...(m.helpUri ? { helpUri: m.helpUri } : {}),
    defaultConfiguration: { level: m.level },
    properties: {
      tags: m.tags,
      precision: m.precision,
      ...(isSecurityRule(rule) ? { 'security-severity': m.securitySeverity.toFixed(1) } : {}),
      'problem.severity': m.level === 'note' ? 'recommendation' : m.level,
    },
  };
}

/**
 * Rule help as GitHub's alert view shows it: that view renders single newlines as line breaks,
 * so source-wrapped paragraphs and list items are joined into one line each (code blocks,
 * tables and headings stay as they are); headings start at level 3 under the alert's own
 * title; a link to the full rule page ends it.
 */
function helpMarkdown(help: string, helpUri?: string): string {
  const out: string[] = [];
  let inFence = false;
  const isBlockStart = (line: string) => /^\s*$/.test(line) || /^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||```)/.test(line);
  for (const line of help.trim().split('\n')) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      out.push(line);
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(`${'#'.repeat(Math.min(6, Math.max(3, heading[1]!.length + 1)))} ${heading[2]}`);
      continue;
    }
    const prev = out[out.length - 1];
    const prevJoinable = prev !== undefined && !/^\s*$/.test(prev) && !/^\s*(#|\||```)/.test(prev) && !isFenceOpen(out);
    if (prevJoinable && !isBlockStart(line)) out[out.length - 1] = `${prev.trimEnd()} ${line.trim()}`;
    else out.push(line);
  }
  if (helpUri) out.push('', `[Full documentation of this rule](${helpUri})`);
  return out.join('\n');
}

function isFenceOpen(lines: string[]): boolean {
  return lines.filter((l) => /^\s*```/.test(l)).length % 2 === 1;
}

function stripMarkdown(md: string): string {
  return md
    .replace(/^#+\s*/gm, '')
    .replace(/`{3}\w*\n?/g, '')
    .replace(/`/g, '')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1: $2');
}

export const formatSarif: Formatter = (result, context) => {
  const rules = context.rules;
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const findings = result.findings.slice(0, MAX_RESULTS);
  const notifications = result.notifications.map((n) => ({
    level: n.level,
    message: { text: n.message },
    ...(n.file ? { locations: [{ physicalLocation: n.location ? physical(n.location) : { artifactLocation: { uri: encodeUri(n.file), uriBaseId: '%SRCROOT%' } } }] } : {}),
    ...(n.ruleId ? { associatedRule: { id: n.ruleId, ...(index.has(n.ruleId) ? { index: index.get(n.ruleId) } : {}) } } : {}),
  }));
  for (const f of result.findings) {
    if (f.ruleId !== 'PW000') continue;
    notifications.push({ level: 'error', message: { text: f.message }, locations: [{ physicalLocation: physical(f.location) }], associatedRule: { id: 'PW000', ...(index.has('PW000') ? { index: index.get('PW000') } : {}) } });
  }
  if (result.findings.length > MAX_RESULTS) {
    notifications.push({ level: 'warning', message: { text: `${result.findings.length - MAX_RESULTS} results left out: GitHub accepts at most ${MAX_RESULTS} results per run` } });
  }
  const internalError = result.notifications.some((n) => n.kind === 'internal');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portwall',
            version: context.version,
            semanticVersion: context.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(sarifRule),
          },
        },
        automationDetails: { id: `${context.category ?? 'portwall'}/` },
        invocations: [{ executionSuccessful: !internalError, toolExecutionNotifications: notifications }],
        results: findings.map((f) => sarifResult(f, index)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function sarifResult(f: Finding, index: Map<string, number>) {
  return {
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: f.level,
    message: { text: linkedMessage(f) },
    locations: [{ physicalLocation: physical(f.location) }],
    ...(f.related.length
      ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r.location), message: { text: r.message } })) }
      : {}),
    partialFingerprints: { 'portwall/v1': f.fingerprint },
    ...(f.units?.length ? { properties: { units: f.units } } : {}),
    ...(f.suppressions.length
      ? { suppressions: f.suppressions.map((s) => ({ kind: s.kind, status: 'accepted', justification: s.justification, ...(s.location ? { location: { physicalLocation: physical(s.location) } } : {}) })) }
      : {}),
    ...(f.fix
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              artifactChanges: groupEdits(f).map(([file, edits]) => ({
                artifactLocation: { uri: encodeUri(file), uriBaseId: '%SRCROOT%' },
                replacements: edits.map((e) => ({ deletedRegion: region(e.location), insertedContent: { text: e.text } })),
              })),
            },
          ],
        }
      : {}),
  };
}

/**
 * GitHub shows only the related locations that the message links (`[text](id)`), so every
 * one is linked after the message; literal brackets in the text are escaped (SARIF 3.11.5).
 */
export function linkedMessage(f: Pick<Finding, 'message' | 'related'>): string {
  if (f.related.length === 0) return f.message;
  const links = f.related.map((r, i) => `[${escapeBrackets(linkText(r.message))}](${i + 1})`);
  return `${escapeBrackets(f.message)} (${links.join(', ')})`;
}

function linkText(message: string): string {
  return message.replace(/ comes from the default of /g, ' from ').replace(/ comes from /g, ' from ');
}

function escapeBrackets(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function groupEdits(f: Finding) {
  const map = new Map<string, NonNullable<Finding['fix']>['edits']>();
  for (const e of f.fix!.edits) {
    const list = map.get(e.file) ?? [];
    list.push(e);
    map.set(e.file, list);
  }
  return [...map.entries()];
}
