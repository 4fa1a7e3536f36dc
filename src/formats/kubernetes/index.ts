/**
 * The Kubernetes format: manifests (multi-document, `kind: List`, JSON) become Workloads,
 * Exposures (Service LoadBalancer/NodePort/externalIPs, container hostPort) and HttpListeners
 * (Ingress, Gateway). Helm chart templates are recognized and skipped with a notice.
 * Depends on core/, model/ and formats/yaml only.
 */
import { isMap, isScalar } from 'yaml';
import type { Exposure, HttpListener, Notice, Workload } from '../../model/types.js';
import type { AdaptContext, AdaptResult, Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import { parseYaml, releaseYamlDocuments } from '../yaml/index.js';
import { detectKubernetes, isChartTemplate, isHelmTemplate } from './detect.js';
import { addHelmSourceHops } from './helm-source.js';
import { adaptHttpListeners, isHttpListenerKind } from './http-listeners.js';
import { collectObjects, objectRef, type K8sObject } from './objects.js';
import { adaptService, indexPods } from './services.js';
import { entryPointExposures, isEntryPointKind } from './entry-points.js';
import { adaptWorkload, isWorkloadKind, type Pod } from './workloads.js';
import { pushAll } from '../../core/arrays.js';

type KubernetesParsed = { kind: 'manifests'; objects: K8sObject[]; workloads?: AdaptedWorkloads } | { kind: 'helm-template' };

/** A file's workload objects adapted at its parse (kubernetesFormat.compact): their trees are gone, their objects no longer listed. */
interface AdaptedWorkloads {
  pods: Pod[];
  workloads: Workload[];
  exposures: Exposure[];
  failures: ParseFailure[];
}

/**
 * The ids a run's plain manifests have taken, from their compactions to their adapt: the
 * workloads of every file get their ids first, in file order, then Services and listeners (as
 * when one adapt did it all).
 */
const takenIds = new WeakMap<AdaptContext, Set<string>>();

/** Ids unique in the model even when a file repeats a name (two Lists, copy-paste). */
function idMaker(usedIds: Set<string>): (base: string) => string {
  return (base) => {
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}#${n}`;
    usedIds.add(id);
    return id;
  };
}

/** Objects only the workload step reads (the others are read by the Service, listener and entry-point steps too). */
function onlyWorkload(object: K8sObject): boolean {
  return isWorkloadKind(object.kind, object.apiVersion) && !(object.kind === 'Service' && object.apiVersion === 'v1') && !isHttpListenerKind(object) && !isEntryPointKind(object.kind);
}

/** Adapts each workload object on its own: one odd object must not cost the others their findings. */
function adaptWorkloads(objects: K8sObject[], policy: AdaptContext['policy'], uniqueId: (base: string) => string, into: AdaptedWorkloads): void {
  for (const object of objects) {
    if (!isWorkloadKind(object.kind, object.apiVersion)) continue;
    try {
      const result = adaptWorkload(object, policy, uniqueId);
      if (!result) continue;
      into.pods.push(result.pod);
      pushAll(into.workloads, result.pod.containers.map((c) => c.workload));
      pushAll(into.exposures, result.exposures);
    } catch (error) {
      into.failures.push(interpretFailure(object, error));
    }
  }
}

function interpretFailure(object: K8sObject, error: unknown): ParseFailure {
  return { file: object.file.path, message: `cannot interpret ${objectRef(object)} (${object.path}): ${(error as Error).message}` };
}

export const HELM_NOTICE = 'Helm template skipped: render it with `helm template` and pipe it to `portwall -`';

function parseKubernetes(file: SourceFile): { parsed: KubernetesParsed } | { failure: ParseFailure } | null {
  try {
    // Decided by its path and actions alone: not parsed as YAML for nothing (a 1 MB template
    // comment took seconds in the YAML reader).
    if (isChartTemplate(file)) return { parsed: { kind: 'helm-template' } };
    const yaml = parseYaml(file);
    // Checked before the failure: Go template syntax is rarely valid YAML, and is not an error.
    if (isHelmTemplate(file, yaml)) return { parsed: { kind: 'helm-template' } };
    if (yaml.failure) return { failure: yaml.failure };
    const objects = collectObjects(file, yaml.documents);
    if (objects.length === 0) {
      // Detection saw the keys in the text, but no document is an object: e.g. apiVersion inside a
      // block scalar, or a JSON file that is not a manifest. Let another format have it.
      return yaml.documents.some((doc) => hasTopLevelKind(doc.contents)) ? { parsed: { kind: 'manifests', objects } } : null;
    }
    // Only the objects the adapter judges are kept, and with them their documents; the rest
    // (ConfigMaps, CRDs, RBAC) go now rather than when the format's model is built.
    const judged = objects.filter(isJudgedKind);
    releaseYamlDocuments(file);
    return { parsed: { kind: 'manifests', objects: judged } };
  } catch (error) {
    return { failure: { file: file.path, message: `cannot read the Kubernetes manifest: ${(error as Error).message}` } };
  }
}

/** Objects some step of adaptKubernetes reads: workloads, Services, HTTP listeners (Gateways among them) and entry points. */
function isJudgedKind(object: K8sObject): boolean {
  return object.kind === 'Service' || isWorkloadKind(object.kind, object.apiVersion) || isHttpListenerKind(object) || isEntryPointKind(object.kind);
}

function hasTopLevelKind(node: unknown): boolean {
  if (!isMap(node)) return false;
  const keys = node.items.map((pair) => (isScalar(pair.key) ? pair.key.value : undefined));
  return keys.includes('apiVersion') && keys.includes('kind');
}

function adaptKubernetes(files: { file: SourceFile; parsed: KubernetesParsed }[], context: AdaptContext, usedIds = new Set<string>()): AdaptResult {
  const httpListeners: HttpListener[] = [];
  const notices: Notice[] = [];
  const uniqueId = idMaker(usedIds);
  const adapted: AdaptedWorkloads = { pods: [], workloads: [], exposures: [], failures: [] };
  const { workloads, exposures, failures } = adapted;
  // One odd object must not cost the others their findings: each is adapted on its own.
  const guarded = (object: K8sObject, step: () => void): void => {
    try {
      step();
    } catch (error) {
      failures.push(interpretFailure(object, error));
    }
  };

  // Pods first, from every file, so that a Service can select a Deployment from another file:
  // those of a compacted file were adapted at its parse, in the same file order.
  const objects: K8sObject[] = [];
  for (const { file, parsed } of files) {
    if (parsed.kind === 'helm-template') {
      notices.push({ file: file.path, level: 'note', message: HELM_NOTICE, skipped: true });
      continue;
    }
    pushAll(objects, parsed.objects);
    if (parsed.workloads) {
      pushAll(adapted.pods, parsed.workloads.pods);
      pushAll(workloads, parsed.workloads.workloads);
      pushAll(exposures, parsed.workloads.exposures);
      pushAll(failures, parsed.workloads.failures);
    } else adaptWorkloads(parsed.objects, context.policy, uniqueId, adapted);
  }
  const podIndex = indexPods(adapted.pods);
  const listenersByObject = new Map<K8sObject, HttpListener[]>();
  for (const object of objects) {
    if (object.kind === 'Service' && object.apiVersion === 'v1') guarded(object, () => pushAll(exposures, adaptService(object, podIndex, context.policy, uniqueId)));
    else if (isHttpListenerKind(object)) {
      guarded(object, () => {
        const listeners = adaptHttpListeners(object, uniqueId);
        listenersByObject.set(object, listeners);
        pushAll(httpListeners, listeners);
      });
    }
  }
  // Datastores behind public Ingresses and routes (after every Service and listener is known).
  for (const object of objects) {
    guarded(object, () => pushAll(exposures, entryPointExposures({ objects: [object], services: objects, listeners: listenersByObject, pods: podIndex, policy: context.policy, uniqueId })));
  }

  addHelmSourceHops({ workloads, exposures, httpListeners }, files.map((f) => f.file));
  return {
    model: { workloads, exposures, httpListeners },
    ...(failures.length > 0 ? { failures } : {}),
    ...(notices.length > 0 ? { notices } : {}),
  };
}

/**
 * Adapts rendered manifests (Helm output, Kustomize builds) as if they were files of the scan:
 * no Helm-template detection, since rendered text may still hold `{{ }}` inside strings.
 * Parse failures are returned as failures of the rendered file.
 */
export function adaptKubernetesDocuments(files: SourceFile[], context: AdaptContext): AdaptResult {
  const parsed: { file: SourceFile; parsed: KubernetesParsed }[] = [];
  const failures: ParseFailure[] = [];
  for (const file of files) {
    const yaml = parseYaml(file);
    if (yaml.failure) {
      failures.push(yaml.failure);
      continue;
    }
    parsed.push({ file, parsed: { kind: 'manifests', objects: collectObjects(file, yaml.documents) } });
  }
  const result = guardedAdapt(parsed, context);
  return failures.length > 0 ? { ...result, failures: [...failures, ...(result.failures ?? [])] } : result;
}

export const kubernetesFormat: Format<KubernetesParsed> = {
  id: 'kubernetes',
  name: 'Kubernetes',
  detect(file) {
    try {
      return detectKubernetes(file);
    } catch {
      return false;
    }
  },
  parse: parseKubernetes,
  compact(file, parsed, context) {
    if (parsed.kind !== 'manifests' || parsed.workloads) return parsed;
    const usedIds = takenIds.get(context) ?? takenIds.set(context, new Set()).get(context)!;
    const workloads: AdaptedWorkloads = { pods: [], workloads: [], exposures: [], failures: [] };
    adaptWorkloads(parsed.objects, context.policy, idMaker(usedIds), workloads);
    return { kind: 'manifests', objects: parsed.objects.filter((o) => !onlyWorkload(o)), workloads };
  },
  adapt(files, context) {
    const usedIds = takenIds.get(context);
    takenIds.delete(context);
    return asManifestsUnit(guardedAdapt(files, context, usedIds), files);
  },
};

function guardedAdapt(files: { file: SourceFile; parsed: KubernetesParsed }[], context: AdaptContext, usedIds?: Set<string>): AdaptResult {
  try {
    return adaptKubernetes(files, context, usedIds);
  } catch (error) {
    return { model: {}, failures: files.map(({ file }) => ({ file: file.path, message: `cannot interpret the Kubernetes manifests: ${(error as Error).message}` })) };
  }
}

const KUBERNETES_UNIT_NAME = 'Kubernetes manifests';

/**
 * The plain manifests of a scan are one deployment unit (a Service selects Pods of any file):
 * the model goes into the unit, failures and notices stay on the result.
 */
function asManifestsUnit(result: AdaptResult, files: { file: SourceFile; parsed: KubernetesParsed }[]): AdaptResult {
  const manifests = files.filter((f) => f.parsed.kind === 'manifests').map((f) => f.file.path).sort();
  if (manifests.length === 0) return result;
  const unit: UnitResult = { id: 'kubernetes:manifests', name: KUBERNETES_UNIT_NAME, kind: 'kubernetes', files: manifests, model: result.model };
  return { ...result, model: {}, units: [...(result.units ?? []), unit] };
}
