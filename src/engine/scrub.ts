/**
 * Defence in depth for the SPEC's promise that no secret value appears in a message: a message
 * that quotes source text (a parser's `unexpected "..."`, an echoed setting) has the secret
 * values of the lines it points at masked before any formatter, SARIF or PR comment sees it.
 */
import type { Finding, ToolNotification } from '../core/finding.js';
import type { Location } from '../core/location.js';
import { redactMessage, secretValues } from '../core/redact.js';

/** Lines looked at around a location: the line before it names the env var of a `value:` line. */
const MAX_LINES = 200;

type FileText = (file: string) => { text: string; index: { lineText(line: number): string; lineCount: number } } | undefined;

/** Secret values per file and line range: 8,000 findings on one minified line scan it once. */
const cache = new WeakMap<object, Map<string, string[]>>();

function secretsAt(location: Location | undefined, fileText: FileText): string[] {
  if (!location) return [];
  const file = fileText(location.file);
  if (!file) return [];
  let perFile = cache.get(file);
  if (!perFile) cache.set(file, (perFile = new Map()));
  const key = `${location.region.startLine}:${location.region.endLine}`;
  const hit = perFile.get(key);
  if (hit) return hit;
  const found = secretsAtUncached(location, file);
  perFile.set(key, found);
  return found;
}

function secretsAtUncached(location: Location, file: NonNullable<ReturnType<FileText>>): string[] {
  const first = Math.max(1, location.region.startLine - 1);
  const last = Math.min(file.index.lineCount, location.region.endLine, first + MAX_LINES);
  const lines: string[] = [];
  for (let line = first; line <= last; line++) lines.push(file.index.lineText(line));
  return secretValues(lines);
}

export function scrubFinding<T extends Pick<Finding, 'message' | 'location' | 'related'>>(finding: T, fileText: FileText): T {
  const secrets = secretsAt(finding.location, fileText);
  const related = finding.related.map((r) => {
    const mine = [...secrets, ...secretsAt(r.location, fileText)];
    const message = redactMessage(r.message, mine);
    return message === r.message ? r : { ...r, message };
  });
  const relatedSecrets = finding.related.flatMap((r) => secretsAt(r.location, fileText));
  // A message may quote the related setting (the auth line of PW004), so its secrets count too.
  const message = redactMessage(finding.message, [...secrets, ...relatedSecrets].sort((a, b) => b.length - a.length));
  if (message === finding.message && related.every((r, i) => r === finding.related[i])) return finding;
  return { ...finding, message, related };
}

export function scrubNotification(notification: ToolNotification, fileText: FileText): ToolNotification {
  const secrets = secretsAt(notification.location, fileText);
  const message = redactMessage(notification.message, secrets);
  return message === notification.message ? notification : { ...notification, message };
}
