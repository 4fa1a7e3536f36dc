/** The bundled examples behave as README says: the vulnerable stack fails, its fixed twin is clean. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/index.js';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/portwall.js'), ...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: JSON.parse(r.stdout) };
}

describe('bundled examples', () => {
  it('finds the leak-class problems of examples/vulnerable in every format', () => {
    const { code, out } = run(['examples/vulnerable']);
    expect(code).toBe(1);
    expect(out.summary).toMatchObject({ errors: 10, warnings: 2, notes: 0 });
    const byFile = out.findings.map((f: { ruleId: string; file: string; startLine: number }) => `${f.file}:${f.startLine} ${f.ruleId}`);
    expect(byFile).toEqual([
      'examples/vulnerable/docker-compose.yml:10 PW004',
      'examples/vulnerable/docker-compose.yml:11 PW004',
      'examples/vulnerable/docker-compose.yml:16 PW002',
      'examples/vulnerable/docker-compose.yml:21 PW004',
      'examples/vulnerable/docker-compose.yml:29 PW004',
      'examples/vulnerable/docker-compose.yml:36 PW001',
      'examples/vulnerable/docker-compose.yml:41 PW006',
      'examples/vulnerable/k8s/elasticsearch.yaml:69 PW004',
      'examples/vulnerable/terraform/main.tf:4 PW002',
      'examples/vulnerable/terraform/main.tf:4 PW002',
      'examples/vulnerable/terraform/main.tf:4 PW002',
      'examples/vulnerable/terraform/main.tf:38 PW008',
    ]);
  });

  it('finds nothing in examples/fixed', () => {
    const { code, out } = run(['examples/fixed']);
    expect(out.findings).toEqual([]);
    expect(out.files.map((f: { format: string }) => f.format).sort()).toEqual(['compose', 'kubernetes', 'terraform']);
    expect(code).toBe(0);
  });
});
