/**
 * Issue 14 item 3: the HCL parse budget is counted work, never a clock. The same pathological
 * file gives byte-identical output twice, and whatever the clock says; the one shape whose error
 * recovery grows faster than tree-sitter's operation count (empty elements) is refused before
 * parsing, located at its first occurrence.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineIndex } from '../../src/core/location.js';
import { countEmptyElements, errorDetector, MAX_EMPTY_ELEMENTS, MAX_DOUBLING_WINDOW, MAX_LONG_LINE_PROBES, operationCounter, parseOperationBudget, PROBE_WINDOW, probeCuts } from '../../src/formats/terraform/parse-budget.js';
import { initTerraform, parseHcl } from '../../src/formats/terraform/tree-sitter.js';
import { lintTree, views } from '../helpers/index.js';

const COMPOSE = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

afterEach(() => vi.restoreAllMocks());

/** Calls `onParse` with the input of every parse the grammar is asked for (until the mocks are restored). */
async function spyParses(onParse: (input: unknown) => unknown): Promise<void> {
  const { Parser } = await import('web-tree-sitter');
  const parse = Parser.prototype.parse;
  vi.spyOn(Parser.prototype, 'parse').mockImplementation(function (this: InstanceType<typeof Parser>, ...args: Parameters<typeof parse>) {
    onParse(args[0]);
    return parse.apply(this, args);
  });
}

describe('HCL parse budget', () => {
  it('thousands of empty elements are one located PW000, the same on every run and under any clock', async () => {
    // 20,000 stray commas after an element: tree-sitter's error recovery took minutes here.
    const tf = `locals {\n  rules = {\n    ssh = "22"\n    ${', '.repeat(20_000)}\n    db = "5432"\n  }\n}\n`;
    const files = { 'net/main.tf': tf, 'app/compose.yaml': COMPOSE };
    const start = Date.now();
    const first = await lintTree(files);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(views(first, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'net/main.tf', line: 4, column: 7, endLine: 4, endColumn: 8 }]);
    expect(first.findings.find((f) => f.ruleId === 'PW000')!.message).toContain(`syntax error: unexpected "," (more than ${MAX_EMPTY_ELEMENTS} empty elements`);
    expect(views(first, 'PW004')).toEqual([{ ruleId: 'PW004', file: 'app/compose.yaml', line: 5, column: 9, endLine: 5, endColumn: 20 }]);
    // A clock that jumps an hour at every read changes nothing: no deadline is involved.
    let fake = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (fake += 3_600_000));
    vi.spyOn(Date, 'now').mockImplementation(() => (fake += 3_600_000));
    const second = await lintTree(files);
    vi.restoreAllMocks();
    expect(JSON.stringify(second.findings)).toBe(JSON.stringify(first.findings));
    expect(JSON.stringify(second.notifications)).toBe(JSON.stringify(first.notifications));
  }, 30_000);

  it('a few empty elements still get the grammar\'s own message and location', async () => {
    await initTerraform();
    const r = parseHcl('x = [1, , 2]\n');
    // tree-sitter names the comma before the empty element (offset 6).
    expect(r).toEqual({ error: { start: 6, end: 7, message: 'syntax error: unexpected ","' } });
  });

  it('an empty element after a comment is counted; a text without a comma that one could follow is not scanned', () => {
    for (const [text, first] of [
      ['x = [1, # one\n  , 2]\n', '# one\n  ,'],
      ['x = [1, // one\n  , 2]\n', '// one\n  ,'],
      ['x = [1, /* one */ , 2]\n', '/* one */ ,'],
      ['x = [1,\n\n, 2]\n', ',\n\n,'],
    ] as const) {
      const r = countEmptyElements(text);
      expect(r.count, text).toBe(1);
      expect(text.slice(0, r.first + 1).endsWith(first), text).toBe(true);
    }
    expect(countEmptyElements('x = [1, 2, "a,,b"]\ny = { a = 1, b = 2 }\n')).toEqual({ count: 0, first: -1 });
  });

  it('commas inside strings, comments and heredocs are not empty elements', () => {
    const text = `a = "${',,'.repeat(10)}"\n# ${', ,'.repeat(10)}\n/* ,, */\nb = <<EOT\n${',,\n'.repeat(10)}EOT\nc = [1,,2]\n`;
    const r = countEmptyElements(text);
    expect(r.count).toBe(1);
    expect(text.slice(r.first - 3, r.first + 3)).toBe('[1,,2]');
  });

  it('a pathological file that is not refused parses under the operation budget, byte-identical under a jumping clock', async () => {
    await initTerraform();
    // An 11 KB file of error recovery (template interpolations outside a string, stray `=`).
    const text = `variable "x" {\n  default = {}${'${x}'.repeat(1500)}\n}\nlocals {\n  y = {\n${'  = '.repeat(1000)}\n  }\n}\n`;
    const idle = parseHcl(text);
    let fake = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (fake += 3_600_000));
    const loaded = parseHcl(text);
    expect(loaded).toEqual(idle);
    expect(idle).toHaveProperty('error.message', 'syntax error');
  });

  it('a megabyte of junk after the first error stops in recovery, with the message and start a full parse gives (fuzz 1414 slow class)', async () => {
    await initTerraform();
    const pre = 'variable "a" {\n  type = string\n}\n\n';
    const shapes: Record<string, (n: number) => string> = {
      interpolations: (n) => `${pre}variable "x" {\n  default     = {}${'${x}'.repeat(n)}\n}\n`,
      cidrs: (n) => `${pre}locals {\n  dns_servers = ["10.0.1.4"]${'0.0.0.0/0,'.repeat(n)}\n}\n`,
      commas: (n) => `${pre}output "x" {\n  value = a.b.c${',a'.repeat(n)}\n}\n`,
      // Fuzz seed 1415 #166: 1 MB of quotes, 8.4 s of CPU before (the recovery never looked hopeless).
      quotes: (n) => `${pre}locals {\n  group = var.resource_group_name${'""'.repeat(n * 2)}\n}\n`,
    };
    for (const [name, shape] of Object.entries(shapes)) {
      const text = shape(100_000);
      const cpu = process.cpuUsage();
      const big = parseHcl(text);
      const used = process.cpuUsage(cpu);
      // Counted: stopped after MAX_ERROR_STREAK callbacks of recovery (a full parse of 1 MB took 3.6-4.2 s of CPU and 800 MB).
      expect((used.user + used.system) / 1000, name).toBeLessThan(3_000);
      const small = parseHcl(shape(20));
      expect(small, name).toHaveProperty('error.message');
      expect((small as { error: { message: string } }).error.message, name).toMatch(/^syntax error: unexpected "/);
      expect(big, name).toEqual({ error: { ...(small as { error: object }).error, end: expect.any(Number) } });
      expect(parseHcl(text), name).toEqual(big);
    }
  }, 60_000);

  it('the prefix probe of a large file does not invent errors: a long heredoc across the cut, an error at the end', async () => {
    await initTerraform();
    const block = (i: number) => `resource "aws_security_group_rule" "r${i}" {\n  type        = "ingress"\n  from_port   = ${i}\n  to_port     = ${i}\n  protocol    = "tcp"\n  cidr_blocks = ["10.0.0.0/8"]\n}\n`;
    const blocks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => block(from + i)).join('');
    // A heredoc from 40 KB to 100 KB: a probe cut inside it sees an unterminated heredoc.
    const heredoc = `locals {\n  script = <<-EOT\n${'echo "line of a long script"\n'.repeat(2_200)}  EOT\n}\n`;
    const valid = `${blocks(250)}${heredoc}${blocks(1_700, 250)}`;
    expect(valid.length).toBeGreaterThan(300 * 1024);
    expect(valid.indexOf('<<-EOT')).toBeLessThan(64 * 1024 - 8 * 1024);
    expect(parseHcl(valid)).toHaveProperty('root');
    // The only error, 300 KB in: found where a full parse finds it.
    const broken = `${valid}locals {\n  x = = 1\n}\n`;
    expect(parseHcl(broken)).toHaveProperty('error.start', valid.length + 15);
  }, 60_000);
});

describe('HCL first-error probes (fuzz seeds 2101/2102/2201/2202: long lines of junk took 1.6-10.6 s of CPU)', () => {
  const pre = 'terraform {\n  required_providers {\n    google = {\n      source = "hashicorp/google"\n    }\n  }\n';
  // The fuzz shapes: a run of quotes, of operators or of `?` appended to a value, after a 100 KB comment line.
  const shapes: Record<string, (n: number) => string> = {
    quotes: (n) => `${pre}  required_version = ">= 1.3"${'"'.repeat(n)}\n}\n`,
    operators: (n) => `${pre}}\nresource "azurerm_cdn_endpoint" "e" {\n  origin {\n    name = "origin1"${'*'.repeat(n)}\n  }\n}\n`,
    conditionals: (n) => `${pre}}\nlocals {\n  port = 80${'?'.repeat(n)}\n}\n`,
    'after a long comment': (n) => `# ${'x'.repeat(100_000)}\n${pre}}\nlocals {\n  a = ""${'""'.repeat(n)}\n}\n`,
  };

  it('the first error of a long line of junk is found in a prefix, where a full parse of a short run finds it', async () => {
    await initTerraform();
    for (const [name, shape] of Object.entries(shapes)) {
      const text = shape(400_000);
      expect(probeCuts(text).length, name).toBeGreaterThan(0);
      // 60 is past the 40 characters a message quotes, and far from a long line.
      const small = parseHcl(shape(60));
      expect(probeCuts(shape(60)).length, name).toBe(name === 'after a long comment' ? 4 : 0);
      expect(small, name).toHaveProperty('error.message');
      const big = parseHcl(text);
      expect(big, name).toEqual({ error: { ...(small as { error: object }).error, end: expect.any(Number) } });
      expect(parseHcl(text), name).toEqual(big);
    }
  }, 120_000);

  it('a parse stopped at the end of a megabyte in error recovery resumes to its first error (fuzz seed 2502 #7444: it was parsed again from the start, 4.2 s)', async () => {
    await initTerraform();
    const shape = (n: number) => `variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n\nvariable "adm                    "Ref": "Sg"\n                },${'a,'.repeat(n)}\n                "IpProtocol": "tcp",\n                "ToPort": "61000",\n                "Group": {\n                    "Ref": "Sg"\n                }\n            }\n        },\n}\n`;
    const small = parseHcl(shape(20));
    expect(small).toHaveProperty('error.message', 'syntax error: unexpected "variable"');
    const big = parseHcl(shape(500_000));
    // The error starts where the short one's does (its end runs to the end of the file in both).
    expect(big).toEqual({ error: { ...(small as { error: object }).error, end: expect.any(Number) } });
  }, 60_000);

  it('a logged probe stops once its log names the first error (fuzz seed 3001 #27340: it logged on to the end of a megabyte, 4.2-4.7 s)', async () => {
    await initTerraform();
    const { Parser } = await import('web-tree-sitter');
    const shape = (n: number) => `avd_users = [\n  "avduser01@infra.local",${'0.0.0.0/0,'.repeat(n)}0.0.0.0x = ${'{ a = '.repeat(500)}1\n${'0.0.0.0/0,'.repeat(n / 8)}\n]\n`;
    const small = parseHcl(shape(40));
    expect(small).toHaveProperty('error');
    // Every message each logged probe receives after the one that names the error ("resume ...").
    let afterResume = 0;
    const setLogger = Parser.prototype.setLogger;
    vi.spyOn(Parser.prototype, 'setLogger').mockImplementation(function (this: InstanceType<typeof Parser>, callback) {
      if (typeof callback !== 'function') return setLogger.call(this, callback);
      let named = false;
      return setLogger.call(this, (message: string, isLex: boolean) => {
        if (named) afterResume++;
        else if (!isLex && message.startsWith('resume ')) named = true;
        callback(message, isLex);
      });
    });
    const big = parseHcl(shape(90_000));
    vi.restoreAllMocks();
    // The same first error as the short run, at the same place relative to the junk's end.
    const at = (n: number, r: ReturnType<typeof parseHcl>) => ('error' in r ? { message: r.error.message, start: r.error.start - shape(n).indexOf('0.0.0.0x') } : r);
    expect(at(90_000, big)).toEqual(at(40, small));
    // Within one progress report of the answer (100 operations), never the rest of the prefix.
    expect(afterResume).toBeLessThan(2_000);
  }, 60_000);

  it('the first error past a long line\'s first window is found in a prefix twice as long at most (fuzz seed 3102 #27568: a 10 KB string, then a megabyte of quotes, 4.9 s)', async () => {
    await initTerraform();
    const shape = (n: number, quotes: number) => `extra_sources = ["${'\\'.repeat(n)}${'"'.repeat(quotes)}]\n`;
    const small = parseHcl(shape(10_000, 61));
    expect(small).toHaveProperty('error.start', 17);
    // The longest text each parse of the grammar is given (a probe's prefix, or the whole file).
    const parsed: number[] = [];
    await spyParses((input) => typeof input === 'string' && parsed.push(input.length));
    const big = parseHcl(shape(10_000, 1_000_000));
    vi.restoreAllMocks();
    expect(big).toEqual({ error: { ...(small as { error: object }).error, end: expect.any(Number) } });
    // 8 KB ends inside the string; 16 KB holds the error after it (at 10 KB): the megabyte of junk is never parsed.
    expect(Math.max(...parsed)).toBe(2 * PROBE_WINDOW);
    // A valid megabyte on one line: probes up to 64 KB, then the whole text once (fuzz seeds 3201/3202: doubling
    // on to the end cost two to three full parses).
    parsed.length = 0;
    await spyParses((input) => typeof input === 'string' && parsed.push(input.length));
    const valid = `extra_sources = [${Array.from({ length: 70_000 }, (_, i) => `"10.0.${i % 250}.0/24"`).join(',')}]\n`;
    expect(parseHcl(valid)).toHaveProperty('root');
    vi.restoreAllMocks();
    // Each probe's prefix twice (the parse, then its logged check), 8 to 64 KB into the line.
    const prefixes = [1, 2, 4, 8].map((k) => k * PROBE_WINDOW);
    expect(prefixes.at(-1)).toBe(MAX_DOUBLING_WINDOW);
    expect(parsed).toEqual([...prefixes.flatMap((p) => [p, p]), valid.length]);
  }, 60_000);

  it('a tfvars file the scan could not parse is not parsed again for the module that loads it (seed 3102 #27568: twice, 9.3 s)', async () => {
    await initTerraform();
    const tfvars = 'extra_sources = ["0.0.0.0/0"\n';
    let parses = 0;
    await spyParses((input) => input === tfvars && parses++);
    const main = 'variable "extra_sources" {\n  type = list(string)\n}\n\nresource "aws_security_group" "search" {\n  ingress {\n    from_port   = 9200\n    to_port     = 9200\n    protocol    = "tcp"\n    cidr_blocks = var.extra_sources\n  }\n}\n';
    const result = await lintTree({ 'main.tf': main, 'prod.auto.tfvars': tfvars });
    vi.restoreAllMocks();
    expect(parses).toBe(1);
    expect(views(result, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'prod.auto.tfvars', line: 1, column: 28, endLine: 1, endColumn: 29 }]);
    // The module's value of the variable is not known: the exposure is not decided, never passed.
    expect(views(result, 'PW010').map((v) => v.file)).toEqual(['main.tf']);
  }, 30_000);

  it('a valid file with a long nested list is not an error because a probe cut it (a 256 KB probe reported 1:1 before)', async () => {
    // A cut inside a nested list makes the grammar wrap the whole unfinished block into an ERROR
    // from line 1; only an error the parser found before the cut counts.
    const cidrs = Array.from({ length: 30_000 }, (_, i) => `      "10.${(i >> 8) & 255}.${i & 255}.0/24",\n`).join('');
    const tf = `resource "aws_security_group" "search" {\n  name = "search"\n  ingress {\n    from_port   = 9200\n    to_port     = 9200\n    protocol    = "tcp"\n    cidr_blocks = [\n${cidrs}      "0.0.0.0/0",\n    ]\n  }\n}\n`;
    expect(tf.length).toBeGreaterThan(256 * 1024);
    expect(probeCuts(tf)).toEqual([64 * 1024]);
    const result = await lintTree({ 'main.tf': tf });
    // The exposure itself, at the "0.0.0.0/0" after the 30,000 private ranges (line 8 + 30,000).
    expect(views(result)).toEqual([{ ruleId: 'PW002', file: 'main.tf', line: 30_008, column: 7, endLine: 30_008, endColumn: 18 }]);
    expect(result.findings[0]!.message).toBe('aws_security_group.search exposes Elasticsearch HTTP 9200 on port 9200/tcp to the internet (source: 0.0.0.0/0)');
  }, 60_000);

  it('probe cuts: 64 KB into a large file, 8 KB into each of the first long lines and 16-64 KB into the first, spaced, before the end', () => {
    const line = (n: number) => `${'x'.repeat(n)}\n`;
    expect(probeCuts(line(100) + line(4_096) + line(100))).toEqual([]);
    const one = line(100) + line(20_000) + line(100);
    expect(probeCuts(one)).toEqual([101 + PROBE_WINDOW]);
    // Doubling windows along the first long line, the last one a window before the end; 8 KB into the next.
    expect(probeCuts(line(100) + line(40_000) + line(100))).toEqual([101 + PROBE_WINDOW, 101 + 2 * PROBE_WINDOW]);
    expect(probeCuts(line(100) + line(40_000) + line(20_000))).toEqual([101 + PROBE_WINDOW, 101 + 2 * PROBE_WINDOW, 101 + 4 * PROBE_WINDOW, 40_102 + PROBE_WINDOW]);
    // Two long lines closer than a window: one cut; a long line ending near the end of the text: none.
    expect(probeCuts(line(100) + line(5_000) + line(5_000) + line(20_000))).toEqual([101 + PROBE_WINDOW, 101 + 10_002 + PROBE_WINDOW]);
    expect(probeCuts(line(100) + line(5_000))).toEqual([]);
    const many = Array.from({ length: 20 }, () => line(20_000)).join('');
    // One window into each of the first lines, and a second (16 KB) into the first.
    expect(probeCuts(many)).toHaveLength(MAX_LONG_LINE_PROBES + 1);
    const large = line(80).repeat(4_000);
    expect(probeCuts(large)).toEqual([64 * 1024]);
    // A large file whose 64 KB cut falls further into a long line already probed: that line's probes only
    // (fuzz seed 2502 #7444: a second logged check of the same 64 KB of `a,a,…` cost 0.7 s and found nothing).
    expect(probeCuts(line(100) + line(1_000_000) + line(100))).toEqual([0, 1, 2, 3].map((k) => 101 + PROBE_WINDOW * 2 ** k));
    expect(PROBE_WINDOW * 2 ** 3).toBe(MAX_DOUBLING_WINDOW);
    // A long line whose own first probe would come after 64 KB does not stand for it (and is too close to get one).
    expect(probeCuts(line(80).repeat(760) + line(1_000_000))).toEqual([64 * 1024, ...[1, 2, 3].map((k) => 81 * 760 + PROBE_WINDOW * 2 ** k)]);
  });

  it('the parse log tells where the parser found an error, counting UTF-16 text in bytes', () => {
    const text = 'a = "é"\nb = "" ""\n';
    const detector = errorDetector(new LineIndex(text));
    const log = [
      'new_parse',
      'process version:0, version_count:1, state:1, row:0, col:0',
      'lexed_lookahead sym:identifier, size:2',
      'shift state:406',
      'process version:0, version_count:1, state:215, row:1, col:12',
      'lexed_lookahead sym:quoted_template_start, size:4',
      'detect_error lookahead:quoted_template_start',
      'resume version:0',
      'process version:0, version_count:1, state:215, row:1, col:20',
      'lexed_lookahead sym:quoted_template_start, size:40',
    ];
    for (const m of log) detector.log(m, false);
    // Row 1 starts at 8; column 12 bytes is 6 code units; the lookahead (padding included) 2 more.
    expect(detector.foundAt()).toBe(8 + 6 + 2);
    const quiet = errorDetector(new LineIndex(text));
    for (const m of log.filter((m) => !m.startsWith('resume'))) quiet.log(m, false);
    expect(quiet.foundAt()).toBeUndefined();
  });
});
