/** Process wiring for the CLI: stdin/stdout, environment, exit code. Used by bin/ and the bundle. */
import { limitHeapGrowth } from '../engine/collect-garbage.js';
import { runCli } from './main.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // This process is portwall's own: its heap grows as portwall's memory needs (collect-garbage.ts).
  limitHeapGrowth();
  const code = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin,
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  });
  process.exitCode = code;
}
