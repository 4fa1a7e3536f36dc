/** Test harness for the CloudFormation and cloud-JSON formats: fixture files through detect → parse → adapt. */
import type { Location } from '../../src/core/location.js';
import type { AdaptResult, Format, ParseFailure, SourceFile } from '../../src/formats/types.js';
import { coveredText, fixtureReader, runFormat, span } from '../helpers/formats.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { decidedDatastores } from '../../src/model/access-policy.js';

export { sourceFile } from '../helpers/index.js';

export function fixtureFrom(base: URL, path: string): SourceFile {
  return fixtureReader(base)(path);
}

export interface Run extends AdaptResult {
  failures: ParseFailure[];
  notClaimed: string[];
  files: SourceFile[];
}

export function run(format: Format, ...files: SourceFile[]): Run {
  const { adapted, parseFailures, notClaimed } = runFormat(format, files);
  // Templates are units: their entries are gathered into one model for the assertions.
  const model = { ...adapted.model };
  for (const unit of adapted.units ?? []) {
    model.exposures = [...(model.exposures ?? []), ...(unit.model.exposures ?? [])];
    model.managedDatastores = [...(model.managedDatastores ?? []), ...(unit.model.managedDatastores ?? [])];
  }
  // Domains' access policies are judged in the model, under the default policy here (as rules do).
  model.managedDatastores = decidedDatastores(model.managedDatastores ?? [], defaultPolicy());
  return { ...adapted, model, failures: [...parseFailures, ...(adapted.failures ?? [])], notClaimed, files };
}

/** `file:startLine:startColumn-endLine:endColumn = text`, the text being what the region covers. */
export function at(location: Location | undefined, files: SourceFile[]): string {
  if (!location) return 'no location';
  const text = coveredText(location, files) ?? '?';
  return `${span(location)} = ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
