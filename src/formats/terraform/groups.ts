/**
 * The groups of Terraform files evaluated one after another (see Format.groupFiles): folders
 * joined by the local module calls between them, found by a cheap scan of each file's text
 * before anything is parsed. A group's trees are dropped once its root modules are evaluated, so
 * memory holds one group's parse, not the whole scan's.
 *
 * The scan over-approximates: every `source = "./…"` or `"../…"` attribute joins its folder to
 * the target (in a comment or a resource too; joining more costs memory, never a finding). What
 * it cannot read (a `source` that is not a plain string, in a file with a module block) puts every
 * file in one group: the evaluation then is exactly the ungrouped one. Registry and git modules
 * are read from `.terraform/modules`, which discovery skips; a folder under `.terraform` that was
 * scanned all the same goes with the folder above it. Plan documents form one group of their own.
 */
import type { SourceFile } from '../types.js';
import { DisjointSets } from '../../core/disjoint-sets.js';
import { fileKind, isUnnamedStdin } from './detect.js';
import { folderOf } from '../../core/paths.js';
import { isLocalSource, joinPath } from './paths.js';

/** A module block header in HCL: `module "name"` or `module name {` (not `path.module`). */
const HCL_MODULE = /(?<![\w.-])module\s*(?:"|[A-Za-z_][\w-]*\s*\{)/;
/** The `source` word as an attribute name could be (not `x.source`, not `source_ranges`). */
const HCL_SOURCE = /(?<![\w.-])source(?![\w-])/g;
const JSON_SOURCE = /"source"\s*:\s*/g;
/** A plain string: no escape, no template, on one line. */
const PLAIN_STRING = /"([^"\\$%\n]*)"/y;

interface Scan {
  /** Folders this file's text calls by a local source. */
  targets: string[];
  /** A module block's source could not be read: group everything together. */
  unreadable: boolean;
}

/** The module folder a file belongs to (unnamed standard input is a module of its own). */
function moduleKey(path: string): string {
  if (isUnnamedStdin(path)) return path;
  const dir = folderOf(path);
  // A module downloaded into .terraform/modules belongs with the root module that holds it.
  const dot = dir === '.terraform' || dir.startsWith('.terraform/') ? 0 : dir.indexOf('/.terraform');
  return dot < 0 ? dir : dir.slice(0, dot);
}

/**
 * Skips blanks and block comments from `at` (on one line: HCL ends an attribute name's line with
 * its value). Returns -1 at a comment that never ends. `cache` keeps the last search for a
 * comment's end, so a run of comments that never end costs one pass, not one each.
 */
function skipBlanks(text: string, at: number, cache: { from: number; end: number }): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x20 || c === 0x09) at++;
    else if (c === 0x2f /* / */ && text.charCodeAt(at + 1) === 0x2a /* * */) {
      const from = at + 2;
      if (!(from >= cache.from && (cache.end === -1 || cache.end >= from))) {
        cache.from = from;
        cache.end = text.indexOf('*/', from);
      }
      if (cache.end === -1) return -1;
      at = cache.end + 2;
    } else return at;
  }
}

function scanText(path: string, text: string, json: boolean): Scan {
  const hasModule = json ? text.includes('"module"') : HCL_MODULE.test(text);
  const scan: Scan = { targets: [], unreadable: false };
  const dir = moduleKey(path);
  const commentEnd = { from: Infinity, end: -1 };
  const pattern = json ? JSON_SOURCE : HCL_SOURCE;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let at = pattern.lastIndex;
    if (!json) {
      at = skipBlanks(text, at, commentEnd);
      // Not an attribute (`source {`, `source == x`, prose): nothing to read.
      if (at < 0 || text.charCodeAt(at) !== 0x3d /* = */ || text.charCodeAt(at + 1) === 0x3d) continue;
      at = skipBlanks(text, at + 1, commentEnd);
      if (at < 0) continue;
    }
    PLAIN_STRING.lastIndex = at;
    const literal = PLAIN_STRING.exec(text);
    if (!literal) {
      if (hasModule) return { targets: [], unreadable: true };
      continue;
    }
    const source = literal[1]!;
    if (!isLocalSource(source)) continue;
    const target = joinPath(dir, source.replace(/\/+$/, ''));
    if (target !== undefined) scan.targets.push(target);
  }
  return scan;
}

/** Terraform's files in groups, each in scan order, the groups in the order of their first file. */
export function terraformGroups(files: readonly SourceFile[]): SourceFile[][] {
  const sets = new DisjointSets();
  const PLANS = '\u0000plans';
  const keyOf = new Map<SourceFile, string>();
  for (const file of files) {
    const kind = fileKind(file.path, file.text);
    const key = kind === 'plan' ? PLANS : moduleKey(file.path);
    keyOf.set(file, key);
    sets.add(key);
    if (kind !== 'hcl' && kind !== 'tf-json') continue;
    const scan = scanText(file.path, file.text, kind === 'tf-json');
    if (scan.unreadable) return files.length > 0 ? [[...files]] : [];
    for (const target of scan.targets) sets.union(key, target);
  }
  const groups = new Map<string, SourceFile[]>();
  for (const file of files) {
    const root = sets.find(keyOf.get(file)!);
    const group = groups.get(root);
    if (group) group.push(file);
    else groups.set(root, [file]);
  }
  return [...groups.values()];
}
