/**
 * Terraform evaluated group by group (issue 17: flat memory): folders joined by local module
 * calls are parsed, adapted and dropped together, before the next group is parsed. The groups
 * come from the files' text alone, and a scan gives exactly what one adapt of all files gives.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lint, makeSourceFile } from '../../src/engine/lint.js';
import { terraformGroups } from '../../src/formats/terraform/groups.js';
import { terraformFormat } from '../../src/formats/terraform/index.js';
import type { SourceFile } from '../../src/formats/types.js';
import { FIXTURES } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const paths = (groups: SourceFile[][]) => groups.map((g) => g.map((f) => f.path));
const files = (tree: Record<string, string>) => Object.entries(tree).map(([p, text]) => makeSourceFile(p, text));

describe('Terraform groups from the text', () => {
  it('joins folders by local module calls, at any depth and through a folder outside the scan; others stay apart', () => {
    const groups = terraformGroups(
      files({
        'envs/prod/main.tf': 'module "net" {\n  source = "../../modules/net"\n}\n',
        'envs/prod/terraform.tfvars': 'region = "eu-west-1"\n',
        'other/main.tf': 'resource "aws_security_group" "x" {}\n',
        'modules/net/main.tf': 'module "sg" {\n  source = "./sg/"\n}\n',
        'modules/net/sg/main.tf': 'resource "aws_security_group" "sg" {}\n',
        // Both call a folder the scan did not name: one group, so that folder is read once.
        'a/main.tf': 'module "m" { source = "../shared" }\n',
        'b/main.tf': 'module "m" {\n  source /* the shared one */ = "../shared"\n}\n',
        'plan.json': '{"format_version":"1.2","planned_values":{}}',
        'c/main.tf.json': '{"module": {"m": {"source": "../other"}}}',
      }),
    );
    expect(paths(groups)).toEqual([
      ['envs/prod/main.tf', 'envs/prod/terraform.tfvars', 'modules/net/main.tf', 'modules/net/sg/main.tf'],
      ['other/main.tf', 'c/main.tf.json'],
      ['a/main.tf', 'b/main.tf'],
      ['plan.json'],
    ]);
  });

  it('a module downloaded into .terraform goes with its root; registry sources and look-alikes join nothing', () => {
    const groups = terraformGroups(
      files({
        'app/main.tf': 'module "search" {\n  source  = "terraform-aws-modules/elasticsearch/aws"\n}\n',
        'app/.terraform/modules/search/main.tf': 'resource "aws_security_group" "s" {}\n',
        // Not attributes: a comparison, a reference, a block, prose in a string, another name.
        'x/main.tf': 'module "r" {\n  source = "hashicorp/consul/aws"\n}\nlocals {\n  a = var.source == "../y"\n  b = each.value.source\n  c = "the source of ../y"\n  source_ranges = ["../y"]\n}\ndata "archive_file" "z" {\n  source {\n    content = "../y"\n  }\n}\n',
        'y/main.tf': 'resource "aws_security_group" "y" {}\n',
        // A resource's templated source, in a file without a module block, is not a call.
        'z/main.tf': 'resource "aws_s3_object" "o" {\n  source = "${path.module}/../y/lambda.zip"\n}\n',
      }),
    );
    expect(paths(groups)).toEqual([['app/main.tf', 'app/.terraform/modules/search/main.tf'], ['x/main.tf'], ['y/main.tf'], ['z/main.tf']]);
  });

  it('a source it cannot read in a file with a module block puts every file in one group (the ungrouped evaluation)', () => {
    const tree = {
      'a/main.tf': 'resource "aws_security_group" "a" {}\n',
      'b/main.tf': 'module "m" {\n  source = "${"../a"}"\n}\n',
      'c/main.tf': 'resource "aws_security_group" "c" {}\n',
    };
    expect(paths(terraformGroups(files(tree)))).toEqual([['a/main.tf', 'b/main.tf', 'c/main.tf']]);
    const json = { ...tree, 'b/main.tf': 'x = 1\n', 'd/main.tf.json': '{"module": {"m": {"source": "..\\/a"}}}' };
    expect(paths(terraformGroups(files(json)))).toEqual([['a/main.tf', 'b/main.tf', 'c/main.tf', 'd/main.tf.json']]);
  });

  it('a hostile run of unterminated comments after `source` costs one pass (100k of them in 1 MB)', () => {
    const text = `module "m" {\n${'source /*'.repeat(100_000)}\n}\n`;
    let searches = 0;
    const indexOf = String.prototype.indexOf;
    vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, ...args: Parameters<typeof indexOf>) {
      if (args[0] === '*/') searches++;
      return indexOf.apply(this, args);
    });
    const groups = terraformGroups(files({ 'a/main.tf': text }));
    vi.restoreAllMocks();
    expect(paths(groups)).toEqual([['a/main.tf']]);
    expect(searches).toBe(1);
  });
});

describe('Terraform scans group by group', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  it('each group is adapted on its own, its files parsed just before, and the result is the ungrouped one', async () => {
    // Three fixture trees side by side: modules with local and downloaded calls, a cycle, a vendored module.
    const root = mkdtempSync(path.join(os.tmpdir(), 'portwall-groups-'));
    roots.push(root);
    for (const name of ['modules', 'vendored', 'aws-dynamic', 'overrides']) cpSync(path.join(FIXTURES, name), path.join(root, name), { recursive: true });
    const adapt = terraformFormat.adapt;
    const parse = terraformFormat.parse;
    const events: string[] = [];
    vi.spyOn(terraformFormat, 'parse').mockImplementation((file) => {
      events.push(`parse ${file.path}`);
      return parse(file);
    });
    vi.spyOn(terraformFormat, 'adapt').mockImplementation((list, context) => {
      events.push(`adapt ${list.map((f) => f.file.path).join(' ')}`);
      return adapt(list, context);
    });
    const grouped = await lint({ cwd: root });
    const adapts = events.filter((e) => e.startsWith('adapt '));
    expect(adapts.length).toBeGreaterThanOrEqual(5);
    // No file of a group is parsed after the group's adapt has begun, except what its module tree reads.
    for (const [i, e] of events.entries()) {
      if (!e.startsWith('adapt ')) continue;
      const own = e.slice(6).split(' ');
      const before = events.slice(0, i).filter((x) => x.startsWith('parse ')).map((x) => x.slice(6));
      for (const f of own) expect(before, f).toContain(f);
    }
    vi.spyOn(terraformFormat, 'groupFiles').mockImplementation((all) => [all]);
    events.length = 0;
    const whole = await lint({ cwd: root });
    expect(events.filter((e) => e.startsWith('adapt '))).toHaveLength(1);
    expect(JSON.stringify(grouped.findings)).toBe(JSON.stringify(whole.findings));
    expect(JSON.stringify(grouped.files)).toBe(JSON.stringify(whole.files));
    expect(JSON.stringify(grouped.notifications)).toBe(JSON.stringify(whole.notifications));
    expect(grouped.findings.length).toBeGreaterThan(10);
  }, 60_000);
});
