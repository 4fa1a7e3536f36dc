/**
 * The normalized model that every format adapter produces and every rule reads.
 * Formats -> model <- rules: nothing here knows about a file format.
 */
import type { Hop, Located, Location } from '../core/location.js';
import type { ProblemKind } from '../core/problem.js';
import { pushAll } from '../core/arrays.js';

export type Protocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'all';

/** Inclusive port range. */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * A set of ports on one protocol. `ranges` are sorted and merged.
 * `unknown` is set when the adapter could not resolve the ports (a variable without default...).
 */
export interface PortSet {
  protocol: Protocol | 'unknown';
  ranges: PortRange[];
  /** Why the ports are unknown (e.g. "var.port has no default"); ranges are then empty. */
  unknown?: string;
}

/**
 * Where traffic may come from, before policy is applied (trusted ranges and the public
 * prefix threshold live in the policy, so classification is done by model/net.ts).
 */
export type SourceValue =
  | { kind: 'cidr'; cidr: string }
  /** Every address: `*`, `Internet`, `Any`, a compose port without host IP, a public LoadBalancer... */
  | { kind: 'any'; label: string }
  /** A host interface address a port is published on (compose host_ip). */
  | { kind: 'host-ip'; address: string }
  /** Another security group, a service tag such as VirtualNetwork, a prefix list... never the internet. */
  | { kind: 'reference'; label: string }
  /** Could not be resolved: a variable without default, a module output, a data source. */
  | { kind: 'unknown'; reason: string; label: string }
  /**
   * One of several alternatives, picked by a condition the adapter cannot decide (CloudFormation
   * `!If`): every option with its own place and provenance. The policy judges them in
   * model/net.ts: options that reach as far count as the first, others as one unknown.
   */
  | { kind: 'choice'; reason: string; options: Located<SourceValue>[] };

export type ExposureVia =
  | 'compose-port'
  | 'k8s-load-balancer'
  | 'k8s-node-port'
  | 'k8s-external-ip'
  | 'k8s-host-port'
  | 'firewall-rule'
  /** A public HTTP/TCP entry point (Ingress, route, cloud load balancer listener) forwarding to a backend. */
  | 'entry-point'
  /** A deployment unit that could not be rendered (a remote kustomize resource, a chart not rendered): unknown ports and sources. */
  | 'unrendered-unit';

/**
 * One way a set of ports becomes reachable from some sources: a published compose port,
 * a Kubernetes Service port, a container hostPort, or an allow rule in a cloud firewall.
 */
export interface Exposure {
  /** Stable id, unique in the model (used to relate findings to each other). */
  id: string;
  via: ExposureVia;
  /** Human name of what is exposed: "service 'es'", "aws_security_group.db". */
  subject: string;
  /** The ports reachable from the sources (host ports, Service ports, rule ports). */
  ports: PortSet;
  /** The ports of the process behind it, where known (compose container port, targetPort). */
  targetPorts?: PortSet;
  /** What the target ports are called in messages; "container" when absent ("target group" for a load balancer). */
  targetLabel?: string;
  /** Sources, each located. For compose/Kubernetes the location is the port entry itself. */
  sources: Located<SourceValue>[];
  /** Where to report when no single source is to blame (the port entry, the rule header). */
  location: Location;
  /** The workloads that listen behind this exposure (empty for cloud firewall rules). */
  workloads: Workload[];
  /** A safe autofix that makes this exposure local, where one exists. */
  fix?: Fix;
  /** Where the path to the listener runs (an entry point's backend Service, target group), for related locations. */
  related?: { location: Location; message: string }[];
}

export type DatastoreKind =
  | 'elasticsearch'
  | 'opensearch'
  | 'kibana'
  | 'mongodb'
  | 'redis'
  | 'postgres'
  | 'mysql'
  | 'mariadb'
  | 'memcached'
  | 'cassandra'
  | 'couchdb'
  | 'influxdb'
  | 'etcd'
  | 'docker'
  | 'mssql'
  | 'oracle'
  | 'neo4j'
  | 'kafka'
  | 'zookeeper'
  | 'rabbitmq'
  | 'clickhouse'
  | 'ssh'
  | 'rdp'
  | 'couchbase'
  | 'solr'
  | 'minio'
  | 'prometheus'
  | 'other';

export type AuthStateValue = 'enabled' | 'disabled' | 'unknown';

/** Whether a datastore requires authentication, and the setting that decides it. */
export interface AuthState {
  state: AuthStateValue;
  /** The env entry / argument / config line that decides it, or the image when a setting is missing. */
  location?: Location;
  /** Why, in words that never contain a secret value: "MONGO_INITDB_ROOT_USERNAME is not set". */
  reason: string;
  /** Where the deciding setting came from (the env_file item that loads it), for related locations. */
  via?: Hop[];
}

export interface DatastoreIdentity {
  kind: DatastoreKind;
  /** Display name: "Elasticsearch 7.17". */
  label: string;
  /** How it was identified: "image docker.elastic.co/elasticsearch/elasticsearch:7.17.0". */
  evidence: string;
}

export type WorkloadKind = 'compose-service' | 'k8s-container' | 'config-file';

/** A process that listens: a compose service, a Kubernetes container, a datastore configured by a file. */
export interface Workload {
  id: string;
  kind: WorkloadKind;
  /** "service 'es'", "container 'mongo' of Deployment/db". */
  name: string;
  /** The declaration (service key, container name). */
  location: Location;
  image?: Located<string>;
  datastore?: DatastoreIdentity;
  auth?: AuthState;
  /** Ports the process listens on, where known (compose expose/target, containerPort). */
  listenPorts: PortSet[];
  /** Present when the workload shares the host's network namespace. */
  hostNetwork?: Located<true>;
  /** Namespace and labels, for Kubernetes selector resolution. */
  namespace?: string;
  labels?: Record<string, string>;
}

/** A datastore's own config binds it to every interface (elasticsearch.yml network.host: 0.0.0.0 ...). */
export interface InterfaceBinding {
  datastore: DatastoreKind;
  /** The setting, e.g. "network.host: 0.0.0.0". Never contains a secret. */
  setting: string;
  location: Location;
  workload?: Workload;
}

/** A managed cloud datastore (RDS, OpenSearch domain, Cloud SQL...) and whether it is public. */
export type ManagedDatastore = DecidedDatastore | PolicyDecidedDatastore;

/** A managed datastore the format decided on its own (a flag, a network setting). */
export interface DecidedDatastore {
  id: string;
  /** "aws_db_instance.main" */
  subject: string;
  kind: string;
  public: 'yes' | 'unknown';
  reason: string;
  /** The attribute that makes it public, or the resource header when public by absence. */
  location: Location;
  /** Where the deciding value came from (a module input, a variable default), for related locations. */
  via?: Hop[];
  access?: never;
}

/**
 * A managed datastore whose resource policy decides who gets in (an OpenSearch/Elasticsearch
 * domain outside a VPC): the documents as written, policy-free. Which aws:SourceIp ranges
 * count as the internet is the scan policy's, so the verdict is made in the model
 * (model/access-policy.ts decideDatastore) when rules run, never by the format.
 */
interface PolicyDecidedDatastore {
  id: string;
  subject: string;
  kind: string;
  /** The resource itself (the verdict locates the finding at the deciding statement). */
  location: Location;
  /** Where to report instead of the deciding statement (a module in .terraform: the root's call). */
  reportAt?: Location;
  access: DatastoreAccess;
}

export interface DatastoreAccess {
  /** The resource's own policy, then separate policy resources: the first public one decides, else the first unknown. */
  documents: PolicyDocument[];
  /** Each format's words for the verdict. */
  wording: 'terraform' | 'cloudformation';
  /** Set when VPCOptions may be absent (a CloudFormation `!If`): a public policy is then only "may be". */
  vpcCondition?: string;
}

/** A value read from a policy: known text, or unknown with the reason it cannot be known. */
export type PolicyTerm = { text: string; location: Location } | { unknown: string; location: Location };

export interface PolicyCondition {
  /** "IpAddress", "StringEquals", ... */
  operator: string;
  /** "aws:SourceIp", ...; "" when the operator's test is not a map of keys. */
  key: string;
  values: PolicyTerm[];
}

export interface PolicyStatement {
  location: Location;
  /** Set when the statement itself cannot be read. */
  unreadable?: string;
  effect?: PolicyTerm;
  /** The principal entries that could admit everyone: `"*"`, the `AWS` list; empty when none. */
  principals: PolicyTerm[];
  /** Absent without a Condition; an unknown Condition as a whole is `{ unknown }`. */
  conditions?: PolicyCondition[] | { unknown: string; location: Location };
}

export type PolicyDocument =
  | { statements: PolicyStatement[] }
  /** The document cannot be read: not valid JSON, or an unknown value. */
  | { unreadable: 'invalid-json' | string; location: Location };

/** An HTTP entry point from the internet: a Kubernetes Ingress, a Gateway listener. */
export interface HttpListener {
  id: string;
  subject: string;
  tls: boolean;
  public: boolean;
  reason: string;
  location: Location;
}

export interface TextEdit {
  file: string;
  startOffset: number;
  endOffset: number;
  /** Region of the replaced text, for SARIF. */
  location: Location;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

/** A notice that is not a finding: a skipped Helm template, a file format recognized but not supported. */
export interface Notice {
  file: string;
  level: 'note' | 'warning';
  message: string;
  /** The file was recognized but deliberately not checked (a Helm template): it does not count as checked. */
  skipped?: boolean;
  /** The problem channel (src/core/problem.ts); default `skipped` when `skipped`, else `unknown`. `internal` is an error (exit 2). */
  kind?: ProblemKind;
}

/** A file that looks like a supported format but cannot be parsed (reported as PW000). */
interface ParseError {
  file: string;
  message: string;
  location: Location;
}

export interface Model {
  parseErrors: ParseError[];
  workloads: Workload[];
  exposures: Exposure[];
  bindings: InterfaceBinding[];
  managedDatastores: ManagedDatastore[];
  httpListeners: HttpListener[];
}

export function emptyModel(): Model {
  return { parseErrors: [], workloads: [], exposures: [], bindings: [], managedDatastores: [], httpListeners: [] };
}

export function mergeModels(target: Model, part: Partial<Model>): Model {
  if (part.parseErrors) pushAll(target.parseErrors, part.parseErrors);
  if (part.workloads) pushAll(target.workloads, part.workloads);
  if (part.exposures) pushAll(target.exposures, part.exposures);
  if (part.bindings) pushAll(target.bindings, part.bindings);
  if (part.managedDatastores) pushAll(target.managedDatastores, part.managedDatastores);
  if (part.httpListeners) pushAll(target.httpListeners, part.httpListeners);
  return target;
}
