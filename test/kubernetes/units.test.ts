/** Plain Kubernetes manifests are one deployment unit: a Service selects Pods of any file of the scan. */
import { describe, expect, it } from 'vitest';
import { lintTree } from '../helpers/index.js';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\nspec:\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  type: NodePort\n  selector: {app: redis}\n  ports:\n    - port: 6379\n';

describe('Kubernetes manifests unit', () => {
  it('judges the manifests of the scan together and names the unit on findings and files', async () => {
    const result = await lintTree({ 'k8s/deploy.yaml': DEPLOYMENT, 'k8s/svc.yaml': SERVICE });
    const rows = result.findings.map((f) => [f.ruleId, f.location.file, f.location.region.startLine, f.location.region.startColumn, f.location.region.endLine, f.location.region.endColumn, f.units]);
    expect(rows).toEqual([['PW004', 'k8s/svc.yaml', 9, 7, 9, 17, ['Kubernetes manifests']]]);
    expect(result.files).toEqual([
      { path: 'k8s/deploy.yaml', format: 'kubernetes', units: ['Kubernetes manifests'] },
      { path: 'k8s/svc.yaml', format: 'kubernetes', units: ['Kubernetes manifests'] },
    ]);
  });
});
