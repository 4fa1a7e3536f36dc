/**
 * Provenance in every output: each hop of a located value is a related location; text shows
 * `related:` lines, JSON lists them, SARIF links each one from the result message.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { formatJson } from '../../src/formatters/json.js';
import { formatSarif, linkedMessage } from '../../src/formatters/sarif.js';
import { formatText } from '../../src/formatters/text.js';
import { lintTree } from '../helpers/index.js';

const FILES = {
  'variables.tf': 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n',
  'main.tf':
    'resource "aws_security_group" "db" {\n  dynamic "ingress" {\n    for_each = [9200, 27017, 6379]\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = "tcp"\n      cidr_blocks = var.admin_cidrs\n    }\n  }\n}\n',
};
const context = { rules: BUILTIN_RULES, version: '0.0.0', color: false };

describe('provenance in the outputs', () => {
  it('reports one finding at the rule that uses the variable, listing every port, with the default as related', async () => {
    const result = await lintTree(FILES);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect([f.ruleId, f.location.file, f.location.region.startLine, f.location.region.startColumn, f.location.region.endLine, f.location.region.endColumn]).toEqual(['PW002', 'main.tf', 8, 21, 8, 36]);
    expect(f.message).toBe('aws_security_group.db exposes Elasticsearch HTTP 9200, MongoDB 27017, Redis 6379 on ports 6379, 9200, 27017/tcp to the internet (source: 0.0.0.0/0)');
    expect(f.related.map((r) => [r.location.file, r.location.region.startLine, r.location.region.startColumn, r.location.region.endLine, r.location.region.endColumn, r.message])).toEqual([
      ['variables.tf', 2, 14, 2, 25, '0.0.0.0/0 comes from the default of var.admin_cidrs'],
    ]);
    expect(f.units).toEqual(['Terraform root module .']);

    expect(formatText(result, context)).toContain('      related: variables.tf:2:14 0.0.0.0/0 comes from the default of var.admin_cidrs\n');
    const json = JSON.parse(formatJson(result, context));
    expect(json.findings[0].related).toEqual([{ message: '0.0.0.0/0 comes from the default of var.admin_cidrs', file: 'variables.tf', startLine: 2, startColumn: 14, endLine: 2, endColumn: 25 }]);
    expect(json.findings[0].units).toEqual(['Terraform root module .']);
    const sarif = JSON.parse(formatSarif(result, context));
    const r = sarif.runs[0].results[0];
    expect(r.message.text).toBe('aws_security_group.db exposes Elasticsearch HTTP 9200, MongoDB 27017, Redis 6379 on ports 6379, 9200, 27017/tcp to the internet (source: 0.0.0.0/0) ([0.0.0.0/0 from var.admin_cidrs](1))');
    expect(r.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'variables.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 14, endLine: 2, endColumn: 25 } }, message: { text: '0.0.0.0/0 comes from the default of var.admin_cidrs' } },
    ]);
  });

  it('escapes brackets of the message text when it links related locations', () => {
    const location = { file: 'a.tf', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2, startOffset: 0, endOffset: 1 } };
    expect(linkedMessage({ message: 'aws_security_group_rule.x["a"] exposes', related: [{ location, message: 'the [value] comes from local.a' }] })).toBe(
      'aws_security_group_rule.x\\["a"\\] exposes ([the \\[value\\] from local.a](1))',
    );
    expect(linkedMessage({ message: 'plain [text]', related: [] })).toBe('plain [text]');
  });
});
