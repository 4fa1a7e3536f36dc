import { describe, expect, it } from 'vitest';
import { datastorePortsIn, identifyImage, parseImage } from '../../src/model/datastores.js';
import { formatPortSet, isAllTraffic, subtractRanges } from '../../src/model/ports.js';

describe('image references', () => {
  it('splits registry, repository, tag and digest', () => {
    expect(parseImage('docker.elastic.co/elasticsearch/elasticsearch:8.13.4')).toEqual({ registry: 'docker.elastic.co', repository: 'elasticsearch/elasticsearch', tag: '8.13.4' });
    expect(parseImage('localhost:5000/mongo@sha256:abc')).toEqual({ registry: 'localhost:5000', repository: 'mongo', digest: 'sha256:abc' });
    expect(parseImage('library/redis')).toEqual({ repository: 'redis' });
    expect(parseImage('bitnami/redis:7.2')).toEqual({ repository: 'bitnami/redis', tag: '7.2' });
  });

  it('identifies datastores across registries, mirrors, tags and digests', () => {
    const kind = (image: string) => identifyImage(image)?.kind;
    expect(kind('elasticsearch:7.17.0')).toBe('elasticsearch');
    expect(kind('docker.elastic.co/elasticsearch/elasticsearch-oss:7.10.2')).toBe('elasticsearch');
    expect(kind('opensearchproject/opensearch:2')).toBe('opensearch');
    expect(kind('public.ecr.aws/docker/library/mongo:6.0@sha256:0123')).toBe('mongodb');
    expect(kind('registry.example.com/team/mirror/postgres:16')).toBe('postgres');
    expect(kind('bitnami/mariadb:11.3')).toBe('mariadb');
    expect(kind('ghcr.io/acme/mongo-express:1')).toBeUndefined();
    expect(kind('nginx:1.25')).toBeUndefined();
    expect(kind('${IMAGE}')).toBeUndefined();
    expect(identifyImage('bitnami/elasticsearch:8.13.0')?.family).toBe('bitnami');
    expect(identifyImage('docker.elastic.co/elasticsearch/elasticsearch:7.17.3')?.version).toEqual({ major: 7, minor: 17, text: '7.17' });
  });
});

describe('ports', () => {
  it('finds catalogue ports in ranges', () => {
    expect(datastorePortsIn([{ from: 9000, to: 9300 }]).map((p) => p.name)).toEqual(['ClickHouse native', 'Cassandra CQL', 'Kafka', 'Elasticsearch HTTP', 'Elasticsearch transport']);
    expect(datastorePortsIn([{ from: 27018, to: 30000 }]).map((p) => [p.port, p.to])).toEqual([[27018, 27019], [28017, 28017]]);
  });
  it('subtracts and formats', () => {
    expect(subtractRanges([{ from: 0, to: 65535 }], [{ from: 443, to: 443 }])).toEqual([{ from: 0, to: 442 }, { from: 444, to: 65535 }]);
    expect(formatPortSet({ protocol: 'all', ranges: [{ from: 0, to: 65535 }] })).toBe('all ports and protocols');
    expect(formatPortSet({ protocol: 'tcp', ranges: [{ from: 80, to: 80 }, { from: 8080, to: 8090 }] })).toBe('ports 80, 8080-8090/tcp');
    expect(isAllTraffic({ protocol: 'tcp', ranges: [{ from: 0, to: 65535 }] })).toBe(true);
    // All ports is per protocol (SPEC PW007): UDP 0-65535 is all traffic too; ICMP has no ports.
    expect(isAllTraffic({ protocol: 'udp', ranges: [{ from: 0, to: 65535 }] })).toBe(true);
    expect(isAllTraffic({ protocol: 'tcp', ranges: [{ from: 1, to: 65535 }] })).toBe(true);
    expect(isAllTraffic({ protocol: 'tcp', ranges: [{ from: 2, to: 65535 }] })).toBe(false);
    expect(isAllTraffic({ protocol: 'icmp', ranges: [] })).toBe(false);
  });
});

describe('image versions', () => {
  it("does not read another publisher's v-tag as the datastore's version", () => {
    expect(identifyImage('gcr.io/google-samples/cassandra:v14')?.label).toBe('Cassandra');
    expect(identifyImage('kubernetes/redis:v1')?.label).toBe('Redis');
    expect(identifyImage('bitnami/redis:7.2')?.label).toBe('Redis 7.2');
    expect(identifyImage('quay.io/coreos/etcd:v3.5.9')?.label).toBe('etcd');
    expect(identifyImage('redis:7-alpine')?.label).toBe('Redis 7');
  });
});
