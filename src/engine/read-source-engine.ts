/**
 * The engine's reads of scanned files and of the files they name (.env, env_file, include,
 * extends, file(), tfvars): src/engine/read-source.ts confinement, then a SourceFile, a
 * notification, or, for a file that looks like configuration but is binary or undecodable,
 * a PW000 (no silent skip).
 */
import path from 'node:path';
import type { ToolNotification } from '../core/finding.js';
import { LineIndex } from '../core/location.js';
import type { ParseFailure, SourceFile } from '../formats/types.js';
import { readConfined } from './read-source.js';
import { ScannedSource } from './scanned-source.js';

/** Names a format claims on sight: a binary file with one of these is a broken config (PW000). */
const CONFIG_NAME = /\.(ya?ml|json|tf|tfvars|hcl)$|(^|\/)(pg_hba\.conf|postgresql[^/]*\.conf|redis[^/]*\.conf|mongod[^/]*\.conf|my[^/]*\.cnf|memcached[^/]*\.conf)$/i;

const MAX_UNSAVED_CHARS = 8 * 1024 * 1024;

export function readScanned(
  absolutePath: string,
  relativePath: string,
  roots: readonly string[],
  notifications: ToolNotification[],
  overlay?: ReadonlyMap<string, string>,
): { source?: SourceFile; failure?: ParseFailure } {
  // An editor's unsaved buffer wins over the disk (portwall lsp); it may not exist on disk yet.
  const unsaved = overlay?.get(absolutePath);
  if (unsaved !== undefined) {
    const inside = roots.some((r) => absolutePath === r || absolutePath.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    if (!inside) return {};
    if (unsaved.length > MAX_UNSAVED_CHARS) {
      notifications.push({ level: 'warning', kind: 'skipped', file: relativePath, message: `${display(relativePath)}: skipped, larger than 8 MiB` });
      return {};
    }
    const text = unsaved.charCodeAt(0) === 0xfeff ? unsaved.slice(1) : unsaved;
    return { source: { path: relativePath, text, index: new LineIndex(text), cache: new Map(), absolutePath } };
  }
  const read = readConfined(absolutePath, roots);
  if ('text' in read) {
    // The engine may drop the text and read it again, under the same confinement (scanned-source.ts).
    // (Only the version is kept: a closure over `read` would hold the text it is there to drop.)
    const version = read.version;
    const reread = () => {
      const again = readConfined(absolutePath, roots);
      return 'text' in again && again.version === version ? again.text : undefined;
    };
    return { source: new ScannedSource(relativePath, absolutePath, read.text, reread) };
  }
  const { reason, message } = read.problem;
  if (reason === 'binary') {
    if (CONFIG_NAME.test(relativePath)) return { failure: { file: relativePath, kind: 'parse', message: `the file ${message}, so it cannot be checked` } };
    return {};
  }
  if (reason === 'missing') return {};
  notifications.push({ level: reason === 'unreadable' ? 'error' : 'warning', kind: reason === 'unreadable' ? 'skipped' : 'skipped', file: relativePath, message: `${display(relativePath)}: skipped, it ${message}` });
  return {};
}

/** A file that could not be decoded, as a located PW000 at its first character. */
export function unreadableFailure(failure: ParseFailure) {
  return { file: failure.file, message: failure.message, location: failure.location ?? { file: failure.file, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 } } };
}

/** A path shown in a message: control characters (a newline in a folder name) escaped. */
function display(relativePath: string): string {
  return /[\u0000-\u001f\u007f]/.test(relativePath) ? JSON.stringify(relativePath).slice(1, -1) : relativePath.split(path.sep).join('/');
}
