/** Test helpers: a chart folder on disk as a ChartSource, and the documents of rendered output, normalized. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadChart, type Chart, type ChartFile } from '../../src/formats/helm/chart.js';

export function chartFromDisk(dir: string): Chart {
  const files = new Map<string, ChartFile>();
  const archives: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, r);
      else if (r.endsWith('.tgz')) archives.push(r);
      else files.set(r, { name: r, text: readFileSync(full, 'utf8'), scanPath: r });
    }
  };
  walk(dir, '');
  return loadChart({ files, archives, root: '', readBytes: (n) => readFileSync(path.join(dir, n)) });
}

/** Values that differ on every run of real Helm (random passwords, generated certificates, checksums of them). */
const RANDOM_KEYS = /checksum|password|tls\.|ca\.crt|\.key$|\.crt$/i;

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = RANDOM_KEYS.test(k) ? '<random>' : normalize((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Documents of `helm template` style output, by "source kind/name", normalized. */
export function documentsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let source = '?';
  for (const part of text.split(/^---[ \t]*$/m)) {
    // A template that writes several documents: ours carry one `# Source:` for all of them.
    source = /^# Source: (.*)$/m.exec(part)?.[1] ?? source;
    for (const doc of parseAllDocuments(part)) {
      const value = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (value === null || value === undefined) continue;
      let key = `${source} ${value.kind}/${value.metadata?.name}`;
      while (out.has(key)) key += "'";
      out.set(key, JSON.stringify(normalize(value)));
    }
  }
  return out;
}
