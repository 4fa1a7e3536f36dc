/**
 * Findings per line are bounded (issue 14 item 3): a generated one-line file can hold thousands
 * of findings of one rule (8,000 services in a flow mapping), and every later stage (redaction,
 * fingerprints, suppressions, code frames) works per finding on that line.
 *
 * Per file, line and rule, the first MAX_FINDINGS_PER_LINE findings in report order are kept and
 * the next one stands for the rest: it stays a real finding (same rule, level, location and
 * fingerprint, so the gate, suppressions and baselines treat it like the others) and its message
 * says how many more there are. Nothing is silent and the order decides, not the load.
 */
export const MAX_FINDINGS_PER_LINE = 50;

interface Capped {
  ruleId: string;
  message: string;
  location: { file: string; region: { startLine: number } };
}

/** `findings` in report order (sortFindings); returns them capped per file, line and rule. */
export function capFindingsPerLine<T extends Capped>(findings: T[], max = MAX_FINDINGS_PER_LINE): T[] {
  const keys = findings.map((f) => `${f.location.file}\u0000${f.location.region.startLine}\u0000${f.ruleId}`);
  const totals = new Map<string, number>();
  for (const k of keys) totals.set(k, (totals.get(k) ?? 0) + 1);
  if (![...totals.values()].some((n) => n > max + 1)) return findings;
  const seen = new Map<string, number>();
  const out: T[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const k = keys[i]!;
    const total = totals.get(k)!;
    const index = seen.get(k) ?? 0;
    seen.set(k, index + 1);
    if (total <= max + 1 || index < max) out.push(f);
    else if (index === max) {
      const more = total - max - 1;
      out.push({ ...f, message: `${f.message} (and ${more.toLocaleString('en-US')} more ${f.ruleId} findings on this line that are not listed; at most ${max + 1} per rule and line are reported)` });
    }
  }
  return out;
}
