import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPair, isScalar, parseAllDocuments, type Document, type Node } from 'yaml';
import { MAX_DEPTH, parseJsonAsYaml } from '../../src/formats/yaml/json-fast.js';

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
  it('builds the same nodes as yaml for realistic JSON, duplicate keys and exponents included', () => {
    const text = '{\n  "Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [\n    {"IpProtocol": "tcp", "FromPort": 9200, "ToPort": 9200.5, "CidrIp": "0.0.0.0\\/0", "Note": "caf\\u00e9 \\"x\\"", "On": true, "Off": false, "None": null, "Neg": -3, "Zero": -0, "Empty": [], "Obj": {}}\n  ]}}, "Sg": {"Exp": 1e3, "Small": -1.5E-3, "Big": 12345678901234567890, "Huge": 1e400}}\n}\n';
    const fast = parseJsonAsYaml(text, 1000);
    expect(fast && 'contents' in fast).toBe(true);
    expect(difference((fast as Document.Parsed).contents, yamlOf(text))).toBeUndefined();
  });

  it('reports where strict JSON breaks, and why', () => {
    const cases: [string, number, string][] = [
      ['{"a": 1} # c', 9, 'unexpected "#" after the JSON value'],
      ['{"a": 012}', 7, 'unexpected "1" after "0"'],
      ['{"a": [1,]}', 9, 'expected a value, found "]"'],
      ['{"a": 1}x', 8, 'unexpected "x" after the JSON value'],
      ['{"a": tru}', 6, 'expected a value, found "t"'],
      ['{"a" 1}', 5, 'expected ":" after a property name, found "1"'],
      ['[1 2]', 3, 'expected "," or "]", found "2"'],
      ['{"a": 1 "b": 2}', 8, 'expected "," or "}", found "\\""'],
      ['{a: 1}', 1, 'expected a property name in double quotes, found "a"'],
      ['{"a":\n"b\u0001c"}', 8, 'a control character in a string must be escaped'],
      ['{"a": "b\nc"}', 8, 'a string is not closed on its line'],
      ['{"a": "b', 6, 'a string is not closed'],
      ['{"a": "\\x"}', 7, 'invalid escape in a string'],
      ['{"a": "\\u12g4"}', 7, 'invalid \\u escape in a string'],
      ['{"a": [1, 2', 11, 'expected "," or "]", found the end of the file'],
    ];
    for (const [text, offset, message] of cases) {
      expect(parseJsonAsYaml(text, 1000), text).toEqual({ failure: { offset, message } });
    }
  });

  it('leaves to yaml what it decodes differently (lone surrogates); nesting past MAX_DEPTH is a failure at the bracket that passes it', () => {
    expect(parseJsonAsYaml('{"a": "\\ud800"}', 1000)).toBeUndefined();
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseJsonAsYaml(deep(MAX_DEPTH), 1_000_000)).toHaveProperty('contents');
    // Deeper is the file's error, never a stack overflow here nor in yaml (whose depth of failure varies with the JIT).
    expect(parseJsonAsYaml(deep(100_000), 1_000_000)).toEqual({ failure: { offset: MAX_DEPTH, message: `the file is nested too deeply to read (more than ${MAX_DEPTH} levels)` } });
  });

  it('reads past a second byte order mark (the file reader removes only the first), offsets kept', () => {
    const fast = parseJsonAsYaml('\uFEFF{"a": 1}', 1000) as Document.Parsed;
    expect((fast.contents as unknown as { range: number[] }).range).toEqual([1, 9, 9]);
  });

  it('stops at the node budget', () => {
    expect(parseJsonAsYaml(`[${'1,'.repeat(50)}1]`, 10)).toEqual({ failure: { offset: 0, message: 'more than 10 nodes in one document; the limit is 10', budget: true } });
  });

  it.runIf(existsSync(corpus))('agrees with yaml on every JSON file of the corpus it takes', () => {
    let taken = 0;
    for (const file of jsonFiles(corpus)) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const fast = parseJsonAsYaml(text, 600_000);
      if (!fast || 'failure' in fast) continue;
      taken++;
      expect(difference(fast.contents, yamlOf(text)), file).toBeUndefined();
    }
    expect(taken).toBeGreaterThan(100);
  });
});
