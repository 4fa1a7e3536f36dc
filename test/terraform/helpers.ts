/**
 * Test helpers: fixture files as SourceFiles, the terraform format run the way the engine
 * runs it (detect -> parse -> adapt), and compact location strings for exact assertions.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Location } from '../../src/core/location.js';
import type { AdaptResult, ParseFailure, SourceFile } from '../../src/formats/types.js';
import { terraformFormat } from '../../src/formats/terraform/index.js';
import type { DecidedDatastore, Exposure } from '../../src/model/types.js';
import { defaultPolicy } from '../../src/core/policy.js';
import { decidedDatastores } from '../../src/model/access-policy.js';
import { fixtureReader, runFormat, span } from '../helpers/formats.js';

export { sourceFile } from '../helpers/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A fixture as the engine would hand it over: path relative to the fixture root. */
export const fixture = fixtureReader(FIXTURES, { withAbsolutePath: true });

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [relative(FIXTURES, full).split('\\').join('/')];
  });
}

export interface RunResult extends AdaptResult {
  exposures: Exposure[];
  datastores: DecidedDatastore[];
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
  const byPath = new Map([...files, ...unscanned].map((f) => [f.path, f]));
  const { adapted: result, parseFailures } = runFormat(terraformFormat, files, {
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
    // Root modules are units: their entries sit in the unit models.
    exposures: [...(result.model.exposures ?? []), ...(result.units ?? []).flatMap((u) => u.model.exposures ?? [])],
    // Domains' access policies are judged in the model, under the default policy here (as rules do).
    datastores: decidedDatastores([...(result.model.managedDatastores ?? []), ...(result.units ?? []).flatMap((u) => u.model.managedDatastores ?? [])], defaultPolicy()),
    notices: [...(result.notices ?? []), ...(result.units ?? []).flatMap((u) => u.notices ?? [])],
    parseFailures: [...parseFailures, ...(result.failures ?? [])],
  };
}

/** "file:line:col-line:col", endColumn exclusive like the Region. */
export function at(location: Location): string {
  return span(location);
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
    const what = v.kind === 'cidr' ? v.cidr : v.kind === 'unknown' ? `unknown(${v.reason})` : v.kind === 'host-ip' ? v.address : v.kind === 'choice' ? `choice(${v.reason})` : `${v.kind}(${v.label})`;
    // Provenance hops, in order, as related locations: `<< file:line:col-line:col`.
    return `${what}@${at(s.location)}${(s.via ?? []).map((h) => ` << ${at(h.location)}`).join('')}`;
  });
  return `${e.id} ${ports} <- ${sources.join(' ')}`;
}

export function byId<T extends { id: string }>(items: T[], id: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}; have: ${items.map((i) => i.id).join(', ')}`);
  return found;
}
