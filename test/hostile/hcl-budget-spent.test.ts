/**
 * Issue 14 item 3: past the HCL operation budget a file is a PW000 whose message names the
 * budget (counted parser steps), never a time. The budget is made small here so an ordinary
 * file spends it; the real budget is a function of the length only (parse-budget.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

vi.mock('../../src/formats/terraform/parse-budget.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/formats/terraform/parse-budget.js')>();
  return { ...actual, operationCounter: (length: number) => actual.operationCounter(length, 5_000) };
});

const { budgetMessage, parseOperationBudget } = await vi.importActual<typeof import('../../src/formats/terraform/parse-budget.js')>('../../src/formats/terraform/parse-budget.js');

describe('HCL operation budget spent', () => {
  it('is one PW000 for that file, the same twice; other files are still checked', async () => {
    const tf = `resource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [${'"10.0.0.1/32", '.repeat(2_000)}"0.0.0.0/0"]\n  }\n}\n`;
    const files = { 'net/main.tf': tf, 'app/compose.yaml': 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n' };
    const first = await lintTree(files);
    expect(views(first, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'net/main.tf', line: 1, column: 1, endLine: 1, endColumn: 2 }]);
    expect(first.findings.find((f) => f.ruleId === 'PW000')!.message).toContain(budgetMessage(5_000));
    expect(views(first, 'PW004').map((v) => v.file)).toEqual(['app/compose.yaml']);
    const second = await lintTree(files);
    expect(JSON.stringify(second.findings)).toBe(JSON.stringify(first.findings));
  });

  it('the real budget is base + per-character operations, far above what the corpus needs', () => {
    expect(parseOperationBudget(0)).toBe(2_000_000);
    expect(parseOperationBudget(100_000)).toBe(3_000_000);
  });
});
