/**
 * Every read of a file that a scanned repository or its config names goes through here:
 * resolved with realpath, confined to the allowed roots (the repository / scan root), only
 * regular files (a FIFO, a socket or /dev/zero never blocks or streams forever), opened
 * non-blocking and read with a size cap. Text is decoded by its BOM (UTF-8, UTF-16 LE/BE,
 * UTF-32 LE/BE: YAML 1.2 requires it); a file with NUL bytes after decoding is binary.
 * Writes of files a config names (baseline) are confined the same way.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files larger than this are not read: no real config is this big. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

type ReadProblem =
  | { reason: 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable'; message: string }
  | { reason: 'binary'; message: string };

/** `version` names what was read: the file (device, inode) and its last change (size, ctime, which no tool can set back). */
type ReadResult = { text: string; realPath: string; encoding: string; version: string } | { problem: ReadProblem };

/** True when `real` is `root` or below it (both already real paths). */
export function isInside(real: string, root: string): boolean {
  if (real === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return real.startsWith(prefix);
}

/** The real path of each existing root (a file root stands for its folder). */
export function realRoots(roots: string[]): string[] {
  const out: string[] = [];
  for (const r of roots) {
    try {
      const real = realpathSync(r);
      out.push(statSync(real).isDirectory() ? real : path.dirname(real));
    } catch {
      // a root that does not exist confines nothing
    }
  }
  return out;
}

/**
 * The same confinement with fewer roots: duplicates and roots inside another root go (a path
 * inside a nested root is inside its ancestor too). The CLI names every file of a scan, so the
 * roots are one folder per file otherwise, and every read would test them all.
 */
export function minimalRoots(roots: readonly string[]): string[] {
  const unique = new Set(roots);
  const nested = (r: string): boolean => {
    for (let dir = path.dirname(r), last = r; dir !== last; last = dir, dir = path.dirname(dir)) if (unique.has(dir)) return true;
    return false;
  };
  return [...unique].filter((r) => !nested(r));
}

/**
 * Reads a file as text. `roots` (real paths) confine it: undefined means no confinement (a
 * file the user named on the command line). Never blocks: the file is opened with O_NONBLOCK
 * and must be a regular file, checked on the open descriptor.
 */
export function readConfined(absolutePath: string, roots: readonly string[] | undefined, limit = MAX_READ_BYTES): ReadResult {
  let real: string;
  try {
    // One realpath(3) call: the JS realpathSync lstats every component of every path.
    real = realpathSync.native(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: { reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', message: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})` } };
  }
  if (roots && !roots.some((r) => isInside(real, r))) return { problem: { reason: 'outside', message: 'is outside the repository: it is not read' } };
  let fd: number;
  try {
    // Refuse anything but a regular file before opening it (opening a FIFO may block).
    if (!lstatSync(real).isFile()) return { problem: { reason: 'not-regular', message: 'is not a regular file (a FIFO, device or socket): it is not read' } };
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: { reason: 'unreadable', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: { reason: 'not-regular', message: 'is not a regular file (a FIFO, device or socket): it is not read' } };
    if (stat.size > limit) return { problem: { reason: 'too-large', message: `is larger than ${formatBytes(limit)}: it is not read` } };
    // Read at most limit + 1 bytes whatever size fstat claimed (a file growing while read).
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n <= 0) break;
      length += n;
      if (length >= buffer.length) break;
    }
    if (length > limit) return { problem: { reason: 'too-large', message: `is larger than ${formatBytes(limit)}: it is not read` } };
    const decoded = decodeText(buffer.subarray(0, length));
    if (decoded === undefined) return { problem: { reason: 'binary', message: 'is binary or not text in a known encoding (UTF-8, UTF-16 or UTF-32)' } };
    return { text: decoded.text, realPath: real, encoding: decoded.encoding, version: `${stat.dev}:${stat.ino}:${stat.size}:${stat.ctimeMs}` };
  } catch (error) {
    return { problem: { reason: 'unreadable', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
  } finally {
    closeSync(fd);
  }
}

/**
 * Text of a file's bytes by BOM (the BOM itself removed); without a BOM, UTF-8. Undefined for
 * binary content: a NUL character in the decoded text (no configuration format allows one).
 */
export function decodeText(buffer: Buffer): { text: string; encoding: string } | undefined {
  let text: string;
  let encoding = 'utf-8';
  const b = buffer;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) {
    encoding = 'utf-32le';
    text = utf32(b.subarray(4), true);
  } else if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) {
    encoding = 'utf-32be';
    text = utf32(b.subarray(4), false);
  } else if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le').decode(b.subarray(2));
  } else if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    encoding = 'utf-16be';
    text = new TextDecoder('utf-16be').decode(b.subarray(2));
  } else {
    text = b.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  if (text.includes('\u0000')) return undefined;
  return { text, encoding };
}

function utf32(b: Buffer, littleEndian: boolean): string {
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 3 < b.length; i += 4) {
    const cp = littleEndian ? b.readUInt32LE(i) : b.readUInt32BE(i);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  if (chunk.length) parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : `${Math.round(n / 1024)} KiB`;
}

/**
 * Writes a file a config or a command names, only as a regular file inside `root` (its
 * folder created inside root too). Throws an Error with a clear message otherwise.
 */
export function writeConfined(target: string, text: string, root: string): void {
  const realRoot = realRoots([root])[0] ?? path.resolve(root);
  const dir = path.dirname(path.resolve(target));
  // The nearest existing ancestor must be inside the root once real (no symlinked escape).
  let existing = dir;
  while (!exists(existing)) existing = path.dirname(existing);
  const realExisting = realpathSync(existing);
  if (!isInside(realExisting, realRoot) || !isInside(path.resolve(realExisting, path.relative(existing, target)), realRoot)) {
    throw new Error(`${target} is outside the repository: portwall writes only inside it (use --output to choose another file)`);
  }
  if (exists(target)) {
    const real = realpathSync(target);
    if (!isInside(real, realRoot)) throw new Error(`${target} is a link out of the repository: it is not written`);
    if (!lstatSync(real).isFile()) throw new Error(`${target} is not a regular file: it is not written`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(target, text);
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `target` really is (the real path of its nearest existing ancestor, plus the rest), if
 * that stays inside `root` (a real path); undefined when it would leave it.
 */
export function confinedPath(target: string, root: string): string | undefined {
  let existing = path.resolve(target);
  while (!exists(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return undefined;
    existing = parent;
  }
  let real: string;
  try {
    real = path.join(realpathSync(existing), path.relative(existing, path.resolve(target)));
  } catch {
    return undefined;
  }
  return isInside(real, root) ? real : undefined;
}

/** The repository root of `start`: the nearest folder holding .git, else `start` itself (real path). */
export function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (exists(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) {
      dir = path.resolve(start);
      break;
    }
    dir = parent;
  }
  return realRoots([dir])[0] ?? dir;
}
