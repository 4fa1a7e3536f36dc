/** What the CLI reads and writes through: its own module, so that the commands need not import main.ts. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Whether stderr is a terminal: the progress line of long scans is drawn only there. */
  stderrIsTTY?: boolean;
}
