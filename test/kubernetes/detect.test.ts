/** Detection, parsing and the file-level cases: List, Helm, stdin, broken YAML, other formats. */
import { describe, expect, it } from 'vitest';
import { kubernetesFormat, HELM_NOTICE } from '../../src/formats/kubernetes/index.js';
import { at, fixture, run, sourceFile } from './helpers.js';

describe('detection', () => {
  it('claims YAML and JSON manifests and stdin, and leaves other formats alone', () => {
    expect(kubernetesFormat.detect(fixture('es-public-lb/invalid/elasticsearch.yaml'))).toBe(true);
    expect(kubernetesFormat.detect(fixture('workload-kinds/mongo-pod.json'))).toBe(true);
    expect(kubernetesFormat.detect(sourceFile('<stdin>', 'apiVersion: v1\nkind: Service\n'))).toBe(true);
    const others = run(
      fixture('not-kubernetes/docker-compose.yml'),
      fixture('not-kubernetes/cloudformation.yaml'),
      fixture('not-kubernetes/arm-template.json'),
      fixture('not-kubernetes/block-scalar.yaml'),
    );
    expect(others.notClaimed).toEqual([
      'not-kubernetes/docker-compose.yml',
      'not-kubernetes/cloudformation.yaml',
      'not-kubernetes/arm-template.json',
      'not-kubernetes/block-scalar.yaml',
    ]);
    expect(others.allFailures).toEqual([]);
  });

  it('accepts empty and comment-only documents around real ones', () => {
    const text = '---\n# generated\n---\n\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n---\n';
    const result = run(sourceFile('<stdin>', text));
    expect(result.allFailures).toEqual([]);
    expect(result.model.exposures?.map((e) => at(e.location).where)).toEqual(['<stdin>:13:7-13:15']);
  });
});

describe('manifests written as one flow mapping', () => {
  it('are claimed and judged like block manifests, located inside the flow (were "No supported files found")', () => {
    const flow = sourceFile('svc.yaml', '{apiVersion: v1, kind: Service, metadata: {name: search}, spec: {type: LoadBalancer, selector: {app: es}, ports: [{port: 9200, targetPort: 9200}]}}\n');
    const json = sourceFile('mongo.yaml', '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "mongo"},\n  "spec": {"type": "LoadBalancer", "ports": [{"port": 27017}]}\n}\n');
    const marked = sourceFile('redis.yml', '--- {apiVersion: v1, kind: Service, metadata: {name: redis}, spec: {type: NodePort, ports: [{port: 6379}]}}\n');
    for (const f of [flow, json, marked]) expect(kubernetesFormat.detect(f), f.path).toBe(true);
    const files = [flow, json, marked];
    const result = run(...files);
    expect(result.allFailures).toEqual([]);
    expect(result.model.exposures?.map((e) => at(e.location, files).where).sort()).toEqual(['mongo.yaml:5:46-5:61', 'redis.yml:1:93-1:105', 'svc.yaml:1:115-1:145']);
  });

  it('a flow mapping that only mentions the keys inside is handed back to the other formats', () => {
    const workflow = sourceFile('deploy.yaml', 'jobs:\n  apply:\n    steps:\n      - {name: apply, run: "kubectl apply -f -", with: {apiVersion: v1, kind: ConfigMap}}\n');
    expect(kubernetesFormat.detect(workflow)).toBe(false);
    const nested = sourceFile('values.yaml', '{owner: {apiVersion: v1, kind: Deployment}, replicas: 2}\n');
    expect(kubernetesFormat.detect(nested)).toBe(true);
    const result = run(nested);
    expect(result.notClaimed).toEqual(['values.yaml']);
    expect(result.allFailures).toEqual([]);
  });
});

describe('kind: List', () => {
  it('flattens the items, resolves the selector between them and reports lines of the whole file', () => {
    const files = [fixture('list/kubectl-get.yaml')];
    const result = run(...files);
    const exposure = result.model.exposures?.[0];
    expect(exposure?.id).toBe('k8s:list/kubectl-get.yaml:docs/Service/couchdb:ports[0]');
    expect(at(exposure?.location, files)).toEqual({ where: 'list/kubectl-get.yaml:35:11-36:27', text: 'port: 5984\n          targetPort: 5984' });
    const couchdb = exposure?.workloads[0];
    expect(couchdb?.name).toBe("container 'couchdb' of Deployment/couchdb");
    // CouchDB 2 without COUCHDB_USER is an "admin party".
    expect(couchdb?.auth?.state).toBe('disabled');
    expect(at(couchdb?.auth?.location, files)).toEqual({ where: 'list/kubectl-get.yaml:22:22-22:35', text: 'couchdb:2.3.1' });
  });
});

describe('Helm templates', () => {
  it('are skipped with one note, not a parse error', () => {
    const result = run(fixture('helm/chart/templates/service.yaml'), fixture('helm/rendered-outside-templates.yaml'));
    expect(result.allFailures).toEqual([]);
    expect(result.notices).toEqual([
      { file: 'helm/chart/templates/service.yaml', level: 'note', message: HELM_NOTICE, skipped: true },
      { file: 'helm/rendered-outside-templates.yaml', level: 'note', message: HELM_NOTICE, skipped: true },
    ]);
    expect(result.model.exposures).toEqual([]);
  });

  it('are recognized on stdin by actions in the YAML structure, whether or not the text parses', () => {
    const inline = run(sourceFile('<stdin>', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "x" . | indent 4 }}\n'));
    const guarded = run(sourceFile('<stdin>', '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n'));
    for (const result of [inline, guarded]) {
      expect(result.notices?.map((n) => n.message)).toEqual([HELM_NOTICE]);
      expect(result.allFailures).toEqual([]);
    }
  });

  it('a broken manifest with Go template text only inside strings is still a parse error', () => {
    const result = run(sourceFile('alerts.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  summary: "{{ $labels.instance }} is down"\n  broken: [\n'));
    expect(result.notices).toBeUndefined();
    expect(result.allFailures.map((f) => f.file)).toEqual(['alerts.yaml']);
  });

  it('Go template text inside strings of a valid manifest is not a Helm template', () => {
    const result = run(fixture('helm/prometheus-rule.yaml'));
    expect(result.notices).toBeUndefined();
    expect(result.allFailures).toEqual([]);
    expect(result.notClaimed).toEqual([]);
  });
});

describe('broken YAML', () => {
  it('is a parse failure at the exact place', () => {
    const files = [fixture('broken/deployment.yaml')];
    const result = run(...files);
    expect(result.allFailures).toHaveLength(1);
    const failure = result.allFailures[0]!;
    expect(failure.file).toBe('broken/deployment.yaml');
    expect(failure.message).toBe('invalid YAML: Nested mappings are not allowed in compact mappings');
    expect(at(failure.location, files)).toEqual({ where: 'broken/deployment.yaml:13:22-13:23', text: 'A' });
  });
});

describe('robustness', () => {
  it('odd shapes give no exception and no invented findings', () => {
    const odd = [
      'apiVersion: v1\nkind: Service\nspec: [1, 2]\n',
      'apiVersion: v1\nkind: Service\nspec:\n  type: LoadBalancer\n  ports: {port: 80}\n',
      'apiVersion: v1\nkind: Service\nspec:\n  type: LoadBalancer\n  ports:\n    - port: ${HTTP_PORT}\n',
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - 42\n        - name: x\n          ports: [{hostPort: abc}]\n',
      'apiVersion: v1\nkind: List\nitems:\n  - &a {apiVersion: v1, kind: List, items: [*a]}\n',
      'apiVersion: v1\nkind: Pod\nmetadata: &m {name: p, labels: {a: b}}\nspec:\n  containers:\n    - <<: {name: c, image: "redis:7"}\n',
    ];
    const result = run(...odd.map((text, i) => sourceFile(`odd-${i}.yaml`, text)));
    expect(result.allFailures).toEqual([]);
    const unknownPort = result.model.exposures?.find((e) => e.id.startsWith('k8s:odd-2.yaml'));
    expect(unknownPort?.ports.unknown).toBe('port "${HTTP_PORT}" of Service/<unnamed> is not a port number');
    // Merge keys are resolved: the container from `<<` is a Redis.
    expect(result.model.workloads?.find((w) => w.id.startsWith('k8s:odd-5.yaml'))?.datastore?.kind).toBe('redis');
  });
});
