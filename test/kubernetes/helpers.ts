/** Test harness for the Kubernetes format: real fixture files through detect → parse → adapt. */
import type { Location } from '../../src/core/location.js';
import { kubernetesFormat } from '../../src/formats/kubernetes/index.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';
import { coveredText, fixtureReader, runFormat, span } from '../helpers/formats.js';

export { sourceFile } from '../helpers/index.js';

/** A fixture as the engine would see it: path relative to the scan root (the fixtures folder). */
export const fixture = fixtureReader(new URL('./fixtures/', import.meta.url));

export interface Run extends AdaptResult {
  /** Parse failures (PW000) and adapt failures together. */
  allFailures: ParseFailure[];
  /** Files the format did not claim, or handed back from parse. */
  notClaimed: string[];
}

export function run(...files: SourceFile[]): Run {
  const { adapted, parseFailures, notClaimed } = runFormat(kubernetesFormat, files);
  // The manifests are one unit: its model is the model the tests read.
  const model = adapted.units?.find((u) => u.kind === 'kubernetes')?.model ?? adapted.model;
  return { ...adapted, model, allFailures: [...parseFailures, ...(adapted.failures ?? [])], notClaimed };
}

export function runFixtures(...paths: string[]): Run {
  return run(...paths.map(fixture));
}

/** A location as `file:startLine:startColumn-endLine:endColumn` plus the text it covers. */
export function at(location: Location | undefined, files?: SourceFile[]): { where: string; text?: string } {
  if (!location) return { where: 'no location' };
  const text = coveredText(location, files);
  return text === undefined ? { where: span(location) } : { where: span(location), text };
}
