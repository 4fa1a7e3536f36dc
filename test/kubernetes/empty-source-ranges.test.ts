/**
 * An empty loadBalancerSourceRanges entry restricts nothing: the Service is open to any address
 * (or to the older annotation's ranges, when that is set). (Written for a survivor of the
 * adapters' mutation sample, issue #18: loadBalancerSources in
 * src/formats/kubernetes/load-balancer.ts.)
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
