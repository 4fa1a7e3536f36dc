/**
 * From rendered positions back to the chart: a Location in rendered output becomes the template
 * token that wrote it, and the values-file entries read while writing it become `via` hops.
 */
import { LineIndex, type Hop, type Location, type Region } from '../../core/location.js';
import type { RenderedTemplate } from './render.js';
import type { Touch } from './template/exec.js';
import { formatValue, isScalar } from './template/values.js';
import { pushAll } from '../../core/arrays.js';

type Mapped = RenderedTemplate['segments'][number];

export class SourceMap {
  private readonly byFile = new Map<string, RenderedTemplate>();
  private readonly indexes = new Map<string, LineIndex>();
  constructor(
    rendered: RenderedTemplate[],
    /** Text of every file a location may point into (templates, values files), by scan path. */
    private readonly texts: Map<string, string>,
    /** Display path of a values file in hop notes ("values.yaml"). */
    private readonly displayName: (file: string) => string,
  ) {
    for (const r of rendered) this.byFile.set(r.file.scanPath, r);
  }

  index(file: string): LineIndex | undefined {
    let index = this.indexes.get(file);
    if (!index) {
      const text = this.texts.get(file);
      if (text === undefined) return undefined;
      index = new LineIndex(text);
      this.indexes.set(file, index);
    }
    return index;
  }

  rendered(file: string): RenderedTemplate | undefined {
    return this.byFile.get(file);
  }

  private segmentsIn(r: RenderedTemplate, start: number, end: number): Mapped[] {
    const segs = r.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.outEnd <= start) lo = mid + 1;
      else hi = mid;
    }
    const out: Mapped[] = [];
    for (let i = lo; i < segs.length && segs[i]!.outStart < Math.max(end, start + 1); i++) out.push(segs[i]!);
    return out;
  }

  /** The template region of a rendered region, or undefined when it is not rendered output. */
  remap(location: Location): { location: Location; segments: Mapped[] } | undefined {
    const r = this.byFile.get(location.file);
    if (!r) return undefined;
    const { startOffset, endOffset } = location.region;
    const segments = this.segmentsIn(r, startOffset, endOffset);
    if (segments.length === 0) return undefined;
    const primary = segments[0]!.file;
    let start = Infinity;
    let end = -Infinity;
    for (const s of segments) {
      if (s.file !== primary) continue;
      if (s.kind === 'text') {
        const a = s.srcStart + Math.max(0, startOffset - s.outStart);
        const b = s.srcStart + Math.min(s.outEnd, Math.max(endOffset, startOffset + 1)) - s.outStart;
        start = Math.min(start, a);
        end = Math.max(end, endOffset === startOffset ? a : b);
      } else {
        start = Math.min(start, s.srcStart);
        end = Math.max(end, s.srcEnd);
      }
    }
    const index = this.index(primary);
    if (!index || !Number.isFinite(start)) return undefined;
    const region: Region = index.region(start, Math.max(start, end));
    return { location: { file: primary, region }, segments };
  }

  /** Hops for the values read by the actions that wrote a rendered region. */
  hops(segments: Mapped[], renderedText: string): Hop[] {
    const touches: Touch[] = [];
    for (const s of segments) if (s.kind === 'value' && s.touches) pushAll(touches, s.touches);
    const distinct = new Map<string, Touch>();
    for (const t of touches) if (isScalar(t.value)) distinct.set(`${t.origin.file}:${t.origin.start}`, t);
    let chosen = [...distinct.values()];
    if (chosen.length > 3) {
      // An include reads many values: keep those whose value is in the text it wrote.
      chosen = chosen.filter((t) => {
        const v = formatValue(t.value);
        return v.length >= 2 && typeof t.value !== 'boolean' && renderedText.includes(v);
      });
    }
    return this.touchHops(chosen.slice(0, 5));
  }

  /** One hop per values entry: "LoadBalancer set in values.yaml line 7 (service.type)". */
  touchHops(touches: Touch[], suffix = ''): Hop[] {
    const hops: Hop[] = [];
    for (const t of touches) {
      const index = this.index(t.origin.file);
      if (!index) continue;
      const region = index.region(t.origin.start, t.origin.end);
      const sensitive = /pass|secret|token|key|cred/i.test(t.origin.path);
      const shown = formatValue(t.value === null ? 'null' : t.value);
      const what = sensitive || shown.length > 60 || shown.includes('\n') ? t.origin.path : `${shown}`;
      hops.push({
        location: { file: t.origin.file, region },
        note: `${what} set in ${this.displayName(t.origin.file)} line ${region.startLine}${what === t.origin.path ? '' : ` (${t.origin.path})`}${suffix}`,
      });
    }
    return hops;
  }
}

function isLocation(v: unknown): v is Location {
  return !!v && typeof v === 'object' && typeof (v as Location).file === 'string' && !!(v as Location).region && typeof (v as Location).region.startOffset === 'number';
}

/**
 * Remaps every Location of a model from rendered output to the templates, in place, and gives
 * every located value (`{ value, location }`) the hops of the values it was made from.
 * Fixes are dropped: an edit of rendered text is not an edit of the template.
 */
export function remapModel(model: unknown, map: SourceMap): void {
  const seen = new Set<object>();
  const done = new Set<Location>();
  const hopsOf = new Map<Location, ReturnType<SourceMap['hops']>>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const obj = node as Record<string, unknown>;
    if ('fix' in obj && obj.fix && typeof obj.fix === 'object' && 'edits' in (obj.fix as object)) delete obj.fix;
    const loc = obj.location;
    if (isLocation(loc)) {
      if (!done.has(loc)) {
        const r = map.rendered(loc.file);
        const mapped = map.remap(loc);
        if (mapped && r) {
          const text = r.text.slice(loc.region.startOffset, loc.region.endOffset);
          hopsOf.set(loc, map.hops(mapped.segments, text));
          loc.region = mapped.location.region;
          loc.file = mapped.location.file;
          done.add(loc);
        }
      }
      const hops = hopsOf.get(loc);
      // Located values, and auth states (their location is the setting that decides them).
      if (('value' in obj || 'state' in obj) && hops && hops.length) {
        const existing = (obj.via as { note: string }[] | undefined) ?? [];
        obj.via = [...existing, ...hops.filter((h) => !existing.some((e) => e.note === h.note))];
      }
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'location') continue;
      if (isLocation(v) && !done.has(v)) {
        const mapped = map.remap(v);
        if (mapped) {
          v.region = mapped.location.region;
          v.file = mapped.location.file;
          done.add(v);
        }
        continue;
      }
      visit(v);
    }
  };
  visit(model);
}
