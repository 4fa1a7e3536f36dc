#!/usr/bin/env node
/**
 * Hostile-repository probes (issue 14): each case writes a small generated repository into a
 * temp folder and runs the CLI on it under /usr/bin/time with a heap cap and a timeout, then
 * prints exit code, wall time, peak RSS and the first line of output. For the closing note's
 * before/after table; not run in CI.
 *
 *   node scripts/hostile.mjs [path/to/cli-entry.mjs] [case-name-substring]
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.resolve(process.argv[2] ?? path.join(here, '..', 'bin', 'portwall.js'));
const only = process.argv[3];
const TIMEOUT_S = 25;
const HEAP_MB = 1024;

const SG = (extra = '') => `resource "aws_security_group" "es" {\n  name = "es"\n${extra}  ingress {\n    from_port   = 9200\n    to_port     = 9200\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
const COMPOSE = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

function doubling(n, seed, join) {
  const lines = [`  s0 = ${seed}`];
  for (let i = 1; i <= n; i++) lines.push(`  s${i} = ${join(`local.s${i - 1}`)}`);
  return `locals {\n${lines.join('\n')}\n}\n`;
}

const CASES = [
  { name: 'tf string doubled 40 times', files: { 'main.tf': doubling(40, '"ab"', (p) => `"\${${p}}\${${p}}"`) + SG('  description = local.s40\n') } },
  { name: 'tf flatten doubling', files: { 'main.tf': doubling(40, '[1, 2]', (p) => `flatten([${p}, ${p}])`) + SG('  description = length(local.s40)\n') } },
  { name: 'config baseline outside (write)', args: ['baseline'], files: { '.git/HEAD': 'x', 'portwall.config.yml': 'baseline: ../outside-baseline.json\n', 'docker-compose.yml': COMPOSE } },
  { name: 'config baseline /etc/passwd (read)', files: { '.git/HEAD': 'x', 'portwall.config.yml': 'baseline: /etc/passwd\n', 'docker-compose.yml': COMPOSE } },
  { name: 'config baseline /dev/zero', files: { '.git/HEAD': 'x', 'portwall.config.yml': 'baseline: /dev/zero\n', 'docker-compose.yml': COMPOSE } },
  { name: 'config plugin in scanned repo', files: { '.git/HEAD': 'x', 'portwall.config.yml': 'plugins: ["./evil.mjs"]\n', 'evil.mjs': 'process.stderr.write("PLUGIN-RAN\\n"); export default [];\n', 'docker-compose.yml': COMPOSE } },
  { name: 'fifo as .env', fifo: '.env', files: { 'docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "${P}:6379"\n' } },
  { name: 'fifo as env_file', fifo: 'app.env', files: { 'docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n    env_file: app.env\n    ports:\n      - "6379:6379"\n' } },
  { name: 'fifo as include', fifo: 'other.yml', files: { 'docker-compose.yml': 'include:\n  - other.yml\nservices:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n' } },
  { name: 'fifo as file()', fifo: 'cidrs.txt', files: { 'main.tf': SG('  description = file("cidrs.txt")\n') } },
  { name: 'fifo as baseline', fifo: 'portwall-baseline.json', files: { 'docker-compose.yml': COMPOSE } },
  { name: 'compose alias fan-out 62KB', files: { 'docker-compose.yml': `x-a: &a [${Array.from({ length: 3000 }, (_, i) => `"p${i}"`).join(',')}]\nx-b: &b [${Array.from({ length: 1200 }, () => '*a').join(',')}]\n${COMPOSE}` } },
  { name: 'compose 150k env entries', files: { 'docker-compose.yml': `${COMPOSE}    environment:\n${Array.from({ length: 150_000 }, (_, i) => `      - V${i}=x`).join('\n')}\n` } },
  { name: 'pg_hba.conf 150k lines', files: { 'pg_hba.conf': Array.from({ length: 150_000 }, (_, i) => `host all all 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 md5`).join('\n') + '\nhost all all 0.0.0.0/0 trust\n' } },
  { name: '130k suppression comments', files: { 'docker-compose.yml': `${Array.from({ length: 130_000 }, () => '# portwall-ignore PW004: ok').join('\n')}\n${COMPOSE}` } },
  { name: '2000 findings one-line JSON (text)', files: { 'sg.json': JSON.stringify({ SecurityGroups: Array.from({ length: 2000 }, (_, i) => ({ GroupId: `sg-${i}`, GroupName: `g${i}`, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })) }) } },
  { name: 'redaction 100KB line', files: { 'docker-compose.yml': `services:\n  cache:\n    image: redis:7\n    command: redis-server ${'--password '.repeat(10_000)}\n    ports:\n      - "6379:6379"\n` } },
  { name: 'merge keys over 40k-key map', files: { 'docker-compose.yml': `x-big: &big\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: v`).join('\n')}\nservices:\n${Array.from({ length: 50 }, (_, i) => `  s${i}:\n    <<: *big\n    image: redis:7\n    ports: ["${7000 + i}:6379"]`).join('\n')}\n` } },
  { name: '8000 findings on one line', files: { 'docker-compose.yml': `services: {${Array.from({ length: 8000 }, (_, i) => `s${i}: {image: redis, ports: ["${10000 + i}:6379"]}`).join(', ')}}\n` } },
  { name: 'custom regex ^(a|[a])*$', files: { '.git/HEAD': 'x', 'portwall.config.yml': 'customRules:\n  - id: X001\n    name: x\n    level: error\n    shortDescription: x\n    help: x\n    message: x\n    match: { workload: { image: "^(a|[a])*$" } }\n', 'docker-compose.yml': `services:\n  a:\n    image: "${'a'.repeat(40)}!"\n` } },
  { name: 'custom regex ^(.*?,){12}P', files: { '.git/HEAD': 'x', 'portwall.config.yml': 'customRules:\n  - id: X001\n    name: x\n    level: error\n    shortDescription: x\n    help: x\n    message: x\n    match: { workload: { image: "^(.*?,){12}P" } }\n', 'docker-compose.yml': `services:\n  a:\n    image: "${','.repeat(30)}${'x'.repeat(60)}"\n` } },
  { name: 'UTF-16LE BOM compose', raw: { 'docker-compose.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(COMPOSE, 'utf16le')]) } },
  { name: 'UTF-32LE BOM compose', raw: { 'docker-compose.yml': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...COMPOSE].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)); return b; })]) } },
  { name: 'NUL first byte compose', raw: { 'docker-compose.yml': Buffer.concat([Buffer.from([0]), Buffer.from(COMPOSE)]) } },
  { name: 'compose symlink inside repo', files: { 'real/base.yml': COMPOSE }, link: ['docker-compose.yml', 'real/base.yml'] },
  { name: 'folder name with newline', files: { 'a\nb/docker-compose.yml': COMPOSE } },
  { name: 'truncated one-line CFN JSON', files: { 'stack.json': JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } } }).slice(0, 150) } },
  { name: 'deeply nested one-line CFN JSON', files: { 'stack.json': `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}}` } },
  { name: 'secret PEM/bearer/ghp in frame', files: { 'docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n    command: ["sh", "-c", "curl -H \'Authorization: Bearer abcdefghijklmnop1234\' -u admin:Curl-S3cret-1 x; redis-cli -a RedisCli-S3cret-2 ping; echo ghp_abcdefghijklmnopqrstuvwxyz0123456789"]\n    ports:\n      - "6379:6379"\n' } },
  { name: 'hcl 20k empty elements in an object', files: { 'main.tf': `locals {\n  rules = {\n    ssh = "22"\n    ${', '.repeat(20_000)}\n  }\n}\n${SG()}` } },
  { name: 'hcl 1 MB junk after an error', files: { 'main.tf': `${SG()}variable "x" {\n  default = {}${'${x}'.repeat(250_000)}\n}\n` } },
  { name: 'hcl 1 MB of quotes after an error', files: { 'main.tf': `${SG()}locals {\n  g = var.rg${'""'.repeat(500_000)}\n}\n` } },
  { name: 'k8s broken manifest, 1 MB line of actions', files: { 'cm.yaml': `apiVersion: v1${'{{ .Values.x }}'.repeat(66_000)}\nkind: ConfigMap\nmetadata:\n  name: x: y\n` } },
  { name: 'tfvars nested too deeply beside a module', files: { 'main.tf': SG(), 'terraform.tfvars': `tags = {\n  typ${'- '.repeat(400)}e = "x"\n}\n` } },
  { name: '8000 findings on one line (json)', args: ['--format', 'json'], files: { 'docker-compose.yml': `services: {${Array.from({ length: 8000 }, (_, i) => `s${i}: {image: redis, ports: ["${10000 + i}:6379"]}`).join(', ')}}\n` } },
  // Heavy (96 MB written, about a minute): only when named.
  { name: 'forty 2.4 MB ConfigMaps', heavy: true, files: Object.fromEntries(Array.from({ length: 40 }, (_, f) => [`cm${String(f).padStart(2, '0')}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${f}\ndata:\n${Array.from({ length: 69_207 }, (_, i) => `  key${i}: "value-${i}-xxxxxxxx"`).join('\n')}\n`])) },
];

function run(c) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-hostile-'));
  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  for (const [name, text] of Object.entries(c.files ?? {})) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  for (const [name, buf] of Object.entries(c.raw ?? {})) writeFileSync(path.join(repo, name), buf);
  if (c.fifo) execFileSync('mkfifo', [path.join(repo, c.fifo)]);
  if (c.link) symlinkSync(c.link[1], path.join(repo, c.link[0]));
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', 'timeout', '-s', 'KILL', String(TIMEOUT_S), process.execPath, `--max-old-space-size=${HEAP_MB}`, '--stack-size=984', entry, ...(c.args ?? []), '--no-color'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = r.stderr.trim().split('\n');
  const [secs, kb, user, sys] = (lines.pop() ?? '').split(' ');
  const out = `${r.stdout}\n${lines.join('\n')}`;
  const firstLine = out.split('\n').find((l) => /PW0|error|internal|No problems|✖|PLUGIN|Wrote|warning|note/i.test(l)) ?? out.trim().split('\n')[0] ?? '';
  const killed = Number(secs) >= TIMEOUT_S - 0.5;
  const outside = c.args?.[0] === 'baseline' ? `; outside written: ${spawnSync('test', ['-e', path.join(dir, 'outside-baseline.json')]).status === 0}` : '';
  const leak = /S3cret|ghp_[a-z]|abcdefghijklmnop1234/.test(out) ? '; SECRET LEAKED' : '';
  console.log(`| ${c.name} | ${killed ? 'killed' : r.status} | ${secs}s (CPU ${(Number(user) + Number(sys)).toFixed(2)}s) | ${Math.round(Number(kb) / 1024)} MB | ${firstLine.slice(0, 140).replace(/\|/g, '\\|')}${outside}${leak} |`);
  rmSync(dir, { recursive: true, force: true });
}

console.log('| case | exit | wall (CPU) | peak RSS | first relevant output |\n|---|---|---|---|---|');
for (const c of CASES) if ((!only && !c.heavy) || (only && c.name.includes(only))) run(c);
