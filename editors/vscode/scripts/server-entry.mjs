// Entry of the bundled server: the whole portwall CLI, started as `node server/index.js lsp --stdio`.
import { main } from '../../../src/cli/bin.ts';

await main();
