/**
 * Terraform adapter near misses written for the survivors of a full mutation run over
 * src/formats/terraform/adapters/{aws,azure,gcp,common,load-balancers,datastores}.ts (issue #18).
 * Each case goes through the real parser, the adapter and the rules, and asserts the findings
 * (rule, file, line, column, message, related locations) or that there are none; where the
 * decision only shows in the adapter's model (an exposure without sources opens nothing to
 * anyone, so no rule reports it), the model the format hands over is asserted too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';
import { describeExposure, runFiles, sourceFile } from './helpers.js';
import { initTerraform } from '../../src/formats/terraform/index.js';

beforeAll(async () => {
  await initTerraform();
});

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.tf': text });
/** The exposures the terraform format hands to the model, one line each. */
const model = (text: string) => runFiles([sourceFile('main.tf', text)]);
const exposures = (text: string) => model(text).exposures.map(describeExposure);
const notices = (result: Result) => result.notifications.map((n) => n.message);

describe('AWS security groups', () => {
  const inline = (rule: string) => `resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = "vpc-1"

  ingress {
${rule}  }
}
`;
  it('an inline ingress of a portless protocol (ESP) with a source opens nothing and fails nothing', async () => {
    const text = inline('    protocol    = "50"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n');
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(exposures(text)).toEqual([]);
  });

  it('an inline ingress without any source is no exposure, while the same rule with a CIDR is PW002', async () => {
    const bare = inline('    protocol  = "tcp"\n    from_port = 6379\n    to_port   = 6379\n');
    expect(exposures(bare)).toEqual([]);
    expect(judged(await lint(bare))).toEqual([]);
    const open = inline('    protocol    = "tcp"\n    from_port   = 6379\n    to_port     = 6379\n    cidr_blocks = ["0.0.0.0/0"]\n');
    expect(judged(await lint(open))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 9, column: 20, endLine: 9, endColumn: 31, message: 'aws_security_group.db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  const sgRule = (attrs: string) => `resource "aws_security_group_rule" "redis" {
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 6379
  to_port           = 6379
${attrs}}
`;
  it('an aws_security_group_rule without type is judged as ingress (PW002), not dropped or failed', async () => {
    const result = await lint(sgRule('  cidr_blocks       = ["0.0.0.0/0"]\n'));
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 6, column: 24, endLine: 6, endColumn: 35, message: 'aws_security_group_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
    expect(notices(result)).toEqual([]);
  });

  it('an aws_security_group_rule of type egress opens nothing; one of an unresolved type is judged as ingress', async () => {
    expect(judged(await lint(sgRule('  type              = "egress"\n  cidr_blocks       = ["0.0.0.0/0"]\n')))).toEqual([]);
    const unresolved = await lint(`variable "direction" {}\n\n${sgRule('  type              = var.direction\n  cidr_blocks       = ["0.0.0.0/0"]\n')}`);
    expect(judged(unresolved)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 9, column: 24, endLine: 9, endColumn: 35, message: 'aws_security_group_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('an aws_security_group_rule or aws_vpc_security_group_ingress_rule without a source is no exposure', async () => {
    const rule = sgRule('  type              = "ingress"\n');
    expect(exposures(rule)).toEqual([]);
    const vpc = `resource "aws_vpc_security_group_ingress_rule" "redis" {
  security_group_id = "sg-1"
  ip_protocol       = "tcp"
  from_port         = 6379
  to_port           = 6379
}
`;
    expect(exposures(vpc)).toEqual([]);
    expect(exposures(vpc.replace('  to_port', '  cidr_ipv4         = "0.0.0.0/0"\n  to_port'))).toEqual(['tf:main.tf:aws_vpc_security_group_ingress_rule.redis tcp:6379 <- 0.0.0.0/0@main.tf:5:23-5:34']);
  });
});

describe('AWS network ACL rules of an ACL outside the module', () => {
  const aclRules = (denyAcl: string, allowAcl: string) => `variable "acl_id" {}

resource "aws_network_acl_rule" "deny_redis" {
  network_acl_id = ${denyAcl}
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 6379
  to_port        = 6379
}

resource "aws_network_acl_rule" "allow_redis" {
  network_acl_id = ${allowAcl}
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 6379
  to_port        = 6379
}
`;
  const open = { ruleId: 'PW002', file: 'main.tf', line: 20, column: 20, endLine: 20, endColumn: 31, message: 'aws_network_acl_rule.allow_redis exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] };

  it('rules naming the same ACL id are judged together: the earlier deny closes the allow', async () => {
    const result = await lint(aclRules('"acl-0abc"', '"acl-0abc"'));
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it('rules naming different ACL ids are not: the allow is PW002', async () => {
    expect(judged(await lint(aclRules('"acl-0abc"', '"acl-0def"')))).toEqual([open]);
  });

  it('rules naming the same unresolved ACL id (var.acl_id) are judged together, unlike a written id', async () => {
    expect(judged(await lint(aclRules('var.acl_id', 'var.acl_id')))).toEqual([]);
    expect(judged(await lint(aclRules('var.acl_id', '"acl-0abc"')))).toEqual([open]);
  });
});

describe('AWS network ACL with unresolved ingress', () => {
  it('a dynamic ingress over an unset variable is PW010 naming the variable, at the CIDR', async () => {
    const result = await lint(`variable "rules" {}

resource "aws_network_acl" "public" {
  vpc_id = "vpc-1"

  dynamic "ingress" {
    for_each = var.rules
    content {
      rule_no    = ingress.value.rule_no
      action     = "allow"
      protocol   = "tcp"
      from_port  = ingress.value.port
      to_port    = ingress.value.port
      cidr_block = "0.0.0.0/0"
    }
  }
}
`);
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 14, column: 20, endLine: 14, endColumn: 31, message: 'aws_network_acl.public opens unresolved ports (var.rules has no default) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('an ingress list that is an unset variable is PW010 at the variable: an allow of unknown ports from an unknown source', async () => {
    const result = await lint(`variable "rules" {}

resource "aws_network_acl" "public" {
  vpc_id  = "vpc-1"
  ingress = var.rules
}
`);
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 5, column: 13, endLine: 5, endColumn: 22, message: 'aws_network_acl.public opens unresolved ports (var.rules has no default) to a source portwall cannot resolve: var.rules has no default', related: [] },
    ]);
  });
});

describe('Azure network security rules', () => {
  const nsg = (vars: string, rule: string) => `${vars}resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "r1"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    source_port_range          = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
${rule}  }
}
`;
  it('an unresolved protocol is PW010 naming the variable, at the source prefix', async () => {
    const result = await lint(nsg('variable "proto" {}\n\n', '    protocol                   = var.proto\n    destination_port_range     = "6379"\n'));
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 14, column: 34, endLine: 14, endColumn: 37, message: 'azurerm_network_security_group.nsg opens unresolved ports (var.proto has no default) to the internet (source: *)', related: [] },
    ]);
  });

  it('an ICMP rule without a destination port range opens no port (not "no destination port range is set")', async () => {
    const text = nsg('', '    protocol                   = "Icmp"\n');
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(exposures(text)).toEqual(['tf:main.tf:azurerm_network_security_group.nsg:security_rule[0] icmp: <- any(*)@main.tf:12:34-12:37']);
  });

  it('an unresolved destination port range is PW010 naming the variable', async () => {
    const result = await lint(nsg('variable "port" {}\n\n', '    protocol                   = "Tcp"\n    destination_port_range     = var.port\n'));
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 14, column: 34, endLine: 14, endColumn: 37, message: 'azurerm_network_security_group.nsg opens unresolved ports (var.port has no default) to the internet (source: *)', related: [] },
    ]);
  });

  it('a destination port range that is not one is PW010 quoting it; an object is named by its kind', async () => {
    expect(judged(await lint(nsg('', '    protocol                   = "Tcp"\n    destination_port_range     = "redis"\n')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 12, column: 34, endLine: 12, endColumn: 37, message: 'azurerm_network_security_group.nsg opens unresolved ports ("redis" is not a port range) to the internet (source: *)', related: [] },
    ]);
    expect(judged(await lint(nsg('', '    protocol                   = "Tcp"\n    destination_port_ranges    = [{ from = 6379 }]\n')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 12, column: 34, endLine: 12, endColumn: 37, message: 'azurerm_network_security_group.nsg opens unresolved ports ("object" is not a port range) to the internet (source: *)', related: [] },
    ]);
  });

  it('a Tcp rule without any destination port range is PW010 saying so', async () => {
    expect(judged(await lint(nsg('', '    protocol                   = "Tcp"\n')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 12, column: 34, endLine: 12, endColumn: 37, message: 'azurerm_network_security_group.nsg opens unresolved ports (no destination port range is set) to the internet (source: *)', related: [] },
    ]);
  });

  it('security_rule given as an unset variable is PW010 at the variable', async () => {
    expect(judged(await lint(`variable "rules" {}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule       = var.rules
}
`))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 7, column: 25, endLine: 7, endColumn: 34, message: 'azurerm_network_security_group.nsg opens unresolved ports (var.rules has no default) to a source portwall cannot resolve: var.rules has no default', related: [] },
    ]);
  });

  const bare = (vars: string, attrs: string) => `${vars}resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "r1"
    priority                   = 100
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "6379"
    destination_address_prefix = "*"
${attrs}  }
}
`;
  it('a rule without direction, or with an unresolved one, is judged as inbound (PW002); Outbound opens nothing', async () => {
    expect(judged(await lint(bare('', '    source_address_prefix      = "*"\n')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 14, column: 34, endLine: 14, endColumn: 37, message: 'azurerm_network_security_group.nsg exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
    expect(judged(await lint(bare('variable "direction" {}\n\n', '    direction                  = var.direction\n    source_address_prefix      = "*"\n')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 17, column: 34, endLine: 17, endColumn: 37, message: 'azurerm_network_security_group.nsg exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
    expect(judged(await lint(bare('', '    direction                  = "Outbound"\n    source_address_prefix      = "*"\n')))).toEqual([]);
  });

  it('an application security group source is a named reference, never the internet', async () => {
    const text = `resource "azurerm_application_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
}

${bare('', '    direction                  = "Inbound"\n    source_application_security_group_ids = [azurerm_application_security_group.web.id]\n')}`;
    expect(judged(await lint(text))).toEqual([]);
    expect(exposures(text)).toEqual([
      'tf:main.tf:azurerm_network_security_group.nsg:security_rule[0] tcp:6379 <- reference(application security group azurerm_application_security_group.web.id)@main.tf:21:46-21:87',
    ]);
  });
});

describe('Azure standalone rules and their NSG', () => {
  const group = (name: string) => `resource "azurerm_network_security_group" "a" {
  name                = ${name}
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
`;
  const standalone = (link: string) => `resource "azurerm_network_security_rule" "redis" {
  name                        = "redis"
  resource_group_name         = "rg"
${link}  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "6379"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
`;
  it('a rule without network_security_group_name belongs to no NSG: PW002 by its address, nothing fails', async () => {
    const result = await lint(`${group('"nsg-a"')}\n${standalone('')}`);
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 28, column: 33, endLine: 28, endColumn: 36, message: 'azurerm_network_security_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
    expect(notices(result)).toEqual([]);
  });

  it('a rule linked by reference to an NSG whose name is unresolved is still judged with it (closed by its deny)', async () => {
    const result = await lint(`variable "nsg_name" {}\n\n${group('var.nsg_name')}\n${standalone('  network_security_group_name = azurerm_network_security_group.a.name\n')}`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  const rgRule = (rg: string) => standalone('  network_security_group_name = "nsg-a"\n').replace('  resource_group_name         = "rg"\n', `  resource_group_name         = ${rg}\n`);
  it('a rule naming the NSG with an unresolved resource group is judged with it; with another resource group it is not', async () => {
    expect(judged(await lint(`variable "rg" {}\n\n${group('"nsg-a"')}\n${rgRule('var.rg')}`))).toEqual([]);
    expect(judged(await lint(`${group('"nsg-a"')}\n${rgRule('"rg-other"')}`))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 29, column: 33, endLine: 29, endColumn: 36, message: 'azurerm_network_security_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] },
    ]);
  });

  const pair = (denyNsg: string, allowNsg: string) => `variable "nsg" {}

${standalone(`  network_security_group_name = ${denyNsg}\n`).replace('"redis"', '"deny_all"').replace('"Allow"', '"Deny"').replace('= 200', '= 100').replace('"6379"', '"*"')}
${standalone(`  network_security_group_name = ${allowNsg}\n`)}`;
  it('rules of an NSG outside the module are grouped by its name, or by the unresolved expression', async () => {
    expect(judged(await lint(pair('"nsg-x"', '"nsg-x"')))).toEqual([]);
    expect(judged(await lint(pair('var.nsg', 'var.nsg')))).toEqual([]);
    const open = { ruleId: 'PW002', file: 'main.tf', line: 27, column: 33, endLine: 27, endColumn: 36, message: 'azurerm_network_security_rule.redis exposes Redis 6379 on port 6379/tcp to the internet (source: *)', related: [] };
    expect(judged(await lint(pair('"nsg-x"', '"nsg-y"')))).toEqual([open]);
    expect(judged(await lint(pair('var.nsg', '"nsg-x"')))).toEqual([open]);
  });
});

describe('GCP firewalls', () => {
  const rule = (name: string, priority: string, body: string) => `resource "google_compute_firewall" "${name}" {
  name          = "${name}"
  network       = "default"
${priority}  source_ranges = ["0.0.0.0/0"]
${body}}
`;
  const allow = '  allow {\n    protocol = "tcp"\n    ports    = ["6379"]\n  }\n';
  const deny = '  deny {\n    protocol = "tcp"\n    ports    = ["6379"]\n  }\n';
  it('an unset priority is 1000: a deny without priority ties an allow at 1000 and wins', async () => {
    const result = await lint(`${rule('allow-db', '  priority      = 1000\n', allow)}\n${rule('deny-db', '', deny)}`);
    expect(judged(result)).toEqual([]);
  });

  it('an allow without priority (1000) is judged before a deny at 1001: PW002', async () => {
    expect(judged(await lint(`${rule('allow-db', '', allow)}\n${rule('deny-db', '  priority      = 1001\n', deny)}`))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 4, column: 20, endLine: 4, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('a bare address in source_ranges is that one host (GCP accepts it), not an unresolved CIDR', async () => {
    const text = rule('allow-db', '', '  allow {\n    protocol = "tcp"\n    ports    = ["6379"]\n  }\n').replace('"0.0.0.0/0"', '"198.51.100.7"');
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(exposures(text)).toEqual(['tf:main.tf:google_compute_firewall.allow-db:allow[0] tcp:6379 <- 198.51.100.7/32@main.tf:4:20-4:34']);
  });

  it('an allow list that is an unset variable is PW010 at the variable', async () => {
    expect(judged(await lint(`variable "allows" {}\n\n${rule('allow-dyn', '', '  allow         = var.allows\n')}`))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 6, column: 20, endLine: 6, endColumn: 31, message: 'google_compute_firewall.allow-dyn opens unresolved ports (var.allows has no default) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  const block = (protocol: string, ports: string) => `  allow {\n    protocol = ${protocol}\n${ports ? `    ports    = ${ports}\n` : ''}  }\n`;
  const pw010 = (name: string, line: number, reason: string) => ({ ruleId: 'PW010', file: 'main.tf', line, column: 20, endLine: line, endColumn: 31, message: `google_compute_firewall.${name} opens unresolved ports (${reason}) to the internet (source: 0.0.0.0/0)`, related: [] });
  it('an allow of a portless protocol (esp) opens nothing and fails nothing', async () => {
    const text = rule('allow-esp', '', block('"esp"', ''));
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(exposures(text)).toEqual([]);
  });

  it('an unresolved protocol or port list is PW010 naming the variable', async () => {
    expect(judged(await lint(`variable "proto" {}\n\n${rule('allow-db', '', block('var.proto', '["6379"]'))}`))).toEqual([pw010('allow-db', 6, 'var.proto has no default')]);
    expect(judged(await lint(`variable "ports" {}\n\n${rule('allow-db', '', block('"tcp"', 'var.ports'))}`))).toEqual([pw010('allow-db', 6, 'var.ports has no default')]);
  });

  it('a reversed port range, a name and an object in ports are PW010 saying why', async () => {
    expect(judged(await lint(rule('allow-db', '', block('"tcp"', '["6380-6379"]'))))).toEqual([pw010('allow-db', 4, 'port range 6380-6379 is inverted: 6380 is above 6379')]);
    expect(judged(await lint(rule('allow-db', '', block('"tcp"', '["redis"]'))))).toEqual([pw010('allow-db', 4, '"redis" is not a port range')]);
    expect(judged(await lint(rule('allow-db', '', block('"tcp"', '[{ from = 6379 }]'))))).toEqual([pw010('allow-db', 4, '"object" is not a port range')]);
  });

  it('rules are judged per project and network: a deny of another project closes nothing', async () => {
    const inProject = (name: string, project: string, priority: string, body: string) => rule(name, `  project       = ${project}\n${priority}`, body);
    const text = (denyProject: string, allowProject: string) =>
      `variable "project" {}\n\n${inProject('deny-db', denyProject, '  priority      = 100\n', deny)}\n${inProject('allow-db', allowProject, '  priority      = 200\n', allow)}`;
    expect(judged(await lint(text('"prod-1"', '"prod-1"')))).toEqual([]);
    expect(judged(await lint(text('var.project', 'var.project')))).toEqual([]);
    const open = { ruleId: 'PW002', file: 'main.tf', line: 20, column: 20, endLine: 20, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] };
    expect(judged(await lint(text('"prod-1"', '"prod-2"')))).toEqual([open]);
    expect(judged(await lint(text('var.project', '"prod-1"')))).toEqual([open]);
  });

  it('rules on unresolved networks are grouped by the expression: var.net_a and var.net_b are not one network', async () => {
    const onNetwork = (name: string, network: string, priority: string, body: string) => rule(name, priority, body).replace('  network       = "default"\n', `  network       = ${network}\n`);
    const text = (denyNetwork: string, allowNetwork: string) =>
      `variable "net_a" {}\nvariable "net_b" {}\n\n${onNetwork('deny-db', denyNetwork, '  priority      = 100\n', deny)}\n${onNetwork('allow-db', allowNetwork, '  priority      = 200\n', allow)}`;
    expect(judged(await lint(text('var.net_a', 'var.net_a')))).toEqual([]);
    expect(judged(await lint(text('var.net_a', 'var.net_b')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 19, column: 20, endLine: 19, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('written networks are keyed by their last path segment: a self link and a name agree, two names do not', async () => {
    const onNetwork = (name: string, network: string, priority: string, body: string) => rule(name, priority, body).replace('  network       = "default"\n', `  network       = ${network}\n`);
    const text = (denyNetwork: string, allowNetwork: string) => `${onNetwork('deny-db', denyNetwork, '  priority      = 100\n', deny)}\n${onNetwork('allow-db', allowNetwork, '  priority      = 200\n', allow)}`;
    expect(judged(await lint(text('"projects/p/global/networks/vpc-a"', '"vpc-a"')))).toEqual([]);
    expect(judged(await lint(text('"vpc-a"', '"vpc-b"')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 16, column: 20, endLine: 16, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('target tags that are unresolved variables are never assumed to match each other', async () => {
    const tagged = (name: string, tags: string, priority: string, body: string) => rule(name, `${priority}  target_tags   = [${tags}]\n`, body);
    const text = `variable "deny_tag" {}\nvariable "allow_tag" {}\n\n${tagged('deny-db', 'var.deny_tag', '  priority      = 100\n', deny)}\n${tagged('allow-db', 'var.allow_tag', '  priority      = 200\n', allow)}`;
    expect(judged(await lint(text))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 21, column: 20, endLine: 21, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('a deny for the same service accounts closes the allow; for other service accounts it does not', async () => {
    const owned = (name: string, accounts: string, priority: string, body: string) => rule(name, `${priority}  target_service_accounts = [${accounts}]\n`, body);
    const text = (denyAccount: string) => `${owned('deny-db', denyAccount, '  priority      = 100\n', deny)}\n${owned('allow-db', '"db@p.iam.gserviceaccount.com"', '  priority      = 200\n', allow)}`;
    expect(judged(await lint(text('"db@p.iam.gserviceaccount.com"')))).toEqual([]);
    expect(judged(await lint(text('"web@p.iam.gserviceaccount.com"')))).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 18, column: 20, endLine: 18, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('a deny whose target tags are unresolved does not close an allow for every instance, and nothing fails', async () => {
    const text = `variable "deny_tags" {}\n\n${rule('deny-db', '  priority      = 100\n  target_tags   = var.deny_tags\n', deny)}\n${rule('allow-db', '  priority      = 200\n', allow)}`;
    const result = await lint(text);
    expect(judged(result)).toEqual([
      { ruleId: 'PW002', file: 'main.tf', line: 19, column: 20, endLine: 19, endColumn: 31, message: 'google_compute_firewall.allow-db exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
    expect(notices(result)).toEqual([]);
  });

  it('source_ranges written as an empty list is no source at all (not the GCP default of every address)', async () => {
    const text = rule('allow-db', '', allow).replace('["0.0.0.0/0"]', '[]');
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(exposures(text)).toEqual([]);
  });
});

describe('common protocol and source handling', () => {
  it('an aws_security_group_rule without protocol is PW010 saying so, at the CIDR', async () => {
    const result = await lint(`resource "aws_security_group_rule" "redis" {
  type              = "ingress"
  security_group_id = "sg-1"
  from_port         = 6379
  to_port           = 6379
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    expect(judged(result)).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 6, column: 24, endLine: 6, endColumn: 35, message: 'aws_security_group_rule.redis opens unresolved ports (the protocol is not set) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  const varPorts = (protocol: string) => `variable "port" {}

resource "aws_security_group_rule" "any" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = ${protocol}
  from_port         = var.port
  to_port           = var.port
  cidr_blocks       = ["0.0.0.0/0"]
}
`;
  it('protocol -1 ignores unresolved from/to ports: every port is open (PW007), not unresolved', async () => {
    expect(judged(await lint(varPorts('"-1"')))).toEqual([
      { ruleId: 'PW007', file: 'main.tf', line: 9, column: 24, endLine: 9, endColumn: 35, message: 'aws_security_group_rule.any allows all ports and protocols from the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  it('a portless protocol (ESP) with unresolved ports opens nothing; tcp with them is PW010 naming the variable', async () => {
    const esp = await lint(varPorts('"50"'));
    expect(judged(esp)).toEqual([]);
    expect(notices(esp)).toEqual([]);
    expect(judged(await lint(varPorts('"tcp"')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 9, column: 24, endLine: 9, endColumn: 35, message: 'aws_security_group_rule.any opens unresolved ports (var.port has no default) to the internet (source: 0.0.0.0/0)', related: [] },
    ]);
  });

  const sgCidrs = (attrs: string) => `resource "aws_security_group_rule" "redis" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 6379
  to_port           = 6379
${attrs}}
`;
  it('AWS cidr_blocks: a null item is skipped, an object item is an unknown source, a bare address is not a CIDR', () => {
    expect(exposures(sgCidrs('  cidr_blocks       = [null, "0.0.0.0/0"]\n'))).toEqual(['tf:main.tf:aws_security_group_rule.redis tcp:6379 <- 0.0.0.0/0@main.tf:7:30-7:41']);
    expect(exposures(sgCidrs('  cidr_blocks       = [{ ip = "0.0.0.0" }]\n'))).toEqual(['tf:main.tf:aws_security_group_rule.redis tcp:6379 <- unknown(a object where a CIDR was expected)@main.tf:7:24-7:42']);
    expect(exposures(sgCidrs('  cidr_blocks       = ["203.0.113.5"]\n'))).toEqual(['tf:main.tf:aws_security_group_rule.redis tcp:6379 <- unknown("203.0.113.5" is not a CIDR)@main.tf:7:24-7:37']);
  });

  it('AWS security group references: a null or empty item is no source', () => {
    expect(exposures(sgCidrs('  source_security_group_id = null\n  prefix_list_ids   = ["", "pl-1"]\n'))).toEqual(['tf:main.tf:aws_security_group_rule.redis tcp:6379 <- reference(prefix list pl-1)@main.tf:8:28-8:34']);
    expect(exposures(sgCidrs('  cidr_blocks       = ["10.0.0.0/8"]\n  prefix_list_ids   = [null]\n'))).toEqual(['tf:main.tf:aws_security_group_rule.redis tcp:6379 <- 10.0.0.0/8@main.tf:7:24-7:36']);
  });

  const azPrefix = (vars: string, attrs: string) => `${vars}resource "azurerm_network_security_rule" "redis" {
  name                        = "redis"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "6379"
  destination_address_prefix  = "*"
${attrs}}
`;
  it('Azure prefixes: an unresolved one is an unknown source (PW010), an object or null one is none', async () => {
    expect(judged(await lint(azPrefix('variable "src" {}\n\n', '  source_address_prefix       = var.src\n')))).toEqual([
      { ruleId: 'PW010', file: 'main.tf', line: 14, column: 33, endLine: 14, endColumn: 40, message: 'azurerm_network_security_rule.redis opens Redis 6379 on port 6379/tcp to a source portwall cannot resolve: var.src has no default', related: [] },
    ]);
    expect(exposures(azPrefix('', '  source_address_prefixes     = [{ ip = "0.0.0.0" }, null, "10.0.0.0/8"]\n'))).toEqual(['tf:main.tf:azurerm_network_security_rule.redis tcp:6379 <- 10.0.0.0/8@main.tf:12:60-12:72']);
  });

  it('an allow split by a deny: each piece is its own exposure, numbered', () => {
    const text = `resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-redis-v4"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "6379"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "allow-redis"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "6379-6380"
    source_address_prefixes    = ["0.0.0.0/0", "::/0"]
    destination_address_prefix = "*"
  }
}
`;
    expect(exposures(text)).toEqual([
      'tf:main.tf:azurerm_network_security_group.nsg:security_rule[1]#0 tcp:6380 <- 0.0.0.0/0@main.tf:24:35-24:46',
      'tf:main.tf:azurerm_network_security_group.nsg:security_rule[1]#1 tcp:6379-6380 <- ::/0@main.tf:24:48-24:54',
    ]);
  });
});
