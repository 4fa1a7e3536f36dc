/** The one-walk discovery keeps git's .gitignore semantics: nesting, anchoring, negations. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverContext, discoverFiles } from '../../src/engine/discover.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pw-walk-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('one-walk discovery', () => {
  it('applies nested .gitignore files, anchored patterns and negations', async () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '# comment\n*.local.yml\n/top.yml\nout/\n',
      'top.yml': 'a: 1\n',
      'sub/top.yml': 'a: 1\n',
      'dev.local.yml': 'a: 1\n',
      'keep/.gitignore': '!keep.local.yml\nsecret*.yaml\n',
      'keep/keep.local.yml': 'a: 1\n',
      'keep/other.local.yml': 'a: 1\n',
      'keep/secret-1.yaml': 'a: 1\n',
      'secret-2.yaml': 'a: 1\n',
      'out/x.yml': 'a: 1\n',
      'a/out/y.yml': 'a: 1\n',
      'package.json': '{}\n',
      'main.tf': '\n',
      'notes.txt': 'x\n',
    });
    const found = await discoverFiles(root, ['.']);
    expect(found.files.map((f) => f.path)).toEqual(['keep/keep.local.yml', 'main.tf', 'secret-2.yaml', 'sub/top.yml']);
  });

  it('reads the .gitignore files above a named folder, and only those inside it when the folder itself is ignored', async () => {
    const root = tree({ '.git/HEAD': 'x\n', '.gitignore': 'rendered/\n*.tmp.yml\n', 'app/a.yml': 'a: 1\n', 'app/b.tmp.yml': 'a: 1\n', 'rendered/c.yml': 'a: 1\n', 'rendered/.gitignore': 'd.yml\n', 'rendered/d.yml': 'a: 1\n' });
    expect((await discoverFiles(root, ['app'])).files.map((f) => f.path)).toEqual(['app/a.yml']);
    expect((await discoverFiles(root, ['rendered'])).files.map((f) => f.path)).toEqual(['rendered/c.yml']);
    const context = await discoverContext(root, [{ absolutePath: path.join(root, 'app/a.yml'), path: 'app/a.yml', explicit: true }]);
    expect(context.map((f) => f.path)).toEqual([]);
  });
});
