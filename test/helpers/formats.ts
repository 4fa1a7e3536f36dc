/**
 * The harness the per-format tests share: fixture files as the engine hands them over, one
 * format run the way the engine runs it (detect -> parse -> adapt), and location strings for
 * exact assertions. Each format's helpers.ts adds only what is particular to that format.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import type { AdaptContext, AdaptResult, Format, ParseFailure, SourceFile } from '../../src/formats/types.js';
import { sourceFile } from './index.js';

/**
 * Reads fixtures below `base` (a folder URL or path) as SourceFiles whose path is relative to it,
 * like the engine's paths are relative to the scan root. `withAbsolutePath` also sets absolutePath.
 */
export function fixtureReader(base: string | URL, options: { withAbsolutePath?: boolean } = {}): (relativePath: string) => SourceFile {
  const root = typeof base === 'string' ? base : fileURLToPath(base);
  return (relativePath) => {
    const absolutePath = path.join(root, relativePath);
    const file = sourceFile(relativePath, readFileSync(absolutePath, 'utf8'));
    return options.withAbsolutePath ? { ...file, absolutePath } : file;
  };
}

export interface FormatRun<Parsed> {
  adapted: AdaptResult;
  parsed: { file: SourceFile; parsed: Parsed }[];
  /** Parse failures (PW000) only; adapt failures are in adapted.failures. */
  parseFailures: ParseFailure[];
  /** Files the format did not claim, or handed back from parse (null). */
  notClaimed: string[];
}

/** One format over some files, with the default policy and no sibling files unless `context` says otherwise. */
export function runFormat<Parsed>(format: Format<Parsed>, files: SourceFile[], context: Partial<AdaptContext> = {}): FormatRun<Parsed> {
  const parsed: { file: SourceFile; parsed: Parsed }[] = [];
  const parseFailures: ParseFailure[] = [];
  const notClaimed: string[] = [];
  for (const file of files) {
    const result = format.detect(file) ? format.parse(file) : null;
    if (result === null) notClaimed.push(file.path);
    else if ('failure' in result) parseFailures.push(result.failure);
    else parsed.push({ file, parsed: result.parsed });
  }
  const adapted = format.adapt(parsed, { policy: defaultPolicy(), readFile: () => undefined, allFiles: files.map((f) => f.path), ...context });
  return { adapted, parsed, parseFailures, notClaimed };
}

/** `startLine:startColumn-endLine:endColumn` (endColumn exclusive, like Region), prefixed with `file:` when asked. */
export function span(location: Location, withFile = true): string {
  const r = location.region;
  return `${withFile ? `${location.file}:` : ''}${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
}

/** The source text a location covers, when its file is among `files`. */
export function coveredText(location: Location, files: readonly SourceFile[] | undefined): string | undefined {
  const file = files?.find((f) => f.path === location.file);
  return file?.text.slice(location.region.startOffset, location.region.endOffset);
}
