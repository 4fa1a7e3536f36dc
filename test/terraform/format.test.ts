import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform, terraformFormat } from '../../src/formats/terraform/index.js';
import { at, describeExposure, fixture, run, runFiles, sourceFile } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
  await initTerraform(); // loading twice is harmless: the grammar is loaded once per process
});

describe('terraform format: detection', () => {
  it('claims .tf, .tf.json, tfvars and plan JSON, and nothing else', () => {
    const claims = (path: string, text = '') => terraformFormat.detect(sourceFile(path, text));
    expect(claims('main.tf')).toBe(true);
    expect(claims('infra/main.tf.json', '{}')).toBe(true);
    expect(claims('terraform.tfvars')).toBe(true);
    expect(claims('prod.auto.tfvars.json', '{}')).toBe(true);
    expect(terraformFormat.detect(fixture('plan/tfplan.json'))).toBe(true);
    expect(terraformFormat.detect(fixture('plan/not-a-plan.json'))).toBe(false);
    expect(claims('<stdin>', fixture('plan/tfplan.json').text)).toBe(true);
    expect(claims('<stdin>', 'services: {}')).toBe(false);
    expect(claims('docker-compose.yml', 'services: {}')).toBe(false);
    expect(claims('package.json', '{"name": "x"}')).toBe(false);
  });

  it('tfvars contribute values only', () => {
    expect(runFiles([fixture('aws-sg/terraform.tfvars')]).exposures).toEqual([]);
  });
});

describe('terraform format: variable values', () => {
  it('applies terraform.tfvars, then *.auto.tfvars in name order; other tfvars need -var-file and are ignored', () => {
    const files = [
      sourceFile('stack/main.tf', 'variable "port" {\n  default = 21\n}\n\nresource "aws_security_group_rule" "r" {\n  type        = "ingress"\n  from_port   = var.port\n  to_port     = var.port\n  protocol    = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n'),
      sourceFile('stack/terraform.tfvars', 'port = 22\n'),
      sourceFile('stack/b.auto.tfvars', 'port = 24\n'),
      sourceFile('stack/prod.tfvars', 'port = 99\n'),
      sourceFile('other/terraform.tfvars', 'port = 98\n'),
    ];
    expect(runFiles(files).exposures.map((e) => e.ports.ranges)).toEqual([[{ from: 24, to: 24 }]]);
    // c.auto.tfvars is discovered but not handed over (excluded from the scan): Terraform
    // would still load it, so it is read through the context and wins by name order.
    const unscanned = sourceFile('stack/c.auto.tfvars', 'port = 25\n');
    const withReader = runFiles(files, [...files.map((f) => f.path), unscanned.path], [unscanned]);
    expect(withReader.exposures.map((e) => e.ports.ranges)).toEqual([[{ from: 25, to: 25 }]]);
    const locations = withReader.exposures.map((e) => at(e.sources[0]!.location));
    expect(locations).toEqual(['stack/main.tf:10:18-10:29']);
    const sorted = runFiles([files[0]!, files[1]!, sourceFile('stack/a.auto.tfvars', 'port = 23\n')]);
    expect(sorted.exposures.map((e) => e.ports.ranges)).toEqual([[{ from: 23, to: 23 }]]);
    expect(runFiles([files[0]!]).exposures.map((e) => e.ports.ranges)).toEqual([[{ from: 21, to: 21 }]]);
  });
});

describe('terraform format: parse failures (PW000)', () => {
  it('reports the first syntax error with its exact position, never throws', () => {
    const failures = run('invalid').parseFailures.map((f) => `${f.message} @ ${f.location && at(f.location)}`);
    expect(failures).toEqual([
      'invalid JSON: expected a property name, found "}" @ invalid/bad.tf.json:4:27-4:28',
      'expected blocks and attributes, found an object @ invalid/object.tf:1:1-3:2',
      // tree-sitter recovers by inserting the missing "]" before the closing brace.
      'syntax error: missing "]" @ invalid/syntax-error.tf:8:3-8:4',
      'syntax error: missing "}" @ invalid/unclosed.tf:2:19-2:20',
    ]);
  });

  it('reports stray tokens as unexpected input', () => {
    const result = terraformFormat.parse(sourceFile('stray.tf', 'resource "a" "b" {\n  name = "x"\n}\n}}} = oops\n'));
    expect(result && 'failure' in result && `${result.failure.message} @ ${at(result.failure.location!)}`).toBe('syntax error: unexpected "}}}" @ stray.tf:4:1-4:11');
  });

  it('survives pathological input: deep nesting, huge counts, garbage, empty files', () => {
    const deep = `locals {\n  x = ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`;
    const deepResult = terraformFormat.parse(sourceFile('deep.tf', deep));
    expect(deepResult && 'failure' in deepResult && deepResult.failure.message).toMatch(/nested too deeply/);

    for (const text of [
      `x = ${Array(50_000).fill('1').join(' + ')}\n`,
      `${'a {\n'.repeat(5000)}${'}\n'.repeat(5000)}`,
      `x = ${'f('.repeat(5000)}1${')'.repeat(5000)}\n`,
    ]) {
      const result = terraformFormat.parse(sourceFile('deep.tf', text));
      expect(result && 'failure' in result && result.failure.message).toBe('the file is nested too deeply to read (nesting deeper than 200 levels)');
    }

    const deepJson = `{"locals": {"x": ${'['.repeat(2000)}${']'.repeat(2000)}}}`;
    const deepJsonResult = terraformFormat.parse(sourceFile('deep.tf.json', deepJson));
    expect(deepJsonResult && 'failure' in deepJsonResult && deepJsonResult.failure.message).toMatch(/nesting deeper than 256 levels/);

    const started = Date.now();
    const files = [
      sourceFile('big/main.tf', 'resource "aws_security_group_rule" "r" {\n  count = 100000000\n  type = "ingress"\n  from_port = count.index\n  to_port = count.index\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\nlocals {\n  r = range(100000000)\n  a = local.b\n  b = local.a\n}\n'),
      sourceFile('garbage/main.tf', '\u0000\u0001 resource " {{{{ ]]]] %{ }'),
      sourceFile('empty/main.tf', ''),
      // A chain of 5000 locals is cut off with a reason instead of exhausting the stack.
      sourceFile(
        'chain/main.tf',
        `locals {\n${Array.from({ length: 5000 }, (_, i) => `  l${i} = local.l${i + 1}\n`).join('')}  l5000 = 22\n}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = local.l0\n  to_port = local.l0\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n`,
      ),
      sourceFile('comments/main.tf', '# nothing here\n/* still nothing */\n'),
    ];
    const result = runFiles(files);
    expect(Date.now() - started).toBeLessThan(10_000);
    // count is capped: a million-instance rule is not a configuration anyone wrote.
    expect(result.exposures.filter((e) => e.subject.startsWith('aws_security_group_rule.r[')).length).toBe(1000);
    const chained = result.exposures.find((e) => e.id === 'tf:chain/main.tf:aws_security_group_rule.r');
    expect(chained?.ports.unknown).toBe('the expression is nested too deeply to evaluate');
    expect(result.parseFailures.map((f) => f.file)).toEqual(['garbage/main.tf']);
  });
});

describe('terraform format: JSON syntax and plans', () => {
  it('evaluates .tf.json: interpolations, variables, locals and dynamic blocks, located in the JSON', () => {
    expect(run('tf-json').exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:tf-json/main.tf.json:aws_security_group.kibana:ingress[0] tcp:5601 <- 0.0.0.0/0@tf-json/main.tf.json:18:32-18:43 << tf-json/main.tf.json:7:14-7:25 unknown(var.admin_cidr has no default)@tf-json/main.tf.json:18:50-18:64 | at tf-json/main.tf.json:14:11-19:12',
      'tf:tf-json/main.tf.json:aws_security_group.kibana:ingress[1] tcp:22 <- ::/0@tf-json/main.tf.json:28:36-28:42 | at tf-json/main.tf.json:22:11-22:20',
      'tf:tf-json/main.tf.json:aws_security_group.kibana:ingress[2] tcp:3389 <- ::/0@tf-json/main.tf.json:28:36-28:42 | at tf-json/main.tf.json:22:11-22:20',
      'tf:tf-json/main.tf.json:google_compute_firewall.ssh:allow[0] tcp:22 <- 0.0.0.0/0@tf-json/main.tf.json:38:27-38:38 | at tf-json/main.tf.json:39:18-39:56',
    ]);
  });

  it('reads planned_values of root and child modules through the same adapters; after_unknown stays unknown', () => {
    const result = run('plan/tfplan.json');
    expect(result.parseFailures).toEqual([]);
    expect(result.exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:plan/tfplan.json:aws_security_group.web:ingress[0] tcp:22 <- 0.0.0.0/0@plan/tfplan.json:30:33-30:44 | at plan/tfplan.json:29:15-39:16',
      'tf:plan/tfplan.json:module.db_sg.aws_security_group_rule.ingress_rules[0] tcp:9200 <- 10.0.0.0/8@plan/tfplan.json:66:33-66:45 0.0.0.0/0@plan/tfplan.json:66:47-66:58 | at plan/tfplan.json:60:26-60:81',
      'tf:plan/tfplan.json:module.db_sg.aws_security_group_rule.computed[0] tcp:27017 <- unknown(module.db_sg.aws_security_group_rule.computed[0].cidr_blocks is known only after apply)@plan/tfplan.json:77:26-77:76 | at plan/tfplan.json:77:26-77:76',
    ]);
    expect(result.datastores.map((d) => `${d.id} ${d.public} ${at(d.location)}`)).toEqual([
      'tf:plan/tfplan.json:aws_db_instance.main:public yes plan/tfplan.json:51:13-51:40',
    ]);
    expect(result.exposures.every((e) => e.via === 'firewall-rule' && e.workloads.length === 0)).toBe(true);
  });

  it('falls back to resource_changes[].change.after when a plan has no planned_values; deletions expose nothing', () => {
    expect(run('plan/changes-only.json').exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:plan/changes-only.json:google_compute_firewall.ssh:allow[0] tcp:22 <- 0.0.0.0/0@plan/changes-only.json:17:29-17:40 | at plan/changes-only.json:18:21-18:59',
    ]);
  });

  it('judges Azure rules from a plan like HCL ones, ignoring the empty half of each single/plural pair', () => {
    // The Deny at priority 100 (any protocol, any source) closes 9200-9300 of the Allow at 200.
    expect(run('plan/azure-plan.json').exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:plan/azure-plan.json:azurerm_network_security_group.app:security_rule[0] tcp:22 <- any(Internet)@plan/azure-plan.json:27:42-27:52 | at plan/azure-plan.json:16:15-31:16',
    ]);
  });

  it('links resources through the plan configuration when the linking value is known only after apply', () => {
    // network_acl_id is unknown in the plan; configuration says it refers to module.net's ACL,
    // so the deny of 22 at rule 100 is judged before that ACL's allow at rule 200.
    expect(run('plan/nacl-plan.json').exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:plan/nacl-plan.json:module.net.aws_network_acl.public:ingress[0] tcp:0-21,23-65535 <- 0.0.0.0/0@plan/nacl-plan.json:19:35-19:46 | at plan/nacl-plan.json:17:19-27:20',
    ]);
  });

  it('gives every exposure a unique, stable id', () => {
    const all = run('aws-sg', 'aws-dynamic', 'aws-nacl', 'azure-nsg', 'gcp', 'sg-module', 'tf-json', 'plan');
    const ids = all.exposures.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(run('aws-sg', 'aws-dynamic', 'aws-nacl', 'azure-nsg', 'gcp', 'sg-module', 'tf-json', 'plan').exposures.map((e) => e.id)).toEqual(ids);
  });
});

describe('syntax error messages never quote string contents', () => {
  it('names a string as "a string"', async () => {
    const { terraformFormat } = await import('../../src/formats/terraform/index.js');
    const { sourceFile } = await import('../helpers/index.js');
    const result = terraformFormat.parse(sourceFile('secret.tf', 'resource "aws_db_instance" "x" {\n  password "Hcl-S3cret"\n}\n'));
    expect(result && 'failure' in result && result.failure.message).not.toContain('S3cret');
  });

  it('describes unexpected tokens without their string contents', async () => {
    const { describeSnippet } = await import('../../src/formats/terraform/tree-sitter.js');
    expect(describeSnippet('"Hcl-S3cret" = 1')).toBe('a string');
    expect(describeSnippet('<<EOT')).toBe('a string');
    expect(describeSnippet('}}} = oops')).toBe('"}}}"');
  });
});
