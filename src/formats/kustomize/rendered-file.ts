/** A SourceFile for rendered text that exists only in memory (never read from disk, never reported). */
import { LineIndex } from '../../core/location.js';
import type { SourceFile } from '../types.js';

export function makeRenderedFile(path: string, text: string): SourceFile {
  return { path, text, index: new LineIndex(text), cache: new Map() };
}
