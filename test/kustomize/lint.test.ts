/**
 * Kustomize through the whole pipeline: roots are units, findings land on the base or patch
 * line that decides them, covered files are not checked again, failed builds are loud.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import type { Finding } from '../../src/core/finding.js';
import { useTempProjects } from '../helpers/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const project = useTempProjects('portwall-kustomize-');

const at = (f: Finding) => `${f.ruleId} ${f.location.file}:${f.location.region.startLine}:${f.location.region.startColumn}-${f.location.region.endLine}:${f.location.region.endColumn}`;
const relatedAt = (f: Finding) => f.related.map((r) => `${r.location.file}:${r.location.region.startLine}:${r.location.region.startColumn}`);

const DEPLOYMENT = (name: string, image: string, env = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${image}
${env}`;

const SERVICE = (name: string, port: number, type = 'ClusterIP') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ${type}
  selector: {app: ${name}}
  ports:
    - port: ${port}
`;

describe('kustomize helmCharts', () => {
  it('renders local charts with values.yaml < valuesFile < valuesInline: findings at the template, values lines related', async () => {
    const result = await lint({ cwd: FIXTURES, paths: ['charts/base'] });
    expect(result.findings.map(at)).toEqual(['PW004 charts/base/vendor/redis/templates/service.yaml:13:7-15:24', 'PW004 charts/base/vendor/search/templates/service.yaml:10:7-12:23']);
    const [redis, es] = result.findings as [Finding, Finding];
    expect(redis.units).toEqual(['kustomization charts/base']);
    expect(redis.message).toContain('Service/cache-redis exposes Redis 7.2 without authentication on port 6379/tcp to the internet');
    expect(relatedAt(redis).slice(0, 3)).toEqual(['charts/base/vendor/redis/templates/statefulset.yaml:18:18', 'charts/base/values-redis.yaml:5:9', 'charts/base/kustomization.yaml:13:15']);
    expect(redis.related[2]!.message).toBe('LoadBalancer set in charts/base/kustomization.yaml line 13 (service.type)');
    expect(es.message).toContain('Service/logs-es exposes Elasticsearch 8.14 without authentication on port 9200/tcp');
    expect(relatedAt(es)).toEqual(['charts/base/vendor/search/templates/statefulset.yaml:21:15', 'charts/base/vendor/search/values.yaml:5:9', 'charts/base/kustomization.yaml:20:15', 'charts/base/kustomization.yaml:18:18']);
    expect(es.related[3]!.message).toBe('false set in charts/base/kustomization.yaml line 18 (security.enabled)');
    // The chart's own default values (ClusterIP, auth on) give nothing as a plain Helm unit.
    expect(result.findings.every((f) => f.units?.length === 1)).toBe(true);
  });
});

describe('kustomize overlays', () => {
  it('reports the public exposure a prod patch creates at the patch, with the base port entry related', async () => {
    const result = await lint({ cwd: FIXTURES, paths: ['search'] });
    expect(result.findings.map(at)).toEqual(['PW003 search/base/elasticsearch.yaml:23:15-24:29', 'PW004 search/overlays/prod/public-service.yaml:6:9-6:21']);
    const [auth, exposure] = result.findings as [Finding, Finding];
    expect(exposure.units).toEqual(['kustomization search/overlays/prod']);
    expect(exposure.message).toContain('Service/prod-es exposes Elasticsearch 8.14');
    expect(relatedAt(exposure)).toEqual(['search/base/elasticsearch.yaml:23:15', 'search/base/service.yaml:9:7']);
    expect(exposure.related[1]!.message).toBe('port entry of Service/prod-es in search/base/service.yaml, made LoadBalancer by search/overlays/prod/public-service.yaml');
    // In prod PW004 replaces PW003; dev deploys the same container without a public Service.
    expect(auth.units).toEqual(['kustomization search/overlays/dev']);
  });

  it('does not report a base LoadBalancer that the only overlay deletes with $patch: delete', async () => {
    const result = await lint({ cwd: FIXTURES, paths: ['cache'] });
    expect(result.findings.map(at)).toEqual([]);
    expect(result.files.map((f) => `${f.format} ${f.path}`)).toContain('kustomize cache/overlays/prod/kustomization.yaml');
  });

  it('judges a base on its own when no overlay of the scan uses it', async () => {
    const result = await lint({ cwd: FIXTURES, paths: ['cache/base'] });
    expect(result.findings.map(at)).toEqual(['PW002 cache/base/redis-public.yaml:10:7-11:23']);
    expect(result.findings[0]!.units).toEqual(['kustomization cache/base']);
  });

  it('reports a finding of a base shared by two overlays once, naming both', async () => {
    const dir = project({
      'base/kustomization.yaml': 'resources:\n  - mongo.yaml\n',
      'base/mongo.yaml': `${DEPLOYMENT('mongo', 'mongo:7')}---\n${SERVICE('mongo', 27017, 'LoadBalancer')}`,
      'overlays/eu/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: eu\n',
      'overlays/us/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: us\n',
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW004 base/mongo.yaml:24:7-24:18']);
    expect(result.findings[0]!.units).toEqual(['kustomization overlays/eu', 'kustomization overlays/us']);
  });

  it('drops a chart template a kustomization rebuilt from the chart unit, though the chart is judged before Kustomize runs', async () => {
    // Units are judged (and their models dropped) once every format that may cover files has run:
    // the Helm unit comes first, the kustomization's covers after it.
    const dir = project({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: es\nspec:\n  type: LoadBalancer\n  selector:\n    app: es\n  ports:\n    - port: 9200\n',
      'kustomization.yaml': 'resources:\n  - chart/templates/svc.yaml\n',
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW002 chart/templates/svc.yaml:10:7-10:17']);
    expect(result.findings[0]!.units).toEqual(['kustomization .']);
    expect(result.files.find((f) => f.path === 'chart/templates/svc.yaml')?.units).toEqual(['chart chart with values.yaml', 'kustomization .', 'Kubernetes manifests']);
  });

  it('checks a manifest that no root kustomization covers as before', async () => {
    const dir = project({
      'app/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'app/web.yaml': SERVICE('web', 443, 'LoadBalancer'),
      'standalone/redis.yaml': `${DEPLOYMENT('redis', 'redis:7')}---\n${SERVICE('redis', 6379, 'NodePort')}`,
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW004 standalone/redis.yaml:24:7-24:17']);
    expect(result.findings[0]!.units).toEqual(['Kubernetes manifests']);
  });

  it('makes a build that references a missing file a PW000 at the entry, and still checks its raw files', async () => {
    const dir = project({
      'base/kustomization.yaml': 'resources:\n  - redis.yaml\n  - missing.yaml\n',
      'base/redis.yaml': `${DEPLOYMENT('redis', 'redis:7')}---\n${SERVICE('redis', 6379, 'LoadBalancer')}`,
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW000 base/kustomization.yaml:3:5-3:17', 'PW004 base/redis.yaml:24:7-24:17']);
    expect(result.findings[0]!.message).toBe('kustomization base cannot be built: resource missing.yaml does not exist (no such file, or a folder without kustomization.yaml)');
  });

  it('never fetches a remote resource: PW010 at the entry, raw files still checked', async () => {
    const dir = project({
      'kustomization.yaml': 'resources:\n  - github.com/example/infra//redis?ref=v1.2.0\n  - web.yaml\n',
      'web.yaml': SERVICE('web', 8080, 'LoadBalancer'),
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW010 kustomization.yaml:2:5-2:47', 'PW001 web.yaml:9:7-9:17']);
    expect(result.findings[0]!.message).toContain('remote resource github.com/example/infra//redis?ref=v1.2.0 is never fetched');
  });

  it('layers valuesMerge: merge (the chart values win over valuesInline, auth stays on) and additionalValuesFiles last', async () => {
    const result = await lint({ cwd: FIXTURES, paths: ['charts/merge'] });
    const lb = result.findings.filter((f) => f.units?.includes('kustomization charts/merge'));
    expect(lb.map(at)).toEqual(['PW002 charts/merge/charts/redis/templates/service.yaml:13:7-15:24']);
    expect(lb[0]!.message).toContain('on port 6379/tcp to the internet');
    expect(lb[0]!.related.map((r) => r.message)).toContain('LoadBalancer set in charts/merge/values-lb.yaml line 2 (service.type)');
  });

  it('makes a chart whose template uses a function portwall does not support PW010, never a partial build', async () => {
    const dir = project({
      'kustomization.yaml': 'helmCharts:\n  - name: web\n',
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'charts/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    at: {{ frobnicate "x" | quote }}\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 8080\n',
    });
    const result = await lint({ cwd: dir });
    const unit = result.findings.filter((f) => f.units?.includes('kustomization .'));
    expect(unit.map(at)).toEqual(['PW010 kustomization.yaml:2:5-2:14']);
    expect(unit[0]!.message).toMatch(/chart charts\/web uses what portwall does not support \(function "frobnicate" not defined in charts\/web\/templates\/service\.yaml\)/);
  });

  it('says PW010 for a local chart that is not there, and for a repo chart that is not vendored', async () => {
    const dir = project({ 'kustomization.yaml': 'helmCharts:\n  - name: redis\n    releaseName: cache\n  - name: es\n    repo: https://helm.elastic.co\n    version: 8.5.1\n' });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW010 kustomization.yaml:2:5-3:23']);
    expect(result.findings[0]!.message).toContain('local chart redis does not exist: no charts/redis/Chart.yaml');
    const remote = project({ 'kustomization.yaml': 'helmCharts:\n  - name: es\n    repo: https://helm.elastic.co\n    version: 8.5.1\n' });
    const fetched = await lint({ cwd: remote });
    expect(fetched.findings.map(at)).toEqual(['PW010 kustomization.yaml:2:5-4:19']);
    expect(fetched.findings[0]!.message).toContain('chart es comes from a repository (https://helm.elastic.co) and is never fetched; it is not vendored under charts/es-8.5.1/es or charts/es');
  });

  it('renders a vendored repo chart from chartHome/<name>-<version>/<name>, as kustomize pulls it', async () => {
    const dir = project({
      'kustomization.yaml': 'helmCharts:\n  - name: web\n    repo: https://charts.example.com\n    version: 1.0.0\n    valuesInline:\n      type: LoadBalancer\n',
      'charts/web-1.0.0/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'charts/web-1.0.0/web/values.yaml': 'type: ClusterIP\n',
      'charts/web-1.0.0/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  type: {{ .Values.type }}\n  ports:\n    - port: 8080\n',
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW001 charts/web-1.0.0/web/templates/service.yaml:8:7-8:17']);
    expect(result.findings[0]!.units).toEqual(['kustomization .']);
    expect(relatedAt(result.findings[0]!)).toEqual(['kustomization.yaml:6:13']);
  });

  it('counts env from a configMapGenerator for auth, located at the literal', async () => {
    const dir = project({
      'kustomization.yaml': 'resources:\n  - es.yaml\nconfigMapGenerator:\n  - name: es-env\n    literals:\n      - xpack.security.enabled=false\n',
      'es.yaml': DEPLOYMENT('es', 'docker.elastic.co/elasticsearch/elasticsearch:8.13.0', '          envFrom:\n            - configMapRef:\n                name: es-env\n'),
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW003 kustomization.yaml:6:9-6:37']);
    expect(relatedAt(result.findings[0]!)).toEqual(['es.yaml:16:15']);
  });

  it('locates a value a JSON 6902 patch sets at the operation value', async () => {
    const dir = project({
      'kustomization.yaml': 'resources:\n  - redis.yaml\npatches:\n  - target: {kind: Deployment, name: redis}\n    patch: |-\n      - op: add\n        path: /spec/template/spec/hostNetwork\n        value: true\n',
      'redis.yaml': DEPLOYMENT('redis', 'redis:7', '          args: ["--requirepass", "x"]\n'),
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map(at)).toEqual(['PW006 kustomization.yaml:8:16-8:20']);
  });

  it('keeps checking a generator input with its own format (covers are manifests only)', async () => {
    const dir = project({
      'kustomization.yaml': 'resources:\n  - es.yaml\nconfigMapGenerator:\n  - name: es-config\n    files:\n      - elasticsearch.yml\n',
      'es.yaml': DEPLOYMENT('es', 'docker.elastic.co/elasticsearch/elasticsearch:8.13.0'),
      'elasticsearch.yml': 'network.host: 0.0.0.0\nxpack.security.enabled: true\n',
    });
    const result = await lint({ cwd: dir });
    expect(result.findings.map((f) => f.ruleId)).toContain('PW005');
  });
});
