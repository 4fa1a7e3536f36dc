/** Test harness for the datastore-config format: real fixture files through detect → parse → adapt. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineIndex, type Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { datastoreConfigFormat, type DatastoreConfigParsed } from '../../src/formats/datastore-config/index.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';
import type { InterfaceBinding, Workload } from '../../src/model/types.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, index: new LineIndex(text), cache: new Map() };
}

/** A fixture as the engine would see it: path relative to the scan root (the fixtures folder). */
export function fixture(path: string): SourceFile {
  return sourceFile(path, readFileSync(FIXTURES + path, 'utf8'));
}

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
  const parsed: { file: SourceFile; parsed: DatastoreConfigParsed }[] = [];
  const parseFailures: ParseFailure[] = [];
  const notClaimed: string[] = [];
  for (const file of files) {
    if (!datastoreConfigFormat.detect(file)) {
      notClaimed.push(file.path);
      continue;
    }
    const result = datastoreConfigFormat.parse(file);
    if (result === null) notClaimed.push(file.path);
    else if ('failure' in result) parseFailures.push(result.failure);
    else parsed.push({ file, parsed: result.parsed });
  }
  const adapted = datastoreConfigFormat.adapt(parsed, { policy: defaultPolicy(), readFile: () => undefined, allFiles: files.map((f) => f.path) });
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
  const r = location.region;
  const where = `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
  const file = files.find((f) => f.path === location.file);
  return file ? { where, text: file.text.slice(r.startOffset, r.endOffset) } : { where };
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
