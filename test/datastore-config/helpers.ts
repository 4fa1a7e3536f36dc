/** Test harness for the datastore-config format: real fixture files through detect → parse → adapt. */
import type { Location } from '../../src/core/location.js';
import { datastoreConfigFormat } from '../../src/formats/datastore-config/index.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';
import type { InterfaceBinding, Workload } from '../../src/model/types.js';
import { coveredText, fixtureReader, runFormat, span } from '../helpers/formats.js';
import { sourceFile } from '../helpers/index.js';

export { sourceFile };

/** A fixture as the engine would see it: path relative to the scan root (the fixtures folder). */
export const fixture = fixtureReader(new URL('./fixtures/', import.meta.url));

export interface Run extends AdaptResult {
  files: SourceFile[];
  workloads: Workload[];
  bindings: InterfaceBinding[];
  /** Parse failures (PW000) and adapt failures together. */
  allFailures: ParseFailure[];
  /** Files the format did not claim, or handed back from parse. */
  notClaimed: string[];
}

export function run(...files: SourceFile[]): Run {
  const { adapted, parseFailures, notClaimed } = runFormat(datastoreConfigFormat, files);
  return {
    ...adapted,
    files,
    workloads: adapted.model.workloads ?? [],
    bindings: adapted.model.bindings ?? [],
    allFailures: [...parseFailures, ...(adapted.failures ?? [])],
    notClaimed,
  };
}

export function runFixtures(...paths: string[]): Run {
  return run(...paths.map(fixture));
}

/** One inline file, as `run` sees it. */
export function runText(path: string, text: string): Run {
  return run(sourceFile(path, text));
}

/** A location as `startLine:startColumn-endLine:endColumn` plus the exact text it covers. */
export function at(location: Location | undefined, files: SourceFile[]): { where: string; text?: string } {
  if (!location) return { where: 'no location' };
  const text = coveredText(location, files);
  return text === undefined ? { where: span(location, false) } : { where: span(location, false), text };
}

/** The bindings of a run as PW005 would word them, with where they point. */
export function bindingsOf(result: Run): { setting: string; where: string; text?: string }[] {
  return result.bindings.map((b) => ({ setting: `${b.datastore}: ${b.setting}`, ...at(b.location, result.files) }));
}

/** The single workload's auth verdict with where it points. */
export function authOf(result: Run, index = 0): { state: string; reason: string; where: string; text?: string } {
  const auth = result.workloads[index]!.auth!;
  return { state: auth.state, reason: auth.reason, ...at(auth.location, result.files) };
}
