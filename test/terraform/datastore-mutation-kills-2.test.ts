/**
 * More managed datastore near misses for the survivors of a full mutation run over
 * src/formats/terraform/adapters/datastores.ts (issue #18): MSK public access, RDS flags,
 * OpenSearch without policies, Cloud SQL authorized networks, Azure database firewall rules
 * (linked by name, by the only server, or standing alone) and Cosmos DB filters. Each case runs
 * the real parser, adapter and rules, and asserts every finding (rule, file, line, column,
 * message, related locations) and notification.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.tf': text });
const notices = (result: Result) => result.notifications.map((n) => n.message);
import { beforeAll } from 'vitest';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { runFiles, sourceFile } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
});

describe('OpenSearch domain without policies', () => {
  it('a domain outside a VPC with no access policy is not handed to the model as a managed datastore', async () => {
    const text = 'resource "aws_opensearch_domain" "logs" {\n  domain_name = "logs"\n}\n';
    expect(judged(await lint(text))).toEqual([]);
    expect(runFiles([sourceFile('main.tf', text)]).datastores).toEqual([]);
  });
});

describe("Azure database firewall rules: which server a rule belongs to", () => {
  it("an unresolved server_name with two servers of the type belongs to neither: the rule itself is PW008", async () => {
    const result = await lint(`variable "server" {}

resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_server" "b" {
  name                = "pg-b"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = var.server
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 24, "column": 3, "endLine": 24, "endColumn": 42, "message": "azurerm_postgresql_firewall_rule.all (Azure Database for PostgreSQL server) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server var.server", "subjects": ["tf:main.tf:azurerm_postgresql_firewall_rule.all:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule naming another server is not the only server's: the rule itself is PW008", async () => {
    const result = await lint(`resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = "pg-other"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 14, "column": 3, "endLine": 14, "endColumn": 42, "message": "azurerm_postgresql_firewall_rule.all (Azure Database for PostgreSQL server) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server pg-other", "subjects": ["tf:main.tf:azurerm_postgresql_firewall_rule.all:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a server's rule without start_ip_address admits no known range: no finding, nothing fails", async () => {
    const result = await lint(`resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_firewall_rule" "nostart" {
  name                = "nostart"
  resource_group_name = "rg"
  server_name         = azurerm_postgresql_server.a.name
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("a server's rule with an unresolved start up to 255.255.255.255 is PW010 for the server", async () => {
    const result = await lint(`variable "start" {}

resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_firewall_rule" "maybe" {
  name                = "maybe"
  resource_group_name = "rg"
  server_name         = azurerm_postgresql_server.a.name
  start_ip_address    = var.start
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 16, "column": 3, "endLine": 16, "endColumn": 42, "message": "azurerm_postgresql_server.a (Azure Database for PostgreSQL server) may be publicly reachable: firewall rule azurerm_postgresql_firewall_rule.maybe may admit every address: var.start has no default", "subjects": ["tf:main.tf:azurerm_postgresql_server.a:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an all-addresses rule with public network access from an unset variable is PW010, not PW008", async () => {
    const result = await lint(`variable "pna" {}

resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
  public_network_access_enabled = var.pna
}

resource "azurerm_postgresql_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = azurerm_postgresql_server.a.name
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 17, "column": 3, "endLine": 17, "endColumn": 42, "message": "azurerm_postgresql_server.a (Azure Database for PostgreSQL server) may be publicly reachable: firewall rule azurerm_postgresql_firewall_rule.all may admit every address: var.pna has no default", "subjects": ["tf:main.tf:azurerm_postgresql_server.a:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule outside any server with an unresolved start up to 255.255.255.255 is PW010 for the rule", async () => {
    const result = await lint(`variable "start" {}


resource "azurerm_postgresql_firewall_rule" "maybe" {
  name                = "maybe"
  resource_group_name = "rg"
  server_name         = "pg-elsewhere"
  start_ip_address    = var.start
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 9, "column": 3, "endLine": 9, "endColumn": 42, "message": "azurerm_postgresql_firewall_rule.maybe (Azure Database for PostgreSQL server) may be publicly reachable: it may admit every address to server pg-elsewhere: var.start has no default", "subjects": ["tf:main.tf:azurerm_postgresql_firewall_rule.maybe:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});

describe("Cosmos DB virtual network filter", () => {
  it("is_virtual_network_filter_enabled = true filters; false leaves every network: PW008 at the header", async () => {
    const result = await lint(`resource "azurerm_cosmosdb_account" "filtered" {
  name                              = "filtered"
  location                          = "westeurope"
  resource_group_name               = "rg"
  offer_type                        = "Standard"
  is_virtual_network_filter_enabled = true
}

resource "azurerm_cosmosdb_account" "open" {
  name                              = "open"
  location                          = "westeurope"
  resource_group_name               = "rg"
  offer_type                        = "Standard"
  is_virtual_network_filter_enabled = false
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 9, "column": 1, "endLine": 9, "endColumn": 43, "message": "azurerm_cosmosdb_account.open (Azure Cosmos DB account) is publicly reachable: no ip_range_filter or virtual network filter is set, so every network may connect", "subjects": ["tf:main.tf:azurerm_cosmosdb_account.open:public"], "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});
