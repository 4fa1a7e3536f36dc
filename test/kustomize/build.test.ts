/** The native builder on small in-memory trees: semantics and where each built value is located. */
import { describe, expect, it } from 'vitest';
import { makeSourceFile } from '../../src/engine/lint.js';
import { buildKustomization, type BuildOutcome } from '../../src/formats/kustomize/build.js';
import { getPath, str, toPlain } from '../../src/formats/kustomize/tree.js';
import { nameOf } from '../../src/formats/kustomize/resources.js';
import { findRoots } from '../../src/formats/kustomize/index.js';
import { fromPlain } from '../../src/formats/kustomize/tree.js';

function build(files: Record<string, string>, dir = ''): BuildOutcome {
  const sources = new Map(Object.entries(files).map(([p, text]) => [p, makeSourceFile(p, text)]));
  return buildKustomization(dir, { readFile: (p) => sources.get(p) });
}

function ok(outcome: BuildOutcome) {
  if (!outcome.ok) throw new Error(`build failed: ${outcome.problem.message}`);
  return outcome;
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: es\n  labels: {team: search}\nspec:\n  type: ClusterIP\n  ports:\n    - port: 9200\n';

describe('kustomize builder', () => {
  it('locates a patched value at the patch line, with a hop to the base value it replaced', () => {
    const out = ok(build({
      'base/kustomization.yaml': 'resources: [svc.yaml]\n',
      'base/svc.yaml': SERVICE,
      'prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: lb.yaml\n',
      'prod/lb.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: es\nspec:\n  type: LoadBalancer\n',
    }, 'prod'));
    const type = getPath(out.resources[0]!.tree, ['spec', 'type'])!;
    expect(str(type)).toBe('LoadBalancer');
    expect(type.origin.location.file).toBe('prod/lb.yaml');
    expect(type.origin.location.region.startLine).toBe(6);
    expect(type.origin.hops).toEqual([{ location: expect.objectContaining({ file: 'base/svc.yaml' }), note: 'overrides the value set in base/svc.yaml' }]);
    const port = getPath(out.resources[0]!.tree, ['spec', 'ports'])!;
    expect(port.origin.location.file).toBe('base/svc.yaml');
    expect(out.files.sort()).toEqual(['base/kustomization.yaml', 'base/svc.yaml', 'prod/kustomization.yaml', 'prod/lb.yaml']);
  });

  it('locates inline patch values at their lines in the kustomization', () => {
    const out = ok(build({
      'kustomization.yaml': 'resources: [svc.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata:\n        name: es\n      spec:\n        type: NodePort\n',
      'svc.yaml': SERVICE,
    }));
    const type = getPath(out.resources[0]!.tree, ['spec', 'type'])!;
    expect(type.origin.location).toMatchObject({ file: 'kustomization.yaml', region: { startLine: 9, startColumn: 15, endLine: 9, endColumn: 23 } });
  });

  it('deletes and replaces with $patch, and selects patch targets by labels and annotations', () => {
    const out = ok(build({
      'kustomization.yaml': [
        'resources: [svc.yaml, other.yaml]',
        'patches:',
        '  - target: {kind: Service, labelSelector: "team in (search)"}',
        '    patch: |-',
        '      - op: add',
        '        path: /metadata/annotations',
        '        value: {checked: "yes"}',
        '  - target: {kind: Service, annotationSelector: checked=yes}',
        '    patch: |-',
        '      apiVersion: v1',
        '      kind: Service',
        '      metadata: {name: any}',
        '      spec:',
        '        $patch: replace',
        '        ports: [{port: 9243}]',
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: Service',
        '      metadata: {name: other}',
        '      $patch: delete',
        '',
      ].join('\n'),
      'svc.yaml': SERVICE,
      'other.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\n',
    }));
    expect(out.resources.map((r) => toPlain(r.tree))).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'es', labels: { team: 'search' }, annotations: { checked: 'yes' } }, spec: { ports: [{ port: 9243 }] } },
    ]);
  });

  it('renames generated objects with their content hash and follows the references', () => {
    const out = ok(build({
      'kustomization.yaml': 'namePrefix: p-\nresources: [pod.yaml]\nconfigMapGenerator:\n  - name: env\n    literals: [A=1]\n',
      'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: nginx\n      envFrom: [{configMapRef: {name: env}}]\n',
    }));
    const [pod, configMap] = out.resources;
    expect(nameOf(configMap!)).toMatch(/^p-env-[a-z0-9]{10}$/);
    const plain = toPlain(pod!.tree) as { spec: { containers: { envFrom: { configMapRef: { name: string } }[] }[] } };
    expect(plain.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe(nameOf(configMap!));
  });

  it('refuses files outside the kustomization folder, as kustomize does, but builds folders there', () => {
    const files = { 'app/kustomization.yaml': 'resources: [../shared.yaml]\n', 'shared.yaml': SERVICE };
    const outcome = build(files, 'app');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problem).toMatchObject({ kind: 'failure', message: expect.stringContaining("load restrictor") });
    ok(build({ 'app/kustomization.yaml': 'resources: [../shared]\n', 'shared/kustomization.yaml': 'resources: [svc.yaml]\n', 'shared/svc.yaml': SERVICE }, 'app'));
  });

  it('never runs KRM functions, never fetches remote bases, and stops at cycles', () => {
    const krm = build({ 'kustomization.yaml': 'transformers: [fn.yaml]\n' });
    expect(krm.ok ? '' : `${krm.problem.kind}: ${krm.problem.message}`).toBe('unresolved: transformers: KRM functions and plugins are never run');
    const remote = build({ 'kustomization.yaml': 'resources:\n  - https://example.com/app.git//deploy?ref=main\n' });
    expect(remote.ok ? '' : remote.problem.kind).toBe('unresolved');
    const cycle = build({ 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' }, 'a');
    expect(cycle.ok ? '' : cycle.problem.message).toBe('cycle: a -> b -> a');
  });

  it('makes roots of the kustomizations nothing else references, never of components', () => {
    const origin = { location: { file: 'x', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 } } };
    const k = (path: string, value: unknown) => ({ path, root: fromPlain(value, origin) });
    expect(
      findRoots([
        k('base/kustomization.yaml', { resources: ['deploy.yaml'] }),
        k('components/private/kustomization.yaml', { kind: 'Component' }),
        k('overlays/prod/kustomization.yaml', { resources: ['../../base', 'https://example.com/x.yaml'], components: ['../../components/private'] }),
        k('overlays/dev/Kustomization', { bases: ['../../base/'] }),
        k('self/kustomization.yml', { resources: ['.'] }),
      ]),
    ).toEqual(['overlays/dev/Kustomization', 'overlays/prod/kustomization.yaml', 'self/kustomization.yml']);
  });
});

describe('kustomize builder limits', () => {
  it('refuses an object listed twice, as kustomize does', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: es\n';
    const outcome = build({ 'kustomization.yaml': 'resources: [a, b]\n', 'a/kustomization.yaml': 'resources: [../shared]\n', 'b/kustomization.yaml': 'resources: [../shared]\n', 'shared/kustomization.yaml': 'resources: [svc.yaml]\n', 'shared/svc.yaml': svc });
    expect(outcome.ok ? '' : outcome.problem.message).toBe('may not add resource with an already registered id: Service.v1/es.[noNs]');
  });

  it('stays linear on a diamond of bases', () => {
    const files: Record<string, string> = { 'l0/kustomization.yaml': 'resources: []\n' };
    for (let i = 1; i <= 30; i++) files[`l${i}/kustomization.yaml`] = `resources: [../l${i - 1}, ../l${i - 1}]\n`;
    const started = Date.now();
    const outcome = build(files, 'l30');
    expect(outcome.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('kustomize builder scalars', () => {
  // kubectl refuses a number in newTag; portwall reads it as written rather than as 1.2.
  it('keeps the spelling of numbers read as text', () => {
    const out = ok(build({
      'kustomization.yaml': 'resources: [pod.yaml]\nimages:\n  - name: nginx\n    newTag: 1.20\n',
      'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - {name: web, image: nginx}\n',
    }));
    expect((toPlain(out.resources[0]!.tree) as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image).toBe('nginx:1.20');
  });
});
