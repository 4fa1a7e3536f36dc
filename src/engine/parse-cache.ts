/**
 * `--cache`: a content-hash cache of per-file parse products that are plain data, so an
 * unchanged file is not parsed again. Only the parse is cached: detection, adaptation (the
 * cross-file join: Service -> Pod, overrides, modules, overlays), rules, fingerprints and
 * suppressions always run, so output is the same with and without the cache.
 *
 * Cached today: the Terraform format's parse (the HCL syntax tree built from tree-sitter, JSON
 * configurations and tfvars), the format where parsing dominates. YAML formats keep `yaml`
 * Document objects (class instances with methods), which a cache could not hand back as they
 * are; they are parsed every run.
 *
 * Key: sha256 of portwall's version, the format, the policy (config) hash, the file's path
 * (the kind of a Terraform file depends on its name) and its text. Entries are v8-serialized
 * files under the cache folder, written atomically; a corrupt or unreadable entry is a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Format, SourceFile } from '../formats/types.js';
import { VERSION } from '../version.js';

/** Formats whose `parse` returns plain data (objects, arrays, strings, numbers) only. */
const CACHEABLE_FORMATS: ReadonlySet<string> = new Set(['terraform']);

/** Default folder: node_modules/.cache/portwall when the repository has node_modules, else .portwallcache. */
export function defaultCacheLocation(root: string, exists: (p: string) => boolean): string {
  return exists(path.join(root, 'node_modules')) ? path.join(root, 'node_modules', '.cache', 'portwall') : path.join(root, '.portwallcache');
}

export class ParseCache {
  hits = 0;
  misses = 0;
  private ready = false;
  constructor(readonly location: string) {}

  /** The salt of one lint() call: the policy its files are judged under. */
  static configHash(policy: unknown): string {
    return createHash('sha256').update(JSON.stringify(policy) ?? '').digest('hex').slice(0, 16);
  }

  parse(format: Format, file: SourceFile, configHash: string): ReturnType<Format['parse']> {
    if (!CACHEABLE_FORMATS.has(format.id)) return format.parse(file);
    const key = createHash('sha256').update(`portwall ${VERSION}\u0000${format.id}\u0000${configHash}\u0000${file.path}\u0000`).update(file.text).digest('hex');
    const entry = path.join(this.location, key.slice(0, 2), `${key}.v8`);
    try {
      const value = deserialize(readFileSync(entry)) as { outcome: ReturnType<Format['parse']> };
      this.hits++;
      return value.outcome;
    } catch {
      // A miss (or an entry from another Node version that no longer reads): parse and store.
    }
    this.misses++;
    const outcome = format.parse(file);
    try {
      this.write(entry, serialize({ outcome }));
    } catch {
      // A read-only or full disk only costs the next run its cache.
    }
    return outcome;
  }

  private write(entry: string, bytes: Buffer): void {
    if (!this.ready) {
      mkdirSync(this.location, { recursive: true });
      // Keep the cache out of git where it lands inside the repository.
      try {
        writeFileSync(path.join(this.location, '.gitignore'), '*\n', { flag: 'wx' });
      } catch {
        // already there
      }
      this.ready = true;
    }
    mkdirSync(path.dirname(entry), { recursive: true });
    const temporary = `${entry}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, entry);
  }
}
