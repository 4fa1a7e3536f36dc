/**
 * Plain manifests are one unit, so every file's parse used to stay alive until the one adapt of
 * them all (issue 17: at 8 copies of the corpus that adapt held 367 MB live). The engine now
 * compacts each file right after its parse (Format.compact): its workloads are adapted into Pods
 * then, their trees dropped, and only the objects the join reads (Services, listeners, entry
 * points) stay. Both forms must give the same result, ids and their order included.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { kubernetesFormat } from '../../src/formats/kubernetes/index.js';
import type { AdaptContext } from '../../src/formats/types.js';
import { sourceFile } from './helpers.js';
import { lintTree } from '../helpers/index.js';

afterEach(() => vi.restoreAllMocks());

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

const DEPLOYMENTS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\nspec:\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n          ports:\n            - containerPort: 6379\n              hostPort: 6379\n',
  // The same name again in the same file: the second gets `#2`, as it did before.
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\nspec:\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n',
].join('---\n');
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  type: LoadBalancer\n  selector: {app: redis}\n  ports:\n    - port: 6379\n';

function context(): AdaptContext {
  return { policy: defaultPolicy(), readFile: () => undefined, allFiles: [] };
}

describe('Kubernetes compaction (Format.compact)', () => {
  it('adapts a file’s workloads at once and keeps only the objects the join reads', () => {
    const file = sourceFile('k8s/app.yaml', `${DEPLOYMENTS}---\n${SERVICE}`);
    const parsed = kubernetesFormat.parse(file);
    if (!parsed || !('parsed' in parsed) || parsed.parsed.kind !== 'manifests') throw new Error('not parsed as manifests');
    expect(parsed.parsed.objects.map((o) => o.kind)).toEqual(['Deployment', 'Deployment', 'Service']);
    const compacted = kubernetesFormat.compact!(file, parsed.parsed, context());
    if (compacted.kind !== 'manifests') throw new Error('not manifests');
    expect(compacted.objects.map((o) => o.kind)).toEqual(['Service']);
    // A pod keeps its file's path, not its object (whose document holds the whole tree).
    expect(compacted.workloads?.pods.map((p) => [p.file, p.namespace, p.labels])).toEqual([
      ['k8s/app.yaml', 'default', { app: 'redis' }],
      ['k8s/app.yaml', 'default', { app: 'redis' }],
    ]);
    expect(compacted.workloads?.workloads.map((w) => w.id)).toEqual(['k8s:k8s/app.yaml:default/Deployment/redis:containers[0]', 'k8s:k8s/app.yaml:default/Deployment/redis:containers[0]#2']);
    expect(compacted.workloads?.exposures.map((e) => [e.id, e.via])).toEqual([['k8s:k8s/app.yaml:default/Deployment/redis:containers[0].ports[0]:hostPort', 'k8s-host-port']]);
    // A compacted parse is not compacted twice.
    expect(kubernetesFormat.compact!(file, compacted, context())).toBe(compacted);
  });

  it('a scan gives what one adapt of the uncompacted parses gives, on every fixture', async () => {
    const compacted = await lint({ cwd: FIXTURES });
    const spy = vi.spyOn(kubernetesFormat, 'compact').mockImplementation((_file, parsed) => parsed);
    const whole = await lint({ cwd: FIXTURES });
    expect(spy).toHaveBeenCalled();
    expect(compacted.findings.length).toBeGreaterThan(20);
    expect(JSON.stringify(compacted)).toBe(JSON.stringify(whole));
  });

  it('a Service still selects the pods of another file: both Deployments’ containers, compacted before the Service was parsed', async () => {
    const result = await lintTree({ 'k8s/a-deploy.yaml': DEPLOYMENTS, 'k8s/b-svc.yaml': SERVICE });
    const at = (l: { file: string; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } }) => `${l.file}:${l.region.startLine}:${l.region.startColumn}-${l.region.endLine}:${l.region.endColumn}`;
    const service = result.findings.find((f) => f.location.file === 'k8s/b-svc.yaml');
    expect(service && [service.ruleId, at(service.location), service.related.map((r) => [at(r.location), r.message.split(':')[0]])]).toEqual([
      'PW004',
      'k8s/b-svc.yaml:9:7-9:17',
      [
        ['k8s/a-deploy.yaml:12:18-12:25', "authentication is off for container 'redis' of Deployment/redis"],
        ['k8s/a-deploy.yaml:28:18-28:25', "authentication is off for container 'redis' of Deployment/redis"],
      ],
    ]);
    expect(result.findings.map((f) => [f.ruleId, at(f.location)])).toEqual([
      ['PW004', 'k8s/a-deploy.yaml:15:25-15:29'],
      ['PW004', 'k8s/b-svc.yaml:9:7-9:17'],
    ]);
  });

  it('a compaction that throws is an internal error, and the file is still judged from its parse', async () => {
    vi.spyOn(kubernetesFormat, 'compact').mockImplementation(() => {
      throw new Error('boom');
    });
    const result = await lintTree({ 'k8s/a-deploy.yaml': DEPLOYMENTS, 'k8s/b-svc.yaml': SERVICE });
    expect(result.notifications.filter((n) => n.kind === 'internal').map((n) => [n.level, n.file, n.message.split('\n')[0]])).toEqual([
      ['error', 'k8s/a-deploy.yaml', 'internal error in Kubernetes adapter for k8s/a-deploy.yaml: boom'],
      ['error', 'k8s/b-svc.yaml', 'internal error in Kubernetes adapter for k8s/b-svc.yaml: boom'],
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.location.file, f.location.region.startLine])).toEqual([
      ['PW004', 'k8s/a-deploy.yaml', 15],
      ['PW004', 'k8s/b-svc.yaml', 9],
    ]);
  });
});
