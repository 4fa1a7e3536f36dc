/**
 * The format registry, in detection order (first claim wins). Formats depend on core/ and
 * model/ only; the engine depends on this registry.
 */
import type { Format, SourceFile } from './types.js';
import { composeFormat } from './compose/index.js';
import { helmFormat } from './helm/index.js';
import { kubernetesFormat } from './kubernetes/index.js';
import { kustomizeFormat } from './kustomize/index.js';
import { datastoreConfigFormat } from './datastore-config/index.js';
import { cloudformationFormat } from './cloudformation/index.js';
import { cloudJsonFormat } from './cloud-json/index.js';
import { initTerraform, terraformFormat } from './terraform/index.js';

export const FORMATS: Format[] = [
  composeFormat as Format,
  helmFormat as Format,
  // Before Kubernetes: a kustomization.yaml has apiVersion and kind too.
  kustomizeFormat as Format,
  kubernetesFormat as Format,
  datastoreConfigFormat as Format,
  cloudformationFormat as Format,
  cloudJsonFormat as Format,
  terraformFormat as Format,
];

/** Async set-up some formats need (WASM grammars), done once and only when needed. */
export async function prepareFormats(files: SourceFile[]): Promise<void> {
  // The HCL grammar is WASM: load it once, and only when a Terraform file is in the scan.
  if (files.some((f) => terraformFormat.detect(f))) await initTerraform();
}
