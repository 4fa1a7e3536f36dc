/** The action bundle: deterministic bytes, and run-time files (WASM, schemas) found without node_modules. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction } from '../../scripts/build-action.mjs';
import { makeScratch, REPO_ROOT } from './harness.js';

let scratch: string;
beforeAll(() => {
  scratch = makeScratch();
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('action bundle', () => {
  it('is byte-for-byte reproducible', async () => {
    const a = await buildAction(path.join(scratch, 'a'));
    const b = await buildAction(path.join(scratch, 'b'));
    expect(files(a.outdir)).toEqual(files(b.outdir));
    for (const file of files(a.outdir)) expect(readFileSync(path.join(a.outdir, file)).equals(readFileSync(path.join(b.outdir, file)))).toBe(true);
    expect(files(a.outdir)).toEqual(expect.arrayContaining(['index.js', 'package.json', 'schemas/config.schema.json']));
    expect(readFileSync(path.join(a.outdir, 'index.js'), 'utf8')).not.toContain(REPO_ROOT);
  }, 60_000);

  it('relocates the tree-sitter WASM files next to the bundle (no node_modules at run time)', async () => {
    const entry = path.join(scratch, 'terraform-entry.ts');
    writeFileSync(
      entry,
      `import { initTerraform, parseHcl } from ${JSON.stringify(path.join(REPO_ROOT, 'src/formats/terraform/tree-sitter.ts'))};\nawait initTerraform();\nconst parsed = parseHcl('resource "aws_security_group" "web" {\\n  name = "web"\\n}\\n');\nprocess.stdout.write('root' in parsed ? parsed.root.type : JSON.stringify(parsed));\n`,
    );
    const built = await buildAction(path.join(scratch, 'terraform'), entry);
    expect(built.assets).toEqual(['tree-sitter-terraform.wasm', 'web-tree-sitter.wasm']);
    // Run from a folder with no node_modules above it (the scratch dir lives in the OS temp dir).
    expect(execFileSync(process.execPath, [path.join(built.outdir, 'index.js')], { cwd: scratch, encoding: 'utf8', timeout: 20_000 })).toBe('config_file');
  }, 60_000);
});
