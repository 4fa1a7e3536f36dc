/**
 * An empty loadBalancerSourceRanges entry restricts nothing: the Service is open to any address
 * (or to the older annotation's ranges, when that is set); an empty externalIPs entry is no
 * address. (Written for survivors of the adapters' mutation samples, issue #18:
 * loadBalancerSources in src/formats/kubernetes/load-balancer.ts, externalIPs in services.ts.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const service = (annotation: string) => `apiVersion: v1
kind: Service
metadata:
  name: cache
${annotation}spec:
  type: LoadBalancer
  selector:
    app: cache
  loadBalancerSourceRanges:
    - ""
  ports:
    - port: 6379
`;

describe('loadBalancerSourceRanges with an empty entry', () => {
  it('alone: any address, PW002 at the port item', async () => {
    const result = await lintTree({ 'cache.yaml': service('') });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related }))).toEqual([
      {
        ruleId: 'PW002', file: 'cache.yaml', line: 12, column: 7, endLine: 12, endColumn: 17,
        message: 'Service/cache exposes Redis 6379 on port 6379/tcp to the internet (source: any address (LoadBalancer))', related: [],
      },
    ]);
    expect(result.notifications).toEqual([]);
  });

  it('with the annotation: the annotation ranges decide (10.0.0.0/8 is private)', async () => {
    const result = await lintTree({ 'cache.yaml': service('  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8\n') });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });
});

const externalIps = (ips: string) => `apiVersion: v1
kind: Service
metadata:
  name: cache
spec:
  selector:
    app: cache
  externalIPs:
${ips}  ports:
    - port: 6379
`;

describe('externalIPs with an empty entry', () => {
  it('alone: no address, nothing is exposed and nothing is unknown', async () => {
    const result = await lintTree({ 'cache.yaml': externalIps('    - ""\n') });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('next to a public address: PW002 for that address only, at the port item', async () => {
    const result = await lintTree({ 'cache.yaml': externalIps('    - ""\n    - 203.0.113.10\n') });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related }))).toEqual([
      {
        ruleId: 'PW002', file: 'cache.yaml', line: 10, column: 7, endLine: 10, endColumn: 19,
        message: 'Service/cache exposes Redis 6379 on port 6379/tcp to the internet (source: public interface 203.0.113.10)',
        subjects: ['k8s:cache.yaml:default/Service/cache:ports[0]:externalIPs'], related: [],
      },
    ]);
  });
});
