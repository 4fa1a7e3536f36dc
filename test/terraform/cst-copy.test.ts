/**
 * Issue 17: the HCL tree is copied out of tree-sitter by calling the runtime's cursor functions
 * directly (tree-sitter.ts, directCursor). The copy is the one the public cursor API gives:
 * node types and offsets, comments dropped, the first syntax error in document order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hclCopyPath, initTerraform, parseHcl, type CstNode } from '../../src/formats/terraform/tree-sitter.js';

beforeAll(async () => {
  await initTerraform();
});

/** Named nodes in document order as "type start-end" (anonymous tokens left out). */
function outline(node: CstNode, out: string[] = []): string[] {
  if (/^[a-z_]+$/.test(node.type)) out.push(`${node.type} ${node.start}-${node.end}`);
  for (const child of node.children) outline(child, out);
  return out;
}

describe('HCL tree copy', () => {
  it('runs on the direct cursor path in this runtime', () => {
    expect(hclCopyPath()).toBe('direct');
  });

  it('copies types and offsets and drops comments, also one inside a block', () => {
    const text = '# header\nresource "aws_security_group" "web" {\n  // why\n  ingress {\n    from_port = 443 # https\n  }\n}\n';
    const parsed = parseHcl(text);
    if (!('root' in parsed)) throw new Error(JSON.stringify(parsed));
    const lines = outline(parsed.root);
    expect(lines.some((l) => l.startsWith('comment'))).toBe(false);
    expect(lines).toEqual([
      'config_file 0-102',
      'body 9-101',
      'block 9-101',
      'identifier 9-17',
      'string_lit 18-38',
      'quoted_template_start 18-19',
      'template_literal 19-37',
      'quoted_template_end 37-38',
      'string_lit 39-44',
      'quoted_template_start 39-40',
      'template_literal 40-43',
      'quoted_template_end 43-44',
      'block_start 45-46',
      'body 58-99',
      'block 58-99',
      'identifier 58-65',
      'block_start 66-67',
      'body 72-87',
      'attribute 72-87',
      'identifier 72-81',
      'expression 84-87',
      'literal_value 84-87',
      'numeric_lit 84-87',
      'block_end 98-99',
      'block_end 100-101',
    ]);
    expect(text.slice(72, 87)).toBe('from_port = 443');
  });

  it('gives the first syntax error, and the next file parses cleanly after it', () => {
    expect(parseHcl('a = 1\nb {\n  c = [1, 2\n}\n')).toEqual({ error: { start: 22, end: 22, message: 'syntax error: missing "]"' } });
    const next = parseHcl('x = "y"\n');
    if (!('root' in next)) throw new Error(JSON.stringify(next));
    expect(outline(next.root)).toEqual([
      'config_file 0-8',
      'body 0-7',
      'attribute 0-7',
      'identifier 0-1',
      'expression 4-7',
      'literal_value 4-7',
      'string_lit 4-7',
      'quoted_template_start 4-5',
      'template_literal 5-6',
      'quoted_template_end 6-7',
    ]);
  });
});
