import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import { lintTree } from '../helpers/index.js';

// The package's exports map hides assets/: locate the package folder through its manifest.
const require = createRequire(import.meta.url);
const packageDir = path.resolve(path.dirname(require.resolve('@microsoft/sarif-multitool-ts')), '..');
const schemaPath = path.join(packageDir, 'assets', 'sarif-2.1.0.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);

const VULNERABLE = {
  'docker-compose.yml': `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    environment:
      - ELASTIC_PASSWORD=hunter2-very-secret
      - xpack.security.enabled=false
    ports:
      - "9200:9200"
  web:
    image: nginx:1.25
    ports:
      - "80:80"
`,
  'broken/docker-compose.yml': 'services:\n  x:\n    image: "unterminated\n',
};

async function sarifFor(files: Record<string, string>) {
  const result = await lintTree(files);
  const text = formatSarif(result, { rules: BUILTIN_RULES, version: '0.1.0', color: false });
  return { result, text, log: JSON.parse(text) };
}

describe('SARIF output', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const { log } = await sarifFor(VULNERABLE);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('carries full rule metadata for every rule', async () => {
    const { log } = await sarifFor(VULNERABLE);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('portwall');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(BUILTIN_RULES.map((r) => r.meta.id));
    for (const rule of driver.rules) {
      expect(rule.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeGreaterThan(10);
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.help.markdown).toContain('##');
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.properties.precision).toMatch(/^(very-high|high|medium|low)$/);
      // Only security rules are scored: PW000 (unparseable file) and PW010 (undecidable exposure) are not security alerts.
      if (rule.id === 'PW000' || rule.id === 'PW010') {
        expect(rule.properties.tags).not.toContain('security');
        expect(rule.properties['security-severity']).toBeUndefined();
      } else {
        expect(rule.properties.tags).toContain('security');
        expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
      }
      expect(rule.defaultConfiguration.level).toMatch(/^(error|warning|note)$/);
    }
    expect(driver.rules.find((r: { id: string }) => r.id === 'PW004').properties['security-severity']).toBe('10.0');
  });

  it('gives results with ruleIndex, relative uri, uriBaseId, exact region and fingerprints', async () => {
    const { log } = await sarifFor(VULNERABLE);
    const run = log.runs[0];
    const pw004 = run.results.find((r: { ruleId: string }) => r.ruleId === 'PW004');
    expect(pw004.ruleIndex).toBe(4);
    expect(pw004.level).toBe('error');
    expect(pw004.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'docker-compose.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 8, startColumn: 9, endLine: 8, endColumn: 20 },
    });
    expect(pw004.relatedLocations[0].physicalLocation.region.startLine).toBe(6);
    expect(pw004.partialFingerprints['portwall/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(pw004.fixes[0].artifactChanges[0].replacements[0]).toEqual({
      deletedRegion: { startLine: 8, startColumn: 9, endLine: 8, endColumn: 20 },
      insertedContent: { text: '"127.0.0.1:9200:9200"' },
    });
    expect(run.automationDetails.id).toBe('portwall/');
  });

  it('reports the broken file as PW000 and as a tool execution notification', async () => {
    const { log } = await sarifFor(VULNERABLE);
    const run = log.runs[0];
    const pw000 = run.results.filter((r: { ruleId: string }) => r.ruleId === 'PW000');
    expect(pw000).toHaveLength(1);
    expect(pw000[0].locations[0].physicalLocation.artifactLocation.uri).toBe('broken/docker-compose.yml');
    const notes = run.invocations[0].toolExecutionNotifications;
    expect(notes.some((n: { locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => n.locations?.[0]?.physicalLocation.artifactLocation.uri === 'broken/docker-compose.yml')).toBe(true);
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  it('never contains a secret value', async () => {
    const { text } = await sarifFor(VULNERABLE);
    expect(text).not.toContain('hunter2');
  });

  it('keeps fingerprints when unrelated lines move', async () => {
    const a = await sarifFor(VULNERABLE);
    const shifted = { ...VULNERABLE, 'docker-compose.yml': `# a comment added on top\n\n${VULNERABLE['docker-compose.yml']}` };
    const b = await sarifFor(shifted);
    const fp = (log: { runs: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }) =>
      log.runs[0]!.results.map((r) => [r.ruleId, r.partialFingerprints['portwall/v1']]);
    expect(fp(b.log)).toEqual(fp(a.log));
    const line = (log: typeof a.log) => log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'PW004').locations[0].physicalLocation.region.startLine;
    expect(line(b.log)).toBe(line(a.log) + 2);
  });

  it('is byte-identical for the same input', async () => {
    const a = await sarifFor(VULNERABLE);
    const b = await sarifFor(VULNERABLE);
    expect(a.text).toBe(b.text);
  });
});

describe("GitHub's ingestion rules (SARIF multitool, Sarif;Ghas)", () => {
  it('has no error or warning from the validator', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, readFileSync: read, existsSync } = await import('node:fs');
    const os = await import('node:os');
    const binary = path.join(path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
    expect(existsSync(binary)).toBe(true);
    const { text } = await sarifFor(VULNERABLE);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portwall-sarif-'));
    const input = path.join(dir, 'portwall.sarif');
    const output = path.join(dir, 'validation.sarif');
    writeFileSync(input, text);
    // The validator exits 0 whatever it finds: its own SARIF output is what we read.
    execFileSync(binary, ['validate', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning', '--log', 'ForceOverwrite', '-o', output, input], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: 'pipe',
      timeout: 60_000,
    });
    const validation = JSON.parse(read(output, 'utf8'));
    const problems = validation.runs[0].results.map((r: { ruleId: string; message: { arguments?: string[] } }) => `${r.ruleId} ${r.message.arguments?.join(' ')}`);
    expect(problems).toEqual([]);
  });
});
