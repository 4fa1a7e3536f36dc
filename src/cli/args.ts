/** argv -> a command and its options. Unknown flags are usage errors (exit 2). */
export class UsageError extends Error {}

export interface CliOptions {
  command: 'lint' | 'rules' | 'explain' | 'init' | 'baseline' | 'help' | 'version';
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  output?: string;
  config?: string;
  failOn: 'error' | 'warning' | 'note' | 'none';
  failOnEmpty: boolean;
  fix: boolean;
  color?: boolean;
  category?: string;
  stdinFilename?: string;
  ruleId?: string;
  baseline?: string;
  force: boolean;
  /** Load JS plugins of a config discovered in the scanned tree (a --config is trusted anyway). */
  allowJsRules?: boolean;
}

const COMMANDS = new Set(['lint', 'rules', 'explain', 'init', 'baseline']);

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { command: 'lint', paths: [], format: 'text', failOn: 'warning', failOnEmpty: false, fix: false, force: false };
  const args = [...argv];
  if (args[0] && COMMANDS.has(args[0])) o.command = args.shift() as CliOptions['command'];
  const take = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = args.shift();
    if (v === undefined || (v.startsWith('--') && v !== '-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  while (args.length) {
    const arg = args.shift()!;
    if (arg === '--') {
      o.paths.push(...args.splice(0));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      o.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    switch (flag) {
      case '-f':
      case '--format': {
        const v = take(flag, inline);
        if (!['text', 'json', 'sarif', 'github'].includes(v)) throw new UsageError(`--format must be one of text, json, sarif, github (got "${v}")`);
        o.format = v as CliOptions['format'];
        break;
      }
      case '-o':
      case '--output':
        o.output = take(flag, inline);
        break;
      case '-c':
      case '--config':
        o.config = take(flag, inline);
        break;
      case '--fail-on': {
        const parts = take(flag, inline).split(',').map((s) => s.trim()).filter(Boolean);
        for (const p of parts) {
          if (p === 'empty') o.failOnEmpty = true;
          else if (['error', 'warning', 'note', 'none'].includes(p)) o.failOn = p as CliOptions['failOn'];
          else throw new UsageError(`--fail-on must be error, warning, note or none, optionally with ",empty" (got "${p}")`);
        }
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--force':
        o.force = true;
        break;
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--category':
        o.category = take(flag, inline);
        break;
      case '--stdin-filename':
        o.stdinFilename = take(flag, inline);
        break;
      case '--baseline':
        o.baseline = take(flag, inline);
        break;
      case '--allow-js-rules':
        o.allowJsRules = true;
        break;
      case '-h':
      case '--help':
        o.command = 'help';
        break;
      case '-v':
      case '--version':
        o.command = 'version';
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (o.command === 'explain') {
    o.ruleId = o.paths.shift();
    if (!o.ruleId) throw new UsageError('explain needs a rule id, e.g. portwall explain PW002');
  }
  return o;
}

export const HELP = `Usage: portwall [lint] [PATH ...] [options]
       portwall rules | explain <RULE> | init | baseline [PATH ...]

Finds ports and datastores reachable from the internet in docker-compose files, Kubernetes
manifests and Terraform, and datastores running without authentication.

Arguments:
  PATH                     files or folders to check (default "."); "-" reads stdin

Options:
  -f, --format <fmt>       text (default), json, sarif, github
  -o, --output <file>      write the report to a file instead of stdout
  -c, --config <file>      config file (default: portwall.config.yml found from here up to the repo root)
      --fail-on <level>    exit 1 when a finding at/above: error, warning (default), note, none;
                           add ",empty" to also fail when no supported file was found
      --fix                apply safe autofixes in place (publish compose ports on 127.0.0.1)
      --baseline <file>    report only findings not in this baseline (default portwall-baseline.json if present)
      --allow-js-rules     load JavaScript rules (plugins) of a config found in the scanned tree
                           (they run code; without it they are skipped with a note; --config is trusted)
      --category <id>      SARIF automationDetails category (default "portwall")
      --stdin-filename <n> name to report for "-" input
      --color, --no-color  force colors on or off (NO_COLOR and FORCE_COLOR are honoured)
  -h, --help               show this help
  -v, --version            show the version

Exit codes: 0 nothing at/above the fail level, 1 findings at/above it, 2 usage, config or internal error.
`;
