/**
 * README examples are executed: every command the README shows runs against the built CLI and
 * does what the README says of it (exit code, counts, files written), and the flags of the
 * Usage block are the CLI's flags. A README that drifts from the tool fails here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers/index.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));

function portwall(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--no-color'], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The `portwall ...` command lines of a block, without comments. */
const commandsOf = (text: string) => text.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => /^portwall(\s|$)/.test(l));

describe('README', () => {
  it('quick start: `npm run lint:examples` finds 8 errors and 2 warnings and exits 1', () => {
    const quick = blocks.find((b) => b.text.includes('npm run lint:examples'))!;
    expect(quick).toBeDefined();
    const script = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['lint:examples'] as string;
    const [node, bin, ...args] = script.split(/\s+/);
    expect([node, bin]).toEqual(['node', 'bin/portwall.js']);
    const r = portwall(ROOT, args);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\(8 errors, 2 warnings, 0 notes\)/);
    expect(README).toContain('The first command prints\n8 errors and 2 warnings');
  });

  it('the policy example runs: `cd examples/policy && node ../../bin/portwall.js --allow-js-rules`', () => {
    expect(README).toContain('cd examples/policy && node ../../bin/portwall.js --allow-js-rules');
    const r = portwall(path.join(ROOT, 'examples/policy'), ['--allow-js-rules']);
    expect(r.err).toBe('');
    expect([0, 1]).toContain(r.code);
  });

  it('every flag of the Usage block is a flag the CLI knows', () => {
    const usage = blocks.find((b) => b.text.startsWith('portwall [lint] [PATH ...]'))!;
    const flags = [...new Set([...usage.text.matchAll(/(?<![\w-])--[a-z][\w-]*/g)].map((m) => m[0]))];
    expect(flags.length).toBeGreaterThan(15);
    const help = portwall(ROOT, ['--help']);
    expect(help.code).toBe(0);
    expect(flags.filter((f) => !help.out.includes(f))).toEqual([]);
  });

  it('the Usage block subcommands run: rules, explain PW002, init', () => {
    const usage = blocks.find((b) => b.text.startsWith('portwall [lint] [PATH ...]'))!;
    const commands = commandsOf(usage.text).filter((c) => /^portwall (rules|explain|init)/.test(c));
    expect(commands).toEqual(['portwall rules', 'portwall explain PW002', 'portwall init']);
    const rules = portwall(ROOT, ['rules']);
    expect(rules.code).toBe(0);
    for (let i = 0; i <= 10; i++) expect(rules.out).toContain(`PW${String(i).padStart(3, '0')}`);
    const explain = portwall(ROOT, ['explain', 'PW002']);
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('public-datastore');
    const dir = tempDir('portwall-readme-init-');
    const init = portwall(dir, ['init']);
    expect(init.code).toBe(0);
    expect(['portwall.config.yml', 'portwall.config.yaml', 'portwall.config.json', '.portwallrc.yml'].some((f) => existsSync(path.join(dir, f)))).toBe(true);
  });

  it('adopt gradually: `portwall baseline` then `portwall` reports nothing new', () => {
    const block = blocks.find((b) => b.text.includes('portwall baseline     #'))!;
    expect(commandsOf(block.text)).toEqual(['portwall baseline', 'portwall']);
    const dir = tempDir('portwall-readme-baseline-');
    cpSync(path.join(ROOT, 'examples/vulnerable'), dir, { recursive: true });
    expect(portwall(dir, []).code).toBe(1);
    const baseline = portwall(dir, ['baseline']);
    expect(baseline.code).toBe(0);
    expect(existsSync(path.join(dir, 'portwall-baseline.json'))).toBe(true);
    const after = portwall(dir, []);
    expect(after.code).toBe(0);
  });

  it('the config example is a valid config (its policy files aside)', () => {
    const block = blocks.find((b) => b.text.includes('allowedPublicPorts: [443, 80, "8000-8010"]'))!;
    const dir = tempDir('portwall-readme-config-');
    writeFileSync(path.join(dir, 'portwall.config.yml'), block.text.split('\n').filter((l) => !/^(customRules|plugins):/.test(l)).join('\n'));
    writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n    ports: ["8005:8005", "9090:9090"]\n');
    const r = portwall(dir, ['--format', 'json']);
    expect(r.err).toBe('');
    const ids = JSON.parse(r.out).findings.map((f: { ruleId: string; startColumn: number }) => f.ruleId);
    // 8000-8010 is allowed by the example; 9090 is not.
    expect(ids).toEqual(['PW001']);
  });

  it('the suppression example suppresses the finding on the next line', () => {
    const block = blocks.find((b) => b.text.includes('# portwall-ignore PW001 until'))!;
    const dir = tempDir('portwall-readme-suppress-');
    // The example's date is an expiry; the test must not turn into a time bomb.
    const text = block.text.replace(/until \d{4}-\d{2}-\d{2}/, 'until 2999-12-31');
    writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  web:\n    image: nginx:1.25\n${text}`);
    const r = portwall(dir, ['--format', 'json']);
    const findings = JSON.parse(r.out).findings as { ruleId: string; suppressed?: boolean; suppressions?: { justification: string }[] }[];
    expect(findings.map((f) => [f.ruleId, f.suppressed, f.suppressions?.[0]?.justification])).toEqual([['PW001', true, 'redirect only, removed with the SSO proxy']]);
    writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  web:\n    image: nginx:1.25\n${block.text.replace(/^.*portwall-ignore.*\n/m, '')}`);
    expect(JSON.parse(portwall(dir, ['--format', 'json']).out).findings.map((f: { ruleId: string; suppressed?: boolean }) => [f.ruleId, !!f.suppressed])).toEqual([['PW001', false]]);
  });
});
