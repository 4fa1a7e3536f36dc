/**
 * Calls of registry modules whose inputs decide a managed datastore's exposure, read
 * without the module's code (like sg-module.ts for the security-group module):
 * terraform-aws-modules/rds (and its //modules/db_instance) and terraform-aws-modules/redshift
 * take `publicly_accessible` (default false) and pass it to the resource.
 */
import type { ManagedDatastore } from '../../../model/types.js';
import type { ResourceInstance } from '../instances.js';
import { asBool, asString, attr } from '../values.js';

const PUBLIC_INPUT_MODULES: { pattern: RegExp; kind: string }[] = [
  { pattern: /(?:^|[/:.])terraform-aws-modules\/(?:rds\/aws|terraform-aws-rds(?:\.git)?)(?:\/\/modules\/db_instance)?(?:[/?]|$)/, kind: 'Amazon RDS instance' },
  { pattern: /(?:^|[/:.])terraform-aws-modules\/(?:redshift\/aws|terraform-aws-redshift(?:\.git)?)(?:[/?]|$)/, kind: 'Amazon Redshift cluster' },
];

/** The datastore kind when `source` is one of the modules above. */
export function publicInputModuleKind(instance: ResourceInstance): string | undefined {
  const source = instance.knownSource ?? asString(attr(instance.value, 'source'));
  if (!source) return undefined;
  return PUBLIC_INPUT_MODULES.find((m) => m.pattern.test(source))?.kind;
}

export function publicInputModuleDatastores(instance: ResourceInstance, kind: string): ManagedDatastore[] {
  if (asBool(attr(instance.value, 'create_db_instance')) === false || asBool(attr(instance.value, 'create')) === false) return [];
  const flag = attr(instance.value, 'publicly_accessible');
  if (!flag) return [];
  const engine = asString(attr(instance.value, 'engine'));
  const what = `${engine ? `${kind} (${engine})` : kind} via ${asString(attr(instance.value, 'source'))}`;
  const location = instance.value.attributeLocs.get('publicly_accessible') ?? instance.header;
  const base = { id: `tf:${instance.file}:${instance.address}:public`, subject: instance.address, kind: what, location, ...(flag.trail?.length ? { via: flag.trail } : {}) };
  if (flag.kind === 'unknown') return [{ ...base, public: 'unknown', reason: `publicly_accessible is unknown: ${flag.reason}` }];
  if (asBool(flag) !== true) return [];
  return [{ ...base, public: 'yes', reason: 'publicly_accessible = true gives it a public address' }];
}
