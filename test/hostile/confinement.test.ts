/**
 * Issue 14 items 2 and 4: nothing outside the tree, no silent skip. Every path a config or a
 * scanned file names is realpath-confined to the repository, must be a regular file (a FIFO
 * or /dev/zero never blocks or streams), and is read with a cap; JS plugins of a discovered
 * config load only with --allow-js-rules; BOM-encoded UTF-16/32 files are read; binary files
 * named like configuration are PW000; links inside the repository are followed once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { decodeText } from '../../src/engine/read-source.js';
import { lint } from '../../src/engine/lint.js';
import { tempDir, useTempProjects, views } from '../helpers/index.js';

const project = useTempProjects('portwall-confine-');
const COMPOSE = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

async function cli(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--no-color'], { cwd, env: {}, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' });
  return { code, stdout, stderr };
}

function fifo(dir: string, name: string): void {
  execFileSync('mkfifo', [path.join(dir, name)]);
}

describe('nothing outside the tree', () => {
  it('a config baseline outside the repository is refused for reading and writing', async () => {
    const outer = tempDir('portwall-outer-');
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    writeFileSync(path.join(repo, 'docker-compose.yml'), COMPOSE);
    writeFileSync(path.join(outer, 'secret.txt'), 'root:SHADOW-LINE\n');
    for (const baseline of ['../outside.json', '../secret.txt', '/etc/passwd', '/dev/zero']) {
      writeFileSync(path.join(repo, 'portwall.config.yml'), `baseline: ${baseline}\n`);
      for (const args of [[], ['baseline']]) {
        const r = await cli(repo, args);
        expect(r.code, `${baseline} ${args}`).toBe(2);
        expect(r.stderr).toContain('is outside the repository');
        expect(r.stderr + r.stdout).not.toContain('SHADOW');
      }
    }
    expect(existsSync(path.join(outer, 'outside.json'))).toBe(false);
  });

  it('a baseline symlinked out of the repository is not read, and "portwall baseline" does not write through it', async () => {
    const outer = tempDir('portwall-outer-');
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    writeFileSync(path.join(repo, 'docker-compose.yml'), COMPOSE);
    writeFileSync(path.join(outer, 'victim.json'), '{"version":1,"findings":{}}\n');
    symlinkSync(path.join(outer, 'victim.json'), path.join(repo, 'portwall-baseline.json'));
    expect((await cli(repo, [])).stderr).toContain('outside the repository');
    const w = await cli(repo, ['baseline']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('out of the repository');
  });

  it('FIFOs named as .env, env_file, include, file(), baseline or config never block', async () => {
    const dir = project({
      '.git/HEAD': 'x',
      'a/docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n    env_file: app.env\n    ports:\n      - "${P}:6379"\n',
      'b/docker-compose.yml': `include:\n  - other.yml\n${COMPOSE}`,
      'c/main.tf': 'resource "aws_security_group" "x" {\n  description = file("cidrs.txt")\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    });
    for (const name of ['a/.env', 'a/app.env', 'b/other.yml', 'c/cidrs.txt', 'portwall-baseline.json']) fifo(dir, name);
    const start = Date.now();
    const r = await cli(dir, []);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(r.stderr).toContain('portwall-baseline.json: baseline is not a regular file');
    const scan = await lint({ cwd: dir });
    expect(new Set(views(scan).map((v) => v.file))).toEqual(new Set(['a/docker-compose.yml', 'b/docker-compose.yml', 'c/main.tf']));
    const configDir = project({ 'docker-compose.yml': COMPOSE });
    fifo(configDir, 'portwall.config.yml');
    expect(await cli(configDir, [])).toMatchObject({ code: 2, stderr: expect.stringContaining('not a regular file') });
  }, 20_000);

  it('a discovered config linked to a file outside the repository is not read', async () => {
    const outer = tempDir('portwall-outer-');
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    writeFileSync(path.join(repo, 'docker-compose.yml'), COMPOSE);
    writeFileSync(path.join(outer, 'shadow'), 'root:SHADOW-LINE:19000:0:99999:7:::\n');
    symlinkSync(path.join(outer, 'shadow'), path.join(repo, 'portwall.config.yml'));
    const r = await cli(repo, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the repository');
    expect(r.stderr).not.toContain('SHADOW');
  });

  it('plugins of a discovered config are skipped with a note; --allow-js-rules or --config loads them', async () => {
    const dir = project({
      '.git/HEAD': 'x',
      'portwall.config.yml': 'plugins: ["./rule.mjs"]\n',
      'rule.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran-' + Date.now() + Math.random(), import.meta.url), 'x');\nexport default { meta: { id: 'ORG-1', name: 'org', level: 'warning', shortDescription: 'x', help: 'x' }, check() {} };\n",
      'docker-compose.yml': COMPOSE,
    });
    const ran = () => require('node:fs').readdirSync(dir).filter((f: string) => f.startsWith('ran-')).length;
    const skipped = await cli(dir, []);
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toContain('JavaScript rules (plugins "./rule.mjs") were skipped');
    expect(ran()).toBe(0);
    await cli(dir, ['--allow-js-rules']);
    expect(ran()).toBe(1);
    // --config is trusted (a second project: the module cache would hide a second run of the same file).
    const trusted = project({ 'cfg/portwall.config.yml': 'plugins: ["./rule.mjs"]\n', 'cfg/rule.mjs': "export default { meta: { id: 'ORG-2', name: 'org2', level: 'warning', shortDescription: 'x', help: 'x' }, check() {} };\n", 'docker-compose.yml': COMPOSE });
    const r = await cli(trusted, ['--config', 'cfg/portwall.config.yml']);
    expect(r.stderr).not.toContain('skipped');
    expect((await cli(trusted, ['rules', '--config', 'cfg/portwall.config.yml'])).stdout).toContain('ORG-2');
  });
});

describe('no silent skip', () => {
  const utf32 = (text: string, le: boolean) => Buffer.concat([Buffer.from(le ? [0xff, 0xfe, 0, 0] : [0, 0, 0xfe, 0xff]), ...[...text].map((c) => { const b = Buffer.alloc(4); if (le) b.writeUInt32LE(c.codePointAt(0)!); else b.writeUInt32BE(c.codePointAt(0)!); return b; })]);
  const utf16be = (text: string) => { const b = Buffer.from(text, 'utf16le'); b.swap16(); return Buffer.concat([Buffer.from([0xfe, 0xff]), b]); };

  it('decodes UTF-16 and UTF-32 by their BOM (YAML 1.2), and finds the exposure with the right location', async () => {
    const dir = project({});
    writeFileSync(path.join(dir, 'a.yml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(COMPOSE, 'utf16le')]));
    writeFileSync(path.join(dir, 'b.yml'), utf16be(COMPOSE));
    writeFileSync(path.join(dir, 'c.yml'), utf32(COMPOSE, true));
    writeFileSync(path.join(dir, 'd.yml'), utf32(COMPOSE, false));
    for (const f of ['a', 'b', 'c', 'd']) mkdirSync(path.join(dir, f));
    const r = await lint({ cwd: dir });
    expect(views(r, 'PW004').map((v) => `${v.file}:${v.line}:${v.column}`)).toEqual(['a.yml:5:9', 'b.yml:5:9', 'c.yml:5:9', 'd.yml:5:9']);
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ text: 'a', encoding: 'utf-8' });
  });

  it('a binary file named like configuration is a PW000, not skipped silently (NUL first byte)', async () => {
    const dir = project({ 'other.png.txt': 'x' });
    writeFileSync(path.join(dir, 'docker-compose.yml'), Buffer.concat([Buffer.from([0]), Buffer.from(COMPOSE)]));
    const r = await lint({ cwd: dir });
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'docker-compose.yml', line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(r.files.map((f) => f.path)).toContain('docker-compose.yml');
  });

  it('a compose file that is a link inside the repository is checked once; links out are not followed', async () => {
    const outer = tempDir('portwall-outer-');
    const dir = path.join(outer, 'repo');
    mkdirSync(path.join(dir, 'deploy'), { recursive: true });
    writeFileSync(path.join(dir, 'deploy/compose.prod'), COMPOSE);
    symlinkSync('deploy/compose.prod', path.join(dir, 'docker-compose.yml'));
    mkdirSync(path.join(outer, 'elsewhere'));
    writeFileSync(path.join(outer, 'elsewhere/docker-compose.yml'), COMPOSE);
    symlinkSync(path.join(outer, 'elsewhere'), path.join(dir, 'linked-out'));
    mkdirSync(path.join(dir, 'real'));
    writeFileSync(path.join(dir, 'real/compose.yaml'), COMPOSE);
    symlinkSync('real', path.join(dir, 'alias'));
    symlinkSync('.', path.join(dir, 'loop'));
    const r = await lint({ cwd: dir });
    expect(views(r, 'PW004').map((v) => v.file).sort()).toEqual(['docker-compose.yml', 'real/compose.yaml']);
  });

  it('a compose file linked out of the repository is reported as skipped, never read, through the CLI too', async () => {
    const outer = tempDir('portwall-outer-');
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, 'sub'), { recursive: true });
    writeFileSync(path.join(outer, 'outside.yml'), 'services:\n  es:\n    image: elasticsearch:8.1.0\n    ports: ["9200:9200"]\n# SECRET-OUTSIDE\n');
    symlinkSync(path.join(outer, 'outside.yml'), path.join(repo, 'docker-compose.yml'));
    mkdirSync(path.join(outer, 'o2'));
    writeFileSync(path.join(outer, 'o2/docker-compose.yml'), COMPOSE);
    symlinkSync(path.join(outer, 'o2'), path.join(repo, 'sub/link'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    for (const args of [['.'], ['docker-compose.yml'], ['.', '--format', 'json']]) {
      const r = await cli(repo, args);
      expect(r.stdout + r.stderr).not.toContain('SECRET-OUTSIDE');
      expect(r.stdout + r.stderr).not.toContain('6379');
      expect(r.stdout + r.stderr).toContain('docker-compose.yml: skipped, it is outside the repository: it is not read');
      expect(r.code).toBe(0);
    }
    const r = await lint({ cwd: repo });
    expect(r.findings).toEqual([]);
    expect(r.notifications.map((n) => [n.kind, n.file, n.level])).toEqual([['skipped', 'docker-compose.yml', 'warning']]);
  });

  it('a folder name with a newline is reported with that name', async () => {
    const dir = project({ 'a\nb/docker-compose.yml': COMPOSE });
    const r = await lint({ cwd: dir });
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['a\nb/docker-compose.yml']);
    const text = await cli(dir, ['-f', 'json']);
    expect(text.stdout).toContain(JSON.stringify('a\nb/docker-compose.yml'));
    // The text report escapes it: one file header line, not two.
    const plain = await cli(dir, []);
    expect(plain.stdout.split('\n')[0]).toBe('a\\nb/docker-compose.yml');
  });

  it('a truncated or deeply nested one-line CloudFormation JSON template is a PW000, not "no supported files"', async () => {
    const full = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } } });
    const nested = `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}}`;
    const r = await lint({ cwd: project({ 'truncated.json': full.slice(0, 150), 'nested.json': nested }) });
    expect(views(r, 'PW000').map((v) => v.file).sort()).toEqual(['nested.json', 'truncated.json']);
    expect(r.findings.find((f) => f.location.file === 'nested.json')!.message).toContain('nested too deeply');
  });
});
