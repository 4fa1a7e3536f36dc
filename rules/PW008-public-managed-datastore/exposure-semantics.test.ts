/**
 * PW008 cases: Azure firewall rules of servers declared elsewhere, public switches of more managed datastores.
 * Each case is a folder of fixtures/{valid,invalid}/<format>/ named after it; the valid one is
 * the invalid one's near miss (issue 13 and the mutation survivors of issue 18).
 */
import { describe, expect, it } from 'vitest';
import { expectCaseFindings, expectCaseSilent } from '../../test/helpers/rule-tester.js';

describe('PW008 exposure semantics', () => {
  it('reports the public switch of Neptune, RDS Multi-AZ clusters, Redshift Serverless, Lightsail databases, MSK; Amazon MQ, Redshift Serverless and MSK in CloudFormation', async () => {
    const findings = await expectCaseFindings('PW008', 'cloudformation', 'public-switches', [
      ['template.yaml', 13, 27, 13, 31],
      ['template.yaml', 22, 27, 22, 31],
      ['template.yaml', 34, 19, 34, 40],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "AWS::AmazonMQ::Broker Broker (Amazon MQ broker, engine RABBITMQ) is publicly reachable: PubliclyAccessible is true",
      "AWS::RedshiftServerless::Workgroup Workgroup (Redshift Serverless workgroup) is publicly reachable: PubliclyAccessible is true",
      "AWS::MSK::Cluster Events (MSK cluster) is publicly reachable: PublicAccess Type SERVICE_PROVIDED_EIPS gives the brokers public addresses",
    ]);
  });

  it('reports an Azure database firewall rule admitting 0.0.0.0-255.255.255.255 at the rule when the server is a data source, a variable or a module output', async () => {
    const findings = await expectCaseFindings('PW008', 'terraform', 'azure-firewall-rule-any-server', [
      ['main.tf', 21, 3, 21, 39],
      ['main.tf', 28, 3, 28, 39],
      ['main.tf', 35, 3, 35, 39],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "azurerm_mssql_firewall_rule.from_data_source (Azure SQL server) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server data.azurerm_mssql_server.shared.id",
      "azurerm_mssql_firewall_rule.from_variable (Azure SQL server) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server var.sql_server_id",
      "azurerm_postgresql_flexible_server_firewall_rule.from_module (Azure Database for PostgreSQL flexible server) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server /subscriptions/0000/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg",
    ]);
  });

  it('reports the public switch of Neptune, RDS Multi-AZ clusters, Redshift Serverless, Lightsail databases, MSK; Amazon MQ, Redshift Serverless and MSK in CloudFormation', async () => {
    const findings = await expectCaseFindings('PW008', 'terraform', 'public-switches', [
      ['main.tf', 5, 3, 5, 29],
      ['main.tf', 15, 3, 15, 35],
      ['main.tf', 21, 3, 21, 29],
      ['main.tf', 31, 3, 31, 34],
      ['main.tf', 50, 9, 50, 39],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "aws_neptune_cluster_instance.graph (Amazon Neptune instance) is publicly reachable: publicly_accessible = true gives it a public address",
      "aws_rds_cluster.orders (Amazon RDS Multi-AZ DB cluster (postgres)) is publicly reachable: publicly_accessible = true gives it a public address",
      "aws_redshiftserverless_workgroup.analytics (Amazon Redshift Serverless workgroup) is publicly reachable: publicly_accessible = true gives it a public address",
      "aws_lightsail_database.blog (Amazon Lightsail database) is publicly reachable: publicly_accessible = true gives it a public address",
      "aws_msk_cluster.events (Amazon MSK cluster) is publicly reachable: public_access type SERVICE_PROVIDED_EIPS gives the brokers public addresses",
    ]);
  });

  it('stays silent with the same switches off', async () => {
    await expectCaseSilent('PW008', 'cloudformation', 'public-switches-near-miss');
  });

  it('stays silent for 0.0.0.0-0.0.0.0 (Azure services only)', async () => {
    await expectCaseSilent('PW008', 'terraform', 'azure-firewall-rule-any-server-near-miss');
  });

  it('stays silent with the same switches off', async () => {
    await expectCaseSilent('PW008', 'terraform', 'public-switches-near-miss');
  });
});
