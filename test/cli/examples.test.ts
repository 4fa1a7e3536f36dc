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
    expect(out.summary).toMatchObject({ errors: 8, warnings: 2, notes: 0 });
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
      'examples/vulnerable/terraform/main.tf:11 PW002',
      'examples/vulnerable/terraform/main.tf:18 PW008',
    ]);
    // The module call's argument is primary; the module's rule and the variable default are related.
    const tf = out.findings.find((f: { ruleId: string; file: string }) => f.ruleId === 'PW002' && f.file.endsWith('main.tf'));
    expect(tf.message).toContain('exposes Elasticsearch HTTP 9200, MongoDB 27017, Redis 6379');
    expect(tf.related.map((r: { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number; message: string }) => [r.file, r.startLine, r.startColumn, r.endLine, r.endColumn, r.message])).toEqual([
      ['examples/vulnerable/terraform/modules/datastore-sg/main.tf', 32, 21, 32, 42, 'used by module.stack_sg.aws_security_group.this'],
      ['examples/vulnerable/terraform/main.tf', 4, 14, 4, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs'],
    ]);
    expect(tf.units).toEqual(['Terraform root module examples/vulnerable/terraform']);
  });

  it('finds nothing in examples/fixed', () => {
    const { code, out } = run(['examples/fixed']);
    expect(out.findings).toEqual([]);
    expect(out.files.map((f: { format: string }) => f.format).sort()).toEqual(['compose', 'kubernetes', 'terraform', 'terraform']);
    expect(code).toBe(0);
  });
});
