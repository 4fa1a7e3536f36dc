/**
 * Built resources as text the Kubernetes adapter reads (one JSON document per resource, which
 * is YAML), with a record of where every emitted value sits, so that each location the adapter
 * reports in the rendered text maps back to where the value was set.
 */
import type { Hop, Location } from '../../core/location.js';
import { makeRenderedFile } from './rendered-file.js';
import type { SourceFile } from '../types.js';
import type { KValue, Origin } from './tree.js';

interface RenderRecord {
  start: number;
  end: number;
  origin: Origin;
}

export class SourceMap {
  private readonly byStart = new Map<number, RenderRecord[]>();
  constructor(readonly file: SourceFile, private readonly records: RenderRecord[]) {
    for (const r of records) {
      const list = this.byStart.get(r.start) ?? [];
      list.push(r);
      this.byStart.set(r.start, list);
    }
  }

  /** Where the value at a rendered location was set, and the hops it came through. */
  lookup(location: Location): { location: Location; hops: Hop[] } | undefined {
    if (location.file !== this.file.path) return undefined;
    const { startOffset, endOffset } = location.region;
    const exact = this.byStart.get(startOffset);
    let record = exact?.find((r) => r.end === endOffset) ?? exact?.[0];
    if (!record) {
      // A substring of a scalar (one CIDR of an annotation): the innermost value around it.
      for (const r of this.records) if (r.start <= startOffset && startOffset < r.end && (!record || r.end - r.start < record.end - record.start)) record = r;
    }
    return record ? { location: record.origin.location, hops: record.origin.hops ?? [] } : undefined;
  }
}

export function renderResources(trees: KValue[], renderedPath: string): SourceMap {
  const parts: string[] = [];
  let length = 0;
  const records: RenderRecord[] = [];
  const write = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const emit = (value: KValue) => {
    const start = length;
    if (value.t === 'scalar') {
      const v = value.value;
      write(v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : JSON.stringify(String(v))) : String(v));
    } else if (value.t === 'seq') {
      write('[');
      value.items.forEach((item, i) => {
        if (i > 0) write(',');
        emit(item);
      });
      write(']');
    } else {
      write('{');
      value.entries.forEach((entry, i) => {
        if (i > 0) write(',');
        const keyStart = length;
        write(JSON.stringify(entry.key));
        write(':');
        emit(entry.value);
        records.push({ start: keyStart, end: length, origin: entry.keyOrigin });
      });
      write('}');
    }
    records.push({ start, end: length, origin: value.origin });
  };
  trees.forEach((tree, i) => {
    if (i > 0) write('\n---\n');
    emit(tree);
  });
  write('\n');
  return new SourceMap(makeRenderedFile(renderedPath, parts.join('')), records);
}
