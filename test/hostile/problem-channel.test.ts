/**
 * Issue 14 item 1 / issue 18 item 2: one typed problem channel. An internal error anywhere is
 * an error notification of kind `internal` and exit 2 in every shell; nothing is decided by
 * matching message text; a budget hit in the Terraform evaluator is an unknown (PW010) or a
 * finding, never a whole module dropped with a warning.
 */
import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/cli/main.js';
import type { LintResult } from '../../src/core/finding.js';
import { hasInternalProblem } from '../../src/core/problem.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/core/rule.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import { useTempProjects, views } from '../helpers/index.js';

const project = useTempProjects('portwall-problems-');
const SG = (extra: string) =>
  `resource "aws_security_group" "es" {\n  name = "es"\n${extra}  ingress {\n    from_port   = 9200\n    to_port     = 9200\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
function doubling(n: number, seed: string, join: (prev: string) => string): string {
  const lines = [`  s0 = ${seed}`];
  for (let i = 1; i <= n; i++) lines.push(`  s${i} = ${join(`local.s${i - 1}`)}`);
  return `locals {\n${lines.join('\n')}\n}\n`;
}

describe('problem channel', () => {
  it('a string doubled 40 times does not drop the module: the open port is still found (was exit 0, "internal error" warning)', async () => {
    const dir = project({ 'main.tf': doubling(40, '"ab"', (p) => `"\${${p}}\${${p}}"`) + SG('  description = local.s40\n') });
    // CPU time of this test process (pool: forks), not wall time: the machine may be loaded.
    const cpu = process.cpuUsage();
    const r = await lint({ cwd: dir });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(5_000);
    expect(r.notifications.filter((n) => n.kind === 'internal')).toEqual([]);
    expect(views(r).map((v) => v.ruleId)).toContain('PW002');
  });

  it('a list flattened into itself 40 times is bounded (was a 1.4 GB heap abort)', async () => {
    const dir = project({ 'main.tf': doubling(40, '[1, 2]', (p) => `flatten([${p}, ${p}])`) + SG('  description = length(local.s40)\n') });
    const r = await lint({ cwd: dir });
    expect(views(r).map((v) => v.ruleId)).toContain('PW002');
    expect(hasInternalProblem(r.notifications)).toBe(false);
  });

  it('a nested (shared) list doubled 40 times is weighed in linear time', async () => {
    const dir = project({ 'main.tf': doubling(40, '[1, 2]', (p) => `[${p}, ${p}]`) + SG('  description = jsonencode(local.s40)\n') });
    // CPU time of this test process (pool: forks), not wall time: the machine may be loaded.
    const cpu = process.cpuUsage();
    const r = await lint({ cwd: dir });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(5_000);
    expect(views(r).map((v) => v.ruleId)).toContain('PW002');
  });

  it('a rule that throws is kind internal, level error, and exit 2 even with --fail-on none', async () => {
    const dir = project({ 'docker-compose.yml': 'services:\n  a:\n    image: nginx\n' });
    const boom: Rule = { ...BUILTIN_RULES[1]!, meta: { ...BUILTIN_RULES[1]!.meta, id: 'X900', name: 'boom' }, check() { throw new Error('boom'); } };
    const r = await lint({ cwd: dir, rules: [...BUILTIN_RULES, boom] });
    const internal = r.notifications.filter((n) => n.kind === 'internal');
    expect(internal).toHaveLength(1);
    expect(internal[0]!.level).toBe('error');
    expect(exitCode(r, { failOn: 'none', failOnEmpty: false })).toBe(2);
  });

  it('exit code is decided by kind, not by message text', () => {
    const base: LintResult = { root: '/', findings: [], files: [], notifications: [] };
    expect(exitCode({ ...base, notifications: [{ level: 'error', message: 'internal error in a file name' }] }, { failOn: 'error', failOnEmpty: false })).toBe(0);
    expect(exitCode({ ...base, notifications: [{ level: 'error', kind: 'internal', message: 'x' }] }, { failOn: 'error', failOnEmpty: false })).toBe(2);
  });

  it('every engine notification carries a kind', async () => {
    const dir = project({ 'docker-compose.yml': 'services:\n  a:\n    image: nginx\n    ports: ["80:80"]\n', 'chart/Chart.yaml': 'name: x\n', 'chart/templates/a.yaml': '{{ .Values.x }}\n' });
    const r = await lint({ cwd: dir, paths: ['.', 'missing.yml'] });
    expect(r.notifications.length).toBeGreaterThan(0);
    for (const n of r.notifications) expect(n.kind, n.message).toBeDefined();
  });

  it('cloud JSON and CloudFormation report what they cannot judge (kind unknown), never drop it silently', async () => {
    const dir = project({
      'sg.json': JSON.stringify({ SecurityGroups: [{ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'bogus', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }] }, null, 2),
      'nacl.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Action: { Type: String }\nResources:\n  Entry:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      NetworkAclId: acl-1\n      RuleNumber: 100\n      Protocol: 6\n      RuleAction: !Ref Action\n      CidrBlock: 0.0.0.0/0\n      PortRange: { From: 22, To: 22 }\n',
    });
    const r = await lint({ cwd: dir });
    const unknown = r.notifications.filter((n) => n.kind === 'unknown');
    expect(unknown.map((n) => n.file).sort()).toEqual(['nacl.yaml', 'sg.json']);
    expect(unknown.find((n) => n.file === 'sg.json')!.message).toContain('protocol "bogus"');
    expect(unknown.find((n) => n.file === 'nacl.yaml')!.message).toContain('Entry (its RuleAction cannot be resolved)');
  });
});
