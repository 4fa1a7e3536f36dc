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

  it('fires on publicly_accessible RDS/Redshift/Aurora and an open OpenSearch domain in Terraform, not with the flag false, a SourceIp condition or a VPC', async () => {
    const findings = await expectRuleFindings('PW008', 'terraform', [
      ['main.tf', 8, 3, 8, 29],
      ['main.tf', 23, 3, 23, 31],
      ['main.tf', 31, 58, 31, 61],
      ['main.tf', 68, 3, 68, 45],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'aws_db_instance.orders (Amazon RDS instance (postgres)) is publicly reachable: publicly_accessible = true gives it a public address',
      'aws_redshift_cluster.warehouse (Amazon Redshift cluster) is publicly reachable: publicly_accessible = true gives it a public address',
      'aws_opensearch_domain.logs (Amazon OpenSearch domain) is publicly reachable: it is outside a VPC and the access policy allows Principal "*" without a condition',
      'aws_rds_cluster_instance.reporting (Amazon Aurora instance (aurora-postgresql)) is publicly reachable: publicly_accessible = true gives it a public address',
    ]);
    // The Aurora flag is a variable: reported at the use, its default related.
    expect(findings.map(relatedOf)).toEqual([[], [], [], [['main.tf', 73, 13, 73, 17, 'true comes from the default of var.reporting_public']]]);
  });
});
