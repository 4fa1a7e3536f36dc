#!/usr/bin/env node
// The committed bundle, dist/cli.js (code-split: ajv and the language server load only when a run
// needs them), is what the npm package and pre-commit hooks run: it starts in about a third of the
// CPU time of the compiled sources. In a development checkout (src/ next to a build) the compiled
// sources run, so tests see the code as it is now rather than the last bundle.
import { existsSync } from 'node:fs';

const built = new URL('../build/src/cli/bin.js', import.meta.url);
const bundled = new URL('../dist/cli.js', import.meta.url);
const development = existsSync(new URL('../src/cli/bin.ts', import.meta.url)) && existsSync(built);
const { main } = await import(development || !existsSync(bundled) ? built.href : bundled.href);
await main();
