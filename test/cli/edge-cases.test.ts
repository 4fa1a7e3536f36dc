/**
 * CLI edge cases found in review: standard input under a name that also exists on disk
 * (--fix and code frames), paths that do not exist, and precedence when config turns the
 * more specific rule off.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-cli-edge-');

const ON_DISK = `services:
  web:
    image: nginx:1.27
    ports:
      - "443:443"
`;
const PIPED = `services:
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
    ports:
      - "6379:6379"
`;
const ES = `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    environment:
      - xpack.security.enabled=false
    ports:
      - "9200:9200"
`;

async function cli(cwd: string, args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => stdin, cwd, env: { NO_COLOR: '1' }, isTTY: false });
  return { code, stdout, stderr };
}

function rulesOf(stdout: string): string[] {
  return (JSON.parse(stdout) as { findings: { ruleId: string; file: string; suppressed: boolean }[] }).findings.filter((f) => !f.suppressed).map((f) => `${f.ruleId} ${f.file}`);
}

describe('standard input named like a file on disk', () => {
  it('--fix never writes the fixes of piped text into the file of the same name', async () => {
    const dir = project({ 'docker-compose.yml': ON_DISK });
    const r = await cli(dir, ['-', '--stdin-filename', 'docker-compose.yml', '--fix'], PIPED);
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(ON_DISK);
    expect(r.stderr).toContain('--fix does not change standard input');
    expect(r.code).toBe(1);
  });

  it('--fix on unnamed standard input changes nothing on disk either', async () => {
    const dir = project({ 'docker-compose.yml': ON_DISK });
    const r = await cli(dir, ['-', '--fix'], PIPED);
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(ON_DISK);
    expect(r.code).toBe(1);
  });

  it('code frames show the piped line, not the line of the file on disk', async () => {
    const dir = project({ 'docker-compose.yml': ON_DISK });
    const r = await cli(dir, ['-', '--stdin-filename', 'docker-compose.yml'], PIPED);
    expect(r.stdout).toContain('6 |       - "6379:6379"');
  });

  it('--fix still fixes the files on disk scanned together with standard input', async () => {
    const dir = project({ 'a/docker-compose.yml': ES });
    const r = await cli(dir, ['a', '-', '--stdin-filename', 'b/docker-compose.yml', '--fix'], PIPED);
    expect(readFileSync(path.join(dir, 'a/docker-compose.yml'), 'utf8')).toContain('- "127.0.0.1:9200:9200"');
    expect(r.stderr).toContain('applied 1 fix in 1 file');
  });
});

describe('paths that do not exist', () => {
  it('are a usage error (exit 2) even when nothing else is wrong, and are still reported', () => {
    const dir = project({ 'compose.yaml': ON_DISK });
    const r = runBin(dir, ['compose.yaml', 'nope.yml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('nope.yml: no such file or directory');
    expect(r.stderr).toContain('no such file or directory: nope.yml');
    expect(runBin(dir, ['compose.yaml']).code).toBe(0);
  });
});

describe('precedence when config turns a rule off', () => {
  it('PW004 off brings back PW002 and PW003 for that service; PW002 off leaves PW004 alone', async () => {
    const off4 = project({ 'docker-compose.yml': ES, 'portwall.config.yml': 'rules:\n  PW004: off\n' });
    expect(rulesOf((await cli(off4, ['--format', 'json'])).stdout)).toEqual(['PW003 docker-compose.yml', 'PW002 docker-compose.yml']);
    const off2 = project({ 'docker-compose.yml': ES, 'portwall.config.yml': 'rules:\n  public-datastore: off\n' });
    expect(rulesOf((await cli(off2, ['--format', 'json'])).stdout)).toEqual(['PW004 docker-compose.yml']);
  });

  it('a per-path override that turns PW004 off applies precedence per file', async () => {
    const dir = project({ 'docker-compose.yml': ES, 'dev/docker-compose.yml': ES, 'portwall.config.yml': 'overrides:\n  - files: ["dev/**"]\n    rules: { PW004: off }\n' });
    expect(rulesOf((await cli(dir, ['--format', 'json'])).stdout)).toEqual(['PW003 dev/docker-compose.yml', 'PW002 dev/docker-compose.yml', 'PW004 docker-compose.yml']);
  });

  it('an inline suppression of PW004 does not resurrect the PW002 it replaced', async () => {
    const suppressed = ES.replace('      - "9200:9200"', '      # portwall-ignore PW004: reviewed, behind the VPN gateway\n      - "9200:9200"');
    const dir = project({ 'docker-compose.yml': suppressed });
    const r = await cli(dir, ['--format', 'json']);
    expect(rulesOf(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });
});
