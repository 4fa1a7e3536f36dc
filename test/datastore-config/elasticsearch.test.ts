import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runFixtures, runText } from './helpers.js';

describe('elasticsearch.yml / opensearch.yml', () => {
  it('docker-elk shape: flat network.host 0.0.0.0 and xpack.security.enabled false (trailing comment excluded)', () => {
    const result = runFixtures('elasticsearch/flat/elasticsearch.yml');
    expect(result.allFailures).toEqual([]);
    expect(result.workloads[0]).toMatchObject({ kind: 'config-file', name: 'elasticsearch.yml', datastore: { kind: 'elasticsearch', label: 'Elasticsearch' } });
    expect(bindingsOf(result)).toEqual([{ setting: 'elasticsearch: network.host: 0.0.0.0', where: '5:1-5:22', text: 'network.host: 0.0.0.0' }]);
    expect(authOf(result)).toEqual({ state: 'disabled', reason: 'xpack.security.enabled is false', where: '11:1-11:30', text: 'xpack.security.enabled: false' });
  });

  it('nested form: http.host :: overrides network.host _site_ for HTTP only; transport stays private', () => {
    const result = runFixtures('elasticsearch/nested/elasticsearch.yml');
    expect(bindingsOf(result)).toEqual([{ setting: 'elasticsearch: http.host: ::', where: '9:3-9:13', text: 'host: "::"' }]);
    expect(authOf(result)).toMatchObject({ state: 'enabled', where: '15:5-15:18', text: 'enabled: true' });
    expect(result.workloads[0]!.listenPorts.map((p) => p.ranges[0])).toEqual([{ from: 9200, to: 9200 }, { from: 9300, to: 9300 }]);
  });

  it('_local_ and _site_ are not every interface; a commented network.host does not count', () => {
    const result = runFixtures('elasticsearch/site/elasticsearch.yml');
    expect(result.bindings).toEqual([]);
    expect(result.workloads[0]!.listenPorts[0]!.ranges).toEqual([{ from: 9200, to: 9300 }]);
  });

  it('network.host and transport.host both 0.0.0.0: one binding per deciding setting', () => {
    const result = runText('elasticsearch.yml', 'network.host: 0.0.0.0\ntransport.host: 0.0.0.0\n');
    expect(bindingsOf(result).map((b) => [b.setting, b.where])).toEqual([
      ['elasticsearch: network.host: 0.0.0.0', '1:1-1:22'],
      ['elasticsearch: transport.host: 0.0.0.0', '2:1-2:24'],
    ]);
  });

  it('bind_host wins over host, as in Elasticsearch', () => {
    const result = runText('elasticsearch.yml', 'network.host: 0.0.0.0\nnetwork.bind_host: 127.0.0.1\n');
    expect(result.bindings).toEqual([]);
  });

  it('list values are located at the item; 0, :: and _global_ count', () => {
    const list = runText('elasticsearch.yml', 'network.host:\n  - _local_\n  - 0.0.0.0\n');
    expect(bindingsOf(list)).toEqual([{ setting: 'elasticsearch: network.host: 0.0.0.0', where: '3:5-3:12', text: '0.0.0.0' }]);
    for (const value of ['0', '"::"', '_global_', '_global_:ipv4']) {
      expect(runText('elasticsearch.yml', `network.host: ${value}\n`).bindings).toHaveLength(1);
    }
    expect(runText('elasticsearch.yml', 'network.host: ${ES_HOST}\n').bindings).toEqual([]);
  });

  it('security not set: unknown (the default depends on the version)', () => {
    expect(authOf(runText('elasticsearch.yml', 'cluster.name: x\n')).state).toBe('unknown');
  });

  it('OpenSearch: nested plugins.security.disabled: true', () => {
    const result = runFixtures('opensearch/opensearch.yml');
    expect(result.workloads[0]!.datastore).toMatchObject({ kind: 'opensearch', label: 'OpenSearch' });
    expect(bindingsOf(result)).toEqual([{ setting: 'opensearch: network.host: 0.0.0.0', where: '4:1-4:22', text: 'network.host: 0.0.0.0' }]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', reason: 'plugins.security.disabled is true', where: '12:5-12:19', text: 'disabled: true' });
  });

  it('broken YAML under the datastore\'s own name is a located failure', () => {
    const result = runFixtures('broken/elasticsearch.yml');
    expect(result.workloads).toEqual([]);
    expect(result.allFailures).toEqual([
      expect.objectContaining({ file: 'broken/elasticsearch.yml', message: expect.stringMatching(/^invalid YAML/), location: expect.objectContaining({ file: 'broken/elasticsearch.yml' }) }),
    ]);
  });

  it('other YAML named elasticsearch*.yaml (a manifest, Helm values) is handed back', () => {
    expect(runText('k8s/elasticsearch.yaml', 'apiVersion: apps/v1\nkind: StatefulSet\n').notClaimed).toHaveLength(1);
    expect(runText('elasticsearch-values.yaml', 'replicas: 3\nimage: es\n').notClaimed).toHaveLength(1);
    expect(runText('elasticsearch-values.yaml', 'oops: [\n').allFailures).toEqual([]);
    expect(runText('opensearch_dashboards.yml', 'server.host: 0.0.0.0\n').notClaimed).toHaveLength(1);
    expect(runText('elasticsearch-node1.yml', 'network.host: 0.0.0.0\n').bindings).toHaveLength(1);
  });

  it('CRLF line endings and a BOM do not move the columns of the value', () => {
    const result = runText('elasticsearch.yml', '\uFEFFcluster.name: x\r\nnetwork.host: "0.0.0.0"   # all\r\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'elasticsearch: network.host: 0.0.0.0', where: '2:1-2:24', text: 'network.host: "0.0.0.0"' }]);
  });
});
