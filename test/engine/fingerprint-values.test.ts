/**
 * Fingerprints are stored in baseline files (`portwall baseline`): a change of how they are
 * computed silently turns every baselined finding into a new one. These values come from
 * the scheme as it is (sha256 of rule, file, normalized located text and occurrence, first 32
 * hex digits) and must not change. (Only the slow corpus stability test reached
 * src/engine/fingerprint.ts before; every mutant of it survived the default mutation run.)
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { assignFingerprints } from '../../src/engine/fingerprint.js';

type Unprinted = Omit<Finding, 'fingerprint'>;
const finding = (ruleId: string, line: number): Unprinted => ({
  ruleId,
  location: { file: 'compose.yaml', region: { startLine: line, startColumn: 9, endLine: line, endColumn: 22, startOffset: 0, endOffset: 0 } },
}) as unknown as Unprinted;

describe('assignFingerprints', () => {
  // The located text, with its whitespace normalized: the same for every line below.
  const textAt = (f: Unprinted) => (f.location.region.startLine % 2 ? 'ports:\n  - "6379:6379"' : 'ports:   - "6379:6379" ');

  it('numbers equal rule/file/text triples by occurrence, and keeps the stored values', () => {
    const out = assignFingerprints([finding('PW002', 3), finding('PW002', 10), finding('PW001', 3), finding('PW002', 21)], textAt);
    expect(out.map((f) => [f.ruleId, f.location.region.startLine, f.fingerprint])).toEqual([
      ['PW002', 3, 'ce833caa72022da90c0fa4d8f40879fe'],
      ['PW002', 10, '6aac17bc5a0482630f1169eac1b69bd8'],
      ['PW001', 3, '3e31868be880c0db4ab928a108f332cf'],
      ['PW002', 21, '62fb7efe8ac5afd84b6182d7fbc85008'],
    ]);
  });

  it('does not depend on the line: the first occurrence alone has the first value', () => {
    expect(assignFingerprints([finding('PW002', 40)], textAt)[0]!.fingerprint).toBe('ce833caa72022da90c0fa4d8f40879fe');
  });
});
