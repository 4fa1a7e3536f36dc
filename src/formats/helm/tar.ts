/** A small in-memory reader for chart archives (.tgz): gunzip with node:zlib, then ustar/pax entries. */
import { gunzipSync } from 'node:zlib';

/** Bounds: a chart archive is small; a hostile one must not exhaust memory. */
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const MAX_ARCHIVE_ENTRIES = 20_000;

export function readTgz(data: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(data, { maxOutputLength: MAX_ARCHIVE_BYTES });
  const out = new Map<string, Buffer>();
  let at = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (at + 512 <= tar.length && out.size < MAX_ARCHIVE_ENTRIES) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = field(345, 155);
    let name = field(0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m?.[1];
      continue;
    }
    if (type === 'g') continue;
    const path = paxPath ?? longName ?? name;
    longName = undefined;
    paxPath = undefined;
    if (type === '0' || type === '\0' || type === '7') {
      const clean = path.replace(/^\.\//, '');
      if (clean.split('/').includes('..')) continue;
      out.set(clean, Buffer.from(body));
    }
  }
  return out;
}
