/**
 * Compose near misses written for survivors of the adapters' mutation sample (issue #18) in
 * src/formats/compose/services.ts: the loopback autofix of a long-syntax port written as a flow
 * mapping inserts `host_ip` inside the braces; an `expose:` entry that cannot be read (an unset
 * variable, a mapping) is skipped and the service is still judged.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const message =
  "service 'cache' exposes Redis 7 without authentication on port 6379/tcp to the internet (source: all interfaces (no host IP)): Redis is started without --requirepass: anyone who reaches the port can read and write";
const related = [["authentication is off for service 'cache': Redis is started without --requirepass: anyone who reaches the port can read and write", 'compose.yaml', 3, 12]];
const judged = (result: Awaited<ReturnType<typeof lintTree>>) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]), fix: f.fix?.edits.map((e) => [e.startOffset, e.endOffset, e.text]) }));

describe('compose long-syntax port fix', () => {
  it('a flow mapping gets `host_ip: 127.0.0.1, ` after its brace', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - {target: 6379, published: 6379}\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 40, message, related, fix: [[58, 58, 'host_ip: 127.0.0.1, ']] },
    ]);
    expect(text.slice(57, 59)).toBe('{t');
  });

  it('a block mapping gets `host_ip: 127.0.0.1` on its own line at the key column', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - target: 6379\n        published: 6379\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 5, column: 9, endLine: 6, endColumn: 24, message, related, fix: [[57, 57, 'host_ip: 127.0.0.1\n        ']] },
    ]);
  });
});

describe('compose expose entries that cannot be read', () => {
  it('are skipped; the published port is still judged', async () => {
    const text = 'services:\n  cache:\n    image: redis:7\n    expose:\n      - "${NOPE}"\n      - {port: 1}\n      - 6380\n    ports:\n      - "6379:6379"\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(judged(result)).toEqual([
      { ruleId: 'PW004', file: 'compose.yaml', line: 9, column: 9, endLine: 9, endColumn: 20, message, related, fix: [[text.indexOf('"6379:6379"'), text.indexOf('"6379:6379"') + 11, '"127.0.0.1:6379:6379"']] },
    ]);
    expect(result.notifications).toEqual([]);
  });
});
