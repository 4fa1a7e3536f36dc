/**
 * Managed datastores that are reachable from the internet (PW008): RDS / Aurora / Redshift /
 * Amazon MQ with publicly_accessible, OpenSearch and Elasticsearch domains outside a VPC with
 * an open access policy, Cloud SQL with an authorized network of 0.0.0.0/0, Azure database
 * servers with public access and an all-addresses firewall rule, Cosmos DB open to all
 * networks. Located at the deciding attribute, or the header when public by absence.
 */
import type { Location } from '../../../core/location.js';
import type { ManagedDatastore } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import type { TfValue } from '../values.js';
import { asBool, asString, attr, blocksOf, elementsOf } from '../values.js';
import { terraformPolicyDocument } from './access-policy.js';
import { parseCidr } from '../../../model/net.js';

type InstancesByType = ReadonlyMap<string, ResourceInstance[]>;

function datastore(instance: ResourceInstance, kind: string, isPublic: 'yes' | 'unknown', reason: string, location: Location, from?: TfValue): ManagedDatastore {
  return { id: `tf:${instance.file}:${instance.address}:public`, subject: instance.address, kind, public: isPublic, reason, location, ...(from?.trail?.length ? { via: from.trail } : {}) };
}

function attributeLocation(instance: ResourceInstance, name: string): Location {
  return instance.value.attributeLocs.get(name) ?? instance.header;
}

export const PUBLICLY_ACCESSIBLE_KINDS: Record<string, string> = {
  aws_db_instance: 'Amazon RDS instance',
  aws_rds_cluster_instance: 'Amazon Aurora instance',
  aws_redshift_cluster: 'Amazon Redshift cluster',
  aws_mq_broker: 'Amazon MQ broker',
  aws_rds_cluster: 'Amazon RDS Multi-AZ DB cluster',
  aws_neptune_cluster_instance: 'Amazon Neptune instance',
  aws_redshiftserverless_workgroup: 'Amazon Redshift Serverless workgroup',
  aws_lightsail_database: 'Amazon Lightsail database',
};

/** Amazon MSK: public access is a connectivity setting of the broker nodes (SERVICE_PROVIDED_EIPS). */
export function mskCluster(instance: ResourceInstance): ManagedDatastore[] {
  const kind = 'Amazon MSK cluster';
  for (const group of blocksOf(instance.value, 'broker_node_group_info')) {
    for (const connectivity of blocksOf(group, 'connectivity_info')) {
      for (const access of blocksOf(connectivity, 'public_access')) {
        const type = attr(access, 'type');
        if (!type) continue;
        const location = access.kind === 'object' ? (access.attributeLocs.get('type') ?? type.loc) : type.loc;
        if (type.kind === 'unknown') return [datastore(instance, kind, 'unknown', `public_access type is unknown: ${type.reason}`, location)];
        if (asString(type) === 'SERVICE_PROVIDED_EIPS') return [datastore(instance, kind, 'yes', 'public_access type SERVICE_PROVIDED_EIPS gives the brokers public addresses', location)];
      }
    }
  }
  return [];
}

/** Resources with a publicly_accessible flag (default false in the current AWS provider). */
export function publiclyAccessible(instance: ResourceInstance): ManagedDatastore[] {
  const kind = PUBLICLY_ACCESSIBLE_KINDS[instance.type]!;
  const flag = attr(instance.value, 'publicly_accessible');
  if (!flag) return [];
  const engine = asString(attr(instance.value, 'engine')) ?? asString(attr(instance.value, 'engine_type'));
  const what = engine ? `${kind} (${engine})` : kind;
  if (flag.kind === 'unknown') return [datastore(instance, what, 'unknown', `publicly_accessible is unknown: ${flag.reason}`, attributeLocation(instance, 'publicly_accessible'), flag)];
  if (asBool(flag) !== true) return [];
  return [datastore(instance, what, 'yes', 'publicly_accessible = true gives it a public address', attributeLocation(instance, 'publicly_accessible'), flag)];
}

const DOMAIN_POLICY: Record<string, string> = {
  aws_opensearch_domain: 'aws_opensearch_domain_policy',
  aws_elasticsearch_domain: 'aws_elasticsearch_domain_policy',
};

/**
 * An OpenSearch/Elasticsearch domain outside a VPC is on the internet; its access policies decide
 * who gets in. They are kept as written: the model judges them under the scan policy.
 */
export function searchDomain(instance: ResourceInstance, byType: InstancesByType): ManagedDatastore[] {
  const kind = instance.type === 'aws_opensearch_domain' ? 'Amazon OpenSearch domain' : 'Amazon Elasticsearch domain';
  if (blocksOf(instance.value, 'vpc_options').length > 0) return [];
  const name = asString(attr(instance.value, 'domain_name'));
  const policies: TfValue[] = [];
  const own = attr(instance.value, 'access_policies');
  if (own) policies.push(own);
  for (const p of byType.get(DOMAIN_POLICY[instance.type]!) ?? []) {
    const target = attr(p.value, 'domain_name');
    if (!target || (target.via !== instance.resourceAddress && (name === undefined || asString(target) !== name))) continue;
    const doc = attr(p.value, 'access_policies');
    if (doc) policies.push(doc);
  }
  if (policies.length === 0) return [];
  const access = { documents: policies.map(terraformPolicyDocument), wording: 'terraform' as const };
  return [{ id: `tf:${instance.file}:${instance.address}:public`, subject: instance.address, kind, location: instance.header, access }];
}

/** Cloud SQL: a public IPv4 address (the default) plus an authorized network of 0.0.0.0/0. */
export function cloudSql(instance: ResourceInstance): ManagedDatastore[] {
  const kind = 'Cloud SQL instance';
  let undecided: ManagedDatastore | undefined;
  for (const settings of blocksOf(instance.value, 'settings')) {
    for (const ip of blocksOf(settings, 'ip_configuration')) {
      const ipv4 = attr(ip, 'ipv4_enabled');
      if (asBool(ipv4) === false) continue;
      for (const network of blocksOf(ip, 'authorized_networks')) {
        const value = network.kind === 'unknown' ? network : attr(network, 'value');
        if (!value) continue;
        if (value.kind === 'unknown') {
          undecided ??= datastore(instance, kind, 'unknown', `an authorized network is unknown: ${value.reason}`, value.loc);
          continue;
        }
        const cidr = parseCidr(asString(value) ?? '');
        if (!cidr || cidr.version !== 4 || cidr.prefix !== 0) continue;
        if (ipv4?.kind === 'unknown') undecided ??= datastore(instance, kind, 'unknown', `authorized network 0.0.0.0/0, and ipv4_enabled is unknown: ${ipv4.reason}`, value.loc);
        else return [datastore(instance, kind, 'yes', 'authorized network 0.0.0.0/0 admits every address to its public IP', value.loc, value)];
      }
    }
  }
  return undecided ? [undecided] : [];
}

interface AzureServerType {
  kind: string;
  /** Firewall rule type -> the attribute that names the server. */
  rules: [string, string][];
  startAttribute?: string;
  endAttribute?: string;
}

export const AZURE_SERVERS: Record<string, AzureServerType> = {
  azurerm_postgresql_server: { kind: 'Azure Database for PostgreSQL server', rules: [['azurerm_postgresql_firewall_rule', 'server_name']] },
  azurerm_postgresql_flexible_server: { kind: 'Azure Database for PostgreSQL flexible server', rules: [['azurerm_postgresql_flexible_server_firewall_rule', 'server_id']] },
  azurerm_mysql_server: { kind: 'Azure Database for MySQL server', rules: [['azurerm_mysql_firewall_rule', 'server_name']] },
  azurerm_mysql_flexible_server: { kind: 'Azure Database for MySQL flexible server', rules: [['azurerm_mysql_flexible_server_firewall_rule', 'server_name']] },
  azurerm_mariadb_server: { kind: 'Azure Database for MariaDB server', rules: [['azurerm_mariadb_firewall_rule', 'server_name']] },
  azurerm_mssql_server: { kind: 'Azure SQL server', rules: [['azurerm_mssql_firewall_rule', 'server_id'], ['azurerm_sql_firewall_rule', 'server_name']] },
  azurerm_sql_server: { kind: 'Azure SQL server', rules: [['azurerm_sql_firewall_rule', 'server_name']] },
  azurerm_redis_cache: { kind: 'Azure Cache for Redis', rules: [['azurerm_redis_firewall_rule', 'redis_cache_name']], startAttribute: 'start_ip', endAttribute: 'end_ip' },
};

/** Does a firewall rule (by its link attribute) belong to this server resource? */
function linksTo(rule: ResourceInstance, linkAttribute: string, server: ResourceInstance, servers: ResourceInstance[]): boolean {
  const link = attr(rule.value, linkAttribute);
  const name = asString(attr(server.value, 'name'));
  return (
    link?.via === server.resourceAddress ||
    (name !== undefined && asString(link) === name) ||
    // An unresolvable link with a single server of this type in the module can only mean this one.
    (servers.length === 1 && (link === undefined || (link.kind === 'unknown' && link.via === undefined)))
  );
}

/** What a firewall rule's start/end admit: every address, maybe (unresolved), or less. */
function firewallRuleRange(rule: ResourceInstance, type: AzureServerType): { open: boolean; unresolved?: Extract<TfValue, { kind: 'unknown' }>; location: Location } {
  const start = attr(rule.value, type.startAttribute ?? 'start_ip_address');
  const end = attr(rule.value, type.endAttribute ?? 'end_ip_address');
  const location = rule.value.attributeLocs.get(type.endAttribute ?? 'end_ip_address') ?? rule.header;
  const unresolved = [start, end].find((v): v is Extract<TfValue, { kind: 'unknown' }> => v?.kind === 'unknown');
  const open = asString(start) === '0.0.0.0' && asString(end) === '255.255.255.255';
  const maybe = !!unresolved && (asString(start) === undefined || asString(start) === '0.0.0.0') && (asString(end) === undefined || asString(end) === '255.255.255.255');
  return { open, ...(unresolved && maybe ? { unresolved } : {}), location };
}

/** Firewall rule types -> the server types they may belong to, and the link attribute. */
export const AZURE_FIREWALL_RULES: Record<string, { serverTypes: string[]; linkAttribute: string; type: AzureServerType }> = {};
for (const [serverType, type] of Object.entries(AZURE_SERVERS)) {
  for (const [ruleType, linkAttribute] of type.rules) {
    const entry = (AZURE_FIREWALL_RULES[ruleType] ??= { serverTypes: [], linkAttribute, type });
    entry.serverTypes.push(serverType);
  }
}

/**
 * A firewall rule from 0.0.0.0 to 255.255.255.255 opens its server to every address whatever
 * declares the server: a data source, a variable, another module. When no server resource of
 * this module owns the rule, the rule itself is the finding (PW008 at its end address).
 */
export function azureFirewallRule(rule: ResourceInstance, byType: InstancesByType): ManagedDatastore[] {
  const entry = AZURE_FIREWALL_RULES[rule.type]!;
  for (const serverType of entry.serverTypes) {
    const servers = byType.get(serverType) ?? [];
    if (servers.some((server) => linksTo(rule, entry.linkAttribute, server, servers))) return [];
  }
  const range = firewallRuleRange(rule, entry.type);
  const link = attr(rule.value, entry.linkAttribute);
  const where = link?.kind === 'unknown' ? `server ${link.label}` : `server ${asString(link) ?? '(not set)'}`;
  const base = { id: `tf:${rule.file}:${rule.address}:public`, subject: rule.address, kind: entry.type.kind, location: range.location };
  if (range.open && !range.unresolved) return [{ ...base, public: 'yes', reason: `it admits 0.0.0.0-255.255.255.255 to ${where}`, }];
  if (range.unresolved) return [{ ...base, public: 'unknown', reason: `it may admit every address to ${where}: ${range.unresolved.reason}` }];
  return [];
}

/**
 * Public network access is on by default for these servers; what opens them to everyone is
 * a firewall rule from 0.0.0.0 to 255.255.255.255 (0.0.0.0-0.0.0.0 only admits Azure services).
 */
export function azureServer(instance: ResourceInstance, byType: InstancesByType): ManagedDatastore[] {
  const type = AZURE_SERVERS[instance.type]!;
  const access = attr(instance.value, 'public_network_access_enabled');
  if (asBool(access) === false) return [];
  // A flexible server placed in a delegated subnet has no public endpoint.
  if (!access && instance.type.endsWith('_flexible_server') && attr(instance.value, 'delegated_subnet_id')) return [];
  let undecided: ManagedDatastore | undefined;
  for (const [ruleType, linkAttribute] of type.rules) {
    const candidates = byType.get(ruleType) ?? [];
    const servers = byType.get(instance.type) ?? [];
    for (const rule of candidates) {
      if (!linksTo(rule, linkAttribute, instance, servers)) continue;
      const start = attr(rule.value, type.startAttribute ?? 'start_ip_address');
      const end = attr(rule.value, type.endAttribute ?? 'end_ip_address');
      const endLocation = rule.value.attributeLocs.get(type.endAttribute ?? 'end_ip_address') ?? rule.header;
      const unresolved = [start, end, access].find((v) => v?.kind === 'unknown');
      const open = asString(start) === '0.0.0.0' && asString(end) === '255.255.255.255';
      if (open && !unresolved) {
        const how = access ? 'public network access is enabled' : 'public network access is enabled by default';
        return [datastore(instance, type.kind, 'yes', `firewall rule ${rule.address} admits 0.0.0.0-255.255.255.255 and ${how}`, endLocation)];
      }
      if (unresolved?.kind === 'unknown' && (open || asString(start) === undefined || asString(end) === undefined)) {
        undecided ??= datastore(instance, type.kind, 'unknown', `firewall rule ${rule.address} may admit every address: ${unresolved.reason}`, endLocation);
      }
    }
  }
  return undecided ? [undecided] : [];
}

/** Cosmos DB accepts connections from every network unless an IP or VNet filter is set. */
export function cosmosAccount(instance: ResourceInstance): ManagedDatastore[] {
  const kind = 'Azure Cosmos DB account';
  const access = attr(instance.value, 'public_network_access_enabled');
  if (asBool(access) === false) return [];
  const filter = attr(instance.value, 'ip_range_filter');
  const vnetFilter = attr(instance.value, 'is_virtual_network_filter_enabled');
  type Piece = { text: string | undefined; v: TfValue };
  const pieces = elementsOf(filter).flatMap((v): Piece[] =>
    v.kind === 'string' ? v.value.split(',').map((s) => ({ text: s.trim(), v })) : [{ text: undefined, v }],
  );
  const unresolved = [access, vnetFilter, ...pieces.map((p) => p.v)].find((v) => v?.kind === 'unknown');
  const open = pieces.find((p) => p.text === '0.0.0.0/0');
  if (open && !unresolved) return [datastore(instance, kind, 'yes', 'ip_range_filter admits 0.0.0.0/0', open.v.loc)];
  const filtered = pieces.some((p) => p.text !== '' && p.text !== undefined) || asBool(vnetFilter) === true;
  if (filtered && !open) return [];
  if (unresolved?.kind === 'unknown') return [datastore(instance, kind, 'unknown', `its network filter is unknown: ${unresolved.reason}`, unresolved.loc)];
  const location = access ? attributeLocation(instance, 'public_network_access_enabled') : instance.header;
  return [datastore(instance, kind, 'yes', 'no ip_range_filter or virtual network filter is set, so every network may connect', location)];
}
