/**
 * Reading cloud CLI output from the shared YAML AST (JSON is YAML): keys, texts, numbers and
 * lists of a node, and the located source values made from them.
 */
import type { Node } from 'yaml';
import type { Located, Location } from '../../core/location.js';
import type { SourceValue } from '../../model/types.js';
import type { SourceFile } from '../types.js';
import { getEntry, nodeLocation, scalarText, seqItems, type YamlDocument } from '../yaml/index.js';

export interface CloudJsonContext {
  file: SourceFile;
  doc: YamlDocument;
  /** Collects entries that could not be judged (reported as one `unknown` notice per file). */
  dropped?: { what: string; reason: string }[];
}

/** Records an entry that contributes nothing because it could not be judged. */
export function drop(ctx: CloudJsonContext, node: unknown, reason: string): void {
  ctx.dropped?.push({ what: `line ${where(ctx, node).region.startLine}`, reason });
}

export function child(ctx: CloudJsonContext, node: unknown, key: string): Node | undefined {
  return getEntry(node, key, ctx.doc)?.value;
}

export function text(ctx: CloudJsonContext, node: unknown, key: string): string | undefined {
  const value = child(ctx, node, key);
  return value === undefined ? undefined : scalarText(value, ctx.file);
}

export function scalar(ctx: CloudJsonContext, node: unknown): string | undefined {
  return scalarText(node, ctx.file);
}

export function numberAt(ctx: CloudJsonContext, node: unknown, key: string): number | undefined {
  const t = text(ctx, node, key);
  return t !== undefined && /^-?\d+$/.test(t.trim()) ? Number(t) : undefined;
}

export function items(ctx: CloudJsonContext, node: unknown, key?: string): Node[] {
  return seqItems(key === undefined ? node : child(ctx, node, key), ctx.doc);
}

export function where(ctx: CloudJsonContext, node: unknown): Location {
  return nodeLocation(ctx.file, node as Node);
}

/** The pair `key: value`, for reporting at a name when nothing else is to blame. */
export function pairLocation(ctx: CloudJsonContext, node: unknown, key: string): Location | undefined {
  const entry = getEntry(node, key, ctx.doc);
  return entry ? nodeLocation(ctx.file, entry.pair) : undefined;
}

/** A scalar made into a source value by `toSource`, located at the scalar. */
export function locatedSource(ctx: CloudJsonContext, node: Node | undefined, toSource: (text: string) => SourceValue): Located<SourceValue> | undefined {
  const t = node === undefined ? undefined : scalarText(node, ctx.file);
  if (t === undefined || t.trim() === '') return undefined;
  return { value: toSource(t), location: where(ctx, node) };
}
