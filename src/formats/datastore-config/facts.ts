/**
 * What one datastore config file says, before it becomes model objects: the settings that
 * bind to every interface, the authentication verdict, the ports. Each reader (redis.ts,
 * postgres.ts...) fills one; index.ts turns it into a Workload and InterfaceBindings.
 */
import type { Location } from '../../core/location.js';
import type { AuthState, DatastoreKind, InterfaceBinding, Notice, PortSet, Workload } from '../../model/types.js';
import { parsePortText, portSet } from '../../model/ports.js';
import type { SourceFile } from '../types.js';

interface BindingFact {
  /** The setting as written, e.g. "bind 0.0.0.0" or "network.host: 0.0.0.0". Never a secret. */
  setting: string;
  location: Location;
}

export interface ConfigFacts {
  datastore: DatastoreKind;
  /** Display name: "Redis Sentinel", "PostgreSQL (pg_hba.conf)". */
  label: string;
  /** The first setting of the file: where the workload is declared. Undefined for an empty file. */
  anchor?: Location;
  bindings: BindingFact[];
  auth: AuthState;
  listenPorts: PortSet[];
  notices: Notice[];
}

export function newFacts(datastore: DatastoreKind, label: string, anchor: Location | undefined): ConfigFacts {
  return { datastore, label, anchor, bindings: [], auth: { state: 'unknown', reason: 'not decided by this file' }, listenPorts: [], notices: [] };
}

/** A TCP port setting's value, when it is a literal port (variables and templates are skipped). */
export function tcpPorts(text: string | undefined): PortSet[] {
  if (text === undefined) return [];
  const range = parsePortText(text);
  return range ? [portSet('tcp', [range])] : [];
}

/**
 * `include` and similar directives are not followed: the included file may change what this
 * one says, so conclusions drawn from a missing setting are not safe, and the user is told.
 */
export function includeNotice(file: SourceFile, directive: string, line: number): Notice {
  return {
    file: file.path,
    level: 'note',
    message: `${directive} on line ${line} is not followed; settings in the included files are not checked, and missing settings are not reported as such`,
  };
}

/** The model objects for one file: one config-file workload, and a binding per offending setting. */
export function factsToModel(file: SourceFile, facts: ConfigFacts): { workload: Workload; bindings: InterfaceBinding[] } {
  const name = file.path.split('/').pop() ?? file.path;
  const location = facts.anchor ?? { file: file.path, region: file.index.region(0, 0) };
  const workload: Workload = {
    id: `config-file:${file.path}`,
    kind: 'config-file',
    name,
    location,
    datastore: { kind: facts.datastore, label: facts.label, evidence: `config file ${name}` },
    auth: facts.auth,
    listenPorts: facts.listenPorts,
  };
  const bindings = facts.bindings.map((b) => ({ datastore: facts.datastore, setting: b.setting, location: b.location, workload }));
  return { workload, bindings };
}
