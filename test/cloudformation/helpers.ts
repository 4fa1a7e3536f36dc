/** Test harness for the CloudFormation and cloud-JSON formats: fixture files through detect → parse → adapt. */
import { readFileSync } from 'node:fs';
import { LineIndex, type Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import type { AdaptResult, Format, ParseFailure, SourceFile } from '../../src/formats/types.js';

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, index: new LineIndex(text), cache: new Map() };
}

export function fixtureFrom(base: URL, path: string): SourceFile {
  return sourceFile(path, readFileSync(new URL(path, base), 'utf8'));
}

export interface Run extends AdaptResult {
  failures: ParseFailure[];
  notClaimed: string[];
  files: SourceFile[];
}

export function run(format: Format, ...files: SourceFile[]): Run {
  const parsed: { file: SourceFile; parsed: unknown }[] = [];
  const failures: ParseFailure[] = [];
  const notClaimed: string[] = [];
  for (const file of files) {
    const result = format.detect(file) ? format.parse(file) : null;
    if (result === null) notClaimed.push(file.path);
    else if ('failure' in result) failures.push(result.failure);
    else parsed.push({ file, parsed: result.parsed });
  }
  const adapted = format.adapt(parsed, { policy: defaultPolicy(), readFile: () => undefined, allFiles: files.map((f) => f.path) });
  return { ...adapted, failures: [...failures, ...(adapted.failures ?? [])], notClaimed, files };
}

/** `file:startLine:startColumn-endLine:endColumn = text`, the text being what the region covers. */
export function at(location: Location | undefined, files: SourceFile[]): string {
  if (!location) return 'no location';
  const r = location.region;
  const file = files.find((f) => f.path === location.file);
  const text = file ? file.text.slice(r.startOffset, r.endOffset) : '?';
  return `${location.file}:${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} = ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
