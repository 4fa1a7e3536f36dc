/** The built CLI with configs, custom rules, baselines and init: exit codes 0/1/2, text and SARIF. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/index.js';
import { project, runCli } from './helpers.js';

const EXAMPLE = path.join(ROOT, 'examples/policy');

const API = `services:
  api:
    image: example/api:1.0
    ports:
      - "8080:8080"
`;

describe('CLI with a policy', () => {
  it('examples/policy: custom rules fire (exit 1), and pass with --fail-on none (exit 0)', () => {
    const r = runCli(EXAMPLE, []);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("12:9  error  service 'api' exposes debug/admin 8081 to the internet (source: all interfaces (no host IP))  ACME001 no-public-debug-ports");
    expect(r.stdout).toContain('ACME002 internal-image-exposed');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 4 problems (3 errors, 0 warnings, 1 note) in 2 checked files, 1 suppressed; 2 fixable with --fix');
    expect(runCli(EXAMPLE, ['--fail-on', 'none']).code).toBe(0);
  });

  it('examples/policy in SARIF: custom rule metadata, results with ruleIndex, the inline suppression', () => {
    const r = runCli(EXAMPLE, ['--format', 'sarif']);
    expect(r.code).toBe(1);
    const run = JSON.parse(r.stdout).runs[0];
    const rules = run.tool.driver.rules as { id: string }[];
    const acme001 = rules.find((x) => x.id === 'ACME001')!;
    expect(acme001).toEqual({
      id: 'ACME001',
      name: 'no-public-debug-ports',
      shortDescription: { text: 'Debug and profiler ports (8080-8090, 5005, 9229) must never be reachable from the internet.' },
      fullDescription: { text: expect.stringMatching(/^Our services expose debuggers/) },
      help: { text: expect.stringContaining('A debugger port lets whoever reaches it run code in the process.'), markdown: expect.stringMatching(/^### Why it matters\n/) },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'exposure', 'debug'], precision: 'medium', 'security-severity': '8.0', 'problem.severity': 'error' },
    });
    expect(rules.find((x) => x.id === 'ACME002')).toMatchObject({ name: 'internal-image-exposed', properties: { 'security-severity': '7.0', precision: 'high' } });
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'ACME001');
    expect(result.ruleIndex).toBe(rules.indexOf(acme001));
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 9, endLine: 12, endColumn: 20 });
    const suppressed = run.results.filter((x: { suppressions?: unknown }) => x.suppressions);
    expect(suppressed.map((x: { ruleId: string; suppressions: { kind: string; justification: string }[] }) => [x.ruleId, x.suppressions[0]!.kind, x.suppressions[0]!.justification])).toEqual([
      ['PW001', 'inSource', 'reachable only through the office VPN gateway in front of this host'],
    ]);
  });

  it('rules and explain include custom rules', () => {
    const list = runCli(EXAMPLE, ['rules']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\nACME001 +no-public-debug-ports +error +8\.0 +Debug and profiler ports/);
    const explain = runCli(EXAMPLE, ['explain', 'internal-image-exposed']);
    expect(explain.code).toBe(0);
    expect(explain.stdout.split('\n')[0]).toBe('ACME002 internal-image-exposed (error, security-severity 7.0)');
  });

  it('a declarative rule alone decides the exit code', () => {
    const rule = 'customRules:\n  - id: ORG-7\n    name: no-8080\n    level: note\n    shortDescription: 8080 is for internal tools.\n    help: Move it.\n    message: "{subject} publishes {matchedPorts}"\n    match: { exposure: { ports: [8080] } }\nrules: { PW001: off }\n';
    const dir = project({ 'docker-compose.yml': API, 'portwall.config.yml': rule });
    expect(runCli(dir, []).code).toBe(0); // a note is below the default fail level (warning)
    const r = runCli(dir, ['--fail-on', 'note']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("5:9  note  service 'api' publishes 8080  ORG-7 no-8080");
  });

  it('an invalid config exits 2 naming the file, line and key', () => {
    const dir = project({ 'docker-compose.yml': API, 'portwall.config.yml': '# policy\nallowedPublicPorts: [443]\n\nrules:\n  PW001: warning\n  PW002:\n    level: fatal\n' });
    const r = runCli(dir, []);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('portwall: portwall.config.yml:7: rules.PW002.level: must be one of error, warning, note, off\n');
    expect(runCli(dir, ['rules']).code).toBe(2);
    const js = project({ 'portwall.config.yml': 'plugins: [./broken.mjs]\n', 'broken.mjs': 'export default { meta: {} , check() {} };\n' });
    expect(runCli(js, []).stderr).toBe('portwall: portwall.config.yml:1: plugins[0]: "./broken.mjs": rule 1: meta.id must be an upper-case id such as ACME001 or ORG-12 (got undefined)\n');
  });

  it('--config picks another file', () => {
    const dir = project({ 'docker-compose.yml': API, 'ci/lenient.yml': 'allowedPublicPorts: ["8000-8100"]\n' });
    expect(runCli(dir, []).code).toBe(1);
    expect(runCli(dir, ['--config', 'ci/lenient.yml']).code).toBe(0);
    expect(runCli(dir, ['--config', 'ci/missing.yml']).stderr).toBe('portwall: ci/missing.yml: config file not found\n');
  });

  it('an expired suppression is reported and no longer suppresses', () => {
    const dir = project({ 'docker-compose.yml': API.replace('"8080:8080"', '"8080:8080" # portwall-ignore PW001 until 2001-01-01: temporary') });
    const r = runCli(dir, []);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('warning: docker-compose.yml:5: portwall-ignore PW001 expired on 2001-01-01, so it no longer applies: fix the finding or renew the date after review\n');
  });
});

describe('portwall baseline', () => {
  it('writes the baseline, later runs pass, new findings fail, fixed ones are counted', () => {
    const dir = project({ 'docker-compose.yml': API });
    const written = runCli(dir, ['baseline']);
    expect(written).toEqual({ code: 0, stdout: 'Wrote portwall-baseline.json with 1 finding\n', stderr: '' });
    const baseline = JSON.parse(readFileSync(path.join(dir, 'portwall-baseline.json'), 'utf8'));
    expect(Object.values(baseline.findings)).toEqual([{ ruleId: 'PW001', file: 'docker-compose.yml', message: "service 'api' exposes port 8080/tcp to the internet (source: all interfaces (no host IP)); only 443 may be public" }]);

    const clean = runCli(dir, []);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe('✔ No problems found in 1 file (1 suppressed).\n');

    // Lines move and a new port appears: only the new one is reported.
    writeFileSync(path.join(dir, 'docker-compose.yml'), `# stack\nservices:\n  api:\n    image: example/api:1.0\n    ports:\n      - "8080:8080"\n      - "8081:8081"\n`);
    const moved = runCli(dir, ['--format', 'json']);
    expect(moved.code).toBe(1);
    const report = JSON.parse(moved.stdout);
    expect(report.findings.map((f: { startLine: number; suppressed: boolean }) => `${f.startLine}:${f.suppressed}`)).toEqual(['6:true', '7:false']);
    expect(report.findings[0].suppressions).toEqual([{ kind: 'external', justification: 'in baseline portwall-baseline.json' }]);

    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  api:\n    image: example/api:1.0\n');
    const fixed = runCli(dir, []);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('note: 1 baseline entry in portwall-baseline.json no longer matches any finding (fixed or changed): run "portwall baseline" to update it\n');
    const sarif = JSON.parse(runCli(dir, ['--format', 'sarif']).stdout);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      { level: 'note', message: { text: '1 baseline entry in portwall-baseline.json no longer matches any finding (fixed or changed): run "portwall baseline" to update it' } },
    ]);
  });

  it('--baseline names another file; a missing or broken one is exit 2', () => {
    const dir = project({ 'docker-compose.yml': API, 'broken.json': '{"version": 2}' });
    expect(runCli(dir, ['baseline', '--output', 'ci/accepted.json']).stdout).toBe('Wrote ci/accepted.json with 1 finding\n');
    expect(existsSync(path.join(dir, 'portwall-baseline.json'))).toBe(false);
    expect(runCli(dir, []).code).toBe(1);
    expect(runCli(dir, ['--baseline', 'ci/accepted.json']).code).toBe(0);
    expect(runCli(dir, ['--baseline', 'nope.json'])).toMatchObject({ code: 2, stderr: 'portwall: nope.json: baseline cannot be read (ENOENT)\n' });
    expect(runCli(dir, ['--baseline', 'broken.json'])).toMatchObject({ code: 2, stderr: 'portwall: broken.json: invalid baseline: expected {"version": 1, "findings": {...}} as written by "portwall baseline"\n' });
  });
});

describe('portwall init', () => {
  it('writes a commented starter config that validates, and refuses to overwrite', () => {
    const dir = project({ 'docker-compose.yml': API.replace('8080:8080', '443:8443') });
    expect(runCli(dir, ['init'])).toEqual({ code: 0, stdout: 'Wrote portwall.config.yml\n', stderr: '' });
    const text = readFileSync(path.join(dir, 'portwall.config.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/portwall/schemas/config.schema.json');
    expect(runCli(dir, []).code).toBe(0);
    expect(runCli(dir, ['init']).code).toBe(2);
  });
});
