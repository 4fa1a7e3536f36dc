/**
 * A container's env and command line as the shared auth module reads them (ContainerSpec),
 * with Kubernetes' `$(VAR)` expansion applied the way the kubelet does it, so that
 * `args: ["--requirepass", "$(REDIS_PASSWORD)"]` is judged by what the process receives.
 */
import type { Node } from 'yaml';
import type { Located } from '../../core/location.js';
import type { ContainerSpec, EnvEntry } from '../../model/auth.js';
import { getEntry, scalarText, seqItems } from '../yaml/index.js';
import type { K8sObject } from './objects.js';
import { tightLocation } from './ranges.js';

type Context = Pick<K8sObject, 'doc' | 'file'>;

/** Known values by name; `undefined` marks a variable that exists but cannot be read (valueFrom). */
type Environment = Map<string, string | undefined>;

/**
 * Expand `$(NAME)` from `env`; `$$(NAME)` is the escape for a literal `$(NAME)`.
 * Returns undefined when a reference names a variable whose value cannot be known.
 * Unknown names stay literal, as in Kubernetes — unless part of the environment is opaque
 * (envFrom), where the name may well be defined.
 */
function expandReferences(text: string, env: Environment, opaque: boolean): string | undefined {
  if (!text.includes('$(')) return text;
  let unresolved = false;
  const out = text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    if (!env.has(name!)) {
      if (opaque) unresolved = true;
      return match;
    }
    const value = env.get(name!);
    if (value === undefined) unresolved = true;
    return value ?? match;
  });
  return unresolved ? undefined : out;
}

export function containerSpec(container: Node, ctx: Context): ContainerSpec {
  const { doc, file } = ctx;
  const imageNode = getEntry(container, 'image', doc)?.value;
  const imageText = scalarText(imageNode, file);
  const imageLocation = imageText ? tightLocation(file, imageNode) : undefined;
  const opaqueEnv = seqItems(getEntry(container, 'envFrom', doc)?.value, doc).length > 0;

  const known: Environment = new Map();
  const env: EnvEntry[] = [];
  for (const item of seqItems(getEntry(container, 'env', doc)?.value, doc)) {
    const name = scalarText(getEntry(item, 'name', doc)?.value, file);
    const location = tightLocation(file, item);
    if (!name || !location) continue;
    let value: string | undefined;
    if (getEntry(item, 'valueFrom', doc)) value = undefined;
    else {
      // A missing `value` is the empty string in Kubernetes; references see earlier entries only.
      const raw = scalarText(getEntry(item, 'value', doc)?.value, file) ?? '';
      value = expandReferences(raw, known, opaqueEnv);
    }
    known.set(name, value);
    env.push({ name, value, location });
  }

  const args: Located<string>[] = [];
  for (const key of ['command', 'args']) {
    for (const item of seqItems(getEntry(container, key, doc)?.value, doc)) {
      const raw = scalarText(item, file);
      const location = tightLocation(file, item);
      if (raw === undefined || !location) continue;
      // An argument that cannot be expanded keeps its `$(VAR)` text, which the auth module
      // treats as unresolved rather than as a literal value.
      args.push({ value: expandReferences(raw, known, opaqueEnv) ?? raw, location });
    }
  }

  return {
    ...(imageText && imageLocation ? { image: { value: imageText, location: imageLocation } } : {}),
    env,
    args,
    ...(opaqueEnv ? { opaqueEnv: true } : {}),
  };
}
