#!/usr/bin/env node
/**
 * Mutation fuzzer: "bad input gets a clear error, never a crash, and nothing is lost".
 *
 *   npm run fuzz                                  # build, then 2000 mutants, at most 120 s
 *   node scripts/fuzz.mjs [--seed N] [--iterations N] [--time SECONDS] [--cpu SECONDS] [--corpus DIR]... [--stream]
 *   node scripts/fuzz.mjs 1234 500 60             # the same, positionally: seed, iterations, seconds
 *
 * Takes real files of every format from the corpus (default ../shared/corpus beside the
 * project, read-only; the project's own test fixtures are added for formats the corpus lacks),
 * mutates them (bytes, lines, indentation, YAML anchors/tags, HCL templates, ports, CIDRs,
 * nesting, long lines, CRLF, BOM, NUL...), writes each mutant into a temp folder under its
 * original path (detection by name still applies) beside an intact canary file, and runs
 * lint() from build/ in a worker thread. A failure is: a thrown exception, an "internal error"
 * notification, a parser that threw, a mutant that takes more than 2 s (more than 4 ms per KB
 * for mutants over 512 KB; confirmed by a second run), a hang (hard timeout), a memory blow-up (RSS growth or the worker's heap limit) or a
 * canary that was not checked. Failing mutants are kept in a temp folder for reproduction;
 * the exit code is 1 when there is any. Deterministic: the seed (printed) decides everything.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const CANARY_PATH = 'zz-fuzz-canary/compose.yaml';
// The canary also holds a secret: no finding or notification of the run may quote it.
const CANARY_SECRET = 'Fuzz-Canary-S3cret-7f3a91';
const CANARY = `services:\n  cache:\n    image: redis:7\n    environment:\n      API_TOKEN: ${CANARY_SECRET}\n    ports:\n      - "6379:6379"\n`;
const SLOW_MS = 2000;
const HARD_TIMEOUT_MS = 30_000;
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;
// Large mutants (the 1 MB long lines) are judged by throughput, not by the small-file limit:
// at least 250 KB/s, and at most 512 bytes of RSS per input byte.
const SLOW_MS_PER_KB = 4;
const RSS_PER_BYTE = 512;
const slowLimit = (bytes) => Math.max(SLOW_MS, (bytes / 1024) * SLOW_MS_PER_KB);
const HEAP_LIMIT_MB = 1536;

// ---------------------------------------------------------------- worker: runs lint()

async function workerMain() {
  const { lint } = await import(pathToFileURL(path.join(root, 'build/src/index.js')).href);
  parentPort.on('message', async ({ dir }) => {
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    // CPU time, not wall time, judges slowness: the machine may be shared. The main thread only
    // waits meanwhile, so the process's CPU time is this lint's.
    const cpuStart = process.cpuUsage();
    let reply;
    try {
      // --stream: every text dropped after its detection and read again at its parse (engine/scanned-source.ts).
      const r = await lint({ cwd: dir, paths: ['.'], ...(workerData?.stream ? { textBudget: 0 } : {}) });
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const leaked = JSON.stringify([r.findings, r.notifications]).includes(CANARY_SECRET);
      const internal = r.notifications.filter((n) => n.kind === 'internal' || /internal error/i.test(n.message)).map((n) => n.message);
      const messages = r.findings.map((f) => f.message);
      const threw = messages.filter((m) => /internal error|parser failed:/i.test(m));
      const canary = r.findings.some((f) => f.location.file === CANARY_PATH && f.ruleId === 'PW004');
      reply = {
        ok: true,
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        leaked,
        internal,
        threw,
        canary,
        files: r.files.map((f) => `${f.format}:${f.path}`),
        pw000: r.findings.filter((f) => f.ruleId === 'PW000').map((f) => `${f.location.file}:${f.location.region.startLine}:${f.location.region.startColumn} ${f.message}`),
      };
    } catch (error) {
      reply = { ok: false, ms: performance.now() - start, error: error instanceof Error ? error.stack ?? error.message : String(error) };
    }
    reply.rssBefore = rssBefore;
    reply.rssAfter = process.memoryUsage().rss;
    parentPort.postMessage(reply);
  });
  parentPort.postMessage({ ready: true });
}

// ---------------------------------------------------------------- main: corpus, mutants, verdicts

function parseArgs(argv) {
  const opts = { seed: undefined, iterations: 2000, time: 120, cpu: Infinity, corpus: [], stream: false };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--seed') opts.seed = Number(next());
    else if (a === '--iterations' || a === '-n') opts.iterations = Number(next());
    else if (a === '--time' || a === '-t') opts.time = Number(next());
    else if (a === '--cpu') opts.cpu = Number(next());
    else if (a === '--corpus') opts.corpus.push(path.resolve(next()));
    else if (a === '--stream') opts.stream = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/fuzz.mjs [--seed N] [--iterations N] [--time SECONDS] [--cpu SECONDS] [--corpus DIR]... [--stream]   (or: SEED ITERATIONS SECONDS)');
      process.exit(0);
    } else positional.push(a);
  }
  if (positional[0] !== undefined) opts.seed = Number(positional[0]);
  if (positional[1] !== undefined) opts.iterations = Number(positional[1]);
  if (positional[2] !== undefined) opts.time = Number(positional[2]);
  if (opts.seed === undefined) opts.seed = Date.now() % 2 ** 31;
  for (const [k, v] of Object.entries({ seed: opts.seed, iterations: opts.iterations, time: opts.time })) {
    if (!Number.isFinite(v) || v < 0) {
      console.error(`fuzz: --${k} must be a non-negative number`);
      process.exit(2);
    }
  }
  opts.seed >>>= 0;
  if (opts.corpus.length === 0) {
    opts.corpus.push(path.join(root, '..', 'shared', 'corpus'));
    // The corpus has no cloud CLI output and few datastore configs: the fixtures fill in.
    for (const extra of ['test/cloud-json/fixtures', 'test/datastore-config/fixtures', 'test/terraform/fixtures', 'examples']) opts.corpus.push(path.join(root, extra));
  }
  return opts;
}

/** sfc32 seeded through splitmix32: small, fast, deterministic. */
function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
  return rng;
}

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (const e of entries) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Seeds by format (and flavour): the first format that detects and parses a file, like lint(). */
async function classify(corpusDirs) {
  const { prepareFormats } = await import(pathToFileURL(path.join(root, 'build/src/formats/index.js')).href);
  const { makeSourceFile } = await import(pathToFileURL(path.join(root, 'build/src/engine/lint.js')).href);
  const candidates = [];
  for (const dir of corpusDirs) {
    if (!existsSync(dir)) continue;
    for (const abs of walk(dir)) {
      let size;
      try {
        size = statSync(abs).size;
      } catch {
        continue;
      }
      if (size === 0 || size > 200 * 1024) continue;
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      const buffer = readFileSync(abs);
      if (buffer.includes(0)) continue;
      candidates.push({ abs, rel, corpus: dir, source: makeSourceFile(rel, buffer.toString('utf8')) });
    }
  }
  const formats = await prepareFormats(candidates.map((c) => c.source));
  const buckets = new Map();
  for (const c of candidates) {
    for (const format of formats) {
      let outcome = null;
      try {
        if (!format.detect(c.source)) continue;
        outcome = format.parse(c.source);
      } catch {
        outcome = { failure: true };
      }
      if (outcome === null) continue;
      if ('failure' in outcome) break; // already broken: mutate intact files only
      const name = c.rel.toLowerCase();
      const flavour =
        format.id === 'terraform'
          ? name.endsWith('.tf.json') ? 'tf.json' : name.endsWith('.tf') ? 'tf' : /\.tfvars(\.json)?$/.test(name) ? 'tfvars' : 'plan'
          : format.id === 'cloudformation'
            ? name.endsWith('.json') ? 'json' : 'yaml'
            : format.id === 'datastore-config'
              ? 'conf'
              : format.id === 'kubernetes' && /(^|\/)templates\//.test(name) ? 'helm' : 'yaml';
      const key = `${format.id}/${flavour}`;
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key).push({ abs: c.abs, rel: c.rel, corpus: c.corpus, format: format.id });
      break;
    }
  }
  return buckets;
}

// ---------------------------------------------------------------- mutations

const PORT_STRINGS = ['${X:-}:99999:abc/udp', '99999:99999', '0.0.0.0:1-65535:1-65535', '-1:-1', '65536', '::::6379', '[::]:6379:6379', '${PORT}', '${PORT:?required}', '$${X}', '1e309', '0x1F90', '6379-6370:6379', '127.0.0.1::', ':', '80/sctp', '443:443/tcp/udp', '1-99999999999', '"6379"', '~', 'NaN', '65535-0'];
const CIDRS = ['::/0', '0.0.0.0/-1', '0.0.0.0/33', '0.0.0.0/0', '::/129', '999.1.1.1/8', '10.0.0.0/8/8', '*', 'Internet', '0/0', '::ffff:0.0.0.0/96', 'fe80::1%eth0/64', '1.2.3.4/', '/0', '0.0.0.0/00000000000000000000000000001', '[::]/0', '0.0.0.0/0, ::/0', '', '${var.cidr}'];
const HUGE_NUMBERS = ['1e400', '-1e400', '99999999999999999999999999999', '9007199254740993', '-0', '0x7fffffffffffffff', '0o777777777777', '.inf', '-.inf', '.nan', 'NaN', '1_000_000', '1e-400', '4294967296', '2147483648', '-2147483649'];
const UNICODE = ['\u00e9', '\u202e', '\u200b', '\u2028', '\u2029', '\ud83d\udd25', '\ufeff', '\uffff', '\ud800', '\u0085', '\u00a0', '\u3000', 'Ω', '\u0301', '\t'];
const YAML_SNIPPETS = ['&a', '*a', '*undefined_alias', '<<: *a', '<<: [*a, *a]', '!!binary', '!!python/object/apply:os.system', '!Ref', '!Sub "${AWS::Region}"', '!<tag:yaml.org,2002:str>', '!!set', '!!omap', '? complex', '--- ', '...', '%YAML 1.1', '%TAG ! tag:x,2000:', '|-', '>+', '{', '[', '}', ']', '"', "'", '#', ': :', '- - -', '&anchor-with-a-very-long-name-' + 'x'.repeat(200)];
const HCL_SNIPPETS = ['${', '%{', '%{ for x in var.y }', '%{ if true }', '${var.', '<<EOF', '<<-EOT\n', '"${"${"${"', 'dynamic "ingress" {', 'for_each = range(100000000)', 'count = 1e9', 'count = -1', 'provisioner "local-exec" { command = "touch /tmp/portwall-pwned" }', 'data "external" "x" { program = ["sh", "-c", "touch /tmp/portwall-pwned"] }', 'x = file("/etc/passwd")', 'x = file("../../../../../../etc/passwd")', 'x = templatefile("/etc/passwd", {})', 'locals { a = local.b\n b = local.a }', 'x = [for i in range(1000000) : i]', 'x = { for k, v in var.m : k => v... }', 'x = a ? b : c ? d : e', '/*', '*/', '\\', 'x = "\\u0000"', 'x = 1 +', '= =', 'heredoc = <<EOF\nunterminated', 'cidr_blocks = ["0.0.0.0/0"]', 'from_port = 0\nto_port = 65535', 'protocol = "-1"'];
const JSON_SNIPPETS = ['{', '}', '[', ']', ',', ':', '"', '\\u0000', '\\ud800', 'null', 'true', '1e999', '"CidrIp": "0.0.0.0/0"', '"FromPort": -1'];

function lines(text) {
  return text.split('\n');
}

function randomPos(rng, text) {
  return rng.int(text.length + 1);
}

function insertAt(text, pos, s) {
  return text.slice(0, pos) + s + text.slice(pos);
}

/** Replace one random match of `re` (global) with `make(match)`. */
function replaceOne(rng, text, re, make) {
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return undefined;
  const m = rng.pick(matches);
  return text.slice(0, m.index) + make(m[0]) + text.slice(m.index + m[0].length);
}

function deepNesting(rng, kind) {
  const n = rng.pick([64, 200, 1000, 5000, 20000]);
  switch (rng.int(kind === 'hcl' ? 6 : 4)) {
    case 0:
      return '['.repeat(n) + ']'.repeat(rng.chance(0.5) ? n : rng.int(n));
    case 1:
      return '{a: '.repeat(n) + '1' + '}'.repeat(rng.chance(0.5) ? n : 0);
    case 2: {
      // Block-style nesting: n levels of indented mappings.
      const out = [];
      const depth = Math.min(n, 2000);
      for (let i = 0; i < depth; i++) out.push(`${' '.repeat(i)}k${i}:`);
      return `\n${out.join('\n')} x\n`;
    }
    case 3:
      return '- '.repeat(Math.min(n, 3000)) + 'x';
    case 4:
      return `x = ${'{ a = '.repeat(n)}1${' }'.repeat(rng.chance(0.5) ? n : 0)}\n`;
    default:
      return `x = ${'('.repeat(n)}1${')'.repeat(rng.chance(0.5) ? n : 0)}\n`;
  }
}

function kindOf(rel) {
  const p = rel.toLowerCase();
  if (/\.(tf|tfvars)$/.test(p)) return 'hcl';
  if (p.endsWith('.json')) return 'json';
  if (/\.ya?ml$/.test(p)) return 'yaml';
  return 'conf';
}

const TEXT_MUTATIONS = {
  deleteLine(rng, t) {
    const l = lines(t);
    const n = rng.chance(0.8) ? 1 : rng.range(2, 20);
    l.splice(rng.int(l.length), n);
    return l.join('\n');
  },
  duplicateLine(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length);
    l.splice(i, 0, ...Array(rng.chance(0.9) ? 1 : rng.range(2, 2000)).fill(l[i]));
    return l.join('\n');
  },
  duplicateBlock(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length);
    const block = l.slice(i, i + rng.range(2, 30));
    l.splice(i, 0, ...block);
    return l.join('\n');
  },
  swapLines(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length);
    const j = rng.chance(0.5) ? Math.min(l.length - 1, i + 1) : rng.int(l.length);
    [l[i], l[j]] = [l[j], l[i]];
    return l.join('\n');
  },
  truncate(rng, t) {
    return t.slice(0, randomPos(rng, t));
  },
  indent(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length);
    const choice = rng.int(4);
    if (choice === 0) l[i] = ' '.repeat(rng.range(1, 8)) + l[i];
    else if (choice === 1) l[i] = l[i].replace(/^ {1,4}/, '');
    else if (choice === 2) l[i] = `\t${l[i]}`;
    else l[i] = l[i].trimStart();
    return l.join('\n');
  },
  byteChars(rng, t) {
    let out = t;
    for (let k = rng.range(1, 5); k > 0; k--) {
      const pos = rng.int(Math.max(1, out.length));
      out = out.slice(0, pos) + String.fromCharCode(rng.int(128)) + out.slice(pos + 1);
    }
    return out;
  },
  yamlSyntax(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length);
    const s = rng.pick(YAML_SNIPPETS);
    const mode = rng.int(3);
    if (mode === 0) l[i] = l[i].replace(/:\s*(\S)/, `: ${s} $1`);
    else if (mode === 1) l.splice(i, 0, (/^\s*/.exec(l[i])?.[0] ?? '') + s);
    else l[i] = `${l[i]} ${s}`;
    return l.join('\n');
  },
  anchorAlias(rng, t) {
    // Anchor a mapping value somewhere and alias / merge it elsewhere (possibly before it, or itself).
    const l = lines(t);
    const keyLines = l.map((x, i) => (/^\s*[\w.-]+:\s*$/.test(x) || /^\s*[\w.-]+:\s+\S/.test(x) ? i : -1)).filter((i) => i >= 0);
    if (keyLines.length === 0) return undefined;
    const a = rng.pick(keyLines);
    l[a] = l[a].replace(/:(\s*)/, ': &fz ');
    const b = rng.pick(keyLines);
    const indent = /^\s*/.exec(l[b])?.[0] ?? '';
    const form = rng.int(4);
    if (form === 0) l.splice(b + 1, 0, `${indent}  <<: *fz`);
    else if (form === 1) l[b] = l[b].replace(/:.*$/, ': *fz');
    else if (form === 2) l.splice(b + 1, 0, `${indent}<<: [*fz, *fz, *nope]`);
    else l.splice(b + 1, 0, `${indent}  - *fz`);
    return l.join('\n');
  },
  hugeNumber(rng, t) {
    return replaceOne(rng, t, /\b\d+\b/g, () => rng.pick(HUGE_NUMBERS));
  },
  portString(rng, t) {
    return replaceOne(rng, t, /"?\b(\d{2,5})(:\d{2,5})?(\/(tcp|udp))?\b"?|\b(port|from_port|to_port|FromPort|ToPort|containerPort|hostPort|nodePort|targetPort|destination_port_range)\b[^\n]*/g, (m) =>
      /port|Port|range/.test(m) ? m.replace(/[:=]\s*.*$/, (sep) => `${sep[0]} "${rng.pick(PORT_STRINGS)}"`) : `"${rng.pick(PORT_STRINGS)}"`,
    );
  },
  cidr(rng, t) {
    return replaceOne(rng, t, /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/\d{1,2})?|::\/0|\b(?:127\.0\.0\.1|localhost)\b/g, () => rng.pick(CIDRS));
  },
  unicode(rng, t) {
    let out = t;
    for (let k = rng.range(1, 4); k > 0; k--) out = insertAt(out, randomPos(rng, out), rng.pick(UNICODE));
    return out;
  },
  nesting(rng, t, kind) {
    const snippet = deepNesting(rng, kind);
    if (kind === 'yaml' || kind === 'json') {
      const replaced = replaceOne(rng, t, /: [^\n]+/g, () => `: ${snippet}`);
      if (replaced !== undefined && rng.chance(0.7)) return replaced;
    }
    return insertAt(t, randomPos(rng, t), snippet);
  },
  longLine(rng, t) {
    const n = rng.pick([10_000, 100_000, 1_000_000]);
    const l = lines(t);
    const i = rng.int(l.length);
    const filler = rng.pick(['x', 'a,', '0.0.0.0/0,', '${x}', '"', ' ', '\\', '&a ', '*', '{{ .Values.x }}']);
    l[i] = `${l[i]}${filler.repeat(Math.ceil(n / filler.length))}`;
    return l.join('\n');
  },
  crlf(rng, t) {
    const c = rng.int(3);
    if (c === 0) return t.replace(/\r?\n/g, '\r\n');
    if (c === 1) return t.replace(/\r?\n/g, '\r');
    return t.replace(/\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n'));
  },
  bom(rng, t) {
    return rng.chance(0.7) ? `\ufeff${t}` : insertAt(`\ufeff\ufeff${t}`, randomPos(rng, t), '\ufeff');
  },
  nul(rng, t) {
    // Past the binary sniff (first 8000 bytes) when possible, so the file is still read.
    const pos = t.length > 9000 && rng.chance(0.7) ? rng.range(8500, t.length) : randomPos(rng, t);
    return insertAt(t, pos, '\u0000'.repeat(rng.range(1, 3)));
  },
  hcl(rng, t) {
    const s = rng.pick(HCL_SNIPPETS);
    const l = lines(t);
    const i = rng.int(l.length);
    if (rng.chance(0.5)) l.splice(i, 0, s);
    else l[i] = insertAt(l[i], rng.int(l[i].length + 1), s);
    return l.join('\n');
  },
  hclString(rng, t) {
    return replaceOne(rng, t, /"[^"\n]*"/g, () => rng.pick(['"${', '"%{', '"${var.x', '"%{ if x }', '"${"', '"\\', '"${a}${b}%{ endif }"', '"${jsonencode({a = 1})}"', '"${file("/etc/passwd")}"', '"${{{}}}"', '"$${x}"', '"%%{x}"']));
  },
  jsonSyntax(rng, t) {
    const c = rng.int(3);
    if (c === 0) {
      // Duplicate key: repeat a `"key": value` line.
      const l = lines(t);
      const keyed = l.map((x, i) => (/^\s*"[^"]+"\s*:/.test(x) ? i : -1)).filter((i) => i >= 0);
      if (keyed.length === 0) return undefined;
      const i = rng.pick(keyed);
      l.splice(i, 0, l[i].endsWith(',') ? l[i] : `${l[i]},`);
      return l.join('\n');
    }
    if (c === 1) return insertAt(t, randomPos(rng, t), rng.pick(JSON_SNIPPETS));
    return replaceOne(rng, t, /"[^"\n]*"/g, () => rng.pick(['"\\ud800"', '"\\u0000"', '"\\x"', '"', '"\\', `"${'\\'.repeat(1001)}"`]));
  },
  confLine(rng, t) {
    const l = lines(t);
    const i = rng.int(l.length + 1);
    l.splice(i, 0, rng.pick(['bind 0.0.0.0 ::', 'bind', 'protected-mode', 'requirepass ""', 'host all all 0.0.0.0/-1 trust', 'host all all ::/0', 'local', 'include /etc/passwd', 'include ../../../../etc/redis.conf', 'net:\n  bindIp: 0.0.0.0', 'network.host: [_site_, "0.0.0.0"]', 'xpack.security.enabled: ${X}', '[mysqld]\nskip-grant-tables', 'port 99999999', '-p 0', '-l 0.0.0.0,::', 'sentinel monitor m 0.0.0.0 99999 2', 'rename-command', '"unterminated', 'bind-address = *']));
    return l.join('\n');
  },
  splice(rng, t, _kind, ctx) {
    const other = ctx.randomSeedText();
    if (!other) return undefined;
    const start = rng.int(other.length);
    const chunk = other.slice(start, start + rng.range(1, 2000));
    return insertAt(t, randomPos(rng, t), chunk);
  },
};

const BY_KIND = {
  yaml: ['deleteLine', 'duplicateLine', 'duplicateBlock', 'swapLines', 'truncate', 'indent', 'byteChars', 'yamlSyntax', 'yamlSyntax', 'anchorAlias', 'anchorAlias', 'hugeNumber', 'portString', 'portString', 'cidr', 'cidr', 'unicode', 'nesting', 'longLine', 'crlf', 'bom', 'nul', 'splice'],
  json: ['deleteLine', 'duplicateLine', 'swapLines', 'truncate', 'byteChars', 'jsonSyntax', 'jsonSyntax', 'hugeNumber', 'portString', 'cidr', 'cidr', 'unicode', 'nesting', 'longLine', 'crlf', 'bom', 'nul', 'splice', 'yamlSyntax'],
  hcl: ['deleteLine', 'duplicateLine', 'duplicateBlock', 'swapLines', 'truncate', 'indent', 'byteChars', 'hcl', 'hcl', 'hcl', 'hclString', 'hclString', 'hugeNumber', 'portString', 'cidr', 'cidr', 'unicode', 'nesting', 'longLine', 'crlf', 'bom', 'nul', 'splice'],
  conf: ['deleteLine', 'duplicateLine', 'swapLines', 'truncate', 'indent', 'byteChars', 'confLine', 'confLine', 'hugeNumber', 'portString', 'cidr', 'cidr', 'unicode', 'longLine', 'crlf', 'bom', 'nul', 'yamlSyntax', 'anchorAlias', 'nesting'],
};

/** Invalid UTF-8 and raw byte flips, applied to the encoded mutant. */
function byteMutation(rng, buffer) {
  const bytes = Buffer.from(buffer);
  const pos = rng.int(Math.max(1, bytes.length));
  if (rng.chance(0.5) && bytes.length > 0) {
    bytes[pos] ^= 1 << rng.int(8);
    return bytes;
  }
  const bad = rng.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x92], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]);
  return Buffer.concat([bytes.subarray(0, pos), Buffer.from(bad), bytes.subarray(pos)]);
}

/** Mutants stay below this many characters (portwall reads at most a few MB of a file anyway). */
const MAX_MUTANT_CHARS = 16 * 1024 * 1024;

function mutate(rng, text, rel, ctx) {
  const kind = kindOf(rel);
  const ops = [];
  let out = text;
  const count = rng.chance(0.5) ? 1 : rng.range(2, 4);
  for (let k = 0; k < count; k++) {
    const name = rng.pick(BY_KIND[kind]);
    let next;
    try {
      next = TEXT_MUTATIONS[name](rng, out, kind, ctx);
    } catch (error) {
      // Stacked growth (2,000 copies of a 1 MB line) past V8's string limit: that op is skipped.
      if (error instanceof RangeError) continue;
      throw error;
    }
    if (next === undefined || next.length > MAX_MUTANT_CHARS) continue;
    out = next;
    ops.push(name);
  }
  let buffer = Buffer.from(out, 'utf8');
  if (rng.chance(0.1)) {
    buffer = byteMutation(rng, buffer);
    ops.push('bytes');
  }
  if (ops.length === 0) {
    out = TEXT_MUTATIONS.truncate(rng, text);
    buffer = Buffer.from(out, 'utf8');
    ops.push('truncate');
  }
  return { buffer, ops };
}

// ---------------------------------------------------------------- the run

class LintWorker {
  constructor(stream = false) {
    this.stream = stream;
    this.spawn();
  }
  spawn() {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { stream: this.stream }, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB }, stdout: true, stderr: true });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m?.ready) {
          this.worker.off('message', onMessage);
          this.worker.off('error', reject);
          resolve();
        }
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
  }
  async run(dir, timeoutMs) {
    await this.ready;
    return new Promise((resolve) => {
      const w = this.worker;
      let done = false;
      const finish = (result, respawn) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (respawn) {
          void w.terminate();
          this.spawn();
        }
        resolve(result);
      };
      const onMessage = (m) => finish(m, false);
      const onError = (e) => finish({ ok: false, crashed: true, error: `worker died: ${e?.code ?? ''} ${e?.message ?? e}` }, true);
      const onExit = (code) => finish({ ok: false, crashed: true, error: `worker exited with code ${code}` }, true);
      const timer = setTimeout(() => finish({ ok: false, hang: true, error: `no result after ${timeoutMs} ms` }, true), timeoutMs);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ dir });
    });
  }
  close() {
    return this.worker.terminate();
  }
}

function verdicts(result, bytes) {
  const out = [];
  if (result.hang) out.push({ kind: 'hang', detail: result.error });
  else if (result.crashed) out.push({ kind: /OUT_OF_MEMORY|heap/i.test(result.error) ? 'memory' : 'crash', detail: result.error });
  else if (!result.ok) out.push({ kind: 'exception', detail: result.error });
  else {
    for (const m of result.internal) out.push({ kind: 'internal-error', detail: m });
    for (const m of result.threw) out.push({ kind: 'parser-threw', detail: m });
    if (!result.canary) out.push({ kind: 'lost-file', detail: `${CANARY_PATH} was not checked` });
    if (result.leaked) out.push({ kind: 'secret-leaked', detail: `the canary's secret is in a finding or notification` });
    if (result.rssAfter - result.rssBefore > Math.max(RSS_GROWTH_LIMIT, RSS_PER_BYTE * bytes)) out.push({ kind: 'memory', detail: `RSS grew by ${mb(result.rssAfter - result.rssBefore)}` });
  }
  return out;
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(root, 'build/src/index.js'))) {
    console.error('fuzz: build/ is missing; run `npm run build` first (or `npm run fuzz`)');
    process.exit(2);
  }
  const started = performance.now();
  const deadline = started + opts.time * 1000;
  const cpuStart = process.cpuUsage();
  const cpuSeconds = () => {
    const c = process.cpuUsage(cpuStart);
    return (c.user + c.system) / 1e6;
  };
  console.log(`fuzz: seed ${opts.seed}, up to ${opts.iterations} mutants, ${opts.time} s budget`);
  console.log(`fuzz: corpus ${opts.corpus.filter(existsSync).join(', ')}`);

  const buckets = await classify(opts.corpus);
  const keys = [...buckets.keys()].sort();
  if (keys.length === 0) {
    console.error('fuzz: no seed files found in the corpus');
    process.exit(2);
  }
  console.log(`fuzz: seeds ${keys.map((k) => `${k}=${buckets.get(k).length}`).join(' ')} (${((performance.now() - started) / 1000).toFixed(1)} s to classify)`);

  // Formats with more code paths get more turns.
  const WEIGHTS = { 'terraform/tf': 3, 'compose/yaml': 2, 'kubernetes/yaml': 2, 'cloudformation/yaml': 2, 'datastore-config/conf': 2 };
  const schedule = keys.flatMap((k) => Array(WEIGHTS[k] ?? 1).fill(k));
  const rng = makeRng(opts.seed);
  const textCache = new Map();
  const textOf = (seed) => {
    if (!textCache.has(seed.abs)) textCache.set(seed.abs, readFileSync(seed.abs, 'utf8'));
    return textCache.get(seed.abs);
  };
  const ctx = {
    randomSeedText: () => textOf(rng.pick(buckets.get(rng.pick(keys)))),
  };

  const work = mkdtempSync(path.join(os.tmpdir(), 'portwall-fuzz-'));
  const failuresDir = path.join(os.tmpdir(), `portwall-fuzz-failures-${opts.seed}-${process.pid}`);
  const worker = new LintWorker(opts.stream);
  // Warm up (WASM grammar, module graph) so the first mutant is not timed with it.
  const warm = path.join(work, 'warm');
  mkdirSync(path.join(warm, 'tf'), { recursive: true });
  mkdirSync(path.join(warm, path.dirname(CANARY_PATH)), { recursive: true });
  writeFileSync(path.join(warm, CANARY_PATH), CANARY);
  writeFileSync(path.join(warm, 'tf', 'main.tf'), 'resource "aws_security_group" "a" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
  const warmResult = await worker.run(warm, HARD_TIMEOUT_MS * 2);
  if (!warmResult.ok || !warmResult.canary) {
    console.error(`fuzz: warm-up lint failed: ${warmResult.error ?? 'canary not reported'}`);
    await worker.close();
    process.exit(2);
  }

  const stats = new Map(keys.map((k) => [k, { mutants: 0, pw000: 0, failures: 0, maxMs: 0 }]));
  const failures = [];
  const opCounts = new Map();
  let slowest = { ms: 0 };
  let peakRss = 0;
  let maxGrowth = { bytes: 0 };
  let ran = 0;
  const firstRss = process.memoryUsage().rss;

  for (let i = 0; i < opts.iterations; i++) {
    if (performance.now() > deadline) break;
    if (cpuSeconds() > opts.cpu) break;
    const key = schedule[i % schedule.length];
    const seed = rng.pick(buckets.get(key));
    const { buffer, ops } = mutate(rng, textOf(seed), seed.rel, ctx);
    for (const op of ops) opCounts.set(op, (opCounts.get(op) ?? 0) + 1);
    // Terraform modules are evaluated per folder: sometimes keep the seed's intact siblings.
    const siblings = [];
    if (seed.format === 'terraform' && rng.chance(0.5)) {
      const dir = path.dirname(seed.abs);
      for (const other of buckets.get('terraform/tf') ?? []) {
        if (other.abs !== seed.abs && path.dirname(other.abs) === dir && siblings.length < 6) siblings.push(other);
      }
    }

    const dir = path.join(work, 'm');
    rmSync(dir, { recursive: true, force: true });
    const write = (rel, data) => {
      const target = path.join(dir, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    };
    write(seed.rel, buffer);
    for (const s of siblings) write(s.rel, readFileSync(s.abs));
    write(CANARY_PATH, CANARY);

    let result = await worker.run(dir, HARD_TIMEOUT_MS);
    let found = verdicts(result, buffer.length);
    if (result.ok && result.cpuMs > slowLimit(buffer.length)) {
      // Confirm: a single slow run may be noise (GC, a shared core).
      const again = await worker.run(dir, HARD_TIMEOUT_MS);
      if (again.ok && again.cpuMs > slowLimit(buffer.length)) found.push({ kind: 'slow', detail: `${Math.round(result.cpuMs)} ms, then ${Math.round(again.cpuMs)} ms of CPU (${buffer.length} bytes)` });
      found = found.concat(verdicts(again, buffer.length).filter((v) => !found.some((f) => f.kind === v.kind)));
      if (again.ok) result = { ...again, ms: Math.min(result.ms, again.ms) };
    }
    ran++;
    const s = stats.get(key);
    s.mutants++;
    if (result.ok) {
      s.maxMs = Math.max(s.maxMs, result.ms);
      if (result.pw000.length > 0) s.pw000++;
      if (result.ms > slowest.ms) slowest = { ms: result.ms, file: seed.rel, ops, i, bytes: buffer.length };
      peakRss = Math.max(peakRss, result.rssAfter);
      if (result.rssAfter - result.rssBefore > maxGrowth.bytes) maxGrowth = { bytes: result.rssAfter - result.rssBefore, file: seed.rel, i, ops };
    }
    if (found.length > 0) {
      s.failures++;
      const keep = path.join(failuresDir, `${String(i).padStart(5, '0')}-${found[0].kind}`);
      mkdirSync(keep, { recursive: true });
      cpSync(dir, keep, { recursive: true });
      const info = { seed: opts.seed, iteration: i, source: seed.abs, file: seed.rel, ops, failures: found, ms: result.ms };
      writeFileSync(path.join(keep, 'fuzz-info.json'), `${JSON.stringify(info, null, 2)}\n`);
      failures.push({ ...info, dir: keep });
      console.log(`FAIL #${i} ${seed.rel} [${ops.join(',')}]: ${found.map((f) => `${f.kind}: ${String(f.detail).split('\n')[0].slice(0, 300)}`).join(' | ')}`);
    }
  }
  await worker.close();
  rmSync(work, { recursive: true, force: true });

  const elapsed = (performance.now() - started) / 1000;
  console.log('');
  console.log(`fuzz: seed ${opts.seed}: ${ran} mutants in ${elapsed.toFixed(1)} s, ${cpuSeconds().toFixed(1)} s of CPU${ran < opts.iterations ? ' (time budget reached)' : ''}`);
  console.log('  format/flavour           mutants  with PW000  failures  slowest');
  for (const k of keys) {
    const s = stats.get(k);
    console.log(`  ${k.padEnd(24)} ${String(s.mutants).padStart(7)} ${String(s.pw000).padStart(11)} ${String(s.failures).padStart(9)} ${String(Math.round(s.maxMs)).padStart(7)} ms`);
  }
  console.log(`  mutations: ${[...opCounts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(`  slowest mutant: ${Math.round(slowest.ms)} ms (#${slowest.i} ${slowest.file} [${slowest.ops?.join(',')}], ${slowest.bytes} bytes)`);
  console.log(`  memory: peak RSS ${mb(Math.max(peakRss, firstRss))}, largest growth during one lint ${mb(maxGrowth.bytes)}${maxGrowth.file ? ` (#${maxGrowth.i} ${maxGrowth.file} [${maxGrowth.ops.join(',')}])` : ''}`);
  const byKind = new Map();
  for (const f of failures) for (const v of f.failures) byKind.set(v.kind, (byKind.get(v.kind) ?? 0) + 1);
  if (failures.length === 0) {
    console.log('  failures: none');
    process.exit(0);
  }
  console.log(`  failures: ${failures.length} mutants (${[...byKind].map(([k, v]) => `${k}=${v}`).join(', ')}), kept in ${failuresDir}`);
  process.exit(1);
}

// Last: classes above are initialized by now.
if (!isMainThread) await workerMain();
else await main();
