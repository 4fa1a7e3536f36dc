/**
 * Tests written for the survivors of the first full `npm run mutation` run (every mutant of
 * src/model and the adapters' judging files; see /work/notes/issue-18m.md). Each pins a decision
 * that no other test pinned: malformed input that must stay unreadable, boundaries that must
 * stay where they are.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { assessContainerAuth, type ContainerSpec } from '../../src/model/auth.js';
import { identifyContainer } from '../../src/model/container-identity.js';
import { judgeAccessPolicy, policyDocumentFromJson, type PolicyStatement } from '../../src/model/access-policy.js';
import { exposureSites, siteDisallowedText } from '../../src/model/sites.js';
import { datastorePortsIn, identifyImage, parseImage } from '../../src/model/datastores.js';
import { formatPortSet, formatRanges, intersectRanges, parsePortText, isAllTraffic, normalizeRanges, rangesContain } from '../../src/model/ports.js';
import { addressSource, awsProtocolPorts, cidrSource, openAfterDenies, sourceCovers, type OrderedRule } from '../../src/model/firewall.js';
import type { Exposure, PortSet, SourceValue } from '../../src/model/types.js';
import { assessSource, assessSources, cidrsCoverAll, parseCidr, parseIp } from '../../src/model/net.js';

describe('net: parseIp rejects malformed IPv6 text', () => {
  it('rejects a second "::" even when the groups around it add up to eight', () => {
    expect(parseIp('1:2:3:4::5:6:7:8::9')).toBeUndefined();
    expect(parseIp('1:2:3:4:5:6:7:8::1::2')).toBeUndefined();
    expect(parseIp('1:2:3:4::5:6:7:8')).toEqual({ version: 6, value: 0x00010002000300040005000600070008n });
  });

  it('rejects nine groups around "::" (no room for the zeros it stands for)', () => {
    expect(parseIp('1:2:3:4:5::6:7:8:9')).toBeUndefined();
    expect(parseIp('1:2:3:4:5::6:7')).toEqual({ version: 6, value: 0x00010002000300040005000000060007n });
  });

  it('rejects a group of five hex digits and an empty group', () => {
    expect(parseIp('12345::1')).toBeUndefined();
    expect(parseIp('1:::2')).toBeUndefined();
    expect(parseIp('1234::1')).toEqual({ version: 6, value: (0x1234n << 112n) | 1n });
  });
});

describe('net: parseCidr reads only a decimal prefix', () => {
  it('rejects an empty or non-numeric prefix instead of reading it as /0', () => {
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8x')).toBeUndefined();
    expect(parseCidr('10.0.0.0/ab')).toBeUndefined();
    expect(parseCidr('10.0.0.0/0')).toEqual({ version: 4, network: 0n, prefix: 0 });
  });
});

describe('net: assessSource', () => {
  it('calls a host address that is no IP address unknown, with the reason', () => {
    expect(assessSource({ kind: 'host-ip', address: 'my-host' }, defaultPolicy())).toEqual({ reach: 'unknown', label: 'my-host', reason: 'host address my-host is not an IP address' });
  });

  it('trusts only the sources inside a trusted range, and skips a trusted entry that is no CIDR', () => {
    const policy = { ...defaultPolicy(), trustedSources: ['not-a-cidr', '198.51.100.0/24'] };
    expect(assessSource({ kind: 'cidr', cidr: '198.51.100.0/25' }, policy)).toEqual({ reach: 'trusted', label: '198.51.100.0/25' });
    expect(assessSource({ kind: 'cidr', cidr: '203.0.113.0/24' }, policy)).toEqual({ reach: 'limited', label: '203.0.113.0/24' });
    expect(assessSource({ kind: 'cidr', cidr: '0.0.0.0/0' }, policy)).toEqual({ reach: 'internet', label: '0.0.0.0/0' });
  });
});

describe('net: cidrsCoverAll', () => {
  const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

  it('counts only the ranges of the family asked about, and skips text that is no CIDR', () => {
    expect(cidrsCoverAll(['::/0'], 4)).toBe(false);
    expect(cidrsCoverAll(['not-a-cidr', '0.0.0.0/1', '128.0.0.0/1'], 4)).toBe(true);
  });

  it('finds a gap of one address', () => {
    // 0.0.0.0/1 and every block from 128.0.0.1 up: all but 128.0.0.0.
    const upper = Array.from({ length: 31 }, (_, k) => `${dotted(2 ** 31 + 2 ** k)}/${32 - k}`);
    expect(upper[0]).toBe('128.0.0.1/32');
    expect(upper[30]).toBe('192.0.0.0/2');
    expect(cidrsCoverAll(['0.0.0.0/1', ...upper], 4)).toBe(false);
    expect(cidrsCoverAll(['0.0.0.0/1', '128.0.0.0/32', ...upper], 4)).toBe(true);
  });
});

describe('net: assessSources joins limited ranges that cover a family', () => {
  const at = (line: number) => ({ file: 'main.tf', region: { startLine: line, startColumn: 5, endLine: line, endColumn: 30, startOffset: 0, endOffset: 0 } });
  const cidrs = (...list: string[]) => list.map((cidr, i) => ({ value: { kind: 'cidr' as const, cidr }, location: at(10 + i) }));
  // Thresholds of 0: a /1 is a limited range, not the internet by itself.
  const policy = { ...defaultPolicy(), publicPrefixThreshold: 0, publicPrefixThresholdIpv6: 0 };

  it('two IPv4 halves are the internet, reported at the first range', () => {
    expect(assessSources(cidrs('0.0.0.0/1', '128.0.0.0/1'), policy)).toEqual({
      reach: 'internet', source: cidrs('0.0.0.0/1')[0], location: at(10), label: '0.0.0.0/1, 128.0.0.0/1 (together every IPv4 address)',
    });
  });

  it('two IPv6 halves are the internet too', () => {
    expect(assessSources(cidrs('::/1', '8000::/1'), policy)).toMatchObject({ reach: 'internet', location: at(10), label: '::/1, 8000::/1 (together every IPv6 address)' });
  });

  it('lists three ranges, and shortens four or more to a count and the ends', () => {
    expect(assessSources(cidrs('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'), policy).label).toBe('0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2 (together every IPv4 address)');
    expect(assessSources(cidrs('0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'), policy).label).toBe('4 ranges, 0.0.0.0/2 to 192.0.0.0/2 (together every IPv4 address)');
  });

  it('leaves one trusted range that covers everything trusted', () => {
    const trusting = { ...defaultPolicy(), trustedSources: ['0.0.0.0/0'] };
    expect(assessSources(cidrs('0.0.0.0/0'), trusting)).toEqual({ reach: 'trusted', source: cidrs('0.0.0.0/0')[0], location: at(10), label: '0.0.0.0/0' });
  });
});

describe('ports', () => {
  it('normalizeRanges sorts by the start before merging', () => {
    expect(normalizeRanges([{ from: 10, to: 100 }, { from: 20, to: 30 }])).toEqual([{ from: 10, to: 100 }]);
    expect(normalizeRanges([{ from: 300, to: 300 }, { from: 20, to: 30 }, { from: 10, to: 15 }])).toEqual([{ from: 10, to: 15 }, { from: 20, to: 30 }, { from: 300, to: 300 }]);
  });

  it('intersectRanges keeps a shared end port and drops disjoint ranges', () => {
    expect(intersectRanges([{ from: 80, to: 90 }], [{ from: 90, to: 100 }])).toEqual([{ from: 90, to: 90 }]);
    expect(intersectRanges([{ from: 80, to: 89 }], [{ from: 90, to: 100 }])).toEqual([]);
    expect(intersectRanges([{ from: 1, to: 1000 }], [{ from: 22, to: 22 }, { from: 443, to: 443 }])).toEqual([{ from: 22, to: 22 }, { from: 443, to: 443 }]);
  });

  it('rangesContain includes both ends and nothing beyond', () => {
    const ranges = [{ from: 80, to: 90 }];
    expect([79, 80, 90, 91].map((p) => rangesContain(ranges, p))).toEqual([false, true, true, false]);
  });

  it('isAllTraffic: never for a set with an unresolved part, never for ICMP', () => {
    expect(isAllTraffic({ protocol: 'tcp', ranges: [{ from: 0, to: 65535 }] })).toBe(true);
    expect(isAllTraffic({ protocol: 'tcp', ranges: [{ from: 0, to: 65535 }], unknown: 'the port range is not set' })).toBe(false);
    expect(isAllTraffic({ protocol: 'icmp', ranges: [{ from: 0, to: 65535 }] })).toBe(false);
  });

  it('formatPortSet says "all ports" from port 1 up, never from port 2', () => {
    expect(formatPortSet({ protocol: 'all', ranges: [{ from: 1, to: 65535 }] })).toBe('all ports and protocols');
    expect(formatPortSet({ protocol: 'all', ranges: [{ from: 2, to: 65535 }] })).toBe('ports 2-65535');
    expect(formatPortSet({ protocol: 'tcp', ranges: [{ from: 1, to: 65535 }] })).toBe('all ports (tcp)');
    expect(formatPortSet({ protocol: 'tcp', ranges: [{ from: 2, to: 65535 }] })).toBe('ports 2-65535/tcp');
  });

  it('parsePortText takes port 65535 at either end, and no port above it at either end', () => {
    expect(parsePortText('65535')).toEqual({ from: 65535, to: 65535 });
    expect(parsePortText('80-65535')).toEqual({ from: 80, to: 65535 });
    expect(parsePortText('65536')).toBeUndefined();
    expect(parsePortText('80-65536')).toBeUndefined();
    expect(parsePortText('65536-80')).toBeUndefined();
  });

  it('formatRanges lists eight ranges, and eight plus a count beyond', () => {
    const ranges = (n: number) => Array.from({ length: n }, (_, i) => ({ from: 1000 + 10 * i, to: 1000 + 10 * i }));
    expect(formatRanges(ranges(8))).toBe('1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070');
    expect(formatRanges(ranges(10))).toBe('1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070 and 2 more');
    expect(formatRanges(ranges(3), 2)).toBe('1000, 1010 and 1 more');
  });
});

describe('firewall: addressSource and cidrSource', () => {
  it('writes a bare address as a one-address CIDR of its family', () => {
    expect(addressSource('10.0.0.1')).toEqual({ kind: 'cidr', cidr: '10.0.0.1/32' });
    expect(addressSource('2001:db8::1')).toEqual({ kind: 'cidr', cidr: '2001:db8::1/128' });
  });

  it('cidrSource takes only an address with a prefix', () => {
    expect(cidrSource('10.0.0.0/8')).toEqual({ kind: 'cidr', cidr: '10.0.0.0/8' });
    expect(cidrSource('10.0.0.1')).toEqual({ kind: 'unknown', reason: '"10.0.0.1" is not a CIDR', label: '10.0.0.1' });
    expect(cidrSource('web/8')).toEqual({ kind: 'unknown', reason: '"web/8" is not a CIDR', label: 'web/8' });
  });
});

describe('firewall: awsProtocolPorts', () => {
  const tcp = (from: number, to: number) => ({ ports: { protocol: 'tcp', ranges: [{ from, to }] } });
  const unknown = (reason: string) => ({ ports: { protocol: 'tcp', ranges: [], unknown: reason } });

  it('a protocol without ports is portless, whatever the ports say', () => {
    expect(awsProtocolPorts('gre', 0, 65535)).toEqual({ portless: 'gre' });
    expect(awsProtocolPorts('50', 22, 22)).toEqual({ portless: '50' });
  });

  it('a missing end repeats the other; both missing is unknown', () => {
    expect(awsProtocolPorts('tcp', 22, undefined)).toEqual(tcp(22, 22));
    expect(awsProtocolPorts('tcp', undefined, 22)).toEqual(tcp(22, 22));
    expect(awsProtocolPorts('tcp', undefined, undefined)).toEqual(unknown('the port range is not set'));
  });

  it('-1 is every port, 0 is port 0', () => {
    expect(awsProtocolPorts('tcp', -1, -1)).toEqual(tcp(0, 65535));
    expect(awsProtocolPorts('tcp', undefined, -1)).toEqual(tcp(0, 65535));
    expect(awsProtocolPorts('tcp', 0, 0)).toEqual(tcp(0, 0));
  });

  it('a port above 65535 at either end is out of range', () => {
    expect(awsProtocolPorts('tcp', 65536, 65535)).toEqual(unknown('port 65536 is out of range'));
    expect(awsProtocolPorts('tcp', 0, 65536)).toEqual(unknown('port 65536 is out of range'));
  });
});

describe('firewall: openAfterDenies never closes an allow it cannot judge', () => {
  const any = { value: { kind: 'cidr' as const, cidr: '0.0.0.0/0' }, location: { file: 'nsg.json', region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 9, startOffset: 0, endOffset: 0 } } };
  const rule = (allow: boolean, priority: number, ports: PortSet): OrderedRule<string> => ({ priority, allow, ports, sources: [any], rule: allow ? 'allow' : 'deny' });
  const denyAll = rule(false, 100, { protocol: 'all', ranges: [{ from: 0, to: 65535 }] });

  it('keeps an allow with unresolved ports whole behind a deny of everything', () => {
    const ports: PortSet = { protocol: 'tcp', ranges: [], unknown: 'the port is a variable' };
    expect(openAfterDenies([rule(true, 200, ports), denyAll])).toEqual([{ rule: 'allow', ports, sources: [any], narrowed: false }]);
  });

  it('keeps an allow of an unknown protocol whole behind a deny of everything', () => {
    const ports: PortSet = { protocol: 'unknown', ranges: [{ from: 22, to: 22 }] };
    expect(openAfterDenies([rule(true, 200, ports), denyAll])).toEqual([{ rule: 'allow', ports, sources: [any], narrowed: false }]);
  });

  it('closes a resolved allow behind the same deny', () => {
    expect(openAfterDenies([rule(true, 200, { protocol: 'tcp', ranges: [{ from: 22, to: 22 }] }), denyAll])).toEqual([]);
  });
});

describe('firewall: which deny sources cover an allow source', () => {
  const star: SourceValue = { kind: 'any', label: '*' };
  const internet: SourceValue = { kind: 'any', label: 'Internet' };
  const cidr = (c: string): SourceValue => ({ kind: 'cidr', cidr: c });
  const tag = (name: string): SourceValue => ({ kind: 'reference', label: `service tag ${name}` });
  it.each([
    ['* covers a private range', star, cidr('10.0.0.0/8'), true],
    ['* covers a tag', star, tag('Sql'), true],
    ['Internet covers *', internet, star, true],
    ['Internet covers a public range', internet, cidr('203.0.113.0/24'), true],
    ['Internet does not cover a private range', internet, cidr('10.0.0.0/8'), false],
    ['Internet does not cover a tag', internet, tag('Sql'), false],
    ['0.0.0.0/0 covers *', cidr('0.0.0.0/0'), star, true],
    ['10.0.0.0/8 does not cover *', cidr('10.0.0.0/8'), star, false],
    ['0.0.0.0/0 does not cover a tag', cidr('0.0.0.0/0'), tag('Sql'), false],
    ['10.0.0.0/8 covers 10.1.0.0/16', cidr('10.0.0.0/8'), cidr('10.1.0.0/16'), true],
    ['10.0.0.0/8 does not cover text that is no CIDR', cidr('10.0.0.0/8'), cidr('web'), false],
    ['text that is no CIDR covers nothing', cidr('web'), star, false],
    ['a tag covers the same tag', tag('Sql'), tag('Sql'), true],
    ['a tag does not cover another tag', tag('Sql'), tag('Web'), false],
    ['a tag does not cover a range', tag('Sql'), cidr('10.0.0.0/8'), false],
    ['an unknown covers nothing', { kind: 'unknown', label: 'var.x', reason: 'unresolved' } as SourceValue, star, false],
  ] as const)('%s', (_, deny, source, covered) => {
    expect(sourceCovers(deny, source)).toBe(covered);
  });
});

describe('firewall: openAfterDenies scopes and ICMP', () => {
  const at = { file: 'fw.json', region: { startLine: 7, startColumn: 3, endLine: 7, endColumn: 20, startOffset: 0, endOffset: 0 } };
  const from = (c: string) => ({ value: { kind: 'cidr' as const, cidr: c }, location: at });
  const icmp: PortSet = { protocol: 'icmp', ranges: [] };
  const ssh: PortSet = { protocol: 'tcp', ranges: [{ from: 22, to: 22 }] };

  it('a deny without a scope closes an allow of any scope', () => {
    const rules: OrderedRule<string>[] = [
      { priority: 200, allow: true, ports: ssh, sources: [from('0.0.0.0/0')], scope: 'web', rule: 'allow' },
      { priority: 100, allow: false, ports: ssh, sources: [from('0.0.0.0/0')], rule: 'deny' },
    ];
    expect(openAfterDenies(rules)).toEqual([]);
  });

  it('an ICMP allow stays open when the earlier ICMP deny covers other sources only', () => {
    const rules: OrderedRule<string>[] = [
      { priority: 200, allow: true, ports: icmp, sources: [from('0.0.0.0/0')], rule: 'allow' },
      { priority: 100, allow: false, ports: icmp, sources: [from('10.0.0.0/8')], rule: 'deny' },
    ];
    expect(openAfterDenies(rules)).toEqual([{ rule: 'allow', ports: icmp, sources: [from('0.0.0.0/0')], narrowed: false }]);
  });
});

describe('auth: assessContainerAuth', () => {
  // compose.yaml: the image on line 3, env entries from line 5, args from line 20.
  const line = (n: number) => ({ file: 'compose.yaml', region: { startLine: n, startColumn: 7, endLine: n, endColumn: 40, startOffset: 0, endOffset: 0 } });
  const container = (image: string, env: Record<string, string | undefined> = {}, args: string[] = [], opaqueEnv = false): ContainerSpec => ({
    image: { value: image, location: line(3) },
    env: Object.entries(env).map(([name, value], i) => ({ name, value, location: line(5 + i) })),
    args: args.map((value, i) => ({ value, location: line(20 + i) })),
    ...(opaqueEnv ? { opaqueEnv } : {}),
  });
  const auth = (spec: ContainerSpec) => assessContainerAuth(identifyContainer(spec)!, spec);

  it('OpenSearch: an unresolved DISABLE_SECURITY_PLUGIN is unknown, at the entry', () => {
    expect(auth(container('opensearchproject/opensearch:2.11.0', { DISABLE_SECURITY_PLUGIN: undefined }))).toEqual({ state: 'unknown', reason: 'DISABLE_SECURITY_PLUGIN cannot be resolved', location: line(5) });
  });

  it('OpenSearch: -Eplugins.security.disabled=true disables security, =false does not', () => {
    expect(auth(container('opensearchproject/opensearch:2.11.0', {}, ['opensearch', '-Eplugins.security.disabled=true']))).toEqual({ state: 'disabled', reason: 'plugins.security.disabled=true on the command line', location: line(21) });
    expect(auth(container('opensearchproject/opensearch:2.11.0', {}, ['opensearch', '-Eplugins.security.disabled=false']))?.state).toBe('enabled');
  });

  it('MongoDB (bitnami): ALLOW_EMPTY_PASSWORD=no keeps the password requirement', () => {
    expect(auth(container('bitnami/mongodb:7.0', { ALLOW_EMPTY_PASSWORD: 'no' }))?.state).toBe('enabled');
    expect(auth(container('bitnami/mongodb:7.0', { ALLOW_EMPTY_PASSWORD: 'yes' }))).toEqual({ state: 'disabled', reason: 'ALLOW_EMPTY_PASSWORD=yes: MongoDB runs without a root password', location: line(5) });
  });

  it('MongoDB: an unresolved root user is unknown; an empty one with an unreadable env_file is unknown too', () => {
    expect(auth(container('mongo:7', { MONGO_INITDB_ROOT_USERNAME: undefined }))).toEqual({ state: 'unknown', reason: 'MONGO_INITDB_ROOT_USERNAME cannot be resolved', location: line(5) });
    expect(auth(container('mongo:7', { MONGO_INITDB_ROOT_USERNAME: '' }, [], true))).toEqual({ state: 'unknown', reason: 'the environment comes partly from a source portwall cannot read', location: line(3) });
    expect(auth(container('mongo:7', { MONGO_INITDB_ROOT_USERNAME: '' }))).toEqual({ state: 'disabled', reason: 'MONGO_INITDB_ROOT_USERNAME is empty, so no root user is created and mongod runs without --auth', location: line(5) });
  });

  it('Redis: --aclfile is authentication; an unexpanded command line is unknown', () => {
    expect(auth(container('redis:7.2', {}, ['redis-server', '--aclfile', '/etc/redis/users.acl']))).toEqual({ state: 'enabled', reason: '--aclfile on the command line', location: line(21) });
    expect(auth(container('redis:7.2', {}, ['sh', '-c', 'redis-server --port ${REDIS_PORT}']))).toEqual({ state: 'unknown', reason: 'the Redis command line cannot be resolved', location: line(3) });
    expect(auth(container('redis:7.2', {}, ['sh', '-c', 'redis-server --port $(cat /port)']))?.state).toBe('unknown');
  });

  it('PostgreSQL: ALLOW_EMPTY_PASSWORD=yes counts on the bitnami image only', () => {
    expect(auth(container('bitnami/postgresql:16', { ALLOW_EMPTY_PASSWORD: 'yes' }))).toEqual({ state: 'disabled', reason: 'ALLOW_EMPTY_PASSWORD=yes: PostgreSQL runs without a password', location: line(5) });
    expect(auth(container('bitnami/postgresql:16', { ALLOW_EMPTY_PASSWORD: 'no' }))?.state).toBe('enabled');
    expect(auth(container('postgres:16', { ALLOW_EMPTY_PASSWORD: 'yes' }))?.state).toBe('enabled');
  });

  it('MySQL: unresolved is unknown; the official images take any non-empty value as yes, bitnami only yes-words', () => {
    expect(auth(container('mysql:8.0', { MYSQL_ALLOW_EMPTY_PASSWORD: undefined }))).toEqual({ state: 'unknown', reason: 'MYSQL_ALLOW_EMPTY_PASSWORD cannot be resolved', location: line(5) });
    expect(auth(container('mysql:8.0', { MYSQL_ALLOW_EMPTY_PASSWORD: 'enabled' }))).toEqual({ state: 'disabled', reason: 'MYSQL_ALLOW_EMPTY_PASSWORD is set: the root account has an empty password', location: line(5) });
    expect(auth(container('mysql:8.0', { MYSQL_ALLOW_EMPTY_PASSWORD: 'no' }))?.state).toBe('enabled');
    expect(auth(container('bitnami/mysql:8.0', { ALLOW_EMPTY_PASSWORD: 'enabled' }))?.state).toBe('enabled');
    expect(auth(container('bitnami/mysql:8.0', { ALLOW_EMPTY_PASSWORD: 'yes' }))?.state).toBe('disabled');
  });

  it('memcached: -S is SASL authentication at the argument; without it none', () => {
    expect(auth(container('memcached:1.6', {}, ['memcached', '-S']))).toEqual({ state: 'enabled', reason: 'SASL authentication enabled (-S)', location: line(21) });
    expect(auth(container('memcached:1.6', {}, ['memcached', '-m', '64']))).toEqual({ state: 'disabled', reason: 'memcached has no authentication unless started with SASL (-S)', location: line(3) });
  });

  it('CouchDB: COUCHDB_USER is an admin; without one 2.x is an admin party and 3.x refuses to start', () => {
    expect(auth(container('couchdb:2.3', { COUCHDB_USER: 'admin' }))).toEqual({ state: 'enabled', reason: 'COUCHDB_USER is set', location: line(5) });
    expect(auth(container('couchdb:2.3'))).toEqual({ state: 'disabled', reason: 'COUCHDB_USER is not set: CouchDB 2 runs as an "admin party" open to everyone', location: line(3) });
    expect(auth(container('couchdb:3.3'))?.state).toBe('enabled');
    expect(auth(container('couchdb'))?.state).toBe('enabled');
  });

  it('InfluxDB 1.x: off unless INFLUXDB_HTTP_AUTH_ENABLED=true, reported at the flag when there is one', () => {
    expect(auth(container('influxdb:1.8', { INFLUXDB_HTTP_AUTH_ENABLED: 'false' }))).toEqual({ state: 'disabled', reason: 'InfluxDB 1.x has HTTP authentication off unless INFLUXDB_HTTP_AUTH_ENABLED=true', location: line(5) });
    expect(auth(container('influxdb:1.8'))).toEqual({ state: 'disabled', reason: 'InfluxDB 1.x has HTTP authentication off unless INFLUXDB_HTTP_AUTH_ENABLED=true', location: line(3) });
  });

  it('Neo4j: NEO4J_AUTH=none disables authentication, a user/password does not', () => {
    expect(auth(container('neo4j:5', { NEO4J_AUTH: 'none' }))).toEqual({ state: 'disabled', reason: 'NEO4J_AUTH=none: authentication is disabled', location: line(5) });
    expect(auth(container('neo4j:5', { NEO4J_AUTH: 'neo4j/s3cret-pass' }))?.state).toBe('enabled');
    expect(auth(container('neo4j:5'))?.state).toBe('enabled');
  });

  it('Cassandra: open by default, PasswordAuthenticator or the bitnami image is authentication', () => {
    expect(auth(container('cassandra:4.1'))).toEqual({ state: 'disabled', reason: 'Cassandra uses AllowAllAuthenticator by default', location: line(3) });
    expect(auth(container('cassandra:4.1', { CASSANDRA_AUTHENTICATOR: 'PasswordAuthenticator' }))).toEqual({ state: 'enabled', reason: 'CASSANDRA_AUTHENTICATOR is PasswordAuthenticator', location: line(5) });
    expect(auth(container('cassandra:4.1', { CASSANDRA_AUTHENTICATOR: 'AllowAllAuthenticator' }))?.state).toBe('disabled');
    expect(auth(container('bitnami/cassandra:4.1'))).toEqual({ state: 'enabled', reason: 'the bitnami image enables password authentication' });
  });

  it('etcd: open unless client certificates, a root password or the bitnami image; ALLOW_NONE_AUTHENTICATION=yes opens it', () => {
    expect(auth(container('bitnami/etcd:3.5', { ALLOW_NONE_AUTHENTICATION: 'yes' }))).toEqual({ state: 'disabled', reason: 'ALLOW_NONE_AUTHENTICATION=yes: etcd accepts unauthenticated clients', location: line(5) });
    expect(auth(container('bitnami/etcd:3.5', { ALLOW_NONE_AUTHENTICATION: 'no' }))).toEqual({ state: 'enabled', reason: 'the bitnami image requires ETCD_ROOT_PASSWORD unless ALLOW_NONE_AUTHENTICATION is set' });
    expect(auth(container('quay.io/coreos/etcd:v3.5.9', {}, ['etcd', '--client-cert-auth']))).toEqual({ state: 'enabled', reason: '--client-cert-auth on the command line', location: line(21) });
    expect(auth(container('quay.io/coreos/etcd:v3.5.9', { ETCD_ROOT_PASSWORD: 'x' }))).toEqual({ state: 'enabled', reason: 'ETCD_ROOT_PASSWORD is set', location: line(5) });
    expect(auth(container('quay.io/coreos/etcd:v3.5.9'))).toEqual({ state: 'disabled', reason: 'etcd serves clients without authentication unless client certificates are required', location: line(3) });
  });

  it('ZooKeeper: ALLOW_ANONYMOUS_LOGIN=yes is open; otherwise not judged', () => {
    expect(auth(container('bitnami/zookeeper:3.9', { ALLOW_ANONYMOUS_LOGIN: 'yes' }))).toEqual({ state: 'disabled', reason: 'ALLOW_ANONYMOUS_LOGIN=yes: ZooKeeper accepts anonymous clients', location: line(5) });
    expect(auth(container('bitnami/zookeeper:3.9', { ALLOW_ANONYMOUS_LOGIN: 'no' }))).toBeUndefined();
  });

  it('Elasticsearch (bitnami): ELASTICSEARCH_ENABLE_SECURITY decides, reported at the entry, else at the image', () => {
    expect(auth(container('bitnami/elasticsearch:8.11', { ELASTICSEARCH_ENABLE_SECURITY: undefined }))).toEqual({ state: 'unknown', reason: 'ELASTICSEARCH_ENABLE_SECURITY cannot be resolved', location: line(5) });
    const off = 'the bitnami Elasticsearch image runs without security unless ELASTICSEARCH_ENABLE_SECURITY=true';
    expect(auth(container('bitnami/elasticsearch:8.11', { ELASTICSEARCH_ENABLE_SECURITY: 'no' }))).toEqual({ state: 'disabled', reason: off, location: line(5) });
    expect(auth(container('bitnami/elasticsearch:8.11'))).toEqual({ state: 'disabled', reason: off, location: line(3) });
  });

  it('Elasticsearch: an unresolved xpack.security.enabled is unknown; a value that is neither true nor false decides nothing', () => {
    expect(auth(container('elasticsearch:7.17.0', { 'xpack.security.enabled': undefined }))).toEqual({ state: 'unknown', reason: 'xpack.security.enabled cannot be resolved', location: line(5) });
    expect(auth(container('elasticsearch:7.17.0', { 'xpack.security.enabled': 'auto' }))).toEqual({ state: 'disabled', reason: 'Elasticsearch 7.x runs without security unless xpack.security.enabled=true', location: line(3) });
  });

  it('Elasticsearch 5 from docker.elastic.co: an unresolved ELASTIC_PASSWORD is unknown', () => {
    expect(auth(container('docker.elastic.co/elasticsearch/elasticsearch:5.6.16', { ELASTIC_PASSWORD: undefined }))).toEqual({ state: 'unknown', reason: 'ELASTIC_PASSWORD cannot be resolved', location: line(5) });
  });

  it('Elasticsearch 5 from docker.elastic.co: no password with an unreadable env_file is unknown', () => {
    expect(auth(container('docker.elastic.co/elasticsearch/elasticsearch:5.6.16', {}, [], true))).toEqual({ state: 'unknown', reason: 'the environment comes partly from a source portwall cannot read', location: line(3) });
  });

  it('Elasticsearch without a version: untagged and latest are current (secure), another tag is unknown', () => {
    const current = { state: 'enabled', reason: 'current Elasticsearch (8 and later) enables security by default' };
    expect(auth(container('elasticsearch'))).toEqual(current);
    expect(auth(container('elasticsearch:latest'))).toEqual(current);
    expect(auth(container('elasticsearch:nightly'))).toEqual({ state: 'unknown', reason: 'the Elasticsearch version of tag "nightly" is unknown', location: line(3) });
  });

  it('Docker daemon: a TCP listener without --tlsverify, or --tls=false, is open at that argument', () => {
    const open = 'the Docker daemon listens on TCP without --tlsverify: anyone who reaches it controls the host';
    expect(auth(container('docker:24-dind', {}, ['dockerd', '--host=tcp://0.0.0.0:2376']))).toEqual({ state: 'disabled', reason: open, location: line(21) });
    expect(auth(container('docker:24-dind', {}, ['dockerd', '--host=tcp://[::]:2375']))).toEqual({ state: 'disabled', reason: open, location: line(21) });
    expect(auth(container('docker:24-dind', {}, ['dockerd', '--host=tcp://0.0.0.0:2376', '--tlsverify']))?.state).toBe('enabled');
    expect(auth(container('docker:24-dind', {}, ['dockerd', '--tls=false']))).toEqual({ state: 'disabled', reason: '--tls=false: the Docker daemon serves its API without TLS', location: line(21) });
  });

  it('Docker: only the dind image is judged by DOCKER_TLS_CERTDIR', () => {
    expect(auth(container('docker:24'))).toBeUndefined();
    expect(auth(container('docker:24-dind', { DOCKER_TLS_CERTDIR: '/certs' }))).toEqual({ state: 'enabled', reason: 'the dind image generates TLS certificates by default' });
    expect(auth(container('docker:24-dind', { DOCKER_TLS_CERTDIR: '' }))).toEqual({ state: 'disabled', reason: 'DOCKER_TLS_CERTDIR is empty: the dind daemon serves its API on 2375 without TLS', location: line(5) });
    expect(auth(container('docker:24-dind', { DOCKER_TLS_CERTDIR: undefined }))).toEqual({ state: 'unknown', reason: 'DOCKER_TLS_CERTDIR cannot be resolved', location: line(5) });
  });
});

describe('datastores: the port catalogue', () => {
  it('names the Docker daemon on 2375 (plain TCP) and 2376 (TLS)', () => {
    expect(datastorePortsIn([{ from: 2375, to: 2375 }]).map((p) => p.name)).toEqual(['Docker daemon (plain TCP)']);
    expect(datastorePortsIn([{ from: 2376, to: 2376 }]).map((p) => p.name)).toEqual(['Docker daemon (TLS)']);
  });

  it('parseImage splits a registry with a path', () => {
    expect(parseImage('registry.example.com/team/redis:7.2')).toEqual({ registry: 'registry.example.com', repository: 'team/redis', tag: '7.2' });
    // No slash, no registry, dots or not.
    expect(parseImage('my.app:2')).toEqual({ repository: 'my.app', tag: '2' });
  });

  it('identifyImage never guesses an image with an unexpanded variable or an empty name', () => {
    expect(identifyImage('redis:${REDIS_TAG}')).toBeUndefined();
    expect(identifyImage('${IMAGE}')).toBeUndefined();
    expect(identifyImage('')).toBeUndefined();
  });

  it('identifyImage knows a bitnami image behind a mirror path by its last two segments', () => {
    expect(identifyImage('mirror.example.com/team/bitnami/redis:7.2')).toMatchObject({ kind: 'redis', family: 'bitnami', label: 'Redis 7.2' });
  });

  it('identifyImage reads v-tags of the official image and a missing minor as 0', () => {
    expect(identifyImage('redis:v7.2')?.version).toEqual({ major: 7, minor: 2, text: '7.2' });
    expect(identifyImage('redis:7')?.version).toEqual({ major: 7, minor: 0, text: '7' });
  });

  it('identifyImage applies the policy\'s extra images, skipping a pattern that is no regular expression', () => {
    const policy = { ...defaultPolicy(), extraDatastoreImages: [{ pattern: '(', name: 'Broken' }, { pattern: '^acme/vault', name: 'Acme Vault' }] };
    expect(identifyImage('acme/vault:1.4', policy)).toEqual({ kind: 'other', label: 'Acme Vault', evidence: 'image acme/vault:1.4', family: 'official', image: { repository: 'acme/vault', tag: '1.4' } });
    expect(identifyImage('acme/vaults-ui:1.4', policy)).toMatchObject({ label: 'Acme Vault' });
    expect(identifyImage('other/vault:1.4', policy)).toBeUndefined();
  });
});

describe('container identity: the server behind docker-entrypoint.sh', () => {
  const at = (n: number) => ({ file: 'deploy.yaml', region: { startLine: n, startColumn: 9, endLine: n, endColumn: 30, startOffset: 0, endOffset: 0 } });
  const spec = (...args: string[]): ContainerSpec => ({ image: { value: 'example/app:1.0', location: at(4) }, env: [], args: args.map((value, i) => ({ value, location: at(10 + i) })) });

  it('reads the program handed to the entrypoint script', () => {
    expect(identifyContainer(spec('docker-entrypoint.sh', 'mongod'))).toEqual({ kind: 'mongodb', label: 'MongoDB', evidence: 'command mongod', family: 'official', image: { repository: 'example/app', tag: '1.0' } });
    expect(identifyContainer(spec('/usr/local/bin/docker-entrypoint', 'mongod --bind_ip_all'))).toMatchObject({ kind: 'mongodb', evidence: 'command mongod' });
  });

  it('the entrypoint script alone, or a second word after another program, is no server', () => {
    expect(identifyContainer(spec('docker-entrypoint.sh'))).toBeUndefined();
    expect(identifyContainer(spec('my-app', 'mongod'))).toBeUndefined();
  });
});

describe('sites: instances of one resource share a site', () => {
  const loc = { file: 'main.tf', region: { startLine: 12, startColumn: 3, endLine: 18, endColumn: 4, startOffset: 0, endOffset: 0 } };
  const instance = (key: string): Exposure => ({
    id: `aws_security_group.web[${key}]`, subject: `aws_security_group.web[${key}]`, location: loc, workloads: [],
    ports: { protocol: 'tcp', ranges: [{ from: 8080, to: 8080 }] },
    sources: [{ value: { kind: 'cidr', cidr: '0.0.0.0/0' }, location: loc }],
  }) as unknown as Exposure;
  const subjects = (n: number) => exposureSites(Array.from({ length: n }, (_, i) => instance(String(i))), defaultPolicy(), () => true).map((s) => [s.subject, s.location]);

  it('names three instances, and three plus a count beyond', () => {
    expect(subjects(3)).toEqual([['aws_security_group.web[0], aws_security_group.web[1], aws_security_group.web[2]', loc]]);
    expect(subjects(4)).toEqual([['aws_security_group.web[0], aws_security_group.web[1], aws_security_group.web[2] and 1 more', loc]]);
    expect(subjects(5)).toEqual([['aws_security_group.web[0], aws_security_group.web[1], aws_security_group.web[2] and 2 more', loc]]);
  });

  it('offers the fix of a site with one exposure only', () => {
    const fix = { description: 'restrict the source', edits: [] };
    const withFix = (key: string) => ({ ...instance(key), fix }) as unknown as Exposure;
    expect(exposureSites([withFix('0')], defaultPolicy(), () => true)[0]!.fix).toBe(fix);
    expect(exposureSites([withFix('0'), withFix('1')], defaultPolicy(), () => true)[0]).not.toHaveProperty('fix');
  });

  it('lists a related location once when several instances carry it', () => {
    const backend = { location: { file: 'main.tf', region: { startLine: 40, startColumn: 1, endLine: 44, endColumn: 2, startOffset: 0, endOffset: 0 } }, message: 'the backend' };
    const withRelated = (key: string) => ({ ...instance(key), related: [backend] }) as unknown as Exposure;
    expect(exposureSites([withRelated('0'), withRelated('1')], defaultPolicy(), () => true)[0]!.related).toEqual([backend]);
  });

  it('names the protocol of disallowed ports, except for all protocols', () => {
    const site = (protocol: string) => exposureSites([{ ...instance('0'), ports: { protocol, ranges: [{ from: 8080, to: 8080 }] } } as unknown as Exposure], defaultPolicy(), () => true)[0]!;
    expect(siteDisallowedText(site('tcp'))).toEqual({ text: '8080/tcp', plural: false });
    expect(siteDisallowedText(site('all'))).toEqual({ text: '8080', plural: false });
  });

  it('calls two protocols or two ranges plural', () => {
    const on = (key: string, protocol: string, ...ports: number[]) => ({ ...instance(key), ports: { protocol, ranges: ports.map((p) => ({ from: p, to: p })) } }) as unknown as Exposure;
    const [twoProtocols] = exposureSites([on('0', 'tcp', 8080), on('1', 'udp', 8080)], defaultPolicy(), () => true);
    expect(siteDisallowedText(twoProtocols!)).toEqual({ text: '8080/tcp, 8080/udp', plural: true });
    const [twoPorts] = exposureSites([on('0', 'tcp', 8080, 9090)], defaultPolicy(), () => true);
    expect(siteDisallowedText(twoPorts!)).toEqual({ text: '8080, 9090/tcp', plural: true });
  });
});

describe('access policy: statements it cannot read are unknown, at their location', () => {
  const at = (n: number) => ({ file: 'policy.json', region: { startLine: n, startColumn: 5, endLine: n, endColumn: 25, startOffset: 0, endOffset: 0 } });
  const judge = (...statements: PolicyStatement[]) => judgeAccessPolicy({ statements }, defaultPolicy());

  it('a statement that is not an object', () => {
    expect(judgeAccessPolicy(policyDocumentFromJson(JSON.stringify({ Statement: ['x'] }), at(1)), defaultPolicy())).toEqual({ verdict: 'unknown', location: at(1), cause: 'statement', reason: 'a policy statement is not an object' });
  });

  it('an effect that cannot be resolved', () => {
    expect(judge({ location: at(2), effect: { unknown: 'var.effect is not known', location: at(3) }, principals: [{ text: '*', location: at(4) }] })).toEqual({ verdict: 'unknown', location: at(3), cause: 'effect', reason: 'var.effect is not known' });
  });

  it('a Condition that cannot be read as a whole', () => {
    expect(judge({ location: at(2), effect: { text: 'Allow', location: at(3) }, principals: [{ text: '*', location: at(4) }], conditions: { unknown: 'the Condition is a variable', location: at(5) } }))
      .toEqual({ verdict: 'unknown', location: at(5), cause: 'condition', reason: 'the Condition is a variable' });
  });

  it('a source IP value that cannot be resolved, reported at the principal', () => {
    const verdict = judge({ location: at(2), effect: { text: 'Allow', location: at(3) }, principals: [{ text: '*', location: at(4) }], conditions: [{ operator: 'IpAddress', key: 'aws:SourceIp', values: [{ unknown: 'var.office_cidr', location: at(6) }] }] });
    expect(verdict).toEqual({ verdict: 'unknown', location: at(4), cause: 'source-ip', reason: 'var.office_cidr' });
  });

  it('an IpAddress test of another key is a condition it cannot evaluate, not a source IP', () => {
    const verdict = judge({ location: at(2), effect: { text: 'Allow', location: at(3) }, principals: [{ text: '*', location: at(4) }], conditions: [{ operator: 'IpAddress', key: 'aws:VpcSourceIp', values: [{ text: '10.0.0.0/8', location: at(6) }] }] });
    expect(verdict).toEqual({ verdict: 'unknown', location: at(4), cause: 'other-condition' });
  });

  const fromJson = (doc: unknown) => judgeAccessPolicy(policyDocumentFromJson(JSON.stringify(doc), at(1)), defaultPolicy());

  it('a source IP that is no address is unknown; a null statement or Condition cannot be read', () => {
    expect(fromJson({ Statement: [{ Effect: 'Allow', Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/99' } } }] })).toEqual({ verdict: 'unknown', location: at(1), cause: 'source-ip' });
    expect(fromJson({ Statement: [null] })).toEqual({ verdict: 'unknown', location: at(1), cause: 'statement', reason: 'a policy statement is not an object' });
    expect(fromJson({ Statement: [{ Effect: 'Allow', Principal: '*', Condition: null }] })).toEqual({ verdict: 'unknown', location: at(1), cause: 'other-condition' });
  });
});
