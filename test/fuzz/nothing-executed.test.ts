/**
 * "Nothing from the scanned tree is executed" and nothing outside it is read: a scanned repository
 * with commands, Terraform external data sources, local-exec provisioners, a config naming a JS
 * plugin and file() paths outside the module is linted without running or reading any of them.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { tempDir, views, writeTree } from '../helpers/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sg(cidrExpr: string): string {
  return `resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [${cidrExpr}]
  }
}
`;
}

describe('nothing from the scanned tree is executed', () => {
  it('runs no command, external program, provisioner or plugin of the scanned repository', async () => {
    const dir = tempDir('portwall-noexec-');
    dirs.push(dir);
    const marker = path.join(dir, 'PWNED');
    const touch = `touch ${marker}`;
    writeTree(dir, {
      'portwall.config.yml': 'plugins: [./evil.mjs]\n',
      'evil.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'plugin');\nexport default [];\n`,
      '.env': `TAG=$(${touch})\n`,
      'docker-compose.yml': `services:\n  app:\n    image: "nginx:\${TAG}"\n    command: ["sh", "-c", "${touch}"]\n    entrypoint: ${touch}\n    healthcheck:\n      test: ["CMD-SHELL", "${touch}"]\n    ports: ["127.0.0.1:8080:80"]\n`,
      'infra/main.tf': `data "external" "office" {
  program = ["sh", "-c", "${touch}; echo '{\\"cidr\\":\\"10.0.0.0/8\\"}'"]
}

resource "null_resource" "setup" {
  provisioner "local-exec" {
    command = "${touch}"
  }
}

${sg('data.external.office.result.cidr')}`,
    });
    const r = await lint({ cwd: dir });
    expect(existsSync(marker)).toBe(false);
    expect(r.notifications.filter((n) => /internal error/.test(n.message))).toEqual([]);
    // The external data source is an unknown (PW010), never run to find out.
    expect(views(r)).toEqual([{ ruleId: 'PW010', file: 'infra/main.tf', line: 17, column: 20, endLine: 17, endColumn: 52 }]);
  });

  it('file() reads only files of the scan: not absolute paths, not paths leaving the scan root', async () => {
    const base = tempDir('portwall-file-');
    dirs.push(base);
    const repo = path.join(base, 'repo');
    mkdirSync(repo);
    writeTree(base, { 'outside/allowed-cidr': '0.0.0.0/0\n' });
    writeTree(repo, {
      // Under the scan root at the path an absolute file() names: must not be taken for it.
      'etc/allowed-cidr': '0.0.0.0/0\n',
      'absolute/main.tf': sg('trimspace(file("/etc/allowed-cidr"))'),
      'traversal/main.tf': sg('trimspace(file("${path.module}/../../outside/allowed-cidr"))'),
      'passwd/main.tf': sg('trimspace(file("/etc/passwd"))'),
      'inside/allowed-cidr': '0.0.0.0/0\n',
      'inside/main.tf': sg('trimspace(file("${path.module}/allowed-cidr"))'),
    });
    const r = await lint({ cwd: repo });
    expect(r.notifications.filter((n) => /internal error/.test(n.message))).toEqual([]);
    const byFile = (file: string) => r.findings.filter((f) => f.location.file === file || f.related.some((l) => l.location?.file === file)).map((f) => f.ruleId);
    // Read inside the module: a known source, a real finding (in the file that holds it).
    expect(r.findings.some((f) => f.ruleId === 'PW002' && (f.location.file === 'inside/allowed-cidr' || f.location.file === 'inside/main.tf'))).toBe(true);
    // Outside the scan (or absolute): unknown, never read.
    for (const dir of ['absolute', 'traversal', 'passwd']) {
      const mine = r.findings.filter((f) => f.location.file.startsWith(`${dir}/`));
      expect(mine.map((f) => f.ruleId)).toEqual(['PW010']);
      expect(mine[0]!.message).toMatch(/could not be read within the scanned files/);
    }
    expect(byFile('etc/allowed-cidr')).toEqual([]);
    expect(r.findings.some((f) => /root:.*:0:0:/.test(f.message) || f.location.file.startsWith('..'))).toBe(false);
  });
});
