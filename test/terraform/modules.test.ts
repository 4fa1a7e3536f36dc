/**
 * Terraform deployment units: root modules evaluated with their module tree. Findings are
 * asserted with their primary region (the call site when a call argument brought the value)
 * and every related region (the place in the module, then the provenance chain).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import type { Finding } from '../../src/core/finding.js';
import { MAX_MODULE_DEPTH } from '../../src/formats/terraform/module-tree.js';
import { relatedOf } from '../helpers/rule-tester.js';
import { lintTree } from '../helpers/index.js';
import { FIXTURES } from './helpers.js';

type Row = [string, string, number, number, number, number];

function rows(findings: Finding[]): Row[] {
  return findings.map((f) => {
    const r = f.location.region;
    return [f.ruleId, f.location.file, r.startLine, r.startColumn, r.endLine, r.endColumn];
  });
}

describe('Terraform modules', () => {
  it('evaluates a root module with its local modules: arguments, defaults, for_each and count on calls, outputs', async () => {
    const result = await lint({ cwd: path.join(FIXTURES, 'modules/app') });
    const findings = result.findings;
    expect(rows(findings)).toEqual([
      ['PW002', 'main.tf', 5, 13, 5, 28],
      ['PW002', 'main.tf', 13, 15, 13, 25],
      ['PW001', 'main.tf', 19, 13, 19, 37],
      ['PW002', 'main.tf', 19, 13, 19, 37],
      ['PW002', 'main.tf', 23, 1, 23, 18],
      ['PW002', 'main.tf', 25, 13, 25, 24],
      ['PW010', 'main.tf', 42, 24, 42, 40],
      ['PW008', 'main.tf', 48, 3, 48, 29],
      ['PW008', 'main.tf', 53, 3, 53, 45],
    ]);
    expect(findings.map(relatedOf)).toEqual([
      // The module call argument is primary; the resource in the module and the default are related.
      [
        ['modules/sg/main.tf', 13, 21, 13, 32, 'used by module.search.aws_security_group.this'],
        ['variables.tf', 2, 14, 2, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs'],
      ],
      // for_each on the call: only the "prod" instance is public.
      [
        ['modules/sg/main.tf', 13, 21, 13, 32, 'used by module.per_env["prod"].aws_security_group.this'],
        ['main.tf', 10, 47, 10, 58, '0.0.0.0/0 comes from the for_each of module.per_env'],
      ],
      // An output of one module is an argument of another: the whole way back to the default.
      // copies[1] opens 5433 (PW001), copies[0] PostgreSQL 5432 (PW002).
      [
        ['modules/rule/main.tf', 10, 24, 10, 32, 'used by module.copies[1].aws_security_group_rule.this'],
        ['modules/sg/main.tf', 19, 11, 19, 25, '0.0.0.0/0 comes from module.search.first_cidr'],
        ['main.tf', 5, 13, 5, 28, '0.0.0.0/0 is passed to module.search as allowed'],
        ['variables.tf', 2, 14, 2, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs'],
      ],
      [
        ['modules/rule/main.tf', 10, 24, 10, 32, 'used by module.copies[0].aws_security_group_rule.this'],
        ['modules/sg/main.tf', 19, 11, 19, 25, '0.0.0.0/0 comes from module.search.first_cidr'],
        ['main.tf', 5, 13, 5, 28, '0.0.0.0/0 is passed to module.search as allowed'],
        ['variables.tf', 2, 14, 2, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs'],
      ],
      // A module from .terraform/modules: never a location inside .terraform; the call is primary.
      [],
      [],
      // A module that is not present: PW010 naming it, with the call as related.
      [['main.tf', 28, 1, 28, 14, 'the value comes from module.gone.cidr']],
      [],
      [['variables.tf', 6, 13, 6, 17, 'true comes from the default of var.warehouse_public']],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'module.search.aws_security_group.this exposes Elasticsearch HTTP 9200, MongoDB 27017 on ports 9200, 27017/tcp to the internet (source: 0.0.0.0/0)',
      'module.per_env["prod"].aws_security_group.this exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)',
      'module.copies[1].aws_security_group_rule.this exposes port 5433/tcp to the internet (source: 0.0.0.0/0); only 443 may be public',
      'module.copies[0].aws_security_group_rule.this exposes PostgreSQL 5432 on port 5432/tcp to the internet (source: 0.0.0.0/0)',
      'module.vendored.aws_security_group.search exposes SSH 22 on port 22/tcp to the internet (source: 0.0.0.0/0)',
      'module.vendored.aws_security_group.search exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: 0.0.0.0/0)',
      'aws_security_group_rule.from_outputs opens Elasticsearch HTTP 9200 on port 9200/tcp to a source portwall cannot resolve: module "gone" cannot be read: its source "./modules/not-here" is not in the scan',
      'module.rds (Amazon RDS instance (postgres) via terraform-aws-modules/rds/aws) is publicly reachable: publicly_accessible = true gives it a public address',
      'module.warehouse (Amazon Redshift cluster via terraform-aws-modules/redshift/aws) is publicly reachable: publicly_accessible = true gives it a public address',
    ]);
    expect(findings.every((f) => [f.location, ...f.related.map((r) => r.location)].every((l) => !l.file.includes('.terraform')))).toBe(true);
    // The called modules are judged inside the root unit only.
    expect([...new Set(findings.flatMap((f) => f.units ?? []))]).toEqual(['Terraform root module .']);
  });

  it('guards against cycles of modules with a PW010 at the outermost call, and still evaluates what it reached', async () => {
    const result = await lint({ cwd: path.join(FIXTURES, 'modules/cycle') });
    expect(rows(result.findings)).toEqual([
      ['PW002', 'b/main.tf', 11, 24, 11, 35],
      ['PW010', 'main.tf', 1, 1, 1, 15],
    ]);
    expect(result.findings[1]!.message).toBe(
      'module.start.module.b.module.a opens unresolved ports (the module is not evaluated) to a source portwall cannot resolve: module "a" calls a module that calls it (../a)',
    );
  });

  it(`stops at ${MAX_MODULE_DEPTH} nested modules with a PW010 at the root's call`, async () => {
    const files: Record<string, string> = { 'main.tf': 'module "m0" {\n  source = "./m0"\n}\n' };
    for (let i = 0; i <= MAX_MODULE_DEPTH; i++) files[`m${i}/main.tf`] = `module "m${i + 1}" {\n  source = "../m${i + 1}"\n}\n`;
    const result = await lintTree(files);
    expect(rows(result.findings)).toEqual([['PW010', 'main.tf', 1, 1, 1, 12]]);
    expect(result.findings[0]!.message).toContain(`modules are nested more than ${MAX_MODULE_DEPTH} deep`);
  });

  it('judges a module nobody calls as its own root, and a called module only inside its caller', async () => {
    const files = {
      'main.tf': 'module "sg" {\n  source = "./sg"\n  cidrs  = ["10.0.0.0/8"]\n}\n',
      'sg/main.tf': 'variable "cidrs" {}\nresource "aws_security_group_rule" "es" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 9200\n  to_port = 9200\n  protocol = "tcp"\n  cidr_blocks = var.cidrs\n}\n',
      'lonely/main.tf': 'variable "cidrs" {}\nresource "aws_security_group_rule" "es" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 9200\n  to_port = 9200\n  protocol = "tcp"\n  cidr_blocks = var.cidrs\n}\n',
    };
    const result = await lintTree(files);
    // sg/ gets a private range from its caller: nothing; lonely/ is a root with an unknown input: PW010.
    expect(rows(result.findings)).toEqual([['PW010', 'lonely/main.tf', 8, 17, 8, 26]]);
    expect(result.findings[0]!.units).toEqual(['Terraform root module lonely']);
  });

  it('evaluates the units of named files: a staged main.tf whose 0.0.0.0/0 comes from an unstaged variables.tf still fails', async () => {
    const files = {
      'main.tf': 'resource "aws_security_group_rule" "es" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 9200\n  to_port = 9200\n  protocol = "tcp"\n  cidr_blocks = var.admin_cidrs\n}\n',
      'variables.tf': 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n',
      'other/main.tf': 'resource "aws_security_group_rule" "ssh" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n',
    };
    const staged = await lintTree(files, { paths: ['main.tf'] });
    expect(rows(staged.findings)).toEqual([['PW002', 'main.tf', 7, 17, 7, 32]]);
    expect(relatedOf(staged.findings[0]!)).toEqual([['variables.tf', 2, 14, 2, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs']]);
    expect(staged.files).toEqual([{ path: 'main.tf', format: 'terraform', units: ['Terraform root module .'] }]);
    // Staging only the variables: the finding has a related location in it, so it is reported too.
    const vars = await lintTree(files, { paths: ['variables.tf'] });
    expect(rows(vars.findings)).toEqual([['PW002', 'main.tf', 7, 17, 7, 32]]);
    // A module file staged alone is judged inside the root that calls it.
    const tree = {
      'main.tf': 'module "sg" {\n  source = "./modules/sg"\n  allowed = ["0.0.0.0/0"]\n}\n',
      'modules/sg/main.tf': 'variable "allowed" {}\nresource "aws_security_group_rule" "es" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 9200\n  to_port = 9200\n  protocol = "tcp"\n  cidr_blocks = var.allowed\n}\n',
    };
    const module = await lintTree(tree, { paths: ['modules/sg/main.tf'] });
    expect(rows(module.findings)).toEqual([['PW002', 'main.tf', 3, 14, 3, 25]]);
    expect(relatedOf(module.findings[0]!)).toEqual([['modules/sg/main.tf', 8, 17, 8, 28, 'used by module.sg.aws_security_group_rule.es']]);
  });

  it('judges a staged module file inside the root that calls it from a sibling tree, and alone when nobody calls it', async () => {
    const module = 'variable "allowed" {}\nvariable "port" {}\nresource "aws_security_group_rule" "es" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = var.port\n  to_port = var.port\n  protocol = "tcp"\n  cidr_blocks = var.allowed\n}\n';
    const tree = {
      'envs/prod/main.tf': 'module "sg" {\n  source  = "../../modules/sg"\n  port    = 9200\n  allowed = ["0.0.0.0/0"]\n}\n',
      'envs/dev/main.tf': 'resource "aws_security_group_rule" "ssh" {\n  type = "ingress"\n  security_group_id = "sg-1"\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n',
      'modules/sg/main.tf': module,
    };
    const staged = await lintTree(tree, { paths: ['modules/sg/main.tf'] });
    // The caller's inputs decide: a public 9200, reported at the call's argument, the module's rule related; envs/dev is not reported.
    expect(rows(staged.findings)).toEqual([['PW002', 'envs/prod/main.tf', 4, 14, 4, 25]]);
    expect(relatedOf(staged.findings[0]!)).toEqual([['modules/sg/main.tf', 9, 17, 9, 28, 'used by module.sg.aws_security_group_rule.es']]);
    expect(staged.findings[0]!.units).toEqual(['Terraform root module envs/prod']);
    expect(staged.files).toEqual([{ path: 'modules/sg/main.tf', format: 'terraform', units: ['Terraform root module envs/prod'] }]);
    // No caller anywhere in the scan: the module is its own root with unknown inputs, as before.
    const alone = await lintTree({ 'modules/sg/main.tf': module, 'envs/dev/main.tf': tree['envs/dev/main.tf'] }, { paths: ['modules/sg/main.tf'] });
    expect(rows(alone.findings)).toEqual([['PW010', 'modules/sg/main.tf', 9, 17, 9, 28]]);
    expect(alone.findings[0]!.message).toContain('var.allowed has no default');
    expect(relatedOf(alone.findings[0]!)).toEqual([]);
    expect(alone.findings.every((f) => f.units?.[0] === 'Terraform root module modules/sg')).toBe(true);
  });
});
