/**
 * Issue 14 item 3: a budget across the files of one run. Once the YAML/JSON nodes held (a
 * format's parses are given back once its model is built) or the characters read pass the run's limit, every later file (format by format, in path order within one) is one PW000 ("the run's
 * budget is spent"), whatever the order the files were written in; nothing is silent.
 */
import { describe, expect, it } from 'vitest';
import { lintProject } from '../../src/engine/project.js';
import { MAX_RUN_NODES, RunBudget } from '../../src/engine/run-budget.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import { lintTree, useTempProjects, views } from '../helpers/index.js';

const project = useTempProjects('portwall-runbudget-');
/** A compose file of about 3 + 4 * entries counted nodes with one public Redis port. */
const compose = (entries: number) => `services:\n  cache:\n    image: redis:7\n    environment:\n${Array.from({ length: entries }, (_, i) => `      V${i}: x`).join('\n')}\n    ports:\n      - "6379:6379"\n`;

describe("the run's budget", () => {
  it('files past the node budget in path order are PW000, the same whatever the write order', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}/docker-compose.yml`);
    const forward = Object.fromEntries(names.map((n) => [n, compose(2000)]));
    const backward = Object.fromEntries([...names].reverse().map((n) => [n, compose(2000)]));
    // Each file is about 6,000 nodes: the budget is spent after the second.
    const r1 = await lintTree(forward, { runBudget: new RunBudget(10_000) });
    const r2 = await lintTree(backward, { runBudget: new RunBudget(10_000) });
    expect(views(r1, 'PW004').map((v) => v.file)).toEqual(['a/docker-compose.yml', 'b/docker-compose.yml']);
    expect(views(r1, 'PW000')).toEqual(['c', 'd', 'e'].map((n) => ({ ruleId: 'PW000', file: `${n}/docker-compose.yml`, line: 1, column: 1, endLine: 1, endColumn: 10 })));
    const message = r1.findings.find((f) => f.ruleId === 'PW000')!.message;
    expect(message).toContain("the run's budget is spent (more than 10,000 YAML/JSON nodes were held at once before this file, in parse order: by format, then path); this file is not checked");
    expect(JSON.stringify(r2.findings)).toBe(JSON.stringify(r1.findings));
    expect(r1.findings.filter((f) => f.ruleId === 'PW000')).toHaveLength(3);
  }, 60_000);

  it('nodes a format no longer holds are given back: a later format parses (8 copies of the corpus were 25,273 PW000s)', async () => {
    const configMap = (entries: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: entries }, (_, i) => `  k${i}: v`).join('\n')}\n`;
    // Compose holds about 12,000 nodes while it is adapted, then drops them; the ConfigMaps' 2 x 3,000 fit.
    const tree = { 'a/docker-compose.yml': compose(1500), 'b/docker-compose.yml': compose(1500), 'k/cm.yaml': configMap(1500), 'k/cm2.yaml': configMap(1500) };
    const r = await lintTree(tree, { runBudget: new RunBudget(13_000) });
    expect(views(r, 'PW000')).toEqual([]);
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['a/docker-compose.yml', 'b/docker-compose.yml']);
    expect(r.files.filter((f) => f.path.startsWith('k/')).map((f) => [f.path, f.format])).toEqual([['k/cm.yaml', 'kubernetes'], ['k/cm2.yaml', 'kubernetes']]);
    // Held together (one format), the same nodes are over the budget.
    const held = await lintTree(Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`${n}/docker-compose.yml`, compose(1500)])), { runBudget: new RunBudget(13_000) });
    expect(views(held, 'PW000').map((v) => v.file)).toEqual(['d/docker-compose.yml']);
  }, 60_000);

  it("a format that adapts each file on its own gives each file's nodes back at once (CloudFormation)", async () => {
    // One template of about 4 + 8 * n counted nodes, with SSH open to the world.
    const template = (n: number) =>
      `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ssh\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n      Tags:\n${Array.from({ length: n }, (_, i) => `        - Key: k${i}\n          Value: v`).join('\n')}\n`;
    const names = ['a', 'b', 'c'].map((n) => `${n}/stack.yaml`);
    const tree = Object.fromEntries(names.map((n) => [n, template(1000)]));
    // Each template alone fits; the three held together (as a format's parses were) would not.
    const r = await lintTree(tree, { runBudget: new RunBudget(12_000) });
    expect(views(r, 'PW000')).toEqual([]);
    expect(r.files.map((f) => [f.path, f.format])).toEqual(names.map((n) => [n, 'cloudformation']));
    expect(views(r, 'PW002').map((v) => [v.file, v.line, v.column])).toEqual(names.map((n) => [n, 11, 19]));
    // The nodes are counted all the same: a template over the budget is checked, the files after it are not.
    const over = await lintTree({ 'a/stack.yaml': template(2000), 'b/stack.yaml': template(10) }, { runBudget: new RunBudget(12_000) });
    expect(views(over, 'PW002').map((v) => v.file)).toEqual(['a/stack.yaml']);
    expect(views(over, 'PW000').map((v) => v.file)).toEqual(['b/stack.yaml']);
  }, 60_000);

  it('the character budget counts every parsed file, Terraform too', async () => {
    const tf = (n: number) => `# ${'x'.repeat(n)}\nresource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const r = await lintTree({ 'a/main.tf': tf(60_000), 'b/main.tf': tf(60_000), 'c/main.tf': tf(10) }, { runBudget: new RunBudget(MAX_RUN_NODES, 100_000) });
    expect(views(r, 'PW000').map((v) => v.file)).toEqual(['c/main.tf']);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toContain("the run's budget is spent (more than 0 MiB were read before this file");
    expect(r.findings.filter((f) => f.ruleId !== 'PW000').map((f) => f.location.file).sort()).toEqual(['a/main.tf', 'b/main.tf']);
  }, 60_000);

  it('is one budget across the config groups of a run (lintProject)', async () => {
    const dir = project({
      '.git/HEAD': 'x',
      'a/docker-compose.yml': compose(2000),
      'b/portwall.config.yml': 'rules:\n  PW001: off\n',
      'b/docker-compose.yml': compose(10),
    });
    // Group a (the root config) spends the budget; group b's file, read afterwards, is refused.
    const r = await lintProject({ cwd: dir, paths: ['.'], builtinRules: BUILTIN_RULES, allowJsRules: 'skip', runBudget: new RunBudget(5_000) });
    expect(views(r.result, 'PW004').map((v) => v.file)).toEqual(['a/docker-compose.yml']);
    expect(views(r.result, 'PW000').map((v) => v.file)).toEqual(['b/docker-compose.yml']);
    const fresh = await lintProject({ cwd: dir, paths: ['.'], builtinRules: BUILTIN_RULES, allowJsRules: 'skip' });
    expect(views(fresh.result, 'PW000')).toEqual([]);
  }, 60_000);

  it('the default budget is far above a real repository', () => {
    // The corpus (2,685 YAML/JSON files of 32 repositories) reads 672,582 nodes.
    expect(MAX_RUN_NODES).toBeGreaterThan(4 * 672_582);
  });
});
