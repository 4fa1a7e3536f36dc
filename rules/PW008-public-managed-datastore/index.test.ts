import { describe, expect, it } from 'vitest';
import { expectRuleFindings, relatedOf } from '../../test/helpers/rule-tester.js';

describe('PW008 public-managed-datastore', () => {
  it('fires on PubliclyAccessible RDS and open OpenSearch/Elasticsearch domains in CloudFormation', async () => {
    const findings = await expectRuleFindings('PW008', 'cloudformation', [
      ['datastores.yaml', 15, 27, 15, 31],
      ['datastores.yaml', 20, 27, 20, 38],
      ['datastores.yaml', 40, 20, 40, 23],
      ['datastores.yaml', 47, 23, 47, 91],
    ]);
    expect(findings[0]!.message).toBe('AWS::RDS::DBInstance OrdersDb (RDS postgres) is publicly reachable: PubliclyAccessible is true');
    // `!Ref Public` is where the flag is set; the parameter's Default is related.
    expect(findings.map(relatedOf)).toEqual([[], [['datastores.yaml', 5, 14, 5, 20, 'true comes from the default of parameter Public']], [], []]);
  });

  it('fires on publicly_accessible RDS/Redshift and open OpenSearch/Elasticsearch domains in Terraform', async () => {
    const findings = await expectRuleFindings('PW008', 'terraform', [
      ['rds.tf', 6, 3, 6, 29],
      ['rds.tf', 28, 3, 28, 31],
      ['search.tf', 11, 29, 11, 32],
      ['search.tf', 62, 42, 62, 45],
      ['search.tf', 79, 22, 79, 25],
    ]);
    expect(findings[0]!.message).toContain('aws_db_instance.reporting (Amazon RDS instance (postgres)) is publicly reachable');
  });
});
