/**
 * Services: what a LoadBalancer / NodePort / externalIPs Service exposes, who can reach it,
 * and which containers sit behind it (selector and targetPort resolution).
 */
import { describe, expect, it } from 'vitest';
import type { Exposure } from '../../src/model/types.js';
import { at, fixture, run } from './helpers.js';

function only<T>(items: T[] | undefined): T {
  expect(items).toHaveLength(1);
  return items![0]!;
}

function sourceSummary(exposure: Exposure, files: Parameters<typeof at>[1]) {
  return exposure.sources.map((s) => ({ value: s.value, ...at(s.location, files) }));
}

describe('LoadBalancer in front of Elasticsearch', () => {
  it('exposes 9200 to any address with the ES 7 container and its disabled security behind it', () => {
    const files = [fixture('es-public-lb/invalid/elasticsearch.yaml')];
    const result = run(...files);
    expect(result.allFailures).toEqual([]);
    const exposure = only(result.model.exposures);
    expect(exposure.id).toBe('k8s:es-public-lb/invalid/elasticsearch.yaml:search/Service/elasticsearch:ports[0]');
    expect(exposure.via).toBe('k8s-load-balancer');
    expect(exposure.subject).toBe('Service/elasticsearch');
    expect(exposure.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] });
    expect(exposure.targetPorts).toEqual({ protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] });
    // Lines count in the whole multi-document file, not per document.
    const portItem = { where: 'es-public-lb/invalid/elasticsearch.yaml:69:7-71:20', text: 'port: 9200\n      targetPort: 9200\n      protocol: TCP' };
    expect(at(exposure.location, files)).toEqual(portItem);
    expect(sourceSummary(exposure, files)).toEqual([{ value: { kind: 'any', label: 'any address (LoadBalancer)' }, ...portItem }]);

    const es = only(exposure.workloads);
    expect(es.name).toBe("container 'es' of StatefulSet/elasticsearch");
    expect(es.namespace).toBe('search');
    expect(es.labels).toEqual({ app: 'elasticsearch', tier: 'data' });
    expect(at(es.location, files)).toEqual({ where: 'es-public-lb/invalid/elasticsearch.yaml:33:11-33:19', text: 'name: es' });
    expect(es.datastore).toMatchObject({ kind: 'elasticsearch', label: 'Elasticsearch 7.17' });
    expect(es.auth?.state).toBe('disabled');
    expect(at(es.auth?.location, files)).toEqual({
      where: 'es-public-lb/invalid/elasticsearch.yaml:38:15-39:29',
      text: 'name: xpack.security.enabled\n              value: "false"',
    });
    expect(es.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }, { from: 9300, to: 9300 }] }]);
    // The init container is a workload of its own, but not behind the Service.
    expect(result.model.workloads?.map((w) => w.name)).toEqual(["container 'es' of StatefulSet/elasticsearch", "init container 'sysctl' of StatefulSet/elasticsearch"]);
  });

  it('valid: ClusterIP Service and security on give no exposure and auth enabled', () => {
    const result = run(fixture('es-public-lb/valid/elasticsearch.yaml'));
    expect(result.model.exposures).toEqual([]);
    expect(result.model.workloads?.[0]?.auth?.state).toBe('enabled');
  });
});

describe('internal load balancer annotations', () => {
  it.each([
    ['internal-lb/valid/aws-internal.yaml', 'internal AWS load balancer (service.beta.kubernetes.io/aws-load-balancer-internal)', '7:60-7:66', '"true"'],
    ['internal-lb/valid/aws-scheme.yaml', 'internal AWS load balancer (service.beta.kubernetes.io/aws-load-balancer-scheme)', '9:58-9:66', 'internal'],
    ['internal-lb/valid/gke-internal.yaml', 'internal GKE load balancer (networking.gke.io/load-balancer-type)', '6:43-6:53', '"Internal"'],
    ['internal-lb/valid/gke-legacy-internal.yaml', 'internal GKE load balancer (cloud.google.com/load-balancer-type)', '6:42-6:52', '"Internal"'],
    ['internal-lb/valid/azure-internal.yaml', 'internal Azure load balancer (service.beta.kubernetes.io/azure-load-balancer-internal)', '7:62-7:68', '"true"'],
  ])('%s: the only source is a private reference located at the annotation value', (path, label, span, text) => {
    const files = [fixture(path)];
    const exposures = run(...files).model.exposures ?? [];
    expect(exposures.length).toBeGreaterThan(0);
    for (const exposure of exposures) {
      expect(sourceSummary(exposure, files)).toEqual([{ value: { kind: 'reference', label }, where: `${path}:${span}`, text }]);
    }
  });

  it.each([
    ['internal-lb/invalid/aws-internal-false.yaml', '14:7-16:23', 'name: postgres\n      port: 5432\n      targetPort: 5432'],
  ])('%s: public, blamed at the port entry', (path, span, text) => {
    const files = [fixture(path)];
    const exposure = only(run(...files).model.exposures);
    expect(sourceSummary(exposure, files)).toEqual([{ value: { kind: 'any', label: 'any address (LoadBalancer)' }, where: `${path}:${span}`, text }]);
  });

  it('an unknown loadBalancerClass is undecided (its controller decides), blamed at the class', () => {
    const path = 'internal-lb/invalid/azure-class-only.yaml';
    const files = [fixture(path)];
    const exposure = only(run(...files).model.exposures);
    expect(sourceSummary(exposure, files)).toEqual([
      {
        value: { kind: 'unknown', label: 'loadBalancerClass example.com/custom-lb', reason: 'loadBalancerClass example.com/custom-lb is served by a controller portwall does not know' },
        where: `${path}:11:22-11:43`,
        text: 'example.com/custom-lb',
      },
    ]);
  });
});

describe('loadBalancerSourceRanges', () => {
  it('valid: restricted ranges are CIDR sources located at each range', () => {
    const files = [fixture('source-ranges/valid/restricted.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(sourceSummary(exposure, files)).toEqual([
      { value: { kind: 'cidr', cidr: '203.0.113.0/24' }, where: 'source-ranges/valid/restricted.yaml:9:7-9:21', text: '203.0.113.0/24' },
      { value: { kind: 'cidr', cidr: '198.51.100.17/32' }, where: 'source-ranges/valid/restricted.yaml:10:7-10:23', text: '198.51.100.17/32' },
    ]);
    expect(at(exposure.location, files).where).toBe('source-ranges/valid/restricted.yaml:14:7-16:23');
  });

  it('invalid: 0.0.0.0/0 among the ranges is blamed at that range', () => {
    const files = [fixture('source-ranges/invalid/open.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(sourceSummary(exposure, files)[1]).toEqual({ value: { kind: 'cidr', cidr: '0.0.0.0/0' }, where: 'source-ranges/invalid/open.yaml:10:7-10:16', text: '0.0.0.0/0' });
  });

  it('invalid: the legacy annotation is split and each CIDR located inside the string', () => {
    const files = [fixture('source-ranges/invalid/annotation.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(sourceSummary(exposure, files)).toEqual([
      { value: { kind: 'cidr', cidr: '203.0.113.0/24' }, where: 'source-ranges/invalid/annotation.yaml:7:62-7:76', text: '203.0.113.0/24' },
      { value: { kind: 'cidr', cidr: '0.0.0.0/0' }, where: 'source-ranges/invalid/annotation.yaml:7:78-7:87', text: '0.0.0.0/0' },
    ]);
  });
});

describe('NodePort', () => {
  it('invalid: the nodePort is reachable on every node; a named targetPort resolves to the container port', () => {
    const files = [fixture('node-port/invalid/mongo.yaml')];
    const [mongodb, metrics] = run(...files).model.exposures ?? [];
    expect(mongodb?.via).toBe('k8s-node-port');
    expect(mongodb?.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 30017, to: 30017 }] });
    expect(mongodb?.targetPorts).toEqual({ protocol: 'tcp', ranges: [{ from: 27017, to: 27017 }] });
    expect(sourceSummary(mongodb!, files)).toEqual([
      {
        value: { kind: 'any', label: 'every node address (NodePort)' },
        where: 'node-port/invalid/mongo.yaml:33:7-36:22',
        text: 'name: mongodb\n      port: 27017\n      targetPort: mongodb\n      nodePort: 30017',
      },
    ]);
    const mongo = only(mongodb?.workloads);
    expect(mongo.name).toBe("container 'mongo' of Deployment/mongo");
    expect(mongo.auth?.state).toBe('disabled');
    expect(at(mongo.auth?.location, files)).toEqual({ where: 'node-port/invalid/mongo.yaml:19:18-19:27', text: 'mongo:6.0' });
    // No nodePort: the cluster allocates one of 30000-32767 (that is what the nodes expose);
    // the Service port, as the default targetPort, still names the process behind it.
    expect(metrics?.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 30000, to: 32767 }] });
    expect(metrics?.targetPorts).toEqual({ protocol: 'tcp', ranges: [{ from: 9216, to: 9216 }] });
    expect(metrics?.sources[0]?.value).toEqual({ kind: 'any', label: 'every node address (NodePort, one port allocated in 30000-32767)' });
    // Nothing in the pod declares 9216 and the pod has one container: that container listens on it.
    expect(metrics?.workloads.map((w) => w.name)).toEqual(["container 'mongo' of Deployment/mongo"]);
  });

  it('valid: a ClusterIP Service exposes nothing, and the root user enables auth', () => {
    const result = run(fixture('node-port/valid/mongo.yaml'));
    expect(result.model.exposures).toEqual([]);
    expect(result.model.workloads?.[0]?.auth?.state).toBe('enabled');
  });
});

describe('externalIPs', () => {
  it('invalid: each external IP is a host address source located at the IP', () => {
    const files = [fixture('external-ips/invalid/redis.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(exposure.via).toBe('k8s-external-ip');
    expect(exposure.id).toBe('k8s:external-ips/invalid/redis.yaml:cache/Service/redis:ports[0]:externalIPs');
    expect(sourceSummary(exposure, files)).toEqual([
      { value: { kind: 'host-ip', address: '198.51.100.7' }, where: 'external-ips/invalid/redis.yaml:24:7-24:19', text: '198.51.100.7' },
      { value: { kind: 'host-ip', address: '10.20.0.15' }, where: 'external-ips/invalid/redis.yaml:25:7-25:17', text: '10.20.0.15' },
    ]);
    expect(at(exposure.location, files)).toEqual({ where: 'external-ips/invalid/redis.yaml:27:7-27:17', text: 'port: 6379' });
    expect(only(exposure.workloads).auth?.state).toBe('disabled');
  });

  it('valid: a private external IP, and $(VAR) in args gives Redis its password', () => {
    const files = [fixture('external-ips/valid/redis.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(exposure.sources.map((s) => s.value)).toEqual([{ kind: 'host-ip', address: '10.20.0.15' }]);
    expect(only(exposure.workloads).auth?.state).toBe('enabled');
  });
});

describe('selector resolution', () => {
  it('follows a selector into another file of the scan and a named targetPort to the container port', () => {
    const files = [fixture('across-files/app/service/redis.yaml'), fixture('across-files/app/deploy/redis.yaml')];
    const exposure = only(run(...files).model.exposures);
    expect(exposure.targetPorts).toEqual({ protocol: 'tcp', ranges: [{ from: 6379, to: 6379 }] });
    const redis = only(exposure.workloads);
    expect(redis.id).toBe('k8s:across-files/app/deploy/redis.yaml:shop/Deployment/redis-cart:containers[0]');
    expect(redis.auth?.state).toBe('disabled');
    expect(at(redis.auth?.location, files)).toEqual({ where: 'across-files/app/deploy/redis.yaml:17:18-17:30', text: 'redis:alpine' });
  });

  it('without the workload file, the Service is judged by its port alone', () => {
    const exposure = only(run(fixture('across-files/app/service/redis.yaml')).model.exposures);
    expect(exposure.workloads).toEqual([]);
    expect(exposure.ports.ranges).toEqual([{ from: 6379, to: 6379 }]);
    expect(exposure.targetPorts).toBeUndefined();
  });

  it('does not match pods of another namespace, nor a Service without selector', () => {
    const result = run(fixture('namespace-mismatch/services.yaml'));
    expect(result.model.exposures?.map((e) => [e.id, e.workloads.length])).toEqual([
      ['k8s:namespace-mismatch/services.yaml:edge/Service/redis-cart:ports[0]', 0],
      ['k8s:namespace-mismatch/services.yaml:default/Service/redis-cart-default:ports[0]', 0],
      ['k8s:namespace-mismatch/services.yaml:shop/Service/redis-manual-endpoints:ports[0]', 0],
    ]);
  });

  it('prefers the pods next to the Service when several folders repeat the same labels', () => {
    const copy = fixture('across-files/app/deploy/redis.yaml');
    const elsewhere = { ...copy, path: 'other-example/redis.yaml', cache: new Map() };
    const exposure = only(run(fixture('across-files/app/service/redis.yaml'), copy, elsewhere).model.exposures);
    expect(exposure.workloads.map((w) => w.location.file)).toEqual(['across-files/app/deploy/redis.yaml']);
  });
});
