/**
 * Managed datastore near misses for the survivors of a full mutation run over
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
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.tf': text });
const notices = (result: Result) => result.notifications.map((n) => n.message);

describe("AWS managed datastores", () => {
  it("an MSK public_access block without type gives no public address and fails nothing", async () => {
    const result = await lint(`resource "aws_msk_cluster" "events" {
  cluster_name = "events"
  broker_node_group_info {
    instance_type = "kafka.m5.large"
    connectivity_info {
      public_access {
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an MSK public_access type from an unset variable is PW010 at the type", async () => {
    const result = await lint(`variable "access" {}

resource "aws_msk_cluster" "events" {
  cluster_name = "events"
  broker_node_group_info {
    instance_type = "kafka.m5.large"
    connectivity_info {
      public_access {
        type = var.access
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 9, "column": 9, "endLine": 9, "endColumn": 26, "message": "aws_msk_cluster.events (Amazon MSK cluster) may be publicly reachable: public_access type is unknown: var.access has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an RDS instance without publicly_accessible is private (the provider default) and fails nothing", async () => {
    const result = await lint(`resource "aws_db_instance" "db" {
  identifier     = "db"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an OpenSearch domain outside a VPC without any access policy is no finding", async () => {
    const result = await lint(`resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });
});

describe("Cloud SQL authorized networks", () => {
  it("an authorized network without value is skipped; the next one of 0.0.0.0/0 is PW008 at its value", async () => {
    const result = await lint(`resource "google_sql_database_instance" "db" {
  name             = "db"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      authorized_networks {
        name = "office"
      }
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 12, "column": 17, "endLine": 12, "endColumn": 28, "message": "google_sql_database_instance.db (Cloud SQL instance) is publicly reachable: authorized network 0.0.0.0/0 admits every address to its public IP", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an authorized network from an unset variable is PW010 at the value", async () => {
    const result = await lint(`variable "cidr" {}

resource "google_sql_database_instance" "db" {
  name             = "db"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      authorized_networks {
        name  = "office"
        value = var.cidr
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 11, "column": 17, "endLine": 11, "endColumn": 25, "message": "google_sql_database_instance.db (Cloud SQL instance) may be publicly reachable: an authorized network is unknown: var.cidr has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("::/0 and 10.0.0.0/8 are not the IPv4 internet the public IP serves: no finding", async () => {
    const result = await lint(`resource "google_sql_database_instance" "db" {
  name             = "db"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      authorized_networks {
        name  = "v6"
        value = "::/0"
      }
      authorized_networks {
        name  = "office"
        value = "10.0.0.0/8"
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("0.0.0.0/0 with ipv4_enabled from an unset variable is PW010, not PW008", async () => {
    const result = await lint(`variable "public_ip" {}

resource "google_sql_database_instance" "db" {
  name             = "db"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = var.public_ip
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 12, "column": 17, "endLine": 12, "endColumn": 28, "message": "google_sql_database_instance.db (Cloud SQL instance) may be publicly reachable: authorized network 0.0.0.0/0, and ipv4_enabled is unknown: var.public_ip has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});

describe("Azure database firewall rules", () => {
  it("a rule naming its server by the name string belongs to that server only (PW008 for pg-b)", async () => {
    const result = await lint(`resource "azurerm_postgresql_server" "a" {
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
  server_name         = "pg-b"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 22, "column": 3, "endLine": 22, "endColumn": 42, "message": "azurerm_postgresql_server.b (Azure Database for PostgreSQL server) is publicly reachable: firewall rule azurerm_postgresql_firewall_rule.all admits 0.0.0.0-255.255.255.255 and public network access is enabled by default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule whose server_name is unresolved belongs to the only server of its type in the module", async () => {
    const result = await lint(`variable "server" {}

resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
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
      {"ruleId": "PW008", "file": "main.tf", "line": 16, "column": 3, "endLine": 16, "endColumn": 42, "message": "azurerm_postgresql_server.a (Azure Database for PostgreSQL server) is publicly reachable: firewall rule azurerm_postgresql_firewall_rule.all admits 0.0.0.0-255.255.255.255 and public network access is enabled by default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an all-addresses rule for a server outside the module is itself PW008 (Redis start_ip/end_ip)", async () => {
    const result = await lint(`resource "azurerm_redis_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  redis_cache_name    = "cache-elsewhere"
  start_ip            = "0.0.0.0"
  end_ip              = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 6, "column": 3, "endLine": 6, "endColumn": 42, "message": "azurerm_redis_firewall_rule.all (Azure Cache for Redis) is publicly reachable: it admits 0.0.0.0-255.255.255.255 to server cache-elsewhere", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule for a server outside the module with an unresolved end from 0.0.0.0 is PW010", async () => {
    const result = await lint(`variable "end" {}

resource "azurerm_postgresql_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = "pg-elsewhere"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = var.end
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 8, "column": 3, "endLine": 8, "endColumn": 32, "message": "azurerm_postgresql_firewall_rule.all (Azure Database for PostgreSQL server) may be publicly reachable: it may admit every address to server pg-elsewhere: var.end has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a rule starting at 10.0.0.1 with an unresolved end cannot admit everyone: no finding", async () => {
    const result = await lint(`variable "end" {}

resource "azurerm_postgresql_firewall_rule" "office" {
  name                = "office"
  resource_group_name = "rg"
  server_name         = "pg-elsewhere"
  start_ip_address    = "10.0.0.1"
  end_ip_address      = var.end
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("a server's rule with an unresolved end is PW010 for the server, at the end address", async () => {
    const result = await lint(`variable "end" {}

resource "azurerm_postgresql_server" "a" {
  name                = "pg-a"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "B_Gen5_1"
  version             = "11"
}

resource "azurerm_postgresql_firewall_rule" "office" {
  name                = "office"
  resource_group_name = "rg"
  server_name         = azurerm_postgresql_server.a.name
  start_ip_address    = "10.0.0.1"
  end_ip_address      = var.end
}

resource "azurerm_postgresql_firewall_rule" "maybe" {
  name                = "maybe"
  resource_group_name = "rg"
  server_name         = azurerm_postgresql_server.a.name
  start_ip_address    = var.end
  end_ip_address      = "255.255.255.255"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 16, "column": 3, "endLine": 16, "endColumn": 32, "message": "azurerm_postgresql_server.a (Azure Database for PostgreSQL server) may be publicly reachable: firewall rule azurerm_postgresql_firewall_rule.office may admit every address: var.end has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});

describe("Cosmos DB network filters", () => {
  it("public network access disabled: no finding", async () => {
    const result = await lint(`resource "azurerm_cosmosdb_account" "db" {
  name                          = "db"
  location                      = "westeurope"
  resource_group_name           = "rg"
  offer_type                    = "Standard"
  public_network_access_enabled = false
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an ip_range_filter with an empty item and a private range filters: no finding", async () => {
    const result = await lint(`resource "azurerm_cosmosdb_account" "db" {
  name                = "db"
  location            = "westeurope"
  resource_group_name = "rg"
  offer_type          = "Standard"
  ip_range_filter     = ["", "10.0.0.0/8"]
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("an ip_range_filter of only an empty string filters nothing: PW008 at the header", async () => {
    const result = await lint(`resource "azurerm_cosmosdb_account" "db" {
  name                = "db"
  location            = "westeurope"
  resource_group_name = "rg"
  offer_type          = "Standard"
  ip_range_filter     = [""]
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW008", "file": "main.tf", "line": 1, "column": 1, "endLine": 1, "endColumn": 41, "message": "azurerm_cosmosdb_account.db (Azure Cosmos DB account) is publicly reachable: no ip_range_filter or virtual network filter is set, so every network may connect", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a virtual network filter flag from an unset variable is PW010 at the flag", async () => {
    const result = await lint(`variable "vnet" {}

resource "azurerm_cosmosdb_account" "db" {
  name                              = "db"
  location                          = "westeurope"
  resource_group_name               = "rg"
  offer_type                        = "Standard"
  is_virtual_network_filter_enabled = var.vnet
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW010", "file": "main.tf", "line": 8, "column": 39, "endLine": 8, "endColumn": 47, "message": "azurerm_cosmosdb_account.db (Azure Cosmos DB account) may be publicly reachable: its network filter is unknown: var.vnet has no default", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });
});
