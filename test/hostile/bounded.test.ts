/**
 * Issue 14 item 3: bounded work. No unbounded spread into call arguments anywhere in the
 * sources; inputs that overflowed the stack or were quadratic finish quickly; custom-rule
 * regexes that can backtrack are refused (the issue's shapes and a seeded fuzzed set).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSafeRegex, safeTest } from '../../src/engine/safe-regex.js';
import { ROOT, lintTree, runBin, useTempProjects, views } from '../helpers/index.js';

const project = useTempProjects('portwall-bounded-');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'fixtures' ? [] : sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const COMPOSE = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

describe('bounded work', () => {
  it('no source spreads an array into push/unshift/splice (stack overflow past ~100k items)', () => {
    const offenders = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'rules'))].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => (/\.(push|unshift)\((?:[^(){}[\]]*,\s*)?\.\.\./.test(line) || /\.splice\([^(){}[\]]*,\s*\.\.\./.test(line)) && !/^\s*(\*|\/\/)/.test(line))
        .map(({ at }) => at),
    );
    expect(offenders.filter((o) => !o.startsWith('src/cli/args.ts'))).toEqual([]);
  });

  it('150k environment entries and 60k consecutive suppression comments finish, with the finding', async () => {
    // Past 100k items a spread into push() overflowed the stack. As YAML that many entries pass the YAML
    // document budget (150k nodes); written as JSON (which compose reads too), the JSON reader takes them.
    const env = `${JSON.stringify({ services: { cache: { image: 'redis:7', ports: ['6379:6379'], environment: Array.from({ length: 150_000 }, (_, i) => `V${i}=x`) } } }, null, 1)}\n`;
    const comments = `${Array.from({ length: 60_000 }, () => '# portwall-ignore PW004: accepted').join('\n')}\n${COMPOSE}`;
    const start = Date.now();
    const r = await lintTree({ 'a/docker-compose.yml': env, 'b/docker-compose.yml': comments });
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(r.notifications.filter((n) => n.kind === 'internal')).toEqual([]);
    // The comments cover the line after them ("services:"), not the port: the finding stays.
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['a/docker-compose.yml', 'b/docker-compose.yml']);
    expect(r.notifications.length).toBeLessThan(30);
  }, 30_000);

  it('merge keys over a 40k-key map in fifty services resolve each alias once', async () => {
    const text = `x-big: &big\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: v`).join('\n')}\nservices:\n${Array.from({ length: 50 }, (_, i) => `  s${i}:\n    <<: *big\n    image: redis:7\n    ports: ["${7000 + i}:6379"]`).join('\n')}\n`;
    const start = Date.now();
    const r = await lintTree({ 'docker-compose.yml': text });
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(views(r, 'PW004')).toHaveLength(50);
  }, 30_000);
});

describe('fuzz finding (seed 1414, #2712)', () => {
  it('a manifest with a long line of Go template actions is judged in linear time (was 52 s for 1 MB)', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b ${'{{ .x }} # '.repeat(30_000)}\n`;
    const start = Date.now();
    const r = await lintTree({ 'cm.yaml': text, 'app/docker-compose.yml': COMPOSE });
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['app/docker-compose.yml']);
  }, 20_000);
});

describe('fuzz finding (seed 1416, #2784)', () => {
  it('a broken manifest with a 1 MB line of Go template actions is judged in linear time (was 25 s of CPU)', async () => {
    const manifest = (n: number) => `apiVersion: v1${'{{ .Values.x }}'.repeat(n)}\nkind: ConfigMap\nmetadata:\n  name: x: y\n`;
    const cpu = process.cpuUsage();
    const big = await lintTree({ 'cm.yaml': manifest(66_000), 'app/docker-compose.yml': COMPOSE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(8_000);
    const small = await lintTree({ 'cm.yaml': manifest(3), 'app/docker-compose.yml': COMPOSE });
    // The same verdict as a short line: the file is a broken manifest (PW000 at the same place), not a Helm template.
    expect(views(big, 'PW000')).toEqual(views(small, 'PW000'));
    expect(views(big, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'cm.yaml', line: 4, column: expect.any(Number), endLine: 4, endColumn: expect.any(Number) }]);
    expect(big.findings.find((f) => f.ruleId === 'PW000')!.message).toMatch(/^invalid YAML: /);
    expect(views(big, 'PW004').map((v) => v.file)).toEqual(['app/docker-compose.yml']);
  }, 60_000);

  it('structural actions on a broken manifest still make it a Helm template', async () => {
    const r = await lintTree({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  labels: x: y\n' });
    expect(views(r, 'PW000')).toEqual([]);
  });
});

describe('fuzz finding (seed 1416, #2127)', () => {
  it('a tfvars nested too deeply beside a module is that file\'s PW000, not an internal error of the module', async () => {
    const tfvars = `loc = "eastus2"\ntags = {\n  typ${'- '.repeat(400)}e = "x"\n}\n`;
    const main = 'variable "loc" {}\nresource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const r = await lintTree({ 'app/main.tf': main, 'app/terraform.tfvars': tfvars });
    expect(r.notifications.filter((n) => n.kind === 'internal')).toEqual([]);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'app/terraform.tfvars', line: 3, column: expect.any(Number), endLine: 3, endColumn: expect.any(Number) }]);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toBe('the file is nested too deeply to read (nesting deeper than 200 levels)');
    expect(views(r, 'PW002').map((v) => `${v.file}:${v.line}`)).toEqual(['app/main.tf:7']);
  }, 30_000);
});

describe('fuzz finding (seeds 2001/2002: 1 MB one-line JSON that is not JSON)', () => {
  it('a .json file that breaks strict JSON is its PW000 where it breaks, read at JSON speed (was 4-5 s of CPU through the YAML reader)', async () => {
    // `{a,a,...}` is a valid YAML flow mapping of 500k keys, and a CloudFormation-looking JSON
    // template with one bad character after a long valid prefix.
    const flow = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {${'a,'.repeat(500_000)}a}}`;
    const template = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {${Array.from({ length: 20_000 }, (_, i) => `"T${i}": {"Type": "AWS::SNS::Topic"}`).join(', ')}, "Sg": {"Type": "AWS::EC2::SecurityGroup",, "Properties": {}}}}`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'flow.json': flow, 'stack.template.json': template, 'app/docker-compose.yml': COMPOSE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(3_000);
    const bad = template.indexOf(',,') + 1;
    expect(views(r, 'PW000')).toEqual([
      { ruleId: 'PW000', file: 'flow.json', line: 1, column: 58, endLine: 1, endColumn: 59 },
      { ruleId: 'PW000', file: 'stack.template.json', line: 1, column: bad + 1, endLine: 1, endColumn: bad + 2 },
    ]);
    expect(r.findings.filter((f) => f.ruleId === 'PW000').map((f) => f.message)).toEqual([
      'invalid JSON: expected a property name in double quotes, found "a"',
      'invalid JSON: expected a property name in double quotes, found ","',
    ]);
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['app/docker-compose.yml']);
  }, 30_000);

  it('text that starts with a bracket in a YAML file is still YAML', async () => {
    const r = await lintTree({ 'docker-compose.yml': '{services: {cache: {image: "redis:7", ports: ["6379:6379"]}}}\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW004', file: 'docker-compose.yml', line: 1, column: 47, endLine: 1, endColumn: 58 }]);
  });
});

describe('fuzz finding (seed 2101, #274: a merge key inside its own anchor in Chart.yaml hung for minutes)', () => {
  const CHART = 'apiVersion: v2\nname: search\nversion: 1.0.0\n';
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: search\nspec:\n  type: {{ .Values.service.type }}\n  ports:\n    - port: 9200\n';

  it('an alias used inside its own anchor is the file\'s PW000 at the alias', async () => {
    const chart = `${CHART}maintainers: &fz\n  - name: Broadcom\n    <<: [*fz, *fz]\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'chart/Chart.yaml': chart, 'chart/values.yaml': 'service:\n  type: LoadBalancer\n', 'chart/templates/svc.yaml': SERVICE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(5_000);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'chart/Chart.yaml', line: 6, column: 10, endLine: 6, endColumn: 19 }]);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toBe('Chart.yaml: invalid YAML: the alias *fz is used inside its own anchor');
  }, 30_000);

  it('values whose merge keys double at every level stop at the value budget, as a PW000 of values.yaml', async () => {
    const levels = ['a0: &a0 {x: 1, y: 2}', ...Array.from({ length: 30 }, (_, i) => `a${i + 1}: &a${i + 1} {<<: [*a${i}], m: *a${i}, n: *a${i}}`)];
    const values = `service:\n  type: LoadBalancer\n${levels.join('\n')}\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'chart/Chart.yaml': CHART, 'chart/values.yaml': values, 'chart/templates/svc.yaml': SERVICE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
    const pw000 = r.findings.filter((f) => f.ruleId === 'PW000');
    // Without its values the template cannot be rendered: said too, never judged on empty values.
    expect(pw000.map((f) => [f.location.file, f.message])).toEqual([
      ['chart/templates/svc.yaml', 'Helm template chart/templates/svc.yaml cannot be rendered: executing "search/templates/svc.yaml" at <.Values.service.type>: nil pointer evaluating interface {}.type'],
      ['chart/values.yaml', 'values.yaml: the file is too large or too complex to check (its aliases expand to more than 250000 values)'],
    ]);
  }, 60_000);
});

describe('fuzz finding (seed 2101, #465: a 1 MB template comment went through the YAML reader)', () => {
  it('a chart template is known by its path and actions before any YAML parse', async () => {
    const template = `{{- /*${'a,'.repeat(500_000)}\nCopyright\n*/}}\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ include "x.name" . }}\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'search/templates/serviceaccount.yaml': template, 'app/docker-compose.yml': COMPOSE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(1_500);
    expect(views(r, 'PW000')).toEqual([]);
    expect(r.notifications.map((n) => [n.kind, n.file, n.message])).toEqual([['skipped', 'search/templates/serviceaccount.yaml', 'search/templates/serviceaccount.yaml: Helm template skipped: render it with `helm template` and pipe it to `portwall -`']]);
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['app/docker-compose.yml']);
  }, 30_000);
});

describe('fuzz finding (seed 2201, #2117: a 1 MB line of template actions in Chart.yaml took 10 s in the values reader)', () => {
  it('Chart.yaml and values are read through the shared YAML budgets: the first error in linear time, not millions of error objects', async () => {
    const chart = `# Copyright\n${'{{ .Values.x }}'.repeat(66_000)}\napiVersion: v2\nname: common\nversion: 2.31.10\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'common/Chart.yaml': chart, 'common/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Chart.Name }}\n', 'app/docker-compose.yml': COMPOSE });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(3_000);
    expect(r.findings.filter((f) => f.ruleId === 'PW000').map((f) => [f.location.file, f.location.region.startLine, f.message])).toEqual([['common/Chart.yaml', 2, 'Chart.yaml: invalid YAML: Unexpected flow-map-start at node end']]);
    expect(views(r, 'PW004').map((v) => v.file)).toEqual(['app/docker-compose.yml']);
  }, 30_000);
});

describe('custom-rule regexes', () => {
  it.each([
    // The issue's shapes, then each catastrophic class: nested quantifiers, overlapping
    // alternation, (.*)*, too many unbounded repetitions, backreferences.
    '^(a|[a])*$', '^(.*?,){12}P',
    '(a+)+$', '(\\w+\\s?)*$', '(a*)*b', '([a-z]+)*$', '((ab)*)*c', '(a+){2,}', '(\\s*,\\s*)*$',
    '(x|x)*y', '(a|ab)*c', '(a|a?)+b', '(\\d|\\d\\d)+$', '(.|\\s)*',
    '(.*)*', '(.*)+x', '(.*a){20}',
    'a*a*a*a*b',
    '^(\\w+)\\1+$', '(.+)\\1', '(?<x>a+)\\k<x>',
  ])('refuses %s', (pattern) => {
    expect(compileSafeRegex(pattern)).toHaveProperty('error');
  });

  it('refused patterns are a config error with the file and line, exit 2, before anything is scanned', () => {
    const config = (pattern: string) => `customRules:\n  - id: X001\n    name: x\n    level: error\n    shortDescription: x\n    help: x\n    message: x\n    match: { workload: { image: ${JSON.stringify(pattern)} } }\n`;
    for (const [pattern, reason] of [
      ['^(a|[a])*$', 'has overlapping alternatives'],
      ['^(.*?,){12}P', 'repeats a part that repeats itself'],
      ['^(\\w+)\\1+$', 'the backreference at character 7'],
    ] as const) {
      const dir = project({ '.git/HEAD': 'x', 'portwall.config.yml': config(pattern), 'docker-compose.yml': `services:\n  a:\n    image: "${'a'.repeat(40)}!"\n` });
      const r = runBin(dir, ['--format', 'json']);
      expect(r.code, pattern).toBe(2);
      expect(r.stderr, pattern).toContain(`portwall.config.yml:8: customRules[0].match.workload.image: may backtrack catastrophically (`);
      expect(r.stderr, pattern).toContain(reason);
      expect(r.stdout, pattern).toBe('');
    }
  }, 60_000);

  it.each(['^registry\\.example\\.com/.+$', '^(redis|valkey)(:.*)?$', '^(-[a-z]+)*$', '^(a|b)*$', '^internal/'])('accepts %s', (pattern) => {
    expect(compileSafeRegex(pattern)).toHaveProperty('regex');
  });

  it('a seeded fuzzed set: every accepted pattern runs fast on adversarial subjects', () => {
    let seed = 14;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 0) % n;
    const atoms = ['a', '[a]', '.', '\\w', '\\d', ',', '[a-z]', '\\s', 'b', '\\1', '(.*)'];
    const quant = ['', '', '*', '+', '?', '{2,5}', '{12}', '*?'];
    const gen = (depth: number): string => {
      const parts: string[] = [];
      const n = 1 + rand(3);
      for (let i = 0; i < n; i++) {
        if (depth < 2 && rand(3) === 0) {
          const alts = Array.from({ length: 1 + rand(2) }, () => gen(depth + 1));
          parts.push(`(${alts.join('|')})${quant[rand(quant.length)]}`);
        } else parts.push(`${atoms[rand(atoms.length)]}${quant[rand(quant.length)]}`);
      }
      return parts.join('');
    };
    const subjects = ['a'.repeat(300), `${'a'.repeat(300)}!`, ','.repeat(300), `${'a,'.repeat(150)}!`, `${'1'.repeat(300)}x`, ' '.repeat(300)];
    let accepted = 0;
    const slow: string[] = [];
    for (let i = 0; i < 400; i++) {
      const pattern = `^${gen(0)}$`;
      const compiled = compileSafeRegex(pattern);
      if (/\\1/.test(pattern)) expect(compiled, pattern).toHaveProperty('error');
      if (!('regex' in compiled)) continue;
      accepted++;
      for (const subject of subjects) {
        const start = performance.now();
        safeTest(compiled.regex, subject);
        const ms = performance.now() - start;
        if (ms > 100) slow.push(`${pattern} on ${subject.slice(0, 10)}…: ${ms.toFixed(0)} ms`);
      }
    }
    expect(accepted).toBeGreaterThan(50);
    expect(slow).toEqual([]);
  }, 60_000);
});

describe('fuzz finding (seed 2401, #30697: an alias inside its own anchor in a kustomization ran out of heap)', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: search\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 9200\n';

  it('the mutant: patches anchored and aliased inside themselves (by merge key and by value) is the kustomization\'s PW000 at the alias', async () => {
    const kustomization = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: &fz Kustomization',
      'resources:',
      '  - svc.yaml',
      'patches: &fz',
      '  - path: patch.yaml',
      '    target:',
      '      <<: *fz',
      '      kind: Service',
      '      name: *fz',
      '',
    ].join('\n');
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'app/kustomization.yaml': kustomization, 'app/svc.yaml': SERVICE, 'app/patch.yaml': 'kind: Service\nmetadata:\n  name: search\n' });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(5_000);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'app/kustomization.yaml', line: 10, column: 13, endLine: 10, endColumn: 16 }]);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toBe('invalid YAML: an alias *fz is used inside its own anchor');
  }, 30_000);

  it('a resource of the build whose aliases double at every level stops at the alias budget, as a PW000 of that resource', async () => {
    const levels = ['a0: &a0 {x: 1, y: 2}', ...Array.from({ length: 30 }, (_, i) => `a${i + 1}: &a${i + 1} {<<: [*a${i}], m: *a${i}, n: *a${i}}`)];
    const config = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'app/kustomization.yaml': 'resources:\n  - svc.yaml\n  - bomb.yaml\n', 'app/svc.yaml': SERVICE, 'app/bomb.yaml': config });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
    const pw000 = r.findings.filter((f) => f.ruleId === 'PW000');
    // The alias budget runs out first: the PW000 is at the alias where it did, and the rest of the build's files are still judged.
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'app/bomb.yaml', line: 9, column: 26, endLine: 9, endColumn: 29 }]);
    expect(r.findings.map((f) => [f.ruleId, f.location.file, f.message])).toEqual([
      ['PW000', 'app/bomb.yaml', 'kustomization app cannot be built: the document is too complex to check (it resolves too many aliases)'],
      ['PW002', 'app/svc.yaml', 'Service/search exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: any address (LoadBalancer))'],
    ]);
  }, 60_000);

  it('a few aliases of one large anchor stop at the value budget of 250,000 values, reported at the alias that passed it', async () => {
    const big = `[${Array.from({ length: 90_000 }, () => '1').join(',')}]`;
    const config = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nbinaryData: {}\nlist: &big ${big}\nagain: *big\nthird: *big\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'app/kustomization.yaml': 'resources:\n  - svc.yaml\n  - bomb.yaml\n', 'app/svc.yaml': SERVICE, 'app/bomb.yaml': config });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
    expect(r.findings.map((f) => [f.ruleId, f.location.file, f.message])).toEqual([
      ['PW000', 'app/bomb.yaml', 'kustomization app cannot be built: the document is too large or too complex to check (its aliases expand to more than 250000 values)'],
      ['PW002', 'app/svc.yaml', 'Service/search exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: any address (LoadBalancer))'],
    ]);
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'app/bomb.yaml', line: 8, column: 8, endLine: 8, endColumn: 12 }]);
  }, 60_000);

  it('an anchor used twice, not inside itself, is still expanded: the patched Service is judged', async () => {
    const patch = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: search\n  labels: &l {app: search}\n  annotations: *l\nspec:\n  type: LoadBalancer\n';
    const r = await lintTree({ 'app/kustomization.yaml': 'resources:\n  - svc.yaml\npatches:\n  - path: patch.yaml\n', 'app/svc.yaml': SERVICE.replace('LoadBalancer', 'ClusterIP'), 'app/patch.yaml': patch });
    expect(r.findings.filter((f) => f.ruleId === 'PW000')).toEqual([]);
    expect(r.findings.some((f) => f.location.file.startsWith('app/') && f.message.includes('9200'))).toBe(true);
  }, 30_000);
});

describe('fuzz finding (seed 2502, #20501: the PW000 of a deeply nested file moved between two runs)', () => {
  // yaml overflows the stack at a depth that depends on how far the JIT has optimized it.
  const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

  const configMap = (value: string, tail = '') => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}, "data": {"value": ${value}}${tail}}\n`;
  const compose = (labels: string) => `services:\n  web:\n    image: nginx\n    labels:${labels}\n`;
  it.each([
    ['a .json manifest deeper than the JSON reader goes', 'k8s/cm.json', configMap(nested(5_000)), 'invalid JSON: the file is nested too deeply to read (more than 1000 levels)', 1, 1089],
    ['a .json manifest that is not strict JSON, deep', 'k8s/cm.json', configMap(nested(5_000), ', '), 'invalid JSON: the file is nested too deeply to read (more than 1000 levels)', 1, 1089],
    ['a YAML file with deep flow nesting', 'web/compose.yaml', compose(` ${nested(5_000)}`), 'invalid YAML: the file is nested too deeply to read (more than 256 levels)', 4, 266],
    ['a YAML file with deep block nesting', 'web/compose.yaml', compose(`\n${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 6)}k${i}:`).join('\n')} 1`), 'invalid YAML: the file is nested too deeply to read (more than 256 levels)', 258, 260],
  ])('%s is refused at the same place, in every run and at any JIT state', async (_, name, text, message, line, column) => {
    const places: string[] = [];
    for (let run = 0; run < 3; run++) {
      const r = await lintTree({ [name]: text, 'docker-compose.yml': 'services:\n  es:\n    image: elasticsearch:8\n    ports:\n      - "9200:9200"\n' });
      const pw000 = r.findings.filter((f) => f.ruleId === 'PW000');
      expect(pw000.map((f) => [f.location.file, f.message])).toEqual([[name, message]]);
      places.push(`${pw000[0]!.location.region.startLine}:${pw000[0]!.location.region.startColumn}`);
      expect(r.findings.some((f) => f.ruleId === 'PW002' && f.location.file === 'docker-compose.yml')).toBe(true);
    }
    expect(places).toEqual([`${line}:${column}`, `${line}:${column}`, `${line}:${column}`]);
  }, 60_000);

  it('nesting up to the limit is read', async () => {
    const r = await lintTree({ 'docker-compose.yml': `services:\n  es:\n    image: elasticsearch:8\n    labels: {x: ${nested(200)}}\n    ports:\n      - "9200:9200"\n` });
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'docker-compose.yml', line: 6, column: 9, endLine: 6, endColumn: 20 }]);
  });
});

describe('fuzz finding (seed 2603, #8713: a megabyte of `a,` in a flow sequence took 9-11 s and 570 MB in yaml)', () => {
  it('a YAML document past 150,000 nodes stops at the YAML budget, in a bounded time; the JSON reader keeps its own', async () => {
    const manifest = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: packetbeat\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: packetbeat\n        image: docker.elastic.co/beats/packetbeat:7.10.1\n        args: [${'a,'.repeat(500_000)}\n          "-e",\n        ]\n`;
    const cpu = process.cpuUsage();
    const r = await lintTree({ 'packetbeat.yaml': manifest });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(6_000);
    expect(r.findings.map((f) => [f.ruleId, f.location.file, f.message])).toEqual([
      ['PW000', 'packetbeat.yaml', 'the file is too large or too complex to check (more than 150000 nodes in one document; the limit is 150000)'],
    ]);
    // The same count of nodes in a JSON document is read (the JSON reader takes 600,000).
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { list: Array.from({ length: 200_000 }, () => 'a') } });
    const read = await lintTree({ 'big.json': json });
    expect(read.findings.filter((f) => f.ruleId === 'PW000')).toEqual([]);
  }, 60_000);
});
