/**
 * Row-by-row tests of the code tables that test/model/code-tables.test.ts found without a
 * fixture: datastore images and ports, private ranges, server programs, Kubernetes
 * loadBalancerClass values and the Terraform functions portwall evaluates. Each row is judged
 * through the public function that reads the table, with a near miss where one exists.
 */
import { describe, expect, it } from 'vitest';
import type { Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { identifyContainer } from '../../src/model/container-identity.js';
import { DATASTORE_PORTS, datastorePortsIn, identifyImage } from '../../src/model/datastores.js';
import { assessSource, isLoopbackAddress } from '../../src/model/net.js';
import { lintTree, views } from '../helpers/index.js';

const policy = defaultPolicy();
const loc: Location = { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } as Location;
const at = <T>(value: T) => ({ value, location: loc });

describe('IMAGE_RULES rows', () => {
  it.each([
    ['bitnami/postgresql:16.2.0', 'postgres', 'PostgreSQL 16.2', 'bitnami'],
    ['bitnami/postgresql-repmgr:15', 'postgres', 'PostgreSQL 15', 'bitnami'],
    ['bitnami/mysql:8.0', 'mysql', 'MySQL 8.0', 'bitnami'],
    ['influxdb:2.7', 'influxdb', 'InfluxDB 2.7', 'official'],
    ['mcr.microsoft.com/mssql/server:2022-latest', 'mssql', 'SQL Server 2022', 'official'],
    ['gvenzl/oracle-free:23-slim', 'oracle', 'Oracle 23', 'official'],
    ['container-registry.oracle.com/oracle/database:19.3.0-ee', 'oracle', 'Oracle 19.3', 'official'],
    ['neo4j:5.15', 'neo4j', 'Neo4j 5.15', 'official'],
    ['confluentinc/cp-zookeeper:7.5.0', 'zookeeper', 'ZooKeeper 7.5', 'official'],
    ['zookeeper:3.9', 'zookeeper', 'ZooKeeper 3.9', 'official'],
    ['rabbitmq:3.13-management', 'rabbitmq', 'RabbitMQ 3.13', 'official'],
    ['couchbase:enterprise-7.2.4', 'couchbase', 'Couchbase', 'official'],
    ['solr:9.5', 'solr', 'Solr 9.5', 'official'],
  ])('%s is %s', (image, kind, label, family) => {
    const id = identifyImage(image, policy);
    expect(id && { kind: id.kind, label: id.label, family: id.family }).toEqual({ kind, label, family });
  });

  it.each(['prometheuscommunity/postgres-exporter:v0.15', 'solr-operator:0.8', 'rabbitmq-exporter:1', 'neo4j-admin:5', 'influxdb-relay:2'])('near miss %s is no datastore', (image) => {
    expect(identifyImage(image, policy)).toBeUndefined();
  });
});

describe('DATASTORE_PORTS rows', () => {
  it('finds every row by its first and last port, and not one port below or above', () => {
    for (const row of DATASTORE_PORTS) {
      const last = row.to ?? row.port;
      expect(datastorePortsIn([{ from: row.port, to: row.port }], policy, 'tcp').map((m) => m.name)).toContain(row.name);
      expect(datastorePortsIn([{ from: last, to: last }], policy, 'tcp').map((m) => m.name)).toContain(row.name);
      expect(datastorePortsIn([{ from: row.port - 1, to: row.port - 1 }], policy, 'tcp').map((m) => m.name)).not.toContain(row.name);
      expect(datastorePortsIn([{ from: last + 1, to: last + 1 }], policy, 'tcp').map((m) => m.name)).not.toContain(row.name);
    }
  });

  it.each([
    [7687, 'Neo4j Bolt', 'neo4j'],
    [8091, 'Couchbase', 'couchbase'],
    [8096, 'Couchbase', 'couchbase'],
    [8983, 'Solr', 'solr'],
    [5672, 'RabbitMQ AMQP', 'rabbitmq'],
  ])('port %i is %s', (port, name, kind) => {
    expect(datastorePortsIn([{ from: port, to: port }], policy, 'tcp')).toEqual([expect.objectContaining({ name, kind })]);
  });

  it('ends the ranged rows where the catalogue says (a table-driven check reads a mutated table too)', () => {
    const names = (port: number) => datastorePortsIn([{ from: port, to: port }], policy, 'tcp').map((m) => m.name);
    expect([2378, 2379, 2380, 2381].map(names)).toEqual([[], ['etcd'], ['etcd'], []]);
    expect([8090, 8091, 8096, 8097].map(names)).toEqual([[], ['Couchbase'], ['Couchbase'], []]);
    expect([6999, 7000, 7001, 7002].map(names)).toEqual([[], ['Cassandra inter-node'], ['Cassandra inter-node'], []]);
    expect([27016, 27017, 27019, 27020].map(names)).toEqual([[], ['MongoDB'], ['MongoDB'], []]);
  });

  it('keeps udp rows to the datastores that serve udp', () => {
    expect(datastorePortsIn([{ from: 11211, to: 11211 }], policy, 'udp').map((m) => m.name)).toEqual(['memcached']);
    expect(datastorePortsIn([{ from: 6379, to: 6379 }], policy, 'udp')).toEqual([]);
  });
});

describe('PRIVATE_RANGES rows', () => {
  it.each([
    ['169.254.169.254/32', 'private'],
    ['169.254.0.0/16', 'private'],
    ['169.255.0.1/32', 'limited'],
    ['::1/128', 'private'],
    ['100.64.0.0/10', 'private'],
    ['100.128.0.1/32', 'limited'],
  ])('%s is %s', (cidr, reach) => {
    expect(assessSource({ kind: 'cidr', cidr }, policy).reach).toBe(reach);
  });

  it('reads ::1 published ports as local, link-local host IPs as private', () => {
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(assessSource({ kind: 'host-ip', address: '::1' }, policy).reach).toBe('local');
    expect(assessSource({ kind: 'host-ip', address: '169.254.10.1' }, policy).reach).toBe('private');
  });
});

describe('SERVER_PROGRAMS rows', () => {
  it.each([
    [['mariadbd', '--skip-grant-tables'], 'mariadb'],
    [['/usr/sbin/mariadbd'], 'mariadb'],
    [['sh', '-c', 'exec mariadbd --user=mysql'], 'mariadb'],
    [['mongod', '--bind_ip_all'], 'mongodb'],
    [['redis-server', '--protected-mode', 'no'], 'redis'],
    [['postgres', '-c', 'listen_addresses=*'], 'postgres'],
    [['mysqld'], 'mysql'],
    [['memcached', '-l', '0.0.0.0'], 'memcached'],
  ])('%j runs %s', (args, kind) => {
    expect(identifyContainer({ image: at('registry.example.com/team/app:1'), env: [], args: args.map(at) }, policy)?.kind).toBe(kind);
  });

  it('near miss: mariadb-admin is no server', () => {
    expect(identifyContainer({ image: at('registry.example.com/team/app:1'), env: [], args: [at('mariadb-admin')] }, policy)).toBeUndefined();
  });
});

describe('KNOWN_CLASSES rows (Kubernetes loadBalancerClass)', () => {
  const service = (cls: string) => ({
    'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  loadBalancerClass: ${cls}\n  selector: {app: web}\n  ports:\n    - port: 8080\n`,
  });

  it('networking.gke.io/l4-regional-external is public', async () => {
    const r = await lintTree(service('networking.gke.io/l4-regional-external'));
    expect(views(r).map((v) => v.ruleId)).toEqual(['PW001']);
  });

  it('networking.gke.io/l4-regional-internal is internal', async () => {
    const r = await lintTree(service('networking.gke.io/l4-regional-internal'));
    expect(views(r)).toEqual([]);
  });
});

describe('Terraform FUNCTIONS rows', () => {
  const rule = (name: string, port: number, cidrs: string, fromPort = String(port)) =>
    `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = ${fromPort}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ${cidrs}\n  }\n}\n`;
  const tf = [
    rule('f_values', 8001, 'values({ a = "0.0.0.0/0" })'),
    rule('f_tomap', 8002, 'values(tomap({ a = "0.0.0.0/0" }))'),
    rule('f_tobool', 8003, 'tobool("true") ? ["0.0.0.0/0"] : ["10.0.0.0/8"]'),
    rule('f_tobool_false', 9003, 'tobool("false") ? ["0.0.0.0/0"] : ["10.0.0.0/8"]'),
    rule('f_jsondecode', 8004, 'jsondecode("[\\"0.0.0.0/0\\"]")'),
    rule('f_lower', 8005, '[lower("0.0.0.0/0")]'),
    rule('f_replace', 8006, '[replace("10.0.0.0/8", "10.0.0.0/8", "0.0.0.0/0")]'),
    rule('f_coalesce', 8007, '[coalesce("", "0.0.0.0/0")]'),
    rule('f_coalescelist', 8008, 'coalescelist([], ["0.0.0.0/0"])'),
    rule('f_contains', 8009, 'contains(["a", "b"], "b") ? ["0.0.0.0/0"] : ["10.0.0.0/8"]'),
    rule('f_contains_not', 9009, 'contains(["a", "b"], "c") ? ["0.0.0.0/0"] : ["10.0.0.0/8"]'),
    rule('f_zipmap', 8010, 'values(zipmap(["a"], ["0.0.0.0/0"]))'),
    rule('f_sort', 8011, '[sort(["10.0.0.0/8", "0.0.0.0/0"])[0]]'),
    rule('f_slice', 8012, 'slice(["10.0.0.0/8", "0.0.0.0/0"], 1, 2)'),
    rule('f_slice_private', 9012, 'slice(["10.0.0.0/8", "0.0.0.0/0"], 0, 1)'),
    rule('f_one', 8013, '[one(["0.0.0.0/0"])]'),
    rule('f_setunion', 8014, 'tolist(setunion(["0.0.0.0/0"], ["10.0.0.0/8"]))'),
    rule('f_max', 8015, '["0.0.0.0/0"]', 'max(8015, 7000)'),
    rule('f_min', 8016, '["0.0.0.0/0"]', 'min(8016, 9999)'),
  ].join('\n');

  it('evaluates each function to the public CIDR (or port) it computes, and the near misses to private', async () => {
    const r = await lintTree({ 'main.tf': tf });
    expect(r.findings.filter((f) => f.ruleId !== 'PW001').map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    const exposed = r.findings.filter((f) => f.ruleId === 'PW001').map((f) => /aws_security_group\.(\w+) exposes ports? ([\d-]+)\//.exec(f.message)?.slice(1).join(' '));
    expect(exposed.sort()).toEqual([
      'f_coalesce 8007', 'f_coalescelist 8008', 'f_contains 8009', 'f_jsondecode 8004', 'f_lower 8005', 'f_max 8015', 'f_min 8016',
      'f_one 8013', 'f_replace 8006', 'f_setunion 8014', 'f_slice 8012', 'f_sort 8011', 'f_tobool 8003', 'f_tomap 8002', 'f_values 8001', 'f_zipmap 8010',
    ]);
  });
});
