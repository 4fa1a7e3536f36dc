#!/usr/bin/env node
// The compiled sources when present (development, npm package); else the committed bundle
// (pre-commit hooks and git checkouts run without a build step).
import { existsSync } from 'node:fs';

const built = new URL('../build/src/cli/bin.js', import.meta.url);
const bundled = new URL('../dist/cli.js', import.meta.url);
const { main } = await import(existsSync(built) ? built.href : bundled.href);
await main();
