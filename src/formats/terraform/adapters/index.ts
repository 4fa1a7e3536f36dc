/**
 * Runs every resource adapter over the instances of one module (or one plan). Each
 * resource, or each group judged together, is adapted inside its own guard: one odd
 * resource becomes a notice, the rest of the file is still checked.
 */
import type { Exposure, ManagedDatastore } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import { networkAclExposures, securityGroupExposures, securityGroupRuleExposures, vpcIngressRuleExposures } from './aws.js';
import { networkSecurityGroupExposures } from './azure.js';
import type { AdapterOutput } from './common.js';
import { AZURE_FIREWALL_RULES, AZURE_SERVERS, azureFirewallRule, azureServer, cloudSql, cosmosAccount, mskCluster, PUBLICLY_ACCESSIBLE_KINDS, publiclyAccessible, searchDomain } from './datastores.js';
import { computeFirewallExposures } from './gcp.js';
import { LOAD_BALANCER_TYPES, loadBalancerExposures } from './load-balancers.js';
import { securityGroupModuleExposures, securityGroupModuleVariant } from './sg-module.js';
import { pushAll } from '../../../core/arrays.js';
import { publicInputModuleDatastores, publicInputModuleKind } from './registry-modules.js';

/** Module calls read by a table of their inputs rather than by following their code. */
export function isTableModule(instance: ResourceInstance): boolean {
  return publicInputModuleKind(instance) !== undefined || securityGroupModuleVariant(instance) !== undefined;
}

type PerInstance = (instance: ResourceInstance, byType: ReadonlyMap<string, ResourceInstance[]>) => { exposures?: Exposure[]; datastores?: ManagedDatastore[] };

const PER_INSTANCE: Record<string, PerInstance> = {
  aws_security_group: (i) => ({ exposures: securityGroupExposures(i) }),
  aws_default_security_group: (i) => ({ exposures: securityGroupExposures(i) }),
  aws_security_group_rule: (i) => ({ exposures: securityGroupRuleExposures(i) }),
  aws_vpc_security_group_ingress_rule: (i) => ({ exposures: vpcIngressRuleExposures(i) }),
  aws_opensearch_domain: (i, byType) => ({ datastores: searchDomain(i, byType) }),
  aws_elasticsearch_domain: (i, byType) => ({ datastores: searchDomain(i, byType) }),
  google_sql_database_instance: (i) => ({ datastores: cloudSql(i) }),
  azurerm_cosmosdb_account: (i) => ({ datastores: cosmosAccount(i) }),
  aws_msk_cluster: (i) => ({ datastores: mskCluster(i) }),
  module: (i) => {
    const kind = publicInputModuleKind(i);
    if (kind) return { datastores: publicInputModuleDatastores(i, kind) };
    const variant = securityGroupModuleVariant(i);
    return { exposures: variant === undefined ? [] : securityGroupModuleExposures(i, variant) };
  },
};
for (const type of Object.keys(PUBLICLY_ACCESSIBLE_KINDS)) PER_INSTANCE[type] = (i) => ({ datastores: publiclyAccessible(i) });
for (const type of Object.keys(AZURE_SERVERS)) PER_INSTANCE[type] = (i, byType) => ({ datastores: azureServer(i, byType) });
// A firewall rule whose server is not a resource of this module (data source, variable, another module).
for (const type of Object.keys(AZURE_FIREWALL_RULES)) PER_INSTANCE[type] = (i, byType) => ({ datastores: azureFirewallRule(i, byType) });

/** Types read together with others (rules of a group, policies and firewall rules of a datastore). */
const GROUPED = [
  'aws_network_acl',
  'aws_default_network_acl',
  'aws_network_acl_rule',
  'azurerm_network_security_group',
  'azurerm_network_security_rule',
  'google_compute_firewall',
  'aws_opensearch_domain_policy',
  'aws_elasticsearch_domain_policy',
  ...Object.values(AZURE_SERVERS).flatMap((s) => s.rules.map(([ruleType]) => ruleType)),
  ...LOAD_BALANCER_TYPES,
];

/** Every resource type an adapter reads; other resources need not be evaluated. */
export const ADAPTED_TYPES: ReadonlySet<string> = new Set([...Object.keys(PER_INSTANCE), ...GROUPED]);

export function adaptInstances(instances: ResourceInstance[]): AdapterOutput {
  const out: AdapterOutput = { exposures: [], managedDatastores: [], notices: [] };
  const byType = new Map<string, ResourceInstance[]>();
  for (const i of instances) {
    if (i.mode === 'data') continue;
    const list = byType.get(i.type) ?? [];
    list.push(i);
    byType.set(i.type, list);
  }
  const failed = (instance: ResourceInstance, error: unknown): void => {
    out.notices.push({
      file: instance.file,
      level: 'warning',
      kind: 'internal',
      message: `${instance.address} could not be checked (internal error: ${error instanceof Error ? error.message : String(error)})`,
    });
  };

  for (const instance of instances) {
    if (instance.mode === 'data') continue;
    const adapt = PER_INSTANCE[instance.type];
    if (!adapt) continue;
    try {
      const result = adapt(instance, byType);
      if (result.exposures) pushAll(out.exposures, result.exposures);
      if (result.datastores) pushAll(out.managedDatastores, result.datastores);
    } catch (error) {
      failed(instance, error);
    }
  }

  const grouped = [
    () => networkAclExposures([...(byType.get('aws_network_acl') ?? []), ...(byType.get('aws_default_network_acl') ?? [])], byType.get('aws_network_acl_rule') ?? []),
    () => networkSecurityGroupExposures(byType.get('azurerm_network_security_group') ?? [], byType.get('azurerm_network_security_rule') ?? []),
    () => computeFirewallExposures(byType.get('google_compute_firewall') ?? []),
    () => loadBalancerExposures(byType),
  ];
  for (const run of grouped) {
    try {
      const result = run();
      pushAll(out.exposures, result.exposures);
      for (const instance of result.failed) failed(instance, new Error('its rule group could not be judged'));
    } catch (error) {
      const first = instances[0];
      if (first) failed(first, error);
    }
  }
  return out;
}


