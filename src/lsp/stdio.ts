/** `portwall lsp --stdio`: the language server on standard input and output. */
import { format } from 'node:util';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Resolves when the client goes away (the library exits the process on `exit` or when stdin ends). */
export function startStdioServer(): Promise<void> {
  // With --stdio on the command line the library also routes console.* to the client, so a
  // plugin rule that logs cannot corrupt the protocol stream; otherwise do that here.
  const viaArgv = process.argv.includes('--stdio');
  const connection = viaArgv ? createConnection() : createConnection(process.stdin, process.stdout);
  if (!viaArgv) {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) console[method] = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
  }
  startServer(connection);
  return new Promise((resolve) => {
    process.stdin.on('close', () => resolve());
  });
}
