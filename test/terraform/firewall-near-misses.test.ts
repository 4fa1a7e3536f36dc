/**
 * Terraform firewall near misses, written for survivors of the adapters' mutation sample
 * (issue #18) in src/formats/terraform/adapters/{aws,azure,gcp,common}.ts: an unresolved
 * protocol is PW010 (never silent, never a guess), a portless protocol opens no port, an empty
 * Azure prefix next to a prefix list is no source, a standalone Azure rule is named by its
 * address, a GCP deny mixing target tags and service accounts (GCP rejects it) shadows nothing
 * while a deny on the same tag does, and an allow split by a deny yields one finding per piece.
 * Also: a protocol that is a list, ESP in VPC ingress rules and network ACLs, a standalone Azure
 * rule linked by NSG name (and its name in a priority tie), an OpenSearch domain policy linked
 * by the domain_name string.
 * Each finding asserts rule, file, line, column, message and related locations.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.tf': text });

const sgRule = (protocol: string, extra = '  cidr_blocks       = ["0.0.0.0/0"]\n') => `variable "proto" {}

resource "aws_security_group_rule" "redis" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = ${protocol}
  from_port         = 6379
  to_port           = 6379
${extra}}
`;
const nsg = (rule: string) => `resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
${rule}}
`;
const azRule = (attrs: string) => `  security_rule {
    name                       = "r1"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    destination_port_range     = "6379"
    destination_address_prefix = "*"
    source_port_range          = "*"
${attrs}  }
`;
const fw = (name: string, priority: number, body: string) => `resource "google_compute_firewall" "${name}" {
  name          = "${name}"
  network       = "default"
  priority      = ${priority}
  source_ranges = ["0.0.0.0/0"]
${body}}
`;
const SPLIT = `resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-ssh-v4"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "allow-all"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefixes    = ["0.0.0.0/0", "::/0"]
    destination_address_prefix = "*"
  }
}
`;

describe('AWS security group rules', () => {
  it('an unresolved protocol with a source is PW010 at the source, naming the variable', async () => {
    expect(judged(await lint(sgRule('var.proto')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 9, column: 24, endLine: 9, endColumn: 35, message: 'aws_security_group_rule.redis opens unresolved ports (var.proto has no default) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('an unresolved protocol without any source opens nothing', async () => {
    const result = await lint(sgRule('var.proto', ''));
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('ESP (protocol 50 or "esp") has no ports: nothing is opened, nothing fails', async () => {
    for (const protocol of ['"50"', '"esp"']) {
      const result = await lint(sgRule(protocol));
      expect(result.findings).toEqual([]);
      expect(result.notifications).toEqual([]);
    }
  });
});

describe('Azure network security rules', () => {
  it('an empty source_address_prefix next to source_address_prefixes is no source', async () => {
    const result = await lint(nsg(azRule('    protocol = "Tcp"\n    source_address_prefix = ""\n    source_address_prefixes = ["0.0.0.0/0"]\n')));
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 15, column: 32, endLine: 15, endColumn: 43, message: 'azurerm_network_security_group.nsg exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
    expect(result.notifications).toEqual([]);
  });

  it('a rule of a portless protocol (Esp) opens nothing, and an NSG without rules is fine', async () => {
    for (const text of [nsg(azRule('    protocol = "Esp"\n    source_address_prefix = "*"\n')), nsg('')]) {
      const result = await lint(text);
      expect(result.findings).toEqual([]);
      expect(result.notifications).toEqual([]);
    }
  });

  it('a standalone azurerm_network_security_rule is named by its address', async () => {
    const result = await lint(`resource "azurerm_network_security_rule" "redis" {
  name                        = "redis"
  resource_group_name         = "rg"
  network_security_group_name = "other"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "6379"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
`);
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 11, column: 33, endLine: 11, endColumn: 36, message: 'azurerm_network_security_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
  });

  it('an allow split by an IPv4-only deny: one finding per piece, each at its own prefix', async () => {
    const result = await lint(SPLIT);
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'main.tf', line: 24, column: 35, endLine: 24, endColumn: 46,
        message: 'azurerm_network_security_group.nsg exposes SQL Server 1433, Oracle 1521, ZooKeeper 2181 and 26 more datastore ports on ports 0-21, 23-65535/tcp to the internet (source: 0.0.0.0/0)', related: [],
      },
      { ruleId: 'PW007', file: 'main.tf', line: 24, column: 48, endLine: 24, endColumn: 54, message: 'azurerm_network_security_group.nsg allows all ports (tcp) from the internet (source: ::/0)', related: [] },
    ]);
  });
});

describe('GCP firewall targets', () => {
  const allowDb = fw('allow-db', 200, '  target_tags = ["db"]\n  allow {\n    protocol = "tcp"\n    ports    = ["6379"]\n  }\n');
  const denyDb = (targets: string) => fw('deny-db', 100, `${targets}  deny {\n    protocol = "tcp"\n    ports    = ["6379"]\n  }\n`);

  it('a deny mixing target tags and service accounts shadows nothing', async () => {
    const result = await lint(denyDb('  target_tags             = ["db"]\n  target_service_accounts = ["sa@p.iam.gserviceaccount.com"]\n') + '\n' + allowDb);
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 18, column: 20, endLine: 18, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('a deny on the same tag closes the allow', async () => {
    const result = await lint(denyDb('  target_tags             = ["db"]\n') + '\n' + allowDb);
    expect(result.findings).toEqual([]);
  });

  it('a dynamic allow block over an unset variable is PW010 naming the variable', async () => {
    const result = await lint('variable "rules" {}\n\n' + fw('allow-dyn', 200, '  dynamic "allow" {\n    for_each = var.rules\n    content {\n      protocol = allow.value.protocol\n      ports    = allow.value.ports\n    }\n  }\n'));
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 7, column: 20, endLine: 7, endColumn: 31, message: 'google_compute_firewall.allow-dyn opens unresolved ports (var.rules has no default) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });
});

describe('more AWS and Azure near misses', () => {
  it('a protocol that is a list is PW010 saying so', async () => {
    expect(judged(await lint(`resource "aws_security_group_rule" "redis" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = ["tcp"]
  from_port         = 6379
  to_port           = 6379
  cidr_blocks       = ["0.0.0.0/0"]
}
`))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 7, column: 24, endLine: 7, endColumn: 35, message: 'aws_security_group_rule.redis opens unresolved ports (the protocol is a list) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('an aws_vpc_security_group_ingress_rule for ESP (50) opens nothing, and nothing fails', async () => {
    const result = await lint(`resource "aws_vpc_security_group_ingress_rule" "esp" {
  security_group_id = "sg-1"
  ip_protocol       = "50"
  cidr_ipv4         = "0.0.0.0/0"
}
`);
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  const standalone = `resource "azurerm_network_security_group" "a" {
  name                = "nsg-a"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-all"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "redis" {
  name                        = "redis"
  resource_group_name         = "rg"
  network_security_group_name = "NSGNAME"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "6379"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
`;
  it('a standalone rule naming another NSG is not closed by this NSG\'s deny', async () => {
    expect(judged(await lint(standalone.replace('NSGNAME', 'nsg-b')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 28, column: 33, endLine: 28, endColumn: 36, message: 'azurerm_network_security_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
  });

  it('a standalone rule naming this NSG is closed by its earlier deny', async () => {
    const result = await lint(standalone.replace('NSGNAME', 'nsg-a'));
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });
});

describe('AWS network ACL and OpenSearch domain policy near misses', () => {
  it('a network ACL allow for ESP (50) opens no port, and nothing fails', async () => {
    const result = await lint(`resource "aws_network_acl" "acl" {
  vpc_id = "vpc-1"
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "50"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}
`);
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  const domain = (policyDomain: string) => `resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
}

resource "aws_opensearch_domain_policy" "logs" {
  domain_name     = ${policyDomain}
  access_policies = <<-EOT
    {
      "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "es:ESHttpGet"}
      ]
    }
  EOT
}
`;
  it('an aws_opensearch_domain_policy naming the domain by its domain_name string applies to it (PW008 at the principal)', async () => {
    expect(judged(await lint(domain('"logs"')))).toEqual([
      {
        ruleId: 'PW008', file: 'main.tf', line: 10, column: 42, endLine: 10, endColumn: 45,
        message: 'aws_opensearch_domain.logs (Amazon OpenSearch domain) is publicly reachable: it is outside a VPC and the access policy allows Principal "*" without a condition', related: [],
      },
    ]);
  });

  it('a domain policy for another domain_name does not', async () => {
    const result = await lint(domain('"other"'));
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });
});

describe('Azure priority ties', () => {
  it('a standalone allow tied with an inline deny is PW010, naming the allow by its address and the deny by its name', async () => {
    expect(judged(await lint(`resource "azurerm_network_security_group" "a" {
  name                = "nsg-a"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-redis"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "6379"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "redis" {
  name                        = "redis"
  resource_group_name         = "rg"
  network_security_group_name = "nsg-a"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "6379"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
`))).toEqual([
      {
        ruleId: 'PW010', file: 'main.tf', line: 28, column: 33, endLine: 28, endColumn: 36,
        message: 'azurerm_network_security_rule.redis opens unresolved ports (allow azurerm_network_security_rule.redis and deny "deny-redis" share priority 200, which Azure rejects) to the internet (source: *)',
        related: [],
      },
    ]);
  });
});
