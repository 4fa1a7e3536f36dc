import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { at, describeExposure, run } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
});

/** Every exposure of a fixture folder as "id ports <- source@location ... | at rule-location". */
function exposures(folder: string): string[] {
  const result = run(folder);
  expect(result.parseFailures).toEqual([]);
  expect(result.notices ?? []).toEqual([]);
  return result.exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`);
}

describe('AWS security groups', () => {
  it('reads inline ingress, rule resources, IPv6, ranges, protocol -1 and references; skips egress', () => {
    // ingress[1] takes admin_cidrs from terraform.tfvars, not the default in variables.tf;
    // ingress[3] gets 0.0.0.0/0 from a local; db_in's port from a variable default.
    expect(exposures('aws-sg')).toEqual([
      'tf:aws-sg/main.tf:aws_security_group.web:ingress[0] tcp:443 <- 0.0.0.0/0@aws-sg/main.tf:12:20-12:31 | at aws-sg/main.tf:7:3-7:10',
      'tf:aws-sg/main.tf:aws_security_group.web:ingress[1] tcp:22 <- 203.0.113.0/24@aws-sg/main.tf:20:24-20:39 << aws-sg/terraform.tfvars:1:16-1:32 0.0.0.0/0@aws-sg/main.tf:20:24-20:39 << aws-sg/terraform.tfvars:1:34-1:45 ::/0@aws-sg/main.tf:21:25-21:31 | at aws-sg/main.tf:15:3-15:10',
      'tf:aws-sg/main.tf:aws_security_group.web:ingress[2] tcp:9200-9300 <- reference(security group aws_security_group.lb.id)@aws-sg/main.tf:29:24-29:48 | at aws-sg/main.tf:24:3-24:10',
      'tf:aws-sg/main.tf:aws_security_group.web:ingress[3] all:0-65535 <- 0.0.0.0/0@aws-sg/main.tf:37:20-37:34 << aws-sg/main.tf:54:14-54:25 | at aws-sg/main.tf:32:3-32:10',
      'tf:aws-sg/rules.tf:aws_security_group_rule.db_in tcp:5432 <- unknown(var.db_sources has no default)@aws-sg/rules.tf:12:23-12:37 | at aws-sg/rules.tf:6:1-6:43',
      'tf:aws-sg/rules.tf:aws_security_group_rule.mongo_from_app tcp:27017 <- reference(security group aws_security_group.web.id)@aws-sg/rules.tf:30:30-30:55 | at aws-sg/rules.tf:24:1-24:52',
      'tf:aws-sg/rules.tf:aws_vpc_security_group_ingress_rule.redis_v6 tcp:6379 <- ::/0@aws-sg/rules.tf:35:23-35:29 | at aws-sg/rules.tf:33:1-33:58',
      'tf:aws-sg/rules.tf:aws_vpc_security_group_ingress_rule.all_v4 all:0-65535 <- 0.0.0.0/0@aws-sg/rules.tf:43:23-43:34 | at aws-sg/rules.tf:41:1-41:56',
      'tf:aws-sg/rules.tf:aws_default_security_group.default:ingress[0] udp:0-65535 <- reference(the security group itself)@aws-sg/rules.tf:60:17-60:21 | at aws-sg/rules.tf:56:3-56:10',
    ]);
  });

  it('unrolls dynamic blocks, custom iterators, for_each and count; an unknown collection stays unknown', () => {
    // prod.auto.tfvars adds 0.0.0.0/0 to local.all_sources; "disabled" has count = 0.
    expect(exposures('aws-dynamic')).toEqual([
      'tf:aws-dynamic/main.tf:aws_security_group.search:ingress[0] tcp:443 <- 0.0.0.0/0@aws-dynamic/main.tf:19:21-19:37 << aws-dynamic/variables.tf:3:14-3:25 | at aws-dynamic/main.tf:13:3-13:20',
      'tf:aws-dynamic/main.tf:aws_security_group.search:ingress[1] tcp:9200 <- 0.0.0.0/0@aws-dynamic/main.tf:19:21-19:37 << aws-dynamic/variables.tf:3:14-3:25 | at aws-dynamic/main.tf:13:3-13:20',
      'tf:aws-dynamic/main.tf:aws_security_group.search:ingress[2] tcp:5601 <- 198.51.100.0/24@aws-dynamic/main.tf:31:21-31:38 << aws-dynamic/main.tf:7:24-7:36 << aws-dynamic/main.tf:6:13-6:30 0.0.0.0/0@aws-dynamic/main.tf:31:21-31:38 << aws-dynamic/main.tf:7:38-7:55 << aws-dynamic/prod.auto.tfvars:1:18-1:29 | at aws-dynamic/main.tf:24:3-24:20',
      'tf:aws-dynamic/main.tf:aws_security_group.search:ingress[3] tcp:27017 <- 198.51.100.0/24@aws-dynamic/main.tf:31:21-31:38 << aws-dynamic/main.tf:7:24-7:36 << aws-dynamic/main.tf:6:13-6:30 0.0.0.0/0@aws-dynamic/main.tf:31:21-31:38 << aws-dynamic/main.tf:7:38-7:55 << aws-dynamic/prod.auto.tfvars:1:18-1:29 | at aws-dynamic/main.tf:24:3-24:20',
      'tf:aws-dynamic/main.tf:aws_security_group.search:ingress[4] tcp:unknown(var.unknown_rules has no default) <- 0.0.0.0/0@aws-dynamic/main.tf:41:22-41:33 | at aws-dynamic/main.tf:35:3-35:20',
      'tf:aws-dynamic/main.tf:aws_security_group_rule.per_service["kibana"] tcp:5601 <- 0.0.0.0/0@aws-dynamic/main.tf:53:24-53:35 | at aws-dynamic/main.tf:46:1-46:49',
      'tf:aws-dynamic/main.tf:aws_security_group_rule.per_service["mongo"] tcp:27017 <- 0.0.0.0/0@aws-dynamic/main.tf:53:24-53:35 | at aws-dynamic/main.tf:46:1-46:49',
      'tf:aws-dynamic/main.tf:aws_security_group_rule.replicas[0] tcp:6379 <- ::/0@aws-dynamic/main.tf:64:24-64:30 | at aws-dynamic/main.tf:57:1-57:46',
      'tf:aws-dynamic/main.tf:aws_security_group_rule.replicas[1] tcp:6380 <- ::/0@aws-dynamic/main.tf:64:24-64:30 | at aws-dynamic/main.tf:57:1-57:46',
    ]);
  });
});

describe('AWS security groups: other shapes', () => {
  it('reads attribute-as-blocks rules, protocol numbers, ICMP, cidrsubnet(); an unresolvable rule list or port stays unknown', () => {
    expect(exposures('aws-misc')).toEqual([
      'tf:aws-misc/main.tf:aws_security_group.legacy:ingress[0] udp:53 <- 0.0.0.0/0@aws-misc/main.tf:9:27-9:38 | at aws-misc/main.tf:5:5-15:6',
      'tf:aws-misc/main.tf:aws_security_group.legacy:ingress[1] icmp: <- 0.0.0.0/0@aws-misc/main.tf:20:27-20:38 | at aws-misc/main.tf:16:5-26:6',
      'tf:aws-misc/main.tf:aws_security_group.opaque:ingress[0] unknown:unknown(var.rules has no default) <- unknown(var.rules has no default)@aws-misc/main.tf:32:13-32:22 | at aws-misc/main.tf:32:13-32:22',
      'tf:aws-misc/main.tf:aws_security_group.ranges:ingress[0] tcp:27000-28000 <- 10.0.1.0/24@aws-misc/main.tf:42:20-42:50 0.0.0.0/0@aws-misc/main.tf:42:52-42:63 | at aws-misc/main.tf:38:3-38:10',
      'tf:aws-misc/main.tf:aws_security_group.ranges:ingress[1] tcp:unknown(var.debug_port has no default) <- 0.0.0.0/0@aws-misc/main.tf:49:20-49:31 | at aws-misc/main.tf:45:3-45:10',
    ]);
  });
});

describe('AWS network ACLs', () => {
  it('judges rules by number: an earlier deny closes its ports, egress and denies expose nothing', () => {
    expect(exposures('aws-nacl')).toEqual([
      'tf:aws-nacl/main.tf:aws_network_acl.public:ingress[1] tcp:1024-5431,5433-65535 <- 0.0.0.0/0@aws-nacl/main.tf:18:18-18:29 | at aws-nacl/main.tf:14:3-14:10',
      'tf:aws-nacl/main.tf:aws_network_acl_rule.ssh_v6 tcp:22 <- ::/0@aws-nacl/main.tf:48:21-48:27 | at aws-nacl/main.tf:42:1-42:41',
    ]);
  });
});

describe('Azure network security groups', () => {
  it('judges rules by priority across inline and standalone rules; outbound and shadowed allows expose nothing', () => {
    // The Deny at 100 removes 5432 and 6379 from the Allow at 200 and closes the redis rule at 400.
    expect(exposures('azure-nsg')).toEqual([
      'tf:azure-nsg/main.tf:azurerm_network_security_group.app:security_rule[1] tcp:5000-5431,5433-6378,6380-6500 <- any(*)@azure-nsg/main.tf:26:34-26:37 | at azure-nsg/main.tf:18:3-18:16',
      'tf:azure-nsg/main.tf:azurerm_network_security_group.app:security_rule[2] all:0-65535 <- reference(service tag VirtualNetwork)@azure-nsg/main.tf:38:34-38:50 | at azure-nsg/main.tf:30:3-30:16',
      'tf:azure-nsg/main.tf:azurerm_network_security_rule.rdp tcp:3389 <- 203.0.113.10/32@azure-nsg/main.tf:78:34-78:48 0.0.0.0/0@azure-nsg/main.tf:78:50-78:61 | at azure-nsg/main.tf:70:1-70:47',
    ]);
  });
});

describe('GCP firewalls', () => {
  it('reads allow blocks and source ranges; no source means 0.0.0.0/0 at the header; disabled, egress and deny expose nothing', () => {
    expect(exposures('gcp')).toEqual([
      'tf:gcp/firewall.tf:google_compute_firewall.search:allow[0] tcp:22,9200-9300 <- 0.0.0.0/0@gcp/firewall.tf:19:20-19:31 10.128.0.0/9@gcp/firewall.tf:19:33-19:47 | at gcp/firewall.tf:10:3-10:8',
      'tf:gcp/firewall.tf:google_compute_firewall.search:allow[1] icmp: <- 0.0.0.0/0@gcp/firewall.tf:19:20-19:31 10.128.0.0/9@gcp/firewall.tf:19:33-19:47 | at gcp/firewall.tf:15:3-15:8',
      'tf:gcp/firewall.tf:google_compute_firewall.no_source:allow[0] udp:0-65535 <- any(0.0.0.0/0 (no source_ranges: the GCP default))@gcp/firewall.tf:23:1-23:47 | at gcp/firewall.tf:27:3-27:8',
      'tf:gcp/firewall.tf:google_compute_firewall.all:allow[0] all:0-65535 <- ::/0@gcp/firewall.tf:35:20-35:26 | at gcp/firewall.tf:37:3-37:8',
      'tf:gcp/firewall.tf:google_compute_firewall.tags_only:allow[0] tcp:5432 <- reference(network tag web)@gcp/firewall.tf:79:18-79:23 | at gcp/firewall.tf:81:3-81:8',
    ]);
  });
});

describe('terraform-aws-modules/security-group', () => {
  it('understands named rules, rule maps, submodules and create = false without downloading the module', () => {
    // The comma-separated cidr_blocks string of ingress_with_cidr_blocks[0] is located piece by piece.
    expect(exposures('sg-module')).toEqual([
      'tf:sg-module/main.tf:module.web_sg:ingress_rules[0] tcp:443 <- 0.0.0.0/0@sg-module/main.tf:9:31-9:42 ::/0@sg-module/main.tf:10:31-10:37 | at sg-module/main.tf:11:31-11:46',
      'tf:sg-module/main.tf:module.web_sg:ingress_rules[1] tcp:9200 <- 0.0.0.0/0@sg-module/main.tf:9:31-9:42 ::/0@sg-module/main.tf:10:31-10:37 | at sg-module/main.tf:11:48-11:72',
      'tf:sg-module/main.tf:module.web_sg:ingress_rules[2] all:0-65535 <- 0.0.0.0/0@sg-module/main.tf:9:31-9:42 ::/0@sg-module/main.tf:10:31-10:37 | at sg-module/main.tf:11:74-11:83',
      'tf:sg-module/main.tf:module.web_sg:ingress_rules[3] unknown:unknown("no-such-rule" is not a rule of the security-group module) <- 0.0.0.0/0@sg-module/main.tf:9:31-9:42 ::/0@sg-module/main.tf:10:31-10:37 | at sg-module/main.tf:11:85-11:99',
      'tf:sg-module/main.tf:module.web_sg:ingress_with_cidr_blocks[0] tcp:8080-8090 <- 10.10.0.0/16@sg-module/main.tf:19:22-19:34 0.0.0.0/0@sg-module/main.tf:19:35-19:44 | at sg-module/main.tf:14:5-20:6',
      'tf:sg-module/main.tf:module.web_sg:ingress_with_cidr_blocks[1] tcp:27017 <- 192.0.2.0/24@sg-module/main.tf:23:21-23:35 | at sg-module/main.tf:21:5-24:6',
      'tf:sg-module/main.tf:module.web_sg:ingress_with_cidr_blocks[2] tcp:6379 <- 0.0.0.0/0@sg-module/main.tf:9:31-9:42 | at sg-module/main.tf:25:5-27:6',
      'tf:sg-module/main.tf:module.web_sg:ingress_with_source_security_group_id[0] tcp:5432 <- reference(security group var.app_sg_id)@sg-module/main.tf:33:34-33:47 | at sg-module/main.tf:31:5-34:6',
      'tf:sg-module/main.tf:module.es_sg:auto_ingress_rules[0] tcp:9200 <- 0.0.0.0/0@sg-module/main.tf:44:25-44:39 << sg-module/main.tf:80:14-80:25 | at sg-module/main.tf:38:1-38:15',
      'tf:sg-module/main.tf:module.es_sg:auto_ingress_rules[1] tcp:9300 <- 0.0.0.0/0@sg-module/main.tf:44:25-44:39 << sg-module/main.tf:80:14-80:25 | at sg-module/main.tf:38:1-38:15',
      'tf:sg-module/main.tf:module.ssh_sg:auto_ingress_rules[0] tcp:22 <- 10.0.0.0/8@sg-module/main.tf:52:26-52:38 | at sg-module/main.tf:47:1-47:16',
    ]);
  });
});

describe('a vendored copy of the security-group module', () => {
  it('is recognised by its rules.tf when called by a local path; other local modules are not followed', () => {
    expect(exposures('vendored')).toEqual([
      'tf:vendored/stack/main.tf:module.search_sg:ingress_rules[0] tcp:9200 <- 0.0.0.0/0@vendored/stack/main.tf:5:26-5:37 | at vendored/stack/main.tf:6:26-6:50',
      'tf:vendored/stack/main.tf:module.cache_sg:auto_ingress_rules[0] tcp:6379 <- 0.0.0.0/0@vendored/stack/main.tf:13:26-13:37 | at vendored/stack/main.tf:9:1-9:18',
    ]);
  });
});
