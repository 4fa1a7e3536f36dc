/** argv -> a command and its options. Unknown flags are usage errors (exit 2). */
import { parseShard, type Shard } from '../units/shard.js';

export class UsageError extends Error {}

export interface CliOptions {
  command: 'lint' | 'rules' | 'explain' | 'init' | 'baseline' | 'help' | 'version' | 'print-config' | 'list-files';
  paths: string[];
  /** The first report's format (rules/explain use it too). */
  format: ReportFormat;
  /** The first report's file. */
  output?: string;
  /** Every report of the run: each --format starts one, each --output names the file of one. */
  reports: Report[];
  /** --quiet: report errors only. */
  quiet: boolean;
  /** --max-warnings N: also exit 1 when more than N warnings remain. */
  maxWarnings?: number;
  /** --rules / --skip-rules: ids or names as given (validated against the loaded rules). */
  onlyRules?: string[];
  skipRules?: string[];
  /** --exclude GLOB (repeatable), relative to the working folder. */
  exclude: string[];
  /** --fix-dry-run: print the fixes as a unified diff, change nothing. */
  fixDryRun: boolean;
  /** --print-config FILE. */
  printConfigFile?: string;
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
  /** --diff-base REF: report only findings new since that git revision. */
  diffBase?: string;
  /** Load JS plugins of a config discovered in the scanned tree (a --config is trusted anyway). */
  allowJsRules?: boolean;
  /** --shard i/n: evaluate one of n deterministic shards of the deployment units. */
  shard?: Shard;
  /** --cache: reuse per-file parse products from a content-hash cache. */
  cache?: boolean;
  /** --cache-location DIR. */
  cacheLocation?: string;
}

const REPORT_FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'gitlab'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];
interface Report {
  format: ReportFormat;
  /** undefined: standard output (at most one report may go there). */
  output?: string;
}

const COMMANDS = new Set(['lint', 'rules', 'explain', 'init', 'baseline']);

/** Every flag, for "did you mean". */
const FLAGS = [
  '--format', '--output', '--config', '--fail-on', '--fix', '--fix-dry-run', '--force', '--color', '--no-color', '--category',
  '--stdin-filename', '--baseline', '--quiet', '--max-warnings', '--rules', '--skip-rules', '--exclude', '--list-files',
  '--print-config', '--help', '--version', '--shard', '--cache', '--cache-location', '--diff-base',
];

/** Edit distance with adjacent transpositions ("--quite" is one step from "--quiet"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known flag closest to a mistyped one, if it is close enough to be what was meant. */
export function didYouMean(flag: string, known: readonly string[] = FLAGS): string | undefined {
  const normalized = flag.startsWith('--') ? flag : `-${flag}`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(normalized.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const prefix = known.filter((k) => k.startsWith(normalized) && normalized.length >= 4);
  if (prefix.length === 1) return prefix[0];
  return best && bestDistance <= Math.max(1, Math.floor((best.length - 2) / 3)) ? best : undefined;
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { command: 'lint', paths: [], format: 'text', reports: [], quiet: false, exclude: [], fixDryRun: false, failOn: 'warning', failOnEmpty: false, fix: false, force: false };
  // --output before any --format belongs to the first --format ("-o x.sarif -f sarif").
  let pendingOutput: string | undefined;
  let sawFormat = false;
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
        if (!(REPORT_FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got "${v}")`);
        o.reports.push({ format: v as ReportFormat, ...(pendingOutput !== undefined ? { output: pendingOutput } : {}) });
        pendingOutput = undefined;
        sawFormat = true;
        break;
      }
      case '-o':
      case '--output': {
        const v = take(flag, inline);
        const last = o.reports[o.reports.length - 1];
        if (!sawFormat) {
          if (pendingOutput !== undefined) throw new UsageError('--output is given twice for one report: pair each --output with a --format');
          pendingOutput = v;
        } else if (last && last.output === undefined) {
          last.output = v;
        } else {
          throw new UsageError('--output is given twice for one report: pair each --output with a --format');
        }
        break;
      }
      case '-q':
      case '--quiet':
        o.quiet = true;
        break;
      case '--max-warnings': {
        const v = take(flag, inline);
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number (got "${v}")`);
        o.maxWarnings = Number(v);
        break;
      }
      case '--rules':
        o.onlyRules = [...(o.onlyRules ?? []), ...list(take(flag, inline))];
        break;
      case '--skip-rules':
        o.skipRules = [...(o.skipRules ?? []), ...list(take(flag, inline))];
        break;
      case '--exclude':
        o.exclude.push(take(flag, inline));
        break;
      case '--list-files':
        o.command = 'list-files';
        break;
      case '--print-config':
        o.command = 'print-config';
        o.printConfigFile = take(flag, inline);
        break;
      case '--fix-dry-run':
        o.fixDryRun = true;
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
      case '--diff-base':
        o.diffBase = take(flag, inline);
      case '--allow-js-rules':
        o.allowJsRules = true;
        break;
      case '--shard': {
        const v = take(flag, inline);
        const shard = parseShard(v);
        if (!shard) throw new UsageError(`--shard needs i/n with 1 <= i <= n, e.g. 2/4 (got "${v}")`);
        o.shard = shard;
        break;
      }
      case '--cache':
        o.cache = true;
        break;
      case '--cache-location':
        o.cacheLocation = take(flag, inline);
        o.cache = true;
        break;
      case '-h':
      case '--help':
        o.command = 'help';
        break;
      case '-v':
      case '--version':
        o.command = 'version';
        break;
      default: {
        const guess = didYouMean(flag);
        throw new UsageError(`unknown option ${flag}${guess ? ` (did you mean ${guess}?)` : ''}`);
      }
    }
  }
  if (pendingOutput !== undefined) o.reports.push({ format: 'text', output: pendingOutput });
  if (o.reports.length === 0) o.reports.push({ format: 'text' });
  const toStdout = o.reports.filter((r) => r.output === undefined);
  if (toStdout.length > 1) throw new UsageError(`${toStdout.map((r) => r.format).join(' and ')} would both go to standard output: give all but one an --output FILE`);
  o.format = o.reports[0]!.format;
  if (o.reports[0]!.output !== undefined) o.output = o.reports[0]!.output;
  if (o.fix && o.fixDryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
  if (o.command === 'explain') {
    o.ruleId = o.paths.shift();
    if (!o.ruleId) throw new UsageError('explain needs a rule id, e.g. portwall explain PW002');
  }
  return o;
}

export const HELP = `Usage: portwall [lint] [PATH ...] [options]
       portwall rules | explain <RULE> | init | baseline [PATH ...]
       portwall --print-config FILE | --list-files [PATH ...]
       portwall lsp --stdio     language server for editors (diagnostics, fixes, hover)
       portwall merge-sarif A.sarif B.sarif ... [--output FILE]   one log from sharded runs

Finds ports and datastores reachable from the internet in docker-compose files, Kubernetes
manifests and Terraform, and datastores running without authentication.

Arguments:
  PATH                     files or folders to check (default "."); "-" reads stdin; a path named
                           here is checked even when an enclosing .gitignore ignores it

Options:
  -f, --format <fmt>       text (default), json, sarif, github, junit, gitlab; repeat
                           "--format X --output FILE" to write several reports in one run
  -o, --output <file>      write the report of the preceding --format to a file instead of stdout
  -c, --config <file>      one config for every file (default: for each file the nearest
                           portwall.config.yml from its folder up to the repository root)
      --fail-on <level>    exit 1 when a finding at/above: error, warning (default), note, none;
                           add ",empty" to also fail when no supported file was found
      --max-warnings <n>   also exit 1 when more than n warnings remain
  -q, --quiet              report errors only (warnings and notes are neither shown nor counted)
      --rules <ids>        run only these rules (ids or names, comma-separated)
      --skip-rules <ids>   never run these rules
      --exclude <glob>     skip matching paths, relative to the working folder (repeatable)
      --fix                apply safe autofixes in place (publish compose ports on 127.0.0.1)
      --fix-dry-run        print the autofixes as a unified diff; change nothing
      --baseline <file>    report only findings not in this baseline (default portwall-baseline.json if present)
      --diff-base <ref>    report only findings new since this git revision (e.g. origin/main);
                           pre-existing ones are counted on stderr; same exit codes
      --allow-js-rules     load JavaScript rules (plugins) of a config found in the scanned tree
                           (they run code; without it they are skipped with a note; --config is trusted)
      --category <id>      SARIF automationDetails category (default "portwall")
      --shard <i/n>        evaluate only shard i of n of the deployment units (deterministic by
                           path); merge the shards' SARIF with "portwall merge-sarif"
      --cache              reuse each unchanged file's parse from a content-hash cache
                           (default location node_modules/.cache/portwall, else .portwallcache)
      --cache-location <d> the cache folder (implies --cache)
      --stdin-filename <n> name to report for "-" input
      --color, --no-color  force colors on or off (NO_COLOR and FORCE_COLOR are honoured)
      --list-files         list the files that would be checked, with format and unit; check nothing
      --print-config FILE  print the configuration that applies to FILE (JSON)
  -h, --help               show this help
  -v, --version            show the version

Paths in every report are relative to the repository root (the git top level, else the scan root).
Exit codes: 0 nothing at/above the fail level, 1 findings at/above it, 2 usage, config or internal error.
`;
