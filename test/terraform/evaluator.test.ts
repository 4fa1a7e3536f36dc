import { beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/formats/terraform/evaluator.js';
import { initTerraform, terraformFormat } from '../../src/formats/terraform/index.js';
import type { ConfigFile } from '../../src/formats/terraform/module-config.js';
import { buildModuleConfig } from '../../src/formats/terraform/module-config.js';
import type { TfValue } from '../../src/formats/terraform/values.js';
import { toPlain } from '../../src/formats/terraform/values.js';
import { at, fixture } from './helpers.js';

let evaluator: Evaluator;

function configFile(path: string): ConfigFile {
  const file = fixture(path);
  const result = terraformFormat.parse(file);
  if (!result || !('parsed' in result) || result.parsed.kind === 'plan') throw new Error(`cannot parse ${path}`);
  return { file: { path: file.path, index: file.index }, body: result.parsed.body };
}

function local(name: string): TfValue {
  const declared = evaluator.config.locals.get(name);
  if (!declared) throw new Error(`no local ${name}`);
  return evaluator.evaluate(declared.expr, { file: declared.file, bindings: new Map() });
}

beforeAll(async () => {
  await initTerraform();
  const config = buildModuleConfig('evaluator', [configFile('evaluator/locals.tf'), configFile('evaluator/variables.tf')], [configFile('evaluator/terraform.tfvars.json')]);
  evaluator = new Evaluator(config, (path) => {
    try {
      const f = fixture(path);
      return { text: f.text, file: { path: f.path, index: f.index } };
    } catch {
      return undefined;
    }
  });
});

describe('terraform evaluator', () => {
  it('evaluates collection functions', () => {
    expect(toPlain(local('all_ports'))).toEqual([80, 443, 8080, 8443]);
    expect(toPlain(local('nested'))).toEqual([1, 2, 3, 4]);
    expect(toPlain(local('compacted'))).toEqual(['a', 'b']);
    expect(toPlain(local('picked'))).toEqual(443); // element() wraps around
    expect(toPlain(local('merged'))).toEqual({ a: 1, b: 3 });
    expect(toPlain(local('looked_up'))).toEqual(3);
    expect(toPlain(local('fallback'))).toEqual('none');
    expect(toPlain(local('joined'))).toEqual('a,b');
    expect(toPlain(local('split_up'))).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(toPlain(local('ranged'))).toEqual([0, 1, 2]);
    expect(toPlain(local('keys_of'))).toEqual(['a', 'b']);
    expect(toPlain(local('set_of'))).toEqual(['b', 'a']);
    expect(toPlain(local('subnet'))).toBe('10.0.254.0/24');
  });

  it('converts types and renders templates, heredocs and escapes', () => {
    expect(toPlain(local('as_string'))).toBe('22');
    expect(toPlain(local('as_number'))).toBe(5432);
    expect(toPlain(local('greeting'))).toBe('port 5432 on prod'); // env comes from terraform.tfvars.json
    expect(toPlain(local('upper_env'))).toBe('PROD');
    expect(toPlain(local('heredoc'))).toBe('line 5432\n  indented\n');
    expect(toPlain(local('stripped'))).toBe('one\n  two\n');
    expect(toPlain(local('escaped'))).toBe('a"b\\cé ${literal}');
  });

  it('evaluates for expressions, conditionals, indexes and splats', () => {
    expect(toPlain(local('by_name'))).toEqual({ p80: 80, p443: 443 });
    expect(toPlain(local('filtered'))).toEqual([8081, 8444]);
    expect(toPlain(local('chosen'))).toBe('10.0.0.0/8');
    expect(toPlain(local('indexed'))).toBe('172.16.0.0/12');
    expect(toPlain(local('splatted'))).toEqual([22, 9200]);
    expect(toPlain(local('safe'))).toBe('default');
  });

  it('locates a value where it is used and keeps the literal that produced it as the last hop', () => {
    const indexed = local('indexed');
    expect(at(indexed.loc)).toBe('evaluator/locals.tf:34:19-34:31');
    expect(indexed.trail?.map((h) => [at(h.location), h.note])).toEqual([['evaluator/variables.tf:12:28-12:43', '172.16.0.0/12 comes from the default of var.cidrs']]);
    const chosen = local('chosen');
    expect(at(chosen.loc)).toBe('evaluator/locals.tf:17:39-17:51');
    const greeting = local('greeting');
    expect(at(greeting.loc)).toBe('evaluator/locals.tf:13:19-13:58');
    const ports = local('all_ports');
    // Read through local.base_ports / local.extra_ports: located at the reference, the literal is the hop.
    expect(ports.kind === 'list' && ports.items.map((p) => [at(p.loc), ...(p.trail ?? []).map((h) => at(h.location))])).toEqual([
      ['evaluator/locals.tf:4:35-4:51', 'evaluator/locals.tf:2:20-2:22'],
      ['evaluator/locals.tf:4:35-4:51', 'evaluator/locals.tf:2:24-2:27'],
      ['evaluator/locals.tf:4:53-4:70', 'evaluator/locals.tf:3:27-3:31'],
      ['evaluator/locals.tf:4:53-4:70', 'evaluator/locals.tf:3:33-3:37'],
    ]);
    expect(ports.kind === 'list' && ports.items[0]!.trail![0]!.note).toBe('80 comes from local.base_ports');
  });

  it('reports why a value is unknown, never guesses', () => {
    const cases: [string, string, string][] = [
      ['undecided', 'it depends on var.region == "eu" (var.region has no default)', 'evaluator/locals.tf:18:19-18:49'],
      // Entering at loop_a, the cycle closes when loop_b is needed a second time.
      ['loop_a', 'local.loop_b depends on itself', 'evaluator/locals.tf:19:19-19:31'],
      ['unsupported', 'templatefile() is not evaluated by portwall', 'evaluator/locals.tf:30:19-30:48'],
      ['vpc_cidr', 'aws_vpc.main is not declared in this module', 'evaluator/locals.tf:31:19-31:42'],
      ['ami', 'data.aws_ami.ubuntu.id is a data source, read only when Terraform runs', 'evaluator/locals.tf:32:19-32:41'],
      ['from_module', 'module.network.cidr is an output of module "network", which portwall does not follow', 'evaluator/locals.tf:33:19-33:38'],
    ];
    for (const [name, reason, where] of cases) {
      const v = local(name);
      expect(v.kind, name).toBe('unknown');
      expect(v.kind === 'unknown' && v.reason, name).toBe(reason);
      expect(at(v.loc), name).toBe(where);
    }
  });

  it('keeps the structure of jsonencode() and reads files beside the module', () => {
    const json = local('json_text');
    expect(json.kind === 'string' && json.value).toBe('{"Principal":"*"}');
    expect(json.kind === 'string' && json.encoded && toPlain(json.encoded)).toEqual({ Principal: '*' });
    const file = local('from_file');
    expect(file.kind === 'string' && file.value).toContain('"Principal": "*"');
    expect(at(file.loc)).toBe('evaluator/policy.json:1:1-2:1');
  });
});
