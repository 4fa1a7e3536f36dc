/**
 * Stable fingerprints: rule + file + the normalized text of the located value + its
 * occurrence among equal triples. No line numbers, so unrelated edits do not change them.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';

function normalizeSnippet(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function assignFingerprints(findings: Omit<Finding, 'fingerprint'>[], textAt: (f: Omit<Finding, 'fingerprint'>) => string): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${f.ruleId}\u0000${f.location.file}\u0000${normalizeSnippet(textAt(f))}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const fingerprint = createHash('sha256').update(`${key}\u0000${n}`).digest('hex').slice(0, 32);
    return { ...f, fingerprint };
  });
}
