/** Test harness for the Kubernetes format: real fixture files through detect → parse → adapt. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineIndex, type Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { kubernetesFormat, type KubernetesParsed } from '../../src/formats/kubernetes/index.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, index: new LineIndex(text), cache: new Map() };
}

/** A fixture as the engine would see it: path relative to the scan root (the fixtures folder). */
export function fixture(path: string): SourceFile {
  return sourceFile(path, readFileSync(FIXTURES + path, 'utf8'));
}

export interface Run extends AdaptResult {
  /** Parse failures (PW000) and adapt failures together. */
  allFailures: ParseFailure[];
  /** Files the format did not claim, or handed back from parse. */
  notClaimed: string[];
}

export function run(...files: SourceFile[]): Run {
  const parsed: { file: SourceFile; parsed: KubernetesParsed }[] = [];
  const parseFailures: ParseFailure[] = [];
  const notClaimed: string[] = [];
  for (const file of files) {
    if (!kubernetesFormat.detect(file)) {
      notClaimed.push(file.path);
      continue;
    }
    const result = kubernetesFormat.parse(file);
    if (result === null) notClaimed.push(file.path);
    else if ('failure' in result) parseFailures.push(result.failure);
    else parsed.push({ file, parsed: result.parsed });
  }
  const adapted = kubernetesFormat.adapt(parsed, { policy: defaultPolicy(), readFile: () => undefined, allFiles: files.map((f) => f.path) });
  return { ...adapted, allFailures: [...parseFailures, ...(adapted.failures ?? [])], notClaimed };
}

export function runFixtures(...paths: string[]): Run {
  return run(...paths.map(fixture));
}

/** A location as `file:startLine:startColumn-endLine:endColumn` plus the text it covers. */
export function at(location: Location | undefined, files?: SourceFile[]): { where: string; text?: string } {
  if (!location) return { where: 'no location' };
  const r = location.region;
  const where = `${location.file}:${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
  const file = files?.find((f) => f.path === location.file);
  return file ? { where, text: file.text.slice(r.startOffset, r.endOffset) } : { where };
}
