/**
 * Meta-test: every row of every code table that decides a verdict has a fixture or test that
 * exercises it. A table row nobody tests is a row a refactor can drop silently (issue 18: every
 * internal-LB annotation row survived mutation). The tables are read from the sources with the
 * TypeScript parser, so a new row fails this test until a fixture names it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DATASTORE_PORTS } from '../../src/model/datastores.js';
import { cidrContains, parseCidr, parseIp } from '../../src/model/net.js';
import { ROOT } from '../helpers/index.js';

const SELF = path.join(ROOT, 'test/model/code-tables.test.ts');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) walk(full, out);
    else if (full !== SELF && st.size < 2_000_000) out.push(full);
  }
  return out;
}

/** Fixture files (what the linter reads in tests) and test sources, kept apart. */
const files = [...walk(path.join(ROOT, 'test')), ...walk(path.join(ROOT, 'rules'))];
const isFixture = (f: string) => /[/\\]fixtures[/\\]/.test(f) || !/\.ts$/.test(f);
const fixtureText = files.filter(isFixture).map((f) => readFileSync(f, 'utf8')).join('\n');
const anyText = `${fixtureText}\n${files.filter((f) => !isFixture(f)).map((f) => readFileSync(f, 'utf8')).join('\n')}`;

/** The initializer of `const NAME = ...` in a source file. */
function tableOf(file: string, name: string): ts.Expression {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) found = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new Error(`${file} has no table ${name}`);
  return found;
}

function arrayOf(expr: ts.Expression): ts.ArrayLiteralExpression {
  let e: ts.Node = expr;
  // `[...].map(...)`
  while (ts.isCallExpression(e) || ts.isNewExpression(e)) e = ts.isNewExpression(e) ? e.arguments![0]! : (e.expression as ts.PropertyAccessExpression).expression;
  if (!ts.isArrayLiteralExpression(e)) throw new Error('not an array table');
  return e;
}

function propertyOf(row: ts.Expression, key: string): ts.Expression | undefined {
  if (!ts.isObjectLiteralExpression(row)) return undefined;
  for (const p of row.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
  }
  return undefined;
}

const stringsOf = (file: string, name: string, key: string) =>
  arrayOf(tableOf(file, name)).elements.map((row) => (propertyOf(row, key) as ts.StringLiteral).text);
const regexesOf = (file: string, name: string, key: string) =>
  arrayOf(tableOf(file, name)).elements.map((row) => {
    const lit = (propertyOf(row, key) as ts.RegularExpressionLiteral).text;
    const end = lit.lastIndexOf('/');
    return new RegExp(lit.slice(1, end), lit.slice(end + 1));
  });
const keysOf = (file: string, name: string) => {
  const e = tableOf(file, name);
  if (!ts.isObjectLiteralExpression(e)) throw new Error(`${name} is not an object table`);
  return e.properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : []));
};

/** Image references named in fixtures and tests, as repository paths without registry, tag and digest. */
const repositories = new Set(
  [...anyText.matchAll(/(?:image["']?\s*[:=]\s*["']?|["'`])([a-z0-9][\w./-]*(?::[\w.-]+)?(?:@sha256:[a-f0-9]+)?)/gi)].map((m) => {
    let ref = m[1]!.replace(/@sha256:[a-f0-9]+$/, '');
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    if (colon > slash) ref = ref.slice(0, colon);
    const parts = ref.split('/');
    if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
    return parts.join('/').toLowerCase();
  }),
);

/** Every IP or CIDR written in a fixture. */
const fixtureCidrs = [...anyText.matchAll(/(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?)(?![\w.])/gi)]
  .map((m) => m[1]!)
  .flatMap((t) => {
    const c = parseCidr(t.includes('/') ? t : `${t}/${parseIp(t)?.version === 6 ? 128 : 32}`);
    return c ? [c] : [];
  });

describe('code tables: every row has a fixture or test', () => {
  it('Kubernetes internal load-balancer annotations each appear in a Kubernetes fixture', () => {
    const keys = stringsOf('src/formats/kubernetes/load-balancer.ts', 'INTERNAL_ANNOTATIONS', 'key');
    expect(keys.length).toBeGreaterThanOrEqual(9);
    expect(keys.filter((k) => !fixtureText.includes(k))).toEqual([]);
  });

  it('Kubernetes loadBalancerClass rows each appear in a test', () => {
    const classes = keysOf('src/formats/kubernetes/load-balancer.ts', 'KNOWN_CLASSES').filter((k) => k !== 'AWS_LBC_CLASS');
    expect(classes.filter((k) => !anyText.includes(k))).toEqual([]);
  });

  it('private ranges each hold an address or range written in a fixture or test', () => {
    const ranges = arrayOf(tableOf('src/model/net.ts', 'PRIVATE_RANGES')).elements.map((e) => (e as ts.StringLiteral).text);
    expect(ranges).toHaveLength(9);
    const untested = ranges.filter((r) => {
      const outer = parseCidr(r)!;
      return !fixtureCidrs.some((c) => c.version === outer.version && cidrContains(outer, c));
    });
    expect(untested).toEqual([]);
  });

  it('datastore ports each appear in a fixture or test', () => {
    expect(DATASTORE_PORTS.length).toBeGreaterThan(25);
    const untested = DATASTORE_PORTS.filter((row) => {
      const ports = Array.from({ length: (row.to ?? row.port) - row.port + 1 }, (_, i) => row.port + i);
      return !ports.some((p) => new RegExp(`(?<![\\w.])${p}(?![\\w.])`).test(anyText));
    });
    expect(untested.map((r) => `${r.port} ${r.name}`)).toEqual([]);
  });

  it('datastore image rules each match an image named in a fixture or test', () => {
    const rules = regexesOf('src/model/datastores.ts', 'IMAGE_RULES', 'pattern');
    expect(rules.length).toBeGreaterThan(25);
    const untested = rules.filter((re) => ![...repositories].some((r) => re.test(r)));
    expect(untested.map(String)).toEqual([]);
  });

  it('community images and server programs each appear in a fixture or test', () => {
    const community = regexesOf('src/model/container-identity.ts', 'COMMUNITY_IMAGES', 'pattern');
    expect(community.filter((re) => ![...repositories].some((r) => re.test(r))).map(String)).toEqual([]);
    const programs = keysOf('src/model/container-identity.ts', 'SERVER_PROGRAMS');
    expect(programs.filter((p) => !new RegExp(`(?<![\\w-])${p}(?![\\w-])`).test(anyText))).toEqual([]);
  });

  it('datastore environment evidence rows each match a variable named in a fixture or test', () => {
    const rows = regexesOf('src/model/container-identity.ts', 'ENV_EVIDENCE', 'names');
    const names = new Set([...anyText.matchAll(/[A-Za-z_][\w.]*/g)].map((m) => m[0]));
    expect(rows.filter((re) => ![...names].some((n) => re.test(n))).map(String)).toEqual([]);
  });

  it('Terraform functions each have a test that calls them', () => {
    const fns = keysOf('src/formats/terraform/functions.ts', 'FUNCTIONS');
    expect(fns.length).toBeGreaterThan(10);
    expect(fns.filter((f) => !new RegExp(`(?<![\\w.])${f}\\(`).test(anyText))).toEqual([]);
  });

  it('CloudFormation managed datastore types each appear in a fixture or test', () => {
    const types = arrayOf(tableOf('src/formats/cloudformation/datastores.ts', 'DATASTORE_TYPES')).elements.flatMap((e) => (ts.isStringLiteral(e) ? [e.text] : []));
    const all = [...types, ...keysOf('src/formats/cloudformation/datastores.ts', 'PUBLICLY_ACCESSIBLE_TYPES')];
    expect(all.filter((t) => !anyText.includes(t))).toEqual([]);
  });
});
