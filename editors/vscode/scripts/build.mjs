#!/usr/bin/env node
/**
 * Builds what the extension ships, from a checkout of the portwall repository with its dev
 * dependencies installed (`npm ci` at the root, `npm install` here):
 *
 * - server/: the portwall CLI, which holds the language server, bundled into server/index.js
 *   with the WASM grammars and JSON Schemas it reads at run time, the same way the repository's
 *   dist/ bundle is made (scripts/build-action.mjs);
 * - out/extension.js: src/extension.js with vscode-languageclient inside, so the package needs
 *   no node_modules.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildAction } from '../../../scripts/build-action.mjs';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = await buildAction(path.join(here, 'server'), 'editors/vscode/scripts/server-entry.mjs');
process.stdout.write(`server/index.js: ${(server.bytes / 1024).toFixed(0)} KiB; assets: ${server.assets.join(', ')}\n`);
await build({
  absWorkingDir: here,
  entryPoints: ['src/extension.js'],
  outfile: 'out/extension.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  legalComments: 'eof',
  logLevel: 'warning',
});
process.stdout.write('out/extension.js: built\n');
