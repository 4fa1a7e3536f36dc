/**
 * Regressions found by scripts/fuzz.mjs (mutated real files): each input is the minimized,
 * realistic-looking form of a mutant that made portwall slow, memory-hungry or crash.
 * lint() must return, without internal errors, with a located PW000 where the file is broken.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

const GOOD = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

function internalErrors(r: Awaited<ReturnType<typeof lintTree>>): string[] {
  return [...r.notifications.map((n) => n.message), ...r.findings.map((f) => f.message)].filter((m) => /internal error|parser failed/i.test(m));
}

describe('fuzz regressions', () => {
  it('a compose command with a megabyte of words is read in linear time (fuzz seed 2002 #574: 4.8 s for 1 MB, each word rescanned the whole command)', async () => {
    const compose = `services:\n  simple:\n    image: alpine\n    command: sleep infinity${'&a '.repeat(700_000)}\n  es:\n    image: elasticsearch:8.1.0\n    ports:\n      - "9200:9200"\n`;
    const start = Date.now();
    const r = await lintTree({ 'compose.yaml': compose });
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(internalErrors(r)).toEqual([]);
    expect(views(r, 'PW002')).toEqual([{ ruleId: 'PW002', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 20 }]);
  });

  it('a YAML file with a flood of syntax errors is one PW000, fast (yaml built one Error per problem)', async () => {
    // Mutant of a CloudFormation template: a Helm-looking run pasted after a port (3 MB: a million errors, 15 s and GiBs before).
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  EfsSecurityGroup:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: EFS',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp',
      '          FromPort: 2049',
      `          ToPort: "2049"${'{{ .Values.x }}'.repeat(200_000)}`,
      '          CidrIp: 0.0.0.0/0',
      '',
    ].join('\n');
    const start = Date.now();
    const r = await lintTree({ 'efs.yaml': template, 'app/compose.yaml': GOOD });
    expect(Date.now() - start).toBeLessThan(8_000);
    expect(internalErrors(r)).toEqual([]);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'efs.yaml', line: 10, column: 25, endLine: 10, endColumn: 26 }]);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toContain('invalid YAML');
    expect(views(r).some((v) => v.file === 'app/compose.yaml' && v.ruleId === 'PW004')).toBe(true);
  });

  it('long whitespace inside a Terraform object is not quadratic, and locations stay exact', async () => {
    // Mutant of a tfvars/tf file: trailing blanks and blank lines inside an object (tree-sitter rescans them).
    const blanks = `${' '.repeat(30_000)}\n${'    \n'.repeat(5_000)}`;
    const tf = [
      'resource "aws_security_group" "db" {',
      '  name = "db"',
      `  tags = { Name = "db"${blanks}  Team = "data" }`,
      '  ingress {',
      '    from_port   = 5432',
      '    to_port     = 5432',
      '    protocol    = "tcp"',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
      '',
    ].join('\n');
    const start = Date.now();
    const r = await lintTree({ 'db/main.tf': tf, 'vars/example.tfvars': `gpu_pools = [{\n  disk_type = "pd-balanced"${' '.repeat(50_000)}\n  accelerator_type = "nvidia-l4"\n}]\n` });
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(internalErrors(r)).toEqual([]);
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'db/main.tf', line: 5009, column: 20, endLine: 5009, endColumn: 31 }]);
  });

  it('a syntax error after long whitespace is located in the original text', async () => {
    const tf = `locals {\n  tags = {\n    Name = "db"${' '.repeat(20_000)}\n${'\n'.repeat(100)}    Team = = "data"\n  }\n}\n`;
    const r = await lintTree({ 'main.tf': tf, 'app/compose.yaml': GOOD });
    expect(internalErrors(r)).toEqual([]);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'main.tf', line: 104, column: 12, endLine: 104, endColumn: 13 }]);
    expect(views(r).some((v) => v.file === 'app/compose.yaml')).toBe(true);
  });

  it('thousands of stray commas in a Terraform object end in a PW000, not a hang', async () => {
    // Error recovery of the HCL grammar goes superlinear here; a parse budget stops it.
    const tfvars = `rules = {\n  ssh = "22"\n${', '.repeat(20_000)}\n  db = "5432"\n}\n`;
    const start = Date.now();
    const r = await lintTree({ 'terraform.tfvars': tfvars, 'app/compose.yaml': GOOD });
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(internalErrors(r)).toEqual([]);
    expect(views(r, 'PW000').map((v) => v.file)).toEqual(['terraform.tfvars']);
    expect(views(r).some((v) => v.file === 'app/compose.yaml' && v.ruleId === 'PW004')).toBe(true);
  }, 30_000);
});
