/**
 * Issue 14 (#15499 of seed 2603) and issue 17 item 4: the HCL tree is copied by calling the
 * WASM runtime's cursor exports directly (walk.ts). The copy must be exactly what web-tree-sitter's
 * own TreeCursor walk gives, tree for tree and error for error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hclWalkIsDirect, initTerraform, parseHcl } from '../../src/formats/terraform/tree-sitter.js';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

function tfFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) tfFiles(full, out);
    else if (entry.isFile() && entry.name.endsWith('.tf')) out.push(full);
  }
  return out;
}

const both = (text: string) => [parseHcl(text), parseHcl(text, { directWalk: false })] as const;

beforeAll(() => initTerraform());

describe('direct HCL tree walk', () => {
  it('is the walk in use with the pinned web-tree-sitter', () => {
    expect(hclWalkIsDirect()).toBe(true);
  });

  it('copies what the TreeCursor walk copies, for valid files of every shape', () => {
    const texts = [
      'resource "aws_security_group_rule" "es" {\n  type        = "ingress"\n  from_port   = 9200\n  cidr_blocks = ["0.0.0.0/0"] # open\n}\n',
      // The fuzz's slow shape: a long heredoc line of interpolations (deep stack moves, many siblings).
      `locals {\n  user_data = <<-EOT\n    ${'${x}'.repeat(20_000)}\n  EOT\n}\n`,
      `locals {\n  nested = ${'['.repeat(300)}1${']'.repeat(300)}\n}\n`,
      'variable "p" {\n  default = { a = [for k, v in var.m : "${k}=${v}" if v != null], b = var.x ? 1 : -2 }\n}\n',
      `locals {\n  s = "%{ for p in var.ports ~}${'${p}'},%{ endfor ~}"\n  t = a.b[0].c[*].d\n  u = x.*.y\n}\n`,
      '',
      '# only a comment\n',
    ];
    for (const text of texts) {
      const [direct, cursor] = both(text);
      expect('root' in direct).toBe(true);
      expect(direct).toEqual(cursor);
    }
  });

  it('finds the same first syntax error, missing tokens included', () => {
    for (const text of ['resource "x" "y" {\n  a = \n}\n', 'locals {\n  a = [1, 2\n}\n', 'x = {\n  a = "b"\n', 'a = b +\n', `locals {\n  a = ${'(1 + '.repeat(50)}\n}\n`]) {
      const [direct, cursor] = both(text);
      expect('error' in direct).toBe(true);
      expect(direct).toEqual(cursor);
    }
  });

  it.runIf(existsSync(corpus))('copies every Terraform file of the corpus as the TreeCursor walk does', () => {
    const files = tfFiles(corpus);
    expect(files.length).toBeGreaterThan(1000);
    let mismatched = 0;
    for (const file of files) {
      const [direct, cursor] = both(readFileSync(file, 'utf8'));
      if (JSON.stringify(direct) !== JSON.stringify(cursor)) mismatched++;
    }
    expect(mismatched).toBe(0);
  }, 120_000);
});
