import { describe, expect, it } from 'vitest';
import { redactMessage } from '../../src/core/redact.js';

/** redactMessage as it was: every secret over the whole text, longest first, in the masked text. */
function reference(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('****');
  return out;
}

/** A deterministic long report: JSON-ish lines, some holding secrets, some only pieces of them. */
function report(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 97 === 0) out.push(`  "message": "password hunter2-long-${i % 5} in line ${i}",`);
    else if (i % 89 === 0) out.push(`  "snippet": "x**y-${i} hunter2-lon",`);
    else out.push(`  "line": ${i}, "text": "ports: 0.0.0.0:${8000 + (i % 50)} service-${i % 300}",`);
  }
  return out.join('\n');
}

describe('redactMessage on a whole report', () => {
  const text = report(6000);
  // Longest first, as the callers sort them: one with a `*` that only appears once others are masked.
  const secrets = [...Array.from({ length: 5 }, (_, k) => `hunter2-long-${k}`), 'service-42,', 'absent-secret-value', '****-0', 'y-178', 'x**'].sort((a, b) => b.length - a.length);

  it('is long enough to be masked in pieces, with secrets present, absent and made by masking', () => {
    expect(text.length).toBeGreaterThan(128 * 1024);
    expect(text.includes('hunter2-long-3')).toBe(true);
    expect(text.includes('absent-secret-value')).toBe(false);
  });

  it('gives the same text as masking the whole text secret by secret', () => {
    const masked = redactMessage(text, secrets);
    expect(masked).toBe(reference(text, secrets));
    expect(masked).not.toContain('hunter2-long-');
    expect(masked.split('\n')).toHaveLength(6000);
  });

  it('keeps the whole-text path for a secret spanning a line break', () => {
    const spanning = ['2-long-0 in line 0",\n  "line": 1', ...secrets];
    expect(redactMessage(text, spanning)).toBe(reference(text, spanning));
    expect(redactMessage(text, spanning)).not.toContain('"line": 1,');
  });

  it('finds which of many secrets occur in one pass (16 or more), whatever their first characters', () => {
    const many = [
      ...secrets,
      // Sharing their first three characters with present ones, and absent.
      ...Array.from({ length: 20 }, (_, k) => `hunter2-other-${k}`),
      'ab', // shorter than three: always searched
      'ünïcode-secret',
      'service-299",', // at the end of the text's last line
      '  "line": 1,', // at a line start
      'in line 5917",', // inside a present secret's line, after it
      'long-3 in', // inside a present secret
    ].sort((a, b) => b.length - a.length);
    const withUnicode = `${text}\n  "message": "ünïcode-secret and ab",`;
    expect(many.length).toBeGreaterThanOrEqual(16);
    for (const t of [text, withUnicode]) expect(redactMessage(t, many)).toBe(reference(t, many));
    expect(redactMessage(withUnicode, many)).toContain('"message": "**** and ****",');
  });

  it('secrets that share their start, in a text made of it, cost a bounded pass and give the same text', () => {
    const shared = Array.from({ length: 400 }, (_, k) => `${'a'.repeat(200)}${k}`).sort((a, b) => b.length - a.length);
    const flood = `${'a'.repeat(100_000)}\n${'a'.repeat(200)}123 and ${'a'.repeat(200)}7\n`;
    expect(redactMessage(flood, shared)).toBe(reference(flood, shared));
    expect(redactMessage(flood, shared).endsWith('\n**** and ****\n')).toBe(true);
  });
});
