/**
 * Managed datastores of a CloudFormation template and whether they are public:
 * RDS instances/clusters, Redshift clusters and workgroups, Amazon MQ brokers by
 * PubliclyAccessible, MSK clusters by their public access type, OpenSearch and
 * Elasticsearch domains by their place (VPCOptions) and access policy.
 */
import type { Location } from '../../core/location.js';
import type { Policy } from '../../core/policy.js';
import { assessSource } from '../../model/net.js';
import { addressSource } from '../../model/firewall.js';
import type { ManagedDatastore } from '../../model/types.js';
import { scalarString, type CfnValue, type Evaluator } from './intrinsics.js';
import type { CfnResource } from './template.js';
import { alternatives, resolveBoolean, resolveText } from './values.js';

/** Types whose PubliclyAccessible flag gives them a public address, with their display kind. */
const PUBLICLY_ACCESSIBLE_TYPES: Readonly<Record<string, string>> = {
  'AWS::AmazonMQ::Broker': 'Amazon MQ broker',
  'AWS::RedshiftServerless::Workgroup': 'Redshift Serverless workgroup',
};

export const DATASTORE_TYPES = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::Redshift::Cluster',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::MSK::Cluster',
  ...Object.keys(PUBLICLY_ACCESSIBLE_TYPES),
]);

export function managedDatastore(resource: CfnResource, ev: Evaluator, policy: Policy): ManagedDatastore | undefined {
  const properties = ev.evaluate(resource.properties);
  const base = { id: `cfn:${resource.keyLocation.file}:${resource.logicalId}`, subject: `${resource.type} ${resource.logicalId}` };
  if (resource.type.endsWith('::Domain')) {
    const verdict = domainVerdict(properties, ev, policy);
    const kind = resource.type.startsWith('AWS::OpenSearch') ? 'OpenSearch Service domain' : 'Elasticsearch Service domain';
    return verdict ? { ...base, kind, ...verdict } : undefined;
  }
  if (resource.type === 'AWS::MSK::Cluster') {
    const verdict = mskVerdict(properties, ev);
    return verdict ? { ...base, kind: 'MSK cluster', ...verdict } : undefined;
  }
  const engine = ev.property(properties, resource.type === 'AWS::AmazonMQ::Broker' ? 'EngineType' : 'Engine');
  const engineText = engine ? resolveText(engine, 'Engine') : undefined;
  const engineName = engineText && 'value' in engineText ? engineText.value : undefined;
  const fixedKind = PUBLICLY_ACCESSIBLE_TYPES[resource.type];
  const kind = fixedKind
    ? `${fixedKind}${engineName ? `, engine ${engineName}` : ''}`
    : resource.type === 'AWS::Redshift::Cluster' ? 'Redshift cluster' : `RDS ${engineName ?? 'database'}`;
  const flag = ev.property(properties, 'PubliclyAccessible');
  if (flag) {
    const r = resolveBoolean(flag, 'PubliclyAccessible');
    const hops = flag.trail?.length ? flag.trail : flag.kind === 'choice' ? flag.options.flatMap((o) => o.trail ?? []) : [];
    const via = hops.length ? { via: hops } : {};
    if ('unknown' in r) return { ...base, kind, public: 'unknown', reason: r.unknown, location: r.loc, ...via };
    return r.value ? { ...base, kind, public: 'yes', reason: 'PubliclyAccessible is true', location: r.loc, ...via } : undefined;
  }
  // RDS's own default: without a subnet group an instance lands in the default VPC, whose
  // subnets route to an internet gateway, and is then public. Undecidable here, so a note.
  if (resource.type === 'AWS::RDS::DBInstance' && !ev.property(properties, 'DBSubnetGroupName') && !ev.property(properties, 'DBClusterIdentifier')) {
    return {
      ...base,
      kind,
      public: 'unknown',
      reason: 'PubliclyAccessible and DBSubnetGroupName are not set: the instance goes to the default VPC and is public if that VPC has an internet gateway',
      location: resource.keyLocation,
    };
  }
  return undefined;
}

type Verdict = Pick<ManagedDatastore, 'public' | 'reason' | 'location'>;

/** MSK brokers get public addresses with ConnectivityInfo.PublicAccess.Type SERVICE_PROVIDED_EIPS. */
function mskVerdict(properties: CfnValue | undefined, ev: Evaluator): Verdict | undefined {
  const type = ev.property(ev.property(ev.property(ev.property(properties, 'BrokerNodeGroupInfo'), 'ConnectivityInfo'), 'PublicAccess'), 'Type');
  if (!type) return undefined;
  const r = resolveText(type, 'PublicAccess.Type');
  if ('unknown' in r) return { public: 'unknown', reason: r.unknown, location: type.loc };
  return r.value === 'SERVICE_PROVIDED_EIPS' ? { public: 'yes', reason: 'PublicAccess Type SERVICE_PROVIDED_EIPS gives the brokers public addresses', location: type.loc } : undefined;
}

function domainVerdict(properties: CfnValue | undefined, ev: Evaluator, policy: Policy): Verdict | undefined {
  const vpc = ev.property(properties, 'VPCOptions');
  let vpcCondition: string | undefined;
  if (vpc) {
    const options = alternatives(vpc);
    if (options.every((o) => o.kind !== 'novalue')) return undefined;
    vpcCondition = vpc.kind === 'choice' ? vpc.reason : 'VPCOptions may be absent';
  }
  const policyValue = ev.property(properties, 'AccessPolicies');
  if (!policyValue) return undefined;
  const statements = policyValue.kind === 'scalar' ? jsonStatements(policyValue) : mapStatements(policyValue, ev);
  for (const s of statements) {
    if (s.effect !== 'allow' || s.principal === 'restricted') continue;
    const ip = ipCondition(s.sourceIps, policy);
    if (ip === 'restricted') continue;
    const where = vpcCondition ? `VPCOptions ${vpcCondition}` : 'not in a VPC (no VPCOptions)';
    if (s.principal === 'unknown' || ip === 'unknown' || s.otherCondition || vpcCondition) {
      const why = s.principal === 'unknown' ? 'a Principal that cannot be resolved' : ip === 'unknown' ? 'an aws:SourceIp that cannot be resolved' : s.otherCondition ? 'Principal * under a condition portwall does not evaluate' : 'Principal *';
      return { public: 'unknown', reason: `${where}, and the access policy allows ${why}`, location: s.location };
    }
    const scope = ip === 'internet' ? 'Principal * from an aws:SourceIp that covers the internet' : 'Principal * without an IP condition';
    return { public: 'yes', reason: `${where}, and the access policy allows ${scope}`, location: s.location };
  }
  return undefined;
}

interface Statement {
  effect: string | undefined;
  principal: 'star' | 'restricted' | 'unknown';
  /** aws:SourceIp values of an IpAddress condition; undefined without one. */
  sourceIps: { text: string | undefined; reason?: string; location: Location }[] | undefined;
  otherCondition: boolean;
  /** Where the Principal is written: the value that makes the domain public. */
  location: Location;
}

function mapStatements(policyValue: CfnValue, ev: Evaluator): Statement[] {
  const statementValue = ev.property(policyValue, 'Statement');
  if (!statementValue) return [];
  const items = statementValue.kind === 'list' ? statementValue.items : [statementValue];
  return items.flatMap((item) => alternatives(item)).filter((s) => s.kind === 'map').map((statement) => {
    const effect = ev.property(statement, 'Effect');
    const principal = ev.property(statement, 'Principal');
    const condition = ev.property(statement, 'Condition');
    const operators = ev.keys(condition);
    const sourceIp = ev.property(ev.property(condition, 'IpAddress'), 'aws:SourceIp');
    const ips = sourceIp ? (sourceIp.kind === 'list' ? sourceIp.items : [sourceIp]) : undefined;
    const { principal: who, at } = principalOf(principal, ev);
    return {
      effect: effect ? scalarString(effect)?.toLowerCase() : undefined,
      principal: who,
      sourceIps: ips?.map((v) => ({ text: scalarString(v), ...(v.kind === 'unknown' ? { reason: v.reason } : {}), location: v.loc })),
      otherCondition: operators.some((o) => o !== 'IpAddress'),
      location: at ?? principal?.loc ?? statement.loc,
    };
  });
}

/** Whether a Principal admits everyone, and where the `*` that does it is written. */
function principalOf(value: CfnValue | undefined, ev: Evaluator): { principal: Statement['principal']; at?: Location } {
  let unknown = false;
  for (const option of value ? alternatives(value) : []) {
    const candidates = option.kind === 'map' ? [ev.property(option, 'AWS')] : [option];
    for (const c of candidates.flatMap((v) => (v?.kind === 'list' ? v.items : v ? [v] : []))) {
      if (scalarString(c) === '*') return { principal: 'star', at: c.loc };
      if (c.kind === 'unknown' || c.kind === 'choice') unknown = true;
    }
  }
  return { principal: unknown ? 'unknown' : 'restricted' };
}

/** AccessPolicies written as a JSON string: located as a whole, since offsets inside escape. */
function jsonStatements(policyValue: CfnValue): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(scalarString(policyValue) ?? '');
  } catch {
    return [];
  }
  const raw = (doc as { Statement?: unknown })?.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object').map((s) => {
    const principal = s.Principal as unknown;
    const aws = principal && typeof principal === 'object' ? (principal as Record<string, unknown>).AWS : principal;
    const star = [aws].flat().some((p) => p === '*');
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const ips = condition.IpAddress?.['aws:SourceIp'];
    return {
      effect: typeof s.Effect === 'string' ? s.Effect.toLowerCase() : undefined,
      principal: star ? 'star' : 'restricted',
      sourceIps: ips === undefined ? undefined : [ips].flat().map((t) => ({ text: typeof t === 'string' ? t : undefined, location: policyValue.loc })),
      otherCondition: Object.keys(condition).some((o) => o !== 'IpAddress'),
      location: policyValue.loc,
    } satisfies Statement;
  });
}

function ipCondition(ips: Statement['sourceIps'], policy: Policy): 'none' | 'internet' | 'restricted' | 'unknown' {
  if (!ips) return 'none';
  let unknown = false;
  for (const ip of ips) {
    if (ip.text === undefined) {
      unknown = true;
      continue;
    }
    const reach = assessSource(addressSource(ip.text), policy).reach;
    if (reach === 'internet') return 'internet';
    if (reach === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'restricted';
}
