import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPair, isScalar, parseAllDocuments, type Node } from 'yaml';
import { parseJsonAsYaml } from '../../src/formats/yaml/json-fast.js';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

/** The same tree as `yaml`: node kinds, ranges, scalar values, types and sources. */
function difference(a: unknown, b: unknown, at = '$'): string | undefined {
  const ka = (a as object | null)?.constructor?.name;
  const kb = (b as object | null)?.constructor?.name;
  if (ka !== kb) return `${at}: ${ka} vs ${kb}`;
  if (!a) return undefined;
  const x = a as Node & { items?: unknown[] };
  const y = b as Node & { items?: unknown[] };
  if (x.range![0] !== y.range![0] || x.range![1] !== y.range![1]) return `${at}: range ${x.range} vs ${y.range}`;
  if (isScalar(x)) {
    const s = y as typeof x;
    return Object.is(x.value, s.value) && x.type === s.type && x.source === s.source ? undefined : `${at}: ${JSON.stringify([x.value, x.type])} vs ${JSON.stringify([s.value, s.type])}`;
  }
  if (x.items!.length !== y.items!.length) return `${at}: ${x.items!.length} vs ${y.items!.length} items`;
  for (let i = 0; i < x.items!.length; i++) {
    const p = x.items![i];
    const q = y.items![i];
    const d = isPair(p) && isPair(q) ? difference(p.key, q.key, `${at}.key${i}`) ?? difference(p.value, q.value, `${at}.${i}`) : difference(p, q, `${at}[${i}]`);
    if (d) return d;
  }
  return undefined;
}

function yamlOf(text: string) {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false });
  return (Array.isArray(docs) ? docs : [docs])[0]!.contents;
}

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) jsonFiles(full, out);
    else if (stat?.isFile() && name.endsWith('.json') && stat.size < 8 * 1024 * 1024) out.push(full);
  }
  return out;
}

describe('located JSON reader', () => {
  it('builds the same nodes as yaml for realistic JSON', () => {
    const text = '{\n  "Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [\n    {"IpProtocol": "tcp", "FromPort": 9200, "ToPort": 9200.5, "CidrIp": "0.0.0.0\\/0", "Note": "caf\\u00e9 \\"x\\"", "On": true, "Off": false, "None": null, "Neg": -3, "Empty": [], "Obj": {}}\n  ]}}}\n}\n';
    const fast = parseJsonAsYaml(text, 1000);
    expect(fast).toBeDefined();
    expect(difference(fast!.contents, yamlOf(text))).toBeUndefined();
  });

  it('leaves to yaml what it reads differently or reports: comments, duplicate keys, exponents, big or octal-looking numbers, lone surrogates, trailing commas, junk', () => {
    for (const text of ['{"a": 1} # c', '{"a": 1, "a": 2}', '{"a": 1e3}', '{"a": 012}', '{"a": 12345678901234567890}', '{"a": "\\ud800"}', '{"a": [1,]}', '{"a": 1}x', '{"a": tru}', '{"a" 1}', '[1 2]', '{"a":\n"b\tc"}'.replace('\\t', '\u0001')]) {
      expect(parseJsonAsYaml(text, 1000), text).toBeUndefined();
    }
  });

  it('stops at the node budget, and reads deep nesting without recursion', () => {
    expect(parseJsonAsYaml(`[${'1,'.repeat(50)}1]`, 10)).toBeUndefined();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseJsonAsYaml(deep, 1_000_000)).toBeDefined();
  });

  it.runIf(existsSync(corpus))('agrees with yaml on every JSON file of the corpus it takes', () => {
    let taken = 0;
    for (const file of jsonFiles(corpus)) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const fast = parseJsonAsYaml(text, 600_000);
      if (!fast) continue;
      taken++;
      expect(difference(fast.contents, yamlOf(text)), file).toBeUndefined();
    }
    expect(taken).toBeGreaterThan(100);
  });
});
