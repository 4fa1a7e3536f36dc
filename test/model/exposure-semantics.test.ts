/** Domain helpers behind issue 13: protocols, inverted ranges, priority ties, identity by evidence, private ranges. */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import type { Location } from '../../src/core/location.js';
import { identifyContainer } from '../../src/model/container-identity.js';
import { datastorePortsIn } from '../../src/model/datastores.js';
import { awsProtocolPorts, openAfterDenies, type OrderedRule } from '../../src/model/firewall.js';
import { assessSource, assessSources } from '../../src/model/net.js';
import { invertedPortText } from '../../src/model/ports.js';
import type { SourceValue } from '../../src/model/types.js';

const at: Location = { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2, startOffset: 0, endOffset: 1 } } as Location;
const cidr = (c: string) => ({ value: { kind: 'cidr', cidr: c } as SourceValue, location: at });

describe('catalogue per protocol', () => {
  it('knows which products answer on UDP', () => {
    expect(datastorePortsIn([{ from: 22, to: 22 }], undefined, 'udp')).toEqual([]);
    expect(datastorePortsIn([{ from: 22, to: 22 }], undefined, 'tcp').map((p) => p.name)).toEqual(['SSH']);
    expect(datastorePortsIn([{ from: 11211, to: 11211 }], undefined, 'udp').map((p) => p.name)).toEqual(['memcached']);
    expect(datastorePortsIn([{ from: 3389, to: 3389 }], undefined, 'udp').map((p) => p.name)).toEqual(['RDP']);
    expect(datastorePortsIn([{ from: 22, to: 22 }], undefined, 'all').map((p) => p.name)).toEqual(['SSH']);
    expect(datastorePortsIn([{ from: 22, to: 22 }], undefined, 'icmp')).toEqual([]);
  });
});

describe('inverted port ranges', () => {
  it('are unknown with a reason, never swapped', () => {
    expect(awsProtocolPorts('tcp', 23, 21)).toEqual({ ports: { protocol: 'tcp', ranges: [], unknown: 'port range 23-21 is inverted: 23 is above 21' } });
    expect(awsProtocolPorts('tcp', 21, 23)).toEqual({ ports: { protocol: 'tcp', ranges: [{ from: 21, to: 23 }] } });
    expect(invertedPortText('8090-8080')).toBe('port range 8090-8080 is inverted: 8090 is above 8080');
    expect(invertedPortText('8080-8090')).toBeUndefined();
  });
});

describe('ordered rules with equal priorities', () => {
  const rule = (allow: boolean, priority: number, name: string): OrderedRule<string> => ({
    priority, allow, name, ports: { protocol: 'tcp', ranges: [{ from: 22, to: 22 }] }, sources: [cidr('0.0.0.0/0')], rule: name,
  });
  it('lets a deny win a tie by default (GCP) and makes the allow unknown when ties are rejected (Azure)', () => {
    const rules = [rule(true, 100, '"allow"'), rule(false, 100, '"deny"')];
    expect(openAfterDenies(rules)).toEqual([]);
    const [part] = openAfterDenies(rules, { ties: 'rejected' });
    expect(part!.ports).toEqual({ protocol: 'tcp', ranges: [], unknown: 'allow "allow" and deny "deny" share priority 100, which Azure rejects' });
    expect(openAfterDenies([rule(true, 200, 'a'), rule(false, 100, 'd')], { ties: 'rejected' })).toEqual([]);
  });
});

describe('private ranges and covering sets', () => {
  const policy = defaultPolicy();
  it.each(['172.16.0.0/12', '172.31.255.0/24', '172.20.0.0/16', '100.64.0.0/10', '100.127.0.0/16', 'fc00::/7', 'fd12:3456::/32', 'fe80::/10'])('%s is private', (c) => {
    expect(assessSource({ kind: 'cidr', cidr: c }, policy).reach).toBe('private');
  });
  it.each(['172.32.0.0/16', '100.128.0.0/16', 'fec0::/48'])('%s is a limited public range', (c) => {
    expect(assessSource({ kind: 'cidr', cidr: c }, policy).reach).toBe('limited');
  });
  it('reads ranges that each are narrower than the threshold but together cover everything as the internet', () => {
    const strict = { ...policy, publicPrefixThreshold: 0 };
    expect(assessSources([cidr('0.0.0.0/1'), cidr('128.0.0.0/2'), cidr('192.0.0.0/2')], strict)).toMatchObject({ reach: 'internet', label: '0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2 (together every IPv4 address)' });
    expect(assessSources([cidr('0.0.0.0/1'), cidr('128.0.0.0/2'), cidr('192.0.0.0/3')], strict).reach).toBe('limited');
  });
});

describe('datastore identity by evidence', () => {
  const spec = (image: string | undefined, env: Record<string, string> = {}, args: string[] = []) => ({
    ...(image ? { image: { value: image, location: at } } : {}),
    env: Object.entries(env).map(([name, value]) => ({ name, value, location: at })),
    args: args.map((value) => ({ value, location: at })),
  });
  it('reads community images, env and server commands; not companions or client settings', () => {
    expect(identifyContainer(spec('quay.io/pires/docker-elasticsearch-kubernetes:5.6.2'))).toMatchObject({ kind: 'elasticsearch', label: 'Elasticsearch 5.6' });
    expect(identifyContainer(spec('docker.io/library/mongo:7.0'))).toMatchObject({ kind: 'mongodb' });
    expect(identifyContainer(spec('example/db:1', { MYSQL_ALLOW_EMPTY_PASSWORD: 'true' }))).toMatchObject({ kind: 'mysql', evidence: 'environment MYSQL_ALLOW_EMPTY_PASSWORD' });
    expect(identifyContainer(spec(undefined, { MONGO_INITDB_DATABASE: 'app' }))).toMatchObject({ kind: 'mongodb' });
    expect(identifyContainer(spec(undefined, { 'discovery.type': 'single-node' }))).toMatchObject({ kind: 'elasticsearch' });
    expect(identifyContainer(spec(undefined, { 'discovery.type': 'single-node', OPENSEARCH_JAVA_OPTS: '-Xmx1g' }))).toMatchObject({ kind: 'opensearch' });
    expect(identifyContainer(spec(undefined, {}, ['sh', '-c', 'exec redis-server --appendonly yes']))).toMatchObject({ kind: 'redis', evidence: 'command redis-server' });
    expect(identifyContainer(spec(undefined, {}, ['postgres', '-c', 'max_connections=200']))).toMatchObject({ kind: 'postgres' });
    expect(identifyContainer(spec('logstash:7.16.1', { 'discovery.seed_hosts': 'logstash', ES_JAVA_OPTS: '-Xmx1g' }))).toBeUndefined();
    expect(identifyContainer(spec('example/app:1', { POSTGRES_PASSWORD: 'x', MYSQL_PASSWORD: 'y' }))).toBeUndefined();
  });
});
