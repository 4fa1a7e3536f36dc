/**
 * --format gitlab and --format junit, from the built CLI, checked against the consumers'
 * published formats: GitLab's Code Quality report (a JSON Schema written from its docs, in
 * schemas/) and the JUnit XML schema Jenkins and GitLab read (junit-10.xsd from the Jenkins
 * xunit plugin: element and attribute rules below, checked by a small XML parser).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-reports-');

const TREE = {
  'docker-compose.yml': `services:
  es:
    image: elasticsearch:8.13.0
    environment:
      - xpack.security.enabled=false
    ports:
      - "9200:9200"
  web:
    image: nginx:1.27
    ports:
      # portwall-ignore PW001: redirect to 443 only
      - "80:80"
      - "8080:80"   # <debug> & "quotes"
`,
  'broken.yml': 'services:\n  a: [\n',
  'clean/docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n',
};

describe('--format gitlab (GitLab Code Quality)', () => {
  const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'schemas/gitlab-code-quality.schema.json'), 'utf8'));
  const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: true, strictRequired: false, allErrors: true }).compile(schema);

  it('validates against the published report format, one issue per unsuppressed finding with unique fingerprints', () => {
    const dir = project(TREE);
    const r = runBin(dir, ['--format', 'gitlab']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const json = JSON.parse(runBin(dir, ['--format', 'json']).stdout);
    const unsuppressed = json.findings.filter((f: { suppressed: boolean }) => !f.suppressed);
    expect(report).toHaveLength(unsuppressed.length);
    expect(new Set(report.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(report.length);
    const es = report.find((i: { check_name: string }) => i.check_name.startsWith('PW004'));
    expect(es).toMatchObject({ severity: 'critical', location: { path: 'docker-compose.yml', lines: { begin: 7 } }, categories: ['Security'] });
    expect(report.find((i: { check_name: string }) => i.check_name.startsWith('PW000'))).toMatchObject({ severity: 'critical', location: { path: 'broken.yml' }, categories: ['Bug Risk'] });
    expect(report.find((i: { check_name: string }) => i.check_name.startsWith('PW001'))).toMatchObject({ severity: 'major', location: { lines: { begin: 13 } } });
  });

  it('is an empty array when nothing is found', () => {
    const dir = project({ 'docker-compose.yml': TREE['clean/docker-compose.yml'] });
    const report = JSON.parse(runBin(dir, ['--format', 'gitlab']).stdout);
    expect(report).toEqual([]);
    expect(validate(report)).toBe(true);
  });
});

// ---- JUnit ---------------------------------------------------------------------------------

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict little XML parser: well-formedness, the five entities and numeric references only. */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const decode = (text: string) => {
    if (/[<]/.test(text)) fail('"<" in text or attribute');
    return text.replace(/&([^;]*);?/g, (m, name: string) => {
      if (!m.endsWith(';')) fail(`bare "&" (${m})`);
      const known: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (name in known) return known[name]!;
      if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
      if (/^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
      return fail(`unknown entity &${name};`);
    });
  };
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) fail('missing XML declaration');
  i = xml.indexOf('\n') + 1;
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(xml.slice(i)) ?? fail('expected an element');
    i += open[0].length;
    const el: XmlElement = { name: open[1]!, attributes: {}, children: [], text: '' };
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.-]*)="([^"]*)"/.exec(xml.slice(i));
      if (!attr) break;
      if (attr[1]! in el.attributes) fail(`duplicate attribute ${attr[1]}`);
      el.attributes[attr[1]!] = decode(attr[2]!);
      i += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(i)) ?? fail('unterminated start tag');
    i += end[0].length;
    if (end[1]) return el;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next === -1) fail(`unclosed <${el.name}>`);
      el.text += decode(xml.slice(i, next));
      i = next;
      if (xml.startsWith(`</${el.name}>`, i)) {
        i += el.name.length + 3;
        return el;
      }
      if (xml.startsWith('</', i)) fail(`mismatched end tag in <${el.name}>`);
      el.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(i).trim() !== '') fail('content after the root element');
  return root;
}

/** junit-10.xsd (Jenkins xunit plugin), the schema JUnit consumers follow: which element may hold what. */
const JUNIT_SCHEMA: Record<string, { required: string[]; optional: string[]; children: string[]; integers?: string[]; decimals?: string[] }> = {
  testsuites: { required: [], optional: ['name', 'time', 'tests', 'failures', 'disabled', 'errors', 'skipped'], children: ['testsuite'], integers: ['tests', 'failures', 'disabled', 'errors', 'skipped'], decimals: ['time'] },
  testsuite: {
    required: ['name', 'tests'],
    optional: ['failures', 'errors', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url', 'version', 'group'],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
    integers: ['tests', 'failures', 'errors', 'disabled', 'skipped'],
    decimals: ['time'],
  },
  testcase: { required: ['name'], optional: ['assertions', 'time', 'classname', 'status', 'class', 'file', 'line', 'log', 'group', 'url'], children: ['skipped', 'error', 'failure', 'system-out', 'system-err'], decimals: ['time'], integers: ['line'] },
  failure: { required: [], optional: ['type', 'message'], children: [] },
  error: { required: [], optional: ['type', 'message'], children: [] },
  skipped: { required: [], optional: ['message'], children: [] },
};

function checkJunit(el: XmlElement, problems: string[], where = ''): void {
  const rule = JUNIT_SCHEMA[el.name];
  const here = `${where}/${el.name}`;
  if (!rule) {
    problems.push(`${here}: element not in the schema`);
    return;
  }
  for (const a of rule.required) if (!(a in el.attributes)) problems.push(`${here}: missing required attribute ${a}`);
  for (const a of Object.keys(el.attributes)) if (!rule.required.includes(a) && !rule.optional.includes(a)) problems.push(`${here}: attribute ${a} not in the schema`);
  for (const a of rule.integers ?? []) if (a in el.attributes && !/^\d+$/.test(el.attributes[a]!)) problems.push(`${here}: ${a} must be an integer`);
  for (const a of rule.decimals ?? []) if (a in el.attributes && !/^\d+(\.\d+)?$/.test(el.attributes[a]!)) problems.push(`${here}: ${a} must be a decimal`);
  for (const c of el.children) if (!rule.children.includes(c.name)) problems.push(`${here}: <${c.name}> not allowed here`);
  if (el.name === 'testcase' && el.children.filter((c) => c.name === 'skipped').length > 1) problems.push(`${here}: more than one <skipped>`);
  if (['testsuites', 'testsuite', 'testcase'].includes(el.name) && el.text.trim() !== '') problems.push(`${here}: text content not allowed`);
  if (el.name === 'testsuite') {
    const cases = el.children.filter((c) => c.name === 'testcase');
    const count = (n: string) => cases.filter((c) => c.children.some((x) => x.name === n)).length;
    if (Number(el.attributes.tests) !== cases.length) problems.push(`${here}: tests=${el.attributes.tests} but ${cases.length} test cases`);
    if (Number(el.attributes.failures ?? 0) !== count('failure')) problems.push(`${here}: failures count`);
    if (Number(el.attributes.errors ?? 0) !== count('error')) problems.push(`${here}: errors count`);
    if (Number(el.attributes.skipped ?? 0) !== count('skipped')) problems.push(`${here}: skipped count`);
  }
  if (el.name === 'testsuites') {
    const sum = (a: string) => el.children.reduce((n, s) => n + Number(s.attributes[a] ?? 0), 0);
    for (const a of ['tests', 'failures', 'errors', 'skipped']) if (Number(el.attributes[a] ?? 0) !== sum(a)) problems.push(`${here}: ${a} is not the sum of its suites`);
  }
  el.children.forEach((c) => checkJunit(c, problems, here));
}

describe('--format junit', () => {
  it('is well-formed XML that follows the JUnit schema, with counts that add up', () => {
    const dir = project(TREE);
    const r = runBin(dir, ['--format', 'junit']);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.name).toBe('testsuites');
    const problems: string[] = [];
    checkJunit(root, problems);
    expect(problems).toEqual([]);
    const suites: Record<string, XmlElement> = Object.fromEntries(root.children.map((s) => [s.attributes.name!, s]));
    expect(Object.keys(suites).sort()).toEqual(['broken.yml', 'clean/docker-compose.yml', 'docker-compose.yml']);
    // A clean file is one passing test; a suppressed finding is skipped with its reason.
    expect(suites['clean/docker-compose.yml']!.children).toHaveLength(1);
    expect(suites['clean/docker-compose.yml']!.children[0]!.children).toEqual([]);
    const compose = suites['docker-compose.yml']!;
    const skipped = compose.children.flatMap((c) => c.children).filter((c) => c.name === 'skipped');
    expect(skipped.map((s) => s.attributes.message)).toEqual(['redirect to 443 only']);
    const failure = compose.children.find((c) => c.attributes.classname === 'portwall.PW004')!.children[0]!;
    expect(failure).toMatchObject({ name: 'failure', attributes: { type: 'error' } });
    expect(failure.text).toMatch(/^docker-compose\.yml:7:9: error: service 'es' exposes Elasticsearch/);
    expect(Number(root.attributes.failures)).toBeGreaterThanOrEqual(3);
  });

  it('escapes markup in messages and is a valid empty document when nothing was checked', () => {
    const empty = parseXml(runBin(project({}), ['--format', 'junit']).stdout);
    expect(empty).toMatchObject({ name: 'testsuites', attributes: { tests: '0', failures: '0' }, children: [] });
    const dir = project({ 'docker-compose.yml': 'services:\n  "a<b>&\'c\'":\n    image: redis:7\n    ports: ["6379:6379"]\n' });
    const root = parseXml(runBin(dir, ['--format', 'junit']).stdout);
    const problems: string[] = [];
    checkJunit(root, problems);
    expect(problems).toEqual([]);
    expect(root.children[0]!.children[0]!.children[0]!.attributes.message).toContain(`service 'a<b>&'c''`);
  });
});
