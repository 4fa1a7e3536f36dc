/**
 * Discovery in one walk: each folder is listed once, its .gitignore read where it exists, and
 * ignored folders are never entered. Same answers as globby's gitignore mode (the .gitignore
 * files from the repository root down to the scanned folder and every one below it, patterns
 * anchored at the file's own folder, later and deeper patterns winning, negations included)
 * without its second walk for the .gitignore files and a stat per result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/** The gitignore lines of one file, as git reads them: no blank lines, no comments. */
function gitignoreLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/** A pattern of the .gitignore in `base` (relative to the matcher's root), anchored as git anchors it. */
function anchor(pattern: string, base: string): string {
  if (!base) return pattern;
  const negative = pattern.startsWith('!');
  const clean = negative ? pattern.slice(1) : pattern;
  const slash = clean.indexOf('/');
  const inner = slash !== -1 && slash !== clean.length - 1;
  const result = !inner ? path.posix.join(base, '**', clean) : clean.startsWith('/') ? path.posix.join(base, clean.slice(1)) : path.posix.join(base, clean);
  return negative ? `!${result}` : result;
}

/** The gitignore rules that apply inside one folder: its ancestors' (down from `root`) and its own. */
interface Rules {
  patterns: string[];
  matcher: Ignore | undefined;
}

export class GitignoreRules {
  private readonly byFolder = new Map<string, Rules>();

  /** `root`: the folder patterns are relative to (the repository root, or the scanned folder outside a repository). */
  constructor(readonly root: string) {}

  /** Rules inside `folder` (absolute, at or below the root). */
  rulesFor(folder: string): Rules {
    const known = this.byFolder.get(folder);
    if (known) return known;
    const parent = path.dirname(folder);
    const inherited: Rules = folder === this.root || parent === folder || !isInside(folder, this.root) ? { patterns: [], matcher: undefined } : this.rulesFor(parent);
    let own: string[] = [];
    try {
      own = gitignoreLines(readFileSync(path.join(folder, '.gitignore'), 'utf8'));
    } catch {
      // No .gitignore here (or unreadable): the folder inherits its parent's rules.
    }
    let rules = inherited;
    if (own.length > 0) {
      const base = path.relative(this.root, folder).split(path.sep).join('/');
      const patterns = [...inherited.patterns, ...own.map((p) => anchor(p, base))];
      rules = { patterns, matcher: ignore().add(patterns) };
    }
    this.byFolder.set(folder, rules);
    return rules;
  }

  /** Whether `target` (absolute, a folder when `directory`) is ignored by the rules of `folder` (its parent). */
  ignored(folder: string, target: string, directory: boolean): boolean {
    const matcher = this.rulesFor(folder).matcher;
    if (!matcher) return false;
    const relative = path.relative(this.root, target).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('../')) return false;
    return matcher.ignores(directory ? `${relative}/` : relative);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface WalkOptions {
  /** Globs on the file's name (`*.yml`), dotfiles included. */
  names: string[];
  /** Globs on the path relative to the walked folder that skip files and folders (DEFAULT_IGNORES and the user's). */
  ignores: string[];
  /** Gitignore rules, or none. */
  gitignore?: GitignoreRules;
  /** Only the folder's own files. */
  shallow?: boolean;
}

const matchers = new Map<string, (p: string) => boolean>();
/** Compiled once per set of globs: a context scan walks one folder at a time. */
function compiled(globs: string[]): (p: string) => boolean {
  const key = globs.join('\u0000');
  let matcher = matchers.get(key);
  if (!matcher) matchers.set(key, (matcher = picomatch(globs, { dot: true })));
  return matcher;
}

/** Absolute paths of the files under `start` that pass the options; symbolic links are not followed. */
export function walkFiles(start: string, options: WalkOptions): string[] {
  const named = compiled(options.names);
  const skipped = options.ignores.length ? compiled(options.ignores) : () => false;
  const out: string[] = [];
  const visit = (folder: string, relativeFolder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const isFile = entry.isFile();
      const isDirectory = !isFile && entry.isDirectory();
      if (!isFile && (!isDirectory || options.shallow)) continue;
      if (isFile && !named(entry.name)) continue;
      const relative = relativeFolder ? `${relativeFolder}/${entry.name}` : entry.name;
      if (skipped(relative) || (isDirectory && skipped(`${relative}/`))) continue;
      const absolute = path.join(folder, entry.name);
      if (options.gitignore?.ignored(folder, absolute, isDirectory)) continue;
      if (isFile) out.push(absolute);
      else visit(absolute, relative);
    }
  };
  visit(start, '');
  return out;
}
