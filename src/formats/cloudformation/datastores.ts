/**
 * Managed datastores of a CloudFormation template and whether they are public:
 * RDS instances/clusters, Redshift clusters and workgroups, Amazon MQ brokers by
 * PubliclyAccessible, MSK clusters by their public access type, OpenSearch and
 * Elasticsearch domains by their place (VPCOptions) and access policy.
 */
import { policyDocumentFromJson, type PolicyCondition, type PolicyDocument, type PolicyStatement, type PolicyTerm } from '../../model/access-policy.js';
import type { DatastoreAccess, DecidedDatastore, ManagedDatastore } from '../../model/types.js';
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

export function managedDatastore(resource: CfnResource, ev: Evaluator): ManagedDatastore | undefined {
  const properties = ev.evaluate(resource.properties);
  const base = { id: `cfn:${resource.keyLocation.file}:${resource.logicalId}`, subject: `${resource.type} ${resource.logicalId}` };
  if (resource.type.endsWith('::Domain')) {
    const access = domainAccess(properties, ev);
    const kind = resource.type.startsWith('AWS::OpenSearch') ? 'OpenSearch Service domain' : 'Elasticsearch Service domain';
    return access ? { ...base, kind, location: resource.keyLocation, access } : undefined;
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

type Verdict = Pick<DecidedDatastore, 'public' | 'reason' | 'location'>;

/** MSK brokers get public addresses with ConnectivityInfo.PublicAccess.Type SERVICE_PROVIDED_EIPS. */
function mskVerdict(properties: CfnValue | undefined, ev: Evaluator): Verdict | undefined {
  const type = ev.property(ev.property(ev.property(ev.property(properties, 'BrokerNodeGroupInfo'), 'ConnectivityInfo'), 'PublicAccess'), 'Type');
  if (!type) return undefined;
  const r = resolveText(type, 'PublicAccess.Type');
  if ('unknown' in r) return { public: 'unknown', reason: r.unknown, location: type.loc };
  return r.value === 'SERVICE_PROVIDED_EIPS' ? { public: 'yes', reason: 'PublicAccess Type SERVICE_PROVIDED_EIPS gives the brokers public addresses', location: type.loc } : undefined;
}

/** A domain's access policy as written; the model judges it under the scan policy (model/access-policy.ts). */
function domainAccess(properties: CfnValue | undefined, ev: Evaluator): DatastoreAccess | undefined {
  const vpc = ev.property(properties, 'VPCOptions');
  let vpcCondition: string | undefined;
  if (vpc) {
    const options = alternatives(vpc);
    if (options.every((o) => o.kind !== 'novalue')) return undefined;
    vpcCondition = vpc.kind === 'choice' ? vpc.reason : 'VPCOptions may be absent';
  }
  const policyValue = ev.property(properties, 'AccessPolicies');
  if (!policyValue) return undefined;
  const document = policyValue.kind === 'scalar' ? policyDocumentFromJson(scalarString(policyValue) ?? '', policyValue.loc) : mapDocument(policyValue, ev);
  return { documents: [document], wording: 'cloudformation', ...(vpcCondition ? { vpcCondition } : {}) };
}

function mapDocument(policyValue: CfnValue, ev: Evaluator): PolicyDocument {
  const statementValue = ev.property(policyValue, 'Statement');
  if (!statementValue) return { statements: [] };
  const items = statementValue.kind === 'list' ? statementValue.items : [statementValue];
  const term = (v: CfnValue): PolicyTerm => {
    const text = scalarString(v);
    return text !== undefined ? { text, location: v.loc } : { unknown: v.kind === 'unknown' ? v.reason : 'a value that cannot be resolved', location: v.loc };
  };
  const statements = items.flatMap((item) => alternatives(item)).filter((s) => s.kind === 'map').map((statement): PolicyStatement => {
    const effect = ev.property(statement, 'Effect');
    const principal = ev.property(statement, 'Principal');
    const condition = ev.property(statement, 'Condition');
    const conditions: PolicyCondition[] = ev.keys(condition).map((operator) => {
      const sourceIp = operator === 'IpAddress' ? ev.property(ev.property(condition, 'IpAddress'), 'aws:SourceIp') : undefined;
      if (!sourceIp) return { operator, key: '', values: [] };
      return { operator, key: 'aws:SourceIp', values: (sourceIp.kind === 'list' ? sourceIp.items : [sourceIp]).map(term) };
    });
    return {
      location: statement.loc,
      ...(effect ? { effect: term(effect) } : {}),
      principals: principalTerms(principal, ev),
      ...(conditions.length ? { conditions } : {}),
    };
  });
  return { statements };
}

/** The principal entries that could admit everyone, each located where it is written. */
function principalTerms(value: CfnValue | undefined, ev: Evaluator): PolicyTerm[] {
  const terms: PolicyTerm[] = [];
  for (const option of value ? alternatives(value) : []) {
    const candidates = option.kind === 'map' ? [ev.property(option, 'AWS')] : [option];
    for (const c of candidates.flatMap((v) => (v?.kind === 'list' ? v.items : v ? [v] : []))) {
      const text = scalarString(c);
      if (text !== undefined) terms.push({ text, location: c.loc });
      else if (c.kind === 'unknown' || c.kind === 'choice') terms.push({ unknown: c.reason, location: c.loc });
    }
  }
  return terms;
}
