/**
 * Everyday linter conventions, through the built CLI: named paths beat .gitignore, config per
 * file, root-relative paths in every format, and the flags ESLint/Ruff users reach for.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-conventions-');

/** A temp git repository (paths are relative to its top level). */
function repo(files: Record<string, string>): string {
  const dir = project(files);
  spawnSync('git', ['init', '-q', dir]);
  return dir;
}

const ES = `services:
  es:
    image: elasticsearch:8.13.0
    ports:
      - "9200:9200"
`;
const WEB = `services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
`;
const json = (stdout: string) => JSON.parse(stdout) as { findings: { ruleId: string; file: string; level: string }[]; files: { path: string }[] };

describe('a path named on the command line', () => {
  it('is scanned even when an enclosing .gitignore ignores it; discovery from above still skips it', () => {
    const dir = repo({ '.gitignore': 'build/\n', 'build/rendered.yml': ES, 'build/.gitignore': 'skip.yml\n', 'build/skip.yml': ES, 'app/docker-compose.yml': WEB });
    const named = runBin(dir, ['build/', '--format', 'json']);
    expect(named.code).toBe(1);
    // Ignore files inside the named folder still apply.
    expect(json(named.stdout).files.map((f) => f.path)).toEqual(['build/rendered.yml']);
    const fromSub = runBin(path.join(dir, 'build'), ['.', '--format', 'json']);
    expect(json(fromSub.stdout).files.map((f) => f.path)).toEqual(['build/rendered.yml']);
    const all = runBin(dir, ['--format', 'json']);
    expect(json(all.stdout).files.map((f) => f.path)).toEqual(['app/docker-compose.yml']);
  });
});

describe('config per file', () => {
  const tree = {
    'portwall.config.yml': 'rules:\n  PW001: error\n',
    'docker-compose.yml': WEB,
    'team-a/portwall.config.yml': 'allowedPublicPorts: [443, 8080]\n',
    'team-a/docker-compose.yml': WEB,
    'team-a/deep/docker-compose.yml': WEB,
    'team-b/docker-compose.yml': WEB,
  };

  it('the nearest portwall.config.* from the file up to the repository root applies to it, wherever portwall runs', () => {
    const dir = repo(tree);
    for (const cwd of [dir, path.join(dir, 'team-b')]) {
      const r = runBin(cwd, [path.relative(cwd, dir) || '.', '--format', 'json']);
      expect(r.stderr).toBe('');
      const findings = json(r.stdout).findings.map((f) => `${f.file} ${f.ruleId} ${f.level}`);
      // team-a allows 8080 (its own policy, not the root's); team-b and the root get the root's PW001: error.
      expect(findings).toEqual(['docker-compose.yml PW001 error', 'team-b/docker-compose.yml PW001 error']);
    }
  });

  it('--config overrides the lookup for every file', () => {
    const dir = repo(tree);
    const r = runBin(dir, ['--config', 'team-a/portwall.config.yml', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).findings).toEqual([]);
  });

  it('--print-config FILE shows the config that applies to FILE and each rule level there', () => {
    const dir = repo({ ...tree, 'team-b/portwall.config.yml': 'rules:\n  PW006: off\noverrides:\n  - files: ["dev/**"]\n    rules: { PW001: note }\n' });
    const r = runBin(path.join(dir, 'team-b'), ['--print-config', 'dev/docker-compose.yml']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toMatchObject({ file: 'team-b/dev/docker-compose.yml', config: 'team-b/portwall.config.yml', ignored: false });
    expect(printed.rules.PW001).toEqual({ name: 'public-port', level: 'note' });
    expect(printed.rules.PW006.level).toBe('off');
    expect(printed.rules.PW002.level).toBe('error');
    const deep = JSON.parse(runBin(dir, ['--print-config', 'team-a/deep/docker-compose.yml']).stdout);
    expect(deep.config).toBe('team-a/portwall.config.yml');
    expect(deep.policy.allowedPublicPorts).toEqual([{ from: 443, to: 443 }, { from: 8080, to: 8080 }]);
  });
});

describe('paths relative to the repository root', () => {
  it('in text, json, sarif, github, junit and gitlab, run from a subfolder', () => {
    const dir = repo({ 'sub/docker-compose.yml': ES });
    const sub = path.join(dir, 'sub');
    const file = 'sub/docker-compose.yml';
    expect(runBin(sub, []).stdout.split('\n')[0]).toBe(file);
    expect(json(runBin(sub, ['.', '-f', 'json']).stdout).findings[0]!.file).toBe(file);
    const sarif = JSON.parse(runBin(sub, ['-f', 'sarif']).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: file, uriBaseId: '%SRCROOT%' });
    expect(runBin(sub, ['-f', 'github']).stdout).toMatch(/^::error file=sub\/docker-compose\.yml,line=5,/);
    expect(runBin(sub, ['-f', 'junit']).stdout).toContain(`<testsuite name="${file}"`);
    expect(JSON.parse(runBin(sub, ['-f', 'gitlab']).stdout)[0].location.path).toBe(file);
  });

  it('outside a repository, relative to the scan root (the working folder)', () => {
    const dir = project({ 'sub/docker-compose.yml': ES });
    expect(json(runBin(dir, ['sub', '-f', 'json']).stdout).findings[0]!.file).toBe('sub/docker-compose.yml');
  });
});

describe('flags', () => {
  const tree = { 'docker-compose.yml': `${ES}  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n`, 'legacy/docker-compose.yml': ES, 'legacy/keep/docker-compose.yml': WEB };

  it('--quiet reports errors only and warnings do not fail the run', () => {
    const dir = repo({ 'docker-compose.yml': WEB });
    expect(runBin(dir, []).code).toBe(1);
    const quiet = runBin(dir, ['--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('PW001');
    const mixed = json(runBin(repo(tree), ['-q', '-f', 'json']).stdout);
    expect(new Set(mixed.findings.map((f) => f.level))).toEqual(new Set(['error']));
  });

  it('--max-warnings N fails when more than N warnings remain, even with --fail-on error', () => {
    const dir = repo({ 'docker-compose.yml': WEB });
    expect(runBin(dir, ['--fail-on', 'error']).code).toBe(0);
    expect(runBin(dir, ['--fail-on', 'error', '--max-warnings', '1']).code).toBe(0);
    const over = runBin(dir, ['--fail-on', 'error', '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('1 warning found, more than --max-warnings 0');
    expect(runBin(dir, ['--max-warnings', 'many']).code).toBe(2);
  });

  it('--rules and --skip-rules select rules by id or name; an unknown one is a usage error', () => {
    const dir = repo(tree);
    const only = json(runBin(dir, ['--rules', 'public-port', '-f', 'json']).stdout);
    expect(new Set(only.findings.map((f) => f.ruleId))).toEqual(new Set(['PW001']));
    const skip = json(runBin(dir, ['--skip-rules', 'PW004,PW003', '-f', 'json']).stdout);
    expect(skip.findings.some((f) => f.ruleId === 'PW004' || f.ruleId === 'PW003')).toBe(false);
    // Without PW004, the PW002 it superseded is reported.
    expect(skip.findings.some((f) => f.ruleId === 'PW002')).toBe(true);
    const typo = runBin(dir, ['--rules', 'PW02']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown rule "PW02"');
    expect(runBin(dir, ['rules', '--rules', 'PW001,PW002']).stdout.trim().split('\n')).toHaveLength(3);
  });

  it('--exclude GLOB (repeatable) skips matching paths relative to the working folder', () => {
    const dir = repo(tree);
    const files = (args: string[], cwd = dir) => json(runBin(cwd, [...args, '-f', 'json']).stdout).files.map((f) => f.path);
    expect(files([])).toEqual(['docker-compose.yml', 'legacy/docker-compose.yml', 'legacy/keep/docker-compose.yml']);
    expect(files(['--exclude', 'legacy'])).toEqual(['docker-compose.yml']);
    expect(files(['--exclude', 'legacy/*.yml', '--exclude', 'docker-compose.yml'])).toEqual(['legacy/keep/docker-compose.yml']);
    expect(files(['--exclude', 'keep'], path.join(dir, 'legacy'))).toEqual(['legacy/docker-compose.yml']);
  });

  it('--list-files lists each file with its format and unit and checks nothing', () => {
    const dir = repo({ ...tree, 'infra/main.tf': 'resource "aws_security_group" "a" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n', 'README.yml': 'just: data\n' });
    const r = runBin(dir, ['--list-files']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      expect.stringMatching(/^PATH +FORMAT +UNIT$/),
      expect.stringMatching(/^docker-compose\.yml +compose +compose project docker-compose\.yml$/),
      expect.stringMatching(/^infra\/main\.tf +terraform +Terraform root module infra$/),
      expect.stringMatching(/^legacy\/docker-compose\.yml +compose +compose project legacy\/docker-compose\.yml$/),
      expect.stringMatching(/^legacy\/keep\/docker-compose\.yml +compose +compose project legacy\/keep\/docker-compose\.yml$/),
      '',
    ]);
    expect(JSON.parse(runBin(dir, ['--list-files', '-f', 'json']).stdout)[0]).toEqual({ path: 'docker-compose.yml', format: 'compose', unit: 'compose project docker-compose.yml' });
  });

  it('suggests the flag that was meant', () => {
    const dir = repo({});
    for (const [typo, meant] of [['--formt', '--format'], ['--max-warning', '--max-warnings'], ['--exlude', '--exclude'], ['--skip-rule', '--skip-rules'], ['--quite', '--quiet']]) {
      const r = runBin(dir, [typo!, 'x']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown option ${typo} (did you mean ${meant}?)`);
    }
    expect(runBin(dir, ['--zzzzzz']).stderr).not.toContain('did you mean');
    // A mistyped command is a missing path (exit 2) with the command it resembles.
    expect(runBin(dir, ['explian', 'PW001'])).toMatchObject({ code: 2, stderr: expect.stringContaining('(did you mean "portwall explain"?)') });
  });

  it('several reports in one run: each --format with its --output, one may go to stdout', () => {
    const dir = repo({ 'docker-compose.yml': ES });
    const r = runBin(dir, ['--format', 'sarif', '--output', 'out/a.sarif', '--format', 'junit', '--output', 'out/a.xml', '--format', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('PW002 public-datastore');
    expect(JSON.parse(readFileSync(path.join(dir, 'out/a.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
    expect(readFileSync(path.join(dir, 'out/a.xml'), 'utf8')).toContain('<testsuites');
    // The old order (--output before --format) still means one report.
    expect(runBin(dir, ['-o', 'out/b.json', '-f', 'json']).stdout).toBe('');
    expect(existsSync(path.join(dir, 'out/b.json'))).toBe(true);
    const two = runBin(dir, ['-f', 'json', '-f', 'sarif']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('would both go to standard output');
  });
});

describe('the progress line', () => {
  const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}/docker-compose.yml`, WEB]));

  it('is silent when stderr is not a terminal', () => {
    const dir = repo(big);
    const r = runBin(dir, ['--fail-on', 'none'], { env: { PORTWALL_PROGRESS_DELAY_MS: '0' } });
    expect(r.stderr).toBe('');
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('is drawn on a terminal once the scan runs longer than the delay, and never in CI', () => {
    const dir = repo(big);
    const bin = path.resolve(import.meta.dirname, '../../bin/portwall.js');
    // script(1) gives the CLI a pseudo-terminal; stdout goes to a file so only stderr is on it.
    const run = (env: string) =>
      spawnSync('script', ['-qec', `env ${env} NO_COLOR=1 "${process.execPath}" "${bin}" --fail-on none -o out.txt`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
    const shown = run('PORTWALL_PROGRESS_DELAY_MS=0');
    expect(shown.stdout).toMatch(/portwall: reading \d+\/40 s\d+\/docker-compose\.yml/);
    expect(shown.stdout).toContain('\x1b[K');
    expect(run('PORTWALL_PROGRESS_DELAY_MS=0 CI=true').stdout).not.toContain('portwall:');
    // The default delay (about a second) keeps a quick scan silent.
    expect(run('CI=').stdout).not.toContain('portwall:');
  });
});
