/**
 * Issue 14 (fuzz seed 2202, #12900): a valid 1 MB tfvars whose one line is a list of 500k bare
 * references took 7 s of CPU, most of it copying the HCL tree out of tree-sitter. Large valid
 * lists and maps are read in full: every element is copied, built and evaluated.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

const SG = (cidrs: string) =>
  `resource "aws_security_group" "web" {\n  name = "web"\n\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ${cidrs}\n  }\n}\n`;

describe('large valid HCL lists and maps (fuzz seed 2202, #12900)', () => {
  it('a 200k-entry cidr_blocks list in a tfvars file reaches the security group, the open range last', async () => {
    const cidrs = [...Array.from({ length: 200_000 }, (_, i) => `"10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32"`), '"0.0.0.0/0"'];
    const r = await lintTree({
      'app/main.tf': `variable "allowed" {\n  type = list(string)\n}\n\n${SG('var.allowed')}`,
      'app/terraform.tfvars': `allowed = [${cidrs.join(', ')}]\n`,
    });
    const tfvars = `allowed = [${cidrs.join(', ')}]\n`;
    const at = tfvars.indexOf('"0.0.0.0/0"');
    expect(r.notifications.filter((n) => n.kind === 'internal')).toEqual([]);
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'app/terraform.tfvars', line: 1, column: at + 1, endLine: 1, endColumn: at + 12 }]);
    expect(r.findings[0]!.message).toBe('aws_security_group.web exposes SSH 22 on port 22/tcp to the internet (source: 0.0.0.0/0)');
    expect(r.findings[0]!.subjects).toEqual(['tf:app/main.tf:aws_security_group.web:ingress[0]']);
  }, 60_000);

  it('a local list of 100k references, the last one to the open range, is evaluated element by element', async () => {
    const refs = Array.from({ length: 100_000 }, () => 'local.office').join(',');
    const main = `locals {\n  office = "203.0.113.0/24"\n  any = "0.0.0.0/0"\n  ranges = [${refs}, local.any]\n}\n\n${SG('local.ranges')}`;
    const r = await lintTree({ 'app/main.tf': main });
    const line4 = main.split('\n')[3]!;
    const column = line4.lastIndexOf('local.any') + 1;
    expect(r.notifications.filter((n) => n.kind === 'internal')).toEqual([]);
    expect(views(r)).toEqual([{ ruleId: 'PW002', file: 'app/main.tf', line: 4, column, endLine: 4, endColumn: column + 9 }]);
    const finding = r.findings[0]!;
    expect(finding.message).toBe('aws_security_group.web exposes SSH 22 on port 22/tcp to the internet (source: 0.0.0.0/0)');
    expect(finding.related.map((x) => ({ message: x.message, line: x.location.region.startLine, column: x.location.region.startColumn }))).toEqual([{ message: '0.0.0.0/0 comes from local.any', line: 3, column: 9 }]);
  }, 60_000);
});
