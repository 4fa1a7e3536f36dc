/**
 * Test helpers: fixture files as SourceFiles, the terraform format run the way the engine
 * runs it (detect -> parse -> adapt), and compact location strings for exact assertions.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineIndex } from '../../src/core/location.js';
import type { Location } from '../../src/core/location.js';
import { defaultPolicy } from '../../src/core/policy.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';
import { terraformFormat } from '../../src/formats/terraform/index.js';
import type { TerraformParsed } from '../../src/formats/terraform/index.js';
import type { Exposure, ManagedDatastore } from '../../src/model/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, index: new LineIndex(text), cache: new Map() };
}

/** A fixture as the engine would hand it over: path relative to the fixture root. */
export function fixture(path: string): SourceFile {
  return { ...sourceFile(path, readFileSync(join(FIXTURES, path), 'utf8')), absolutePath: join(FIXTURES, path) };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [relative(FIXTURES, full).split('\\').join('/')];
  });
}

export interface RunResult extends AdaptResult {
  exposures: Exposure[];
  datastores: ManagedDatastore[];
  parseFailures: ParseFailure[];
}

/**
 * Runs the format over every file of the given fixture folders (or files). `readFile`
 * serves any fixture, like the engine serves files beside the scanned ones.
 */
export function run(...paths: string[]): RunResult {
  const all = listFiles(FIXTURES);
  const selected = all.filter((p) => paths.some((want) => p === want || p.startsWith(`${want}/`)));
  return runFiles(selected.map(fixture), all);
}

/** `unscanned` files are discovered and readable through the context but not handed to the format. */
export function runFiles(files: SourceFile[], allFiles: string[] = files.map((f) => f.path), unscanned: SourceFile[] = []): RunResult {
  const parsed: { file: SourceFile; parsed: TerraformParsed }[] = [];
  const parseFailures: ParseFailure[] = [];
  for (const file of files) {
    if (!terraformFormat.detect(file)) continue;
    const result = terraformFormat.parse(file);
    if (result === null) continue;
    if ('failure' in result) parseFailures.push(result.failure);
    else parsed.push({ file, parsed: result.parsed });
  }
  const byPath = new Map([...files, ...unscanned].map((f) => [f.path, f]));
  const result = terraformFormat.adapt(parsed, {
    policy: defaultPolicy(),
    allFiles,
    readFile: (path) => {
      const known = byPath.get(path);
      if (known) return known;
      try {
        return fixture(path);
      } catch {
        return undefined;
      }
    },
  });
  return {
    ...result,
    exposures: result.model.exposures ?? [],
    datastores: result.model.managedDatastores ?? [],
    parseFailures: [...parseFailures, ...(result.failures ?? [])],
  };
}

/** "file:line:col-line:col", endColumn exclusive like the Region. */
export function at(location: Location): string {
  const r = location.region;
  return `${location.file}:${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
}

/** The source text a location covers, to show what a region points at. */
export function textAt(location: Location): string {
  return readFileSync(join(FIXTURES, location.file), 'utf8').slice(location.region.startOffset, location.region.endOffset);
}

/** One line per exposure: id, ports, and each source with its location. */
export function describeExposure(e: Exposure): string {
  const ports = e.ports.unknown
    ? `${e.ports.protocol}:unknown(${e.ports.unknown})`
    : `${e.ports.protocol}:${e.ports.ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',')}`;
  const sources = e.sources.map((s) => {
    const v = s.value;
    const what = v.kind === 'cidr' ? v.cidr : v.kind === 'unknown' ? `unknown(${v.reason})` : v.kind === 'host-ip' ? v.address : `${v.kind}(${v.label})`;
    return `${what}@${at(s.location)}`;
  });
  return `${e.id} ${ports} <- ${sources.join(' ')}`;
}

export function byId<T extends { id: string }>(items: T[], id: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}; have: ${items.map((i) => i.id).join(', ')}`);
  return found;
}
