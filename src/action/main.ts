/**
 * Entry point of the GitHub Action (bundled into dist/index.js by scripts/build-action.mjs).
 * src/action/ may depend on the whole library; nothing outside it depends on src/action/.
 */
import { runAction } from './run.js';

process.exitCode = await runAction({ env: process.env, log: (line) => process.stdout.write(`${line}\n`) }).catch((error: unknown) => {
  process.stdout.write(`::error title=portwall::portwall: internal error: ${String((error as Error).stack ?? error).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  return 2;
});
