/**
 * Differential tests against the real `kubectl kustomize` (kustomize 5.7 inside kubectl 1.35):
 * every kustomization of the fixtures and of the shared corpus builds to the same resources after
 * normalization (key order, resource order), or both fail for the documented reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubectlKustomize, kubectlPath, normalizeResources } from '../helpers/kustomize-oracle.js';
import { buildPlain } from './io.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, 'fixtures');
const CORPUS = path.resolve(here, '../../../shared/corpus');

function kustomizationDirs(root: string): string[] {
  const out = execFileSync('find', ['.', '(', '-name', 'kustomization.yaml', '-o', '-name', 'kustomization.yml', '-o', '-name', 'Kustomization', ')', '-not', '-path', '*/node_modules/*'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((p) => path.posix.dirname(p.replace(/^\.\//, ''))).sort();
}

/** Kustomizations that do not build, with the reason portwall gives (kubectl fails on them too). */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  // A Component built alone: the patch's target lives in the kustomization that uses it.
  'cache/components/private': /no resource matches the strategic merge patch Service\/redis-public/,
  // The corpus omits a file the kustomization lists (configurations: kustomize-config.yaml).
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/base': /kustomize-config\.yaml does not exist/,
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/overlays/01_single_session': /kustomize-config\.yaml does not exist/,
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/overlays/02_warmpool_autoscale': /kustomize-config\.yaml does not exist/,
  // Remote resource: never fetched (PW010); kubectl fails offline.
  'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/mix-train-and-inference/kueue': /remote resource https:\/\/github\.com\/.* is never fetched/,
  // The corpus omits otel-collector.yaml of this component, and the three tests that use it.
  'GoogleCloudPlatform__microservices-demo/kustomize/components/google-cloud-operations': /otel-collector\.yaml does not exist/,
  'GoogleCloudPlatform__microservices-demo/kustomize/tests/memorystore-with-all-components': /otel-collector\.yaml does not exist/,
  'GoogleCloudPlatform__microservices-demo/kustomize/tests/service-mesh-istio-with-all-components': /otel-collector\.yaml does not exist/,
  'GoogleCloudPlatform__microservices-demo/kustomize/tests/spanner-with-all-components': /otel-collector\.yaml does not exist/,
  // The corpus keeps only part of kube-prometheus' manifests folder.
  'prometheus-operator__kube-prometheus': /alertmanager-prometheusRule\.yaml does not exist/,
};
// Components built alone whose patches name resources of the base they are meant for.
for (const component of ['alloydb', 'cymbal-branding', 'memorystore', 'non-public-frontend', 'service-mesh-istio', 'shopping-assistant', 'single-shared-session', 'spanner', 'without-loadgenerator']) {
  EXPECTED_FAILURES[`GoogleCloudPlatform__microservices-demo/kustomize/components/${component}`] = /no resource matches the strategic merge patch/;
}
// The llm-serving-gemma variants list `../tgi-2b.yaml`: a file outside their folder, which kustomize's load restrictor refuses.
for (const variant of ['tgi/tgi-2b-bitsandbytes', 'tgi/tgi-2b-bitsandbytes-nf4', 'tgi/tgi-2b-parallel', 'tgi/tgi-7b-bitsandbytes', 'tgi/tgi-7b-bitsandbytes-nf4', 'tgi/tgi-7b-token', 'vllm/vllm-2b-awq', 'vllm/vllm-2b-parallel', 'vllm/vllm-7b-awq', 'vllm/vllm-7b-kvcache', 'vllm/vllm-7b-token']) {
  EXPECTED_FAILURES[`GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/${variant}`] = /is not in or below .* load restrictor/;
}

function checkAgainstKubectl(root: string, dir: string, options: { helm?: boolean } = {}): void {
  const mine = buildPlain(root, dir, options);
  const theirs = kubectlKustomize(path.join(root, dir), options);
  const expected = EXPECTED_FAILURES[dir];
  if (expected) {
    expect(mine.ok, `${dir} should not build`).toBe(false);
    expect(theirs.ok, `kubectl builds ${dir}`).toBe(false);
    if (!mine.ok) expect(mine.error).toMatch(expected);
    return;
  }
  expect(mine.ok ? 'built' : mine.error).toBe('built');
  expect(theirs.ok ? 'built' : theirs.error).toBe('built');
  if (mine.ok && theirs.ok) expect(normalizeResources(mine.documents)).toEqual(normalizeResources(theirs.documents));
}

const kubectl = kubectlPath();

describe.skipIf(!kubectl)('kustomize builds agree with kubectl kustomize', () => {
  describe('fixture overlays', () => {
    // helmCharts: portwall's Helm renderer against `kubectl kustomize --enable-helm` with the layer's helm.
    for (const dir of kustomizationDirs(FIXTURES)) it(dir, () => checkAgainstKubectl(FIXTURES, dir, { helm: true }), 60_000);
  });
  describe.skipIf(!existsSync(CORPUS))('every kustomization of the corpus', () => {
    const dirs = existsSync(CORPUS) ? kustomizationDirs(CORPUS) : [];
    it('finds the corpus kustomizations', () => expect(dirs.length).toBe(46));
    for (const dir of dirs) it(dir, () => checkAgainstKubectl(CORPUS, dir), 60_000);
  });
});
