import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { at, byId, run, textAt } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
});

/** "id public location" for each managed datastore of a fixture folder. */
function datastores(folder: string): string[] {
  const result = run(folder);
  expect(result.parseFailures).toEqual([]);
  return result.datastores.map((d) => `${d.id} ${d.public} ${at(d.location)}`);
}

describe('PW008 managed datastores (AWS)', () => {
  it('finds publicly accessible RDS/Aurora/Redshift and open OpenSearch/Elasticsearch domains', () => {
    // Not listed: aws_db_instance.internal (false), the domain restricted by source IP,
    // the domain inside a VPC.
    expect(datastores('datastores-aws')).toEqual([
      'tf:datastores-aws/rds.tf:aws_db_instance.reporting:public yes datastores-aws/rds.tf:6:3-6:29',
      'tf:datastores-aws/rds.tf:aws_rds_cluster_instance.aurora[0]:public unknown datastores-aws/rds.tf:22:3-22:42',
      'tf:datastores-aws/rds.tf:aws_rds_cluster_instance.aurora[1]:public unknown datastores-aws/rds.tf:22:3-22:42',
      'tf:datastores-aws/rds.tf:aws_redshift_cluster.warehouse:public yes datastores-aws/rds.tf:28:3-28:31',
      'tf:datastores-aws/search.tf:aws_opensearch_domain.logs:public yes datastores-aws/search.tf:11:29-11:32',
      'tf:datastores-aws/search.tf:aws_elasticsearch_domain.legacy:public yes datastores-aws/search.tf:62:42-62:45',
      'tf:datastores-aws/search.tf:aws_opensearch_domain.documented:public yes datastores-aws/search.tf:79:22-79:25',
    ]);
  });

  it('points at the attribute or the "*" principal that makes it public, and says why', () => {
    const result = run('datastores-aws');
    const rds = byId(result.datastores, 'tf:datastores-aws/rds.tf:aws_db_instance.reporting:public');
    expect(textAt(rds.location)).toBe('publicly_accessible = true');
    expect(rds.kind).toBe('Amazon RDS instance (postgres)');
    const aurora = byId(result.datastores, 'tf:datastores-aws/rds.tf:aws_rds_cluster_instance.aurora[0]:public');
    expect(aurora.reason).toBe('publicly_accessible is unknown: var.aurora_public has no default');
    // jsonencode() policy, heredoc policy in a separate resource, aws_iam_policy_document: all at the "*".
    for (const id of ['aws_opensearch_domain.logs', 'aws_elasticsearch_domain.legacy', 'aws_opensearch_domain.documented']) {
      const domain = byId(result.datastores, `tf:datastores-aws/search.tf:${id}:public`);
      expect(textAt(domain.location)).toBe('"*"');
      expect(domain.reason).toBe('it is outside a VPC and the access policy allows Principal "*" without a condition');
    }
  });
});

describe('PW008 managed datastores (GCP, Azure)', () => {
  it('finds Cloud SQL open to 0.0.0.0/0, Azure servers with an all-addresses firewall rule, open Cosmos DB', () => {
    // Not listed: the Cloud SQL instance without public IPv4, the SQL server with public access
    // disabled, the MySQL server whose rule admits Azure services only, the filtered Cosmos DB.
    expect(datastores('datastores-gcp-azure')).toEqual([
      'tf:datastores-gcp-azure/azure.tf:azurerm_postgresql_server.orders:public yes datastores-gcp-azure/azure.tf:14:3-14:42',
      'tf:datastores-gcp-azure/azure.tf:azurerm_redis_cache.sessions:public unknown datastores-gcp-azure/azure.tf:62:3-62:41',
      'tf:datastores-gcp-azure/azure.tf:azurerm_cosmosdb_account.catalog:public yes datastores-gcp-azure/azure.tf:65:1-65:46',
      'tf:datastores-gcp-azure/sql.tf:google_sql_database_instance.main:public yes datastores-gcp-azure/sql.tf:20:19-20:44',
    ]);
    const result = run('datastores-gcp-azure');
    const sql = byId(result.datastores, 'tf:datastores-gcp-azure/sql.tf:google_sql_database_instance.main:public');
    // The network comes from a dynamic block over a variable default: located where the block
    // uses it, with the for_each and the default as hops.
    expect(textAt(sql.location)).toBe('authorized_networks.value');
    expect(sql.via?.map((h) => [at(h.location), h.note])).toEqual([
      ['datastores-gcp-azure/sql.tf:17:20-17:36', '0.0.0.0/0 comes from the for_each of dynamic "authorized_networks"'],
      ['datastores-gcp-azure/sql.tf:46:16-46:27', '0.0.0.0/0 comes from the default of var.sql_networks'],
    ]);
    const redis = byId(result.datastores, 'tf:datastores-gcp-azure/azure.tf:azurerm_redis_cache.sessions:public');
    expect(redis.reason).toBe('firewall rule azurerm_redis_firewall_rule.open may admit every address: var.redis_end_ip has no default');
  });
});
