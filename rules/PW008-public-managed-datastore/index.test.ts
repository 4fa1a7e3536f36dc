import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW008 public-managed-datastore', () => {
  it('fires on PubliclyAccessible RDS and open OpenSearch/Elasticsearch domains in CloudFormation', async () => {
    const findings = await expectRuleFindings('PW008', 'cloudformation', [
      ['datastores.yaml', 5, 14, 5, 20],
      ['datastores.yaml', 15, 27, 15, 31],
      ['datastores.yaml', 40, 20, 40, 23],
      ['datastores.yaml', 47, 23, 47, 91],
    ]);
    expect(findings[1]!.message).toBe('AWS::RDS::DBInstance OrdersDb (RDS postgres) is publicly reachable: PubliclyAccessible is true');
  });
});
