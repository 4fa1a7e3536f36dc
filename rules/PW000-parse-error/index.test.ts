import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';
import { lintTree, views } from '../../test/helpers/index.js';

describe('PW000 parse-error', () => {
  it('points at the unterminated string in a compose file', async () => {
    const [f] = await expectRuleFindings('PW000', 'compose', [['docker-compose.yml', 5, 9, 5, 29]]);
    expect(f!.message).toBe('invalid YAML: Missing closing "quote');
  });

  it('reports a broken file and still checks the others', async () => {
    const r = await lintTree({
      'a/compose.yaml': 'services:\n  db:\n    image: postgres\n    ports: [5432\n',
      'b/compose.yaml': 'services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n',
    });
    expect(views(r).map((v) => [v.ruleId, v.file])).toEqual([
      ['PW000', 'a/compose.yaml'],
      ['PW004', 'b/compose.yaml'],
    ]);
  });

  it('reports a port mapping Compose would reject at the entry', async () => {
    const r = await lintTree({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:http"\n' });
    expect(views(r)).toEqual([{ ruleId: 'PW000', file: 'compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 18 }]);
    expect(r.findings[0]!.message).toBe('invalid port mapping "80:http" of service \'web\': "http" is not a container port');
  });

  it('points at the misindented sequence item of a manifest', async () => {
    await expectRuleFindings('PW000', 'kubernetes', [['deployment.yaml', 13, 10, 13, 11]]);
  });

  it('points at the place a Terraform file stops parsing', async () => {
    const [f] = await expectRuleFindings('PW000', 'terraform', [['main.tf', 8, 3, 8, 4]]);
    expect(f!.message).toBe('syntax error: missing "]"');
  });

  it('points at the unterminated string of a CloudFormation template', async () => {
    const [f] = await expectRuleFindings('PW000', 'cloudformation', [['template.yaml', 7, 25, 7, 37]]);
    expect(f!.message).toBe('invalid YAML: Missing closing "quote');
    expect(f!.related).toEqual([]);
  });

  it('points at the misplaced brace of cloud CLI JSON output', async () => {
    const [f] = await expectRuleFindings('PW000', 'cloud-json', [['aws-security-groups.json', 13, 7, 13, 8]]);
    expect(f!.message).toBe('invalid JSON: expected "," or "]", found "}"');
    expect(f!.related).toEqual([]);
  });

  it('points at the unterminated string of a datastore config file', async () => {
    const [f] = await expectRuleFindings('PW000', 'datastore-config', [['elasticsearch.yml', 2, 15, 2, 25]]);
    expect(f!.message).toBe('invalid YAML: Missing closing "quote');
    expect(f!.related).toEqual([]);
  });
});
