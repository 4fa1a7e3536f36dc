/**
 * A common compose mistake (issue #18 item 1, survivor of the full mutation run in
 * src/formats/compose/services.ts readEnvironment): `KEY: value` written as a list item makes the
 * item a mapping, which Compose rejects; the linter skips that item instead of failing, and still
 * judges the service.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

describe('environment list items that are mappings', () => {
  it('are skipped: the other items still count', async () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_DB: app\n      - POSTGRES_HOST_AUTH_METHOD=trust\n    ports:\n      - "5432:5432"\n';
    const result = await lintTree({ 'compose.yaml': text });
    const trust = 'POSTGRES_HOST_AUTH_METHOD=trust: any client may connect without a password';
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.region.startLine, r.location.region.startColumn]) }))).toEqual([
      {
        ruleId: 'PW004', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 20,
        message: `service 'db' exposes PostgreSQL 16 without authentication on port 5432/tcp to the internet (source: all interfaces (no host IP)): ${trust}`,
        related: [[`authentication is off for service 'db': ${trust}`, 6, 9]],
      },
    ]);
  });
});
