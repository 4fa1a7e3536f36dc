/** The built CLI, driven as a user drives it: a process, files on disk, stdout and exit codes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects();

function run(cwd: string, args: string[], input?: string, env: Record<string, string> = {}) {
  return runBin(cwd, args, { ...(input !== undefined ? { input } : {}), env });
}

const ES = `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    environment:
      - xpack.security.enabled=false
    ports:
      - "9200:9200"
`;
const SAFE = `services:
  web:
    image: nginx:1.25
    ports:
      - "443:443"
`;

describe('portwall CLI', () => {
  it('exits 1 with findings and prints them grouped by file with a code frame', () => {
    const dir = project({ 'docker-compose.yml': ES });
    const r = run(dir, []);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('docker-compose.yml\n  7:9  error  service \'es\' exposes Elasticsearch 7.17 without authentication');
    expect(r.stdout).toContain(`    7 |       - "9200:9200"\n${' '.repeat(16)}${'^'.repeat(11)}\n`);
    expect(r.stdout).toContain('✖ 1 problem (1 error, 0 warnings, 0 notes) in 1 checked file');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 0 on a clean project and says so', () => {
    const dir = project({ 'compose.yaml': SAFE });
    const r = run(dir, ['.']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ No problems found in 1 file.');
  });

  it('says when no supported file was found, and can fail on it', () => {
    const dir = project({ 'README.md': '# nothing here\n' });
    expect(run(dir, []).stdout).toContain('No supported files found');
    expect(run(dir, []).code).toBe(0);
    expect(run(dir, ['--fail-on', 'error,empty']).code).toBe(1);
  });

  it('honours --fail-on levels', () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n' });
    expect(run(dir, []).code).toBe(1);
    expect(run(dir, ['--fail-on', 'error']).code).toBe(0);
    expect(run(dir, ['--fail-on=note']).code).toBe(1);
    expect(run(dir, ['--fail-on', 'none']).code).toBe(0);
  });

  it('exits 2 on usage errors', () => {
    const dir = project({});
    const r = run(dir, ['--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json, sarif, github, junit, gitlab (got "xml")');
    expect(run(dir, ['--bogus']).code).toBe(2);
    expect(run(dir, ['explain']).code).toBe(2);
  });

  it('reports a missing path as an error notification', () => {
    const dir = project({ 'compose.yaml': SAFE });
    const r = run(dir, ['nope.yml']);
    expect(r.stdout).toContain('nope.yml: no such file or directory');
  });

  it('checks every other file when one is broken (PW000)', () => {
    const dir = project({ 'a/docker-compose.yml': 'services:\n  x:\n    image: [unclosed\n', 'b/docker-compose.yml': ES });
    const r = run(dir, ['--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: { ruleId: string; file: string; startLine: number; startColumn: number }) => [f.ruleId, f.file, f.startLine, f.startColumn])).toEqual([
      ['PW000', 'a/docker-compose.yml', 3, 20],
      ['PW004', 'b/docker-compose.yml', 7, 9],
    ]);
  });

  it('reads stdin with "-"', () => {
    const dir = project({});
    const r = run(dir, ['-', '--format', 'json', '--stdin-filename', 'piped/compose.yml'], ES);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.findings[0]).toMatchObject({ ruleId: 'PW004', file: 'piped/compose.yml', startLine: 7, startColumn: 9, endLine: 7, endColumn: 20 });
  });

  it('writes SARIF to --output and nothing to stdout', () => {
    const dir = project({ 'docker-compose.yml': ES });
    const r = run(dir, ['--format', 'sarif', '--output', 'out/portwall.sarif']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const log = JSON.parse(readFileSync(path.join(dir, 'out/portwall.sarif'), 'utf8'));
    expect(log.runs[0].results[0].ruleId).toBe('PW004');
  });

  it('prints GitHub workflow commands', () => {
    const dir = project({ 'docker-compose.yml': ES });
    const r = run(dir, ['--format', 'github']);
    expect(r.stdout.trim()).toBe(
      "::error file=docker-compose.yml,line=7,col=9,endLine=7,endColumn=20,title=PW004 public-unauthenticated-datastore::service 'es' exposes Elasticsearch 7.17 without authentication on port 9200/tcp to the internet (source%3A all interfaces (no host IP)): xpack.security.enabled=false in the environment: security is disabled".replace('(source%3A', '(source:'),
    );
  });

  it('applies --fix and reports what remains', () => {
    const dir = project({ 'docker-compose.yml': ES });
    const r = run(dir, ['--fix']);
    expect(r.stderr).toContain('applied 1 fix in 1 file');
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toContain('- "127.0.0.1:9200:9200"');
    // Auth is still off: PW003 remains, now that the port is local.
    expect(r.stdout).toContain('PW003 auth-disabled');
    expect(r.code).toBe(1);
  });

  it('lists rules and explains one', () => {
    const dir = project({});
    const rules = run(dir, ['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+LEVEL\s+SECURITY\s+SUMMARY$/);
    for (let i = 0; i <= 10; i++) expect(rules.stdout).toContain(`PW${String(i).padStart(3, '0')}`);
    const explain = run(dir, ['explain', 'PW002']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('PW002 public-datastore (error, security-severity 9.1)');
    expect(explain.stdout).toContain('## How to fix');
    expect(run(dir, ['explain', 'PW999']).code).toBe(2);
  });

  it('colors only when asked or on a TTY, and honours NO_COLOR', () => {
    const dir = project({ 'docker-compose.yml': ES });
    expect(run(dir, [], undefined, { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(run(dir, [], undefined, { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toContain('\u001b[');
    expect(run(dir, ['--color'], undefined, { NO_COLOR: '1' }).stdout).toContain('\u001b[');
  });

  it('prints the version and help', () => {
    const dir = project({});
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(run(dir, ['--version']).stdout.trim()).toBe(pkg.version);
    expect(run(dir, ['--help']).stdout).toContain('Usage: portwall');
  });

  it('masks secrets in code frames', () => {
    const dir = project({ 'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n    environment:\n      - MYSQL_ALLOW_EMPTY_PASSWORD=yes\n      - MYSQL_PASSWORD=s3cr3t-value\n' });
    const r = run(dir, []);
    expect(r.stdout).toContain('PW003');
    expect(r.stdout).not.toContain('s3cr3t-value');
  });
});
