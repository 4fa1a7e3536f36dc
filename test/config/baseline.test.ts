/** Baseline round trip: fingerprints survive moved lines, new findings are reported, stale entries counted. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { applyBaseline, createBaseline, parseBaseline, serializeBaseline } from '../../src/engine/baseline.js';
import { lint } from '../../src/engine/lint.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import { formatText } from '../../src/formatters/text.js';
import { active, project, TODAY } from './helpers.js';

const BEFORE = `services:
  api:
    image: example/api:1.0
    ports:
      - "8080:8080"
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
    ports:
      - "6379:6379"
`;

// The same stack after an unrelated edit: a new service above moves every line down, and a new port appears.
const AFTER = `services:
  proxy:
    image: nginx:1.27
    ports:
      - "127.0.0.1:8443:443"
  api:
    image: example/api:1.0
    environment:
      - LOG_LEVEL=debug
    ports:
      - "8080:8080"
      - "9229:9229"
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
    ports:
      - "6379:6379"
`;

describe('baseline', () => {
  it('is deterministic and sorted, keyed by fingerprint, without suppressed findings', async () => {
    const dir = project({ 'docker-compose.yml': `${BEFORE}      - "5432:5432" # portwall-ignore PW002: demo database with fake data\n` });
    const result = await lint({ cwd: dir, now: TODAY });
    const baseline = createBaseline(result.findings);
    const text = serializeBaseline(baseline);
    expect(serializeBaseline(createBaseline([...result.findings].reverse()))).toBe(text);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['version', 'findings']);
    expect(Object.values(parsed.findings)).toEqual([
      { ruleId: 'PW001', file: 'docker-compose.yml', message: "service 'api' exposes port 8080/tcp to the internet (source: all interfaces (no host IP)); only 443 may be public" },
      { ruleId: 'PW002', file: 'docker-compose.yml', message: "service 'cache' exposes Redis 7 on port 6379/tcp to the internet (source: all interfaces (no host IP))" },
    ]);
    for (const key of Object.keys(parsed.findings)) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('round trip across an edit that moves lines: old findings stay baselined, the new one is reported', async () => {
    const dir = project({ 'docker-compose.yml': BEFORE });
    const baseline = createBaseline((await lint({ cwd: dir, now: TODAY })).findings);
    writeFileSync(path.join(dir, 'docker-compose.yml'), AFTER);
    const result = await lint({ cwd: dir, now: TODAY, baseline: parseBaseline(serializeBaseline(baseline), 'portwall-baseline.json') });
    expect(active(result)).toEqual(['PW001 docker-compose.yml:12 warning']);
    const baselined = result.findings.filter((f) => f.suppressions.some((s) => s.kind === 'external'));
    expect(baselined.map((f) => `${f.ruleId}:${f.location.region.startLine}`)).toEqual(['PW001:11', 'PW002:17']);
    expect(baselined[0]!.suppressions).toEqual([{ kind: 'external', justification: 'in baseline portwall-baseline.json' }]);
    expect(result.staleBaselineEntries).toBe(0);
  });

  it('counts entries that no longer match, in the result, the text output and SARIF', async () => {
    const dir = project({ 'docker-compose.yml': BEFORE });
    const baseline = parseBaseline(serializeBaseline(createBaseline((await lint({ cwd: dir, now: TODAY })).findings)), 'portwall-baseline.json');
    // Fix both: api published on loopback, cache no longer published.
    writeFileSync(path.join(dir, 'docker-compose.yml'), BEFORE.replace('"8080:8080"', '"127.0.0.1:8080:8080"').replace(/    ports:\n      - "6379:6379"\n/, ''));
    const result = await lint({ cwd: dir, now: TODAY, baseline });
    expect(result.findings).toEqual([]);
    expect(result.staleBaselineEntries).toBe(2);
    const note = '2 baseline entries in portwall-baseline.json no longer match any finding (fixed or changed): run "portwall baseline" to update it';
    expect(result.notifications).toEqual([{ level: 'note', message: note }]);
    expect(formatText(result, { rules: BUILTIN_RULES, version: '0', color: false })).toContain(`note: ${note}\n`);
    const sarif = JSON.parse(formatSarif(result, { rules: BUILTIN_RULES, version: '0', color: false }));
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([{ level: 'note', message: { text: note } }]);
  });

  it('entries of files outside this scan are neither used nor stale', () => {
    const baseline = parseBaseline(JSON.stringify({ version: 1, findings: { '0123456789abcdef0123456789abcdef': { ruleId: 'PW001', file: 'other/docker-compose.yml', message: 'x' } } }), 'b.json');
    expect(applyBaseline([], baseline, new Set(['docker-compose.yml'])).stale).toBe(0);
    expect(applyBaseline([], baseline, new Set(['other/docker-compose.yml'])).stale).toBe(1);
  });

  it('rejects a file that is not a baseline', () => {
    expect(() => parseBaseline('{"findings": []}', 'portwall-baseline.json')).toThrow('portwall-baseline.json: invalid baseline: expected {"version": 1, "findings": {...}} as written by "portwall baseline"');
    expect(() => parseBaseline('nope', 'portwall-baseline.json')).toThrow(/^portwall-baseline\.json: invalid baseline: /);
  });
});
