/**
 * Tests written for the survivors of `npm run mutation` over src/model (see
 * /work/notes/issue-18a.md): each pins a decision no other test pinned.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { assessContainerAuth } from '../../src/model/auth.js';
import { sitePortsText, type ExposureSite } from '../../src/model/sites.js';
import { identifyContainer } from '../../src/model/container-identity.js';
import { analyzeExposure, describeDatastores } from '../../src/model/exposure.js';
import type { Exposure } from '../../src/model/types.js';
import { normalizeProtocol, normalizeRanges } from '../../src/model/ports.js';
import { awsProtocolPorts } from '../../src/model/firewall.js';
import { parseIp } from '../../src/model/net.js';

describe('net: parseIp', () => {
  it('rejects an IPv6 address whose embedded IPv4 tail is out of range', () => {
    expect(parseIp('::ffff:300.1.1.1')).toBeUndefined();
    expect(parseIp('::ffff:10.1.1.1')).toEqual({ version: 6, value: (0xffffn << 32n) | 0x0a010101n });
  });
});

describe('ports: normalizeRanges', () => {
  it('merges adjacent ranges, never ranges with a gap of one port', () => {
    expect(normalizeRanges([{ from: 81, to: 81 }, { from: 80, to: 80 }])).toEqual([{ from: 80, to: 81 }]);
    expect(normalizeRanges([{ from: 80, to: 80 }, { from: 82, to: 82 }])).toEqual([{ from: 80, to: 80 }, { from: 82, to: 82 }]);
  });
});

describe('ports: normalizeProtocol', () => {
  it.each([
    ['-1', 'all'], ['all', 'all'], ['*', 'all'], ['any', 'all'],
    ['tcp', 'tcp'], ['6', 'tcp'], [6, 'tcp'], ['TCP ', 'tcp'],
    ['udp', 'udp'], ['17', 'udp'], [17, 'udp'],
    ['sctp', 'sctp'], ['132', 'sctp'],
    ['icmp', 'icmp'], ['1', 'icmp'], ['icmpv6', 'icmp'], ['58', 'icmp'], ['icmp6', 'icmp'],
    ['gre', 'unknown'], ['47', 'unknown'],
  ] as const)('%j is %s', (raw, protocol) => {
    expect(normalizeProtocol(raw)).toBe(protocol);
  });

  it('has no protocol for an absent value', () => {
    expect(normalizeProtocol(undefined)).toBeUndefined();
  });
});

describe('firewall: awsProtocolPorts', () => {
  it('keeps port 65535 itself, and calls 65536 out of range', () => {
    expect(awsProtocolPorts('tcp', 65535, 65535)).toEqual({ ports: { protocol: 'tcp', ranges: [{ from: 65535, to: 65535 }] } });
    expect(awsProtocolPorts('6', 0, 65535)).toEqual({ ports: { protocol: 'tcp', ranges: [{ from: 0, to: 65535 }] } });
    expect(awsProtocolPorts('tcp', 65536, 65536)).toEqual({ ports: { protocol: 'tcp', ranges: [], unknown: 'port 65536 is out of range' } });
  });
});

describe('exposure: analyzeExposure and describeDatastores', () => {
  const loc = { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } };
  const exposure = (from: number, to: number) => ({
    id: 'e', subject: 's', location: loc, workloads: [],
    ports: { protocol: 'tcp', ranges: [{ from, to }] },
    sources: [{ value: { kind: 'cidr', cidr: '0.0.0.0/0' }, location: loc }],
  }) as unknown as Exposure;

  it('does not reuse an analysis made under another policy', () => {
    const e = exposure(8080, 8080);
    const strict = defaultPolicy();
    const open = { ...defaultPolicy(), allowedPublicPorts: [{ from: 8080, to: 8080 }] };
    expect(analyzeExposure(e, strict).disallowedPorts).toEqual([{ from: 8080, to: 8080 }]);
    expect(analyzeExposure(e, open).disallowedPorts).toEqual([]);
    expect(analyzeExposure(e, strict).disallowedPorts).toEqual([{ from: 8080, to: 8080 }]);
  });

  it('names up to four datastore ports, and three plus a count beyond', () => {
    const policy = defaultPolicy();
    // 5432 PostgreSQL, 5601 Kibana, 5672 RabbitMQ, 5984 CouchDB: four names.
    expect(describeDatastores(analyzeExposure(exposure(5432, 5984), policy))).toBe('PostgreSQL 5432, Kibana 5601, RabbitMQ AMQP 5672, CouchDB 5984');
    // ... plus 6379 Redis: five, so three and "2 more".
    expect(describeDatastores(analyzeExposure(exposure(5432, 6379), policy))).toBe('PostgreSQL 5432, Kibana 5601, RabbitMQ AMQP 5672 and 2 more datastore ports');
    expect(describeDatastores(analyzeExposure(exposure(27017, 27019), policy))).toBe('MongoDB 27017-27019');
  });

  it('without a known workload judges host and container port numbers both', () => {
    const e = { ...exposure(9200, 9200), targetPorts: { protocol: 'tcp', ranges: [{ from: 8080, to: 8080 }] } } as unknown as Exposure;
    expect(analyzeExposure(e, defaultPolicy()).datastorePorts.map((p) => p.name)).toEqual(['Elasticsearch HTTP']);
    const inverse = { ...exposure(8080, 8080), targetPorts: { protocol: 'tcp', ranges: [{ from: 6379, to: 6379 }] } } as unknown as Exposure;
    expect(analyzeExposure(inverse, defaultPolicy()).datastorePorts.map((p) => p.name)).toEqual(['Redis']);
  });
});

describe('auth: assessContainerAuth', () => {
  const loc = { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } as never;
  const auth = (image: string, env: Record<string, string> = {}) => {
    const spec = { image: { value: image, location: loc }, env: Object.entries(env).map(([name, value]) => ({ name, value, location: loc })), args: [] };
    return assessContainerAuth(identifyContainer(spec)!, spec)?.state;
  };

  it('Redis: REDIS_ARGS with --requirepass is a password; REDIS_ARGS without it is not', () => {
    expect(auth('redis:7.2', { REDIS_ARGS: '--requirepass s3cret' })).toBe('enabled');
    expect(auth('redis:7.2', { REDIS_ARGS: '--appendonly yes' })).not.toBe('enabled');
  });

  it('InfluxDB: 1.x is open unless INFLUXDB_HTTP_AUTH_ENABLED, 2.x and untagged need a token', () => {
    expect(auth('influxdb:1.8')).toBe('disabled');
    expect(auth('influxdb:1.8', { INFLUXDB_HTTP_AUTH_ENABLED: 'true' })).toBe('enabled');
    expect(auth('influxdb:2.7')).toBe('enabled');
    expect(auth('influxdb')).toBe('enabled');
  });
});

describe('sites: sitePortsText', () => {
  const loc = { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } };
  const exposure = (port: number, target?: number) => ({
    id: `e${port}`, subject: 's', location: loc, workloads: [],
    ports: { protocol: 'tcp', ranges: [{ from: port, to: port }] },
    ...(target ? { targetPorts: { protocol: 'tcp', ranges: [{ from: target, to: target }] } } : {}),
    sources: [{ value: { kind: 'cidr', cidr: '0.0.0.0/0' }, location: loc }],
  }) as unknown as Exposure;
  const site = (...exposures: Exposure[]) => ({ exposures, analyses: exposures.map((e) => analyzeExposure(e, defaultPolicy())), location: loc, subject: 's', subjects: ['s'] }) as unknown as ExposureSite;

  it('merges plain port numbers per protocol, and keeps each text when a container port differs', () => {
    expect(sitePortsText(site(exposure(8081), exposure(8080)))).toBe('ports 8080-8081/tcp');
    expect(sitePortsText(site(exposure(8080, 80), exposure(9090)))).toBe('port 8080/tcp (container port 80/tcp), port 9090/tcp');
  });
});
