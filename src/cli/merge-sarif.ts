/** `portwall merge-sarif A.sarif B.sarif ... [--output FILE]`: one log from the SARIF of sharded runs. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mergeSarif, SarifMergeError, type SarifLog } from '../formatters/sarif-merge.js';
import type { CliIo } from './io.js';

const USAGE = 'usage: portwall merge-sarif A.sarif B.sarif ... [--output FILE]';

export async function mergeSarifCommand(args: string[], io: CliIo): Promise<number> {
  const inputs: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (output === undefined) return usage(io, `${arg} needs a value`);
    } else if (arg.startsWith('--output=')) {
      output = arg.slice('--output='.length);
    } else if (arg === '-h' || arg === '--help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (arg.startsWith('-') && arg !== '-') {
      return usage(io, `unknown option ${arg}`);
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) return usage(io, 'no SARIF files given');
  const logs: SarifLog[] = [];
  for (const input of inputs) {
    try {
      const text = input === '-' ? await io.readStdin() : readFileSync(path.resolve(io.cwd, input), 'utf8');
      logs.push(JSON.parse(text) as SarifLog);
    } catch (error) {
      io.stderr(`portwall: ${input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 2;
    }
  }
  let merged: SarifLog;
  try {
    merged = mergeSarif(logs);
  } catch (error) {
    if (error instanceof SarifMergeError) {
      io.stderr(`portwall: merge-sarif: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  if (output) {
    const target = path.resolve(io.cwd, output);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  } else {
    io.stdout(text);
  }
  return 0;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`portwall: merge-sarif: ${message}\n${USAGE}\n`);
  return 2;
}
