/**
 * Azure managed datastores, near misses written for survivors of the adapters' mutation sample
 * (issue #18) in src/formats/terraform/adapters/datastores.ts: a flexible server in a delegated
 * subnet has no public endpoint unless public_network_access_enabled = true says otherwise (then
 * its open firewall rule decides), and a Cosmos DB account with public access explicitly on is
 * decided by its ip_range_filter, at the filter.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const flex = (attrs: string) => `resource "azurerm_postgresql_flexible_server" "db" {
  name                = "db"
  resource_group_name = "rg"
  location            = "westeurope"
${attrs}}

resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "all"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
`;
const cosmos = (attrs: string) => `resource "azurerm_cosmosdb_account" "db" {
  name                = "db"
  resource_group_name = "rg"
  location            = "westeurope"
  offer_type          = "Standard"
${attrs}}
`;
type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related }));
const lint = (text: string) => lintTree({ 'main.tf': text });

describe('azurerm_postgresql_flexible_server in a delegated subnet', () => {
  it('without public_network_access_enabled: no public endpoint, the open firewall rule does not matter', async () => {
    const result = await lint(flex('  delegated_subnet_id = "subnet-1"\n'));
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('with public_network_access_enabled = true: PW008 at the open rule\'s end address', async () => {
    expect(judged(await lint(flex('  public_network_access_enabled = true\n  delegated_subnet_id           = "subnet-1"\n')))).toEqual([
      {
        ruleId: 'PW008', file: 'main.tf', line: 13, column: 3, endLine: 13, endColumn: 39,
        message: 'azurerm_postgresql_flexible_server.db (Azure Database for PostgreSQL flexible server) is publicly reachable: firewall rule azurerm_postgresql_flexible_server_firewall_rule.all admits 0.0.0.0-255.255.255.255 and public network access is enabled',
        subjects: ['tf:main.tf:azurerm_postgresql_flexible_server.db:public'], related: [],
      },
    ]);
  });
});

describe('azurerm_cosmosdb_account', () => {
  it('public access on and ip_range_filter 0.0.0.0/0: PW008 at the filter entry', async () => {
    expect(judged(await lint(cosmos('  public_network_access_enabled = true\n  ip_range_filter               = ["0.0.0.0/0"]\n')))).toEqual([
      {
        ruleId: 'PW008', file: 'main.tf', line: 7, column: 36, endLine: 7, endColumn: 47,
        message: 'azurerm_cosmosdb_account.db (Azure Cosmos DB account) is publicly reachable: ip_range_filter admits 0.0.0.0/0',
        subjects: ['tf:main.tf:azurerm_cosmosdb_account.db:public'], related: [],
      },
    ]);
  });
});
