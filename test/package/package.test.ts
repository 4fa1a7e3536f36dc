/**
 * The npm package as users get it: `npm pack`, installed into an empty project offline (from
 * the npm cache, with a lockfile made from ours), then `npx portwall`. Plus what the package
 * ships: LICENSE, metadata, docs and rule READMEs that README links to, no source maps, and the
 * docs/api.md example, run as it is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/index.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The code block under the api-example marker of docs/api.md. */
function apiExample(): string {
  const doc = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
  const m = /<!-- api-example[^>]*-->\n```js\n([\s\S]*?)\n```/.exec(doc);
  if (!m) throw new Error('docs/api.md has no api-example block');
  return `${m[1]}\n`;
}

describe('package contents', () => {
  const listing = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
  const files: string[] = listing.files.map((f: { path: string }) => f.path);

  it('has a LICENSE (MIT) and the metadata npm shows', () => {
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/portwall/portwall.git' });
    expect(pkg.homepage).toBe('https://github.com/portwall/portwall#readme');
    expect(pkg.bugs.url).toBe('https://github.com/portwall/portwall/issues');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['security', 'linter', 'docker-compose', 'kubernetes', 'terraform', 'sarif']));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/portwall.js', 'build/src/index.js', 'build/src/index.d.ts', 'build/src/cli/bin.js', 'schemas/config.schema.json', 'docs/api.md', 'docs/configuration.md']));
  });

  it('ships no source maps, no tests, no fixtures and no TypeScript sources', () => {
    expect(files.filter((f) => /\.map$|(^|\/)(test|fixtures)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)))).toEqual([]);
  });

  it('every relative link in the shipped markdown points at a shipped file', () => {
    const shipped = new Set(files);
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target)).replace(/\/$/, '');
        if (!shipped.has(resolved) && ![...shipped].some((s) => s.startsWith(`${resolved}/`))) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
    // Every rule has its README in the package (README's rule table links them).
    for (const dir of readFileSync(path.join(ROOT, 'README.md'), 'utf8').match(/rules\/PW\d{3}-[a-z-]+\/README\.md/g)!) expect(shipped).toContain(dir);
  });

  it('the docs/api.md example runs against the package entry point and prints what the doc says', () => {
    const dir = path.join(ROOT, 'build', 'tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `api-example-${process.pid}.mjs`);
    writeFileSync(file, apiExample());
    try {
      // Inside the package folder, `import 'portwall'` resolves to the package itself (exports).
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      expect(out).toMatch(/^docker-compose\.yml:5:9 error PW002 service 'es' exposes Elasticsearch /);
      expect(out.trimEnd().split('\n').pop()).toBe('SARIF results: 1');
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('npx portwall from the packed tarball', () => {
  let work: string;
  let app: string;
  beforeAll(() => {
    work = tempDir('portwall-pack-');
    execFileSync(npm, ['pack', '--pack-destination', work, '--silent', '--ignore-scripts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = `portwall-${pkg.version}.tgz`;
    expect(existsSync(path.join(work, tarball))).toBe(true);
    app = path.join(work, 'app');
    mkdirSync(app);
    // Offline: the dependencies come from the npm cache, pinned by our lockfile's resolved/integrity.
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const packages: Record<string, unknown> = {
      '': { name: 'app', version: '1.0.0', dependencies: { portwall: `file:../${tarball}` } },
      'node_modules/portwall': { version: pkg.version, resolved: `file:../${tarball}`, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
    };
    for (const [key, value] of Object.entries(lock.packages as Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>)) {
      if (key.startsWith('node_modules/') && !value.dev && !value.devOptional && !value.link) packages[key] = value;
    }
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { portwall: `file:../${tarball}` } }));
    writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }));
    const ci = (mode: string) => spawnSync(npm, ['ci', mode, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, encoding: 'utf8' });
    let install = ci('--offline');
    // A cache that lacks a tarball (npm ci ran with another cache): fetch only what is missing.
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) install = ci('--prefer-offline');
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
  }, 180_000);
  afterAll(() => work && rmSync(work, { recursive: true, force: true }));

  const npx = (args: string[]) => spawnSync('npx', ['--offline', '--no-install', 'portwall', ...args], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' } });

  it('prints its version and finds an exposed datastore (exit 1), paths relative to the project', () => {
    expect(npx(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    writeFileSync(path.join(app, 'docker-compose.yml'), 'services:\n  r:\n    image: redis:7\n    ports: ["6379:6379"]\n');
    const r = npx(['--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string; file: string }) => `${f.file} ${f.ruleId}`)).toEqual(['docker-compose.yml PW004']);
  });

  it('reads Terraform (the tree-sitter grammar ships in a dependency) and explains a rule', () => {
    mkdirSync(path.join(app, 'infra'), { recursive: true });
    writeFileSync(path.join(app, 'infra/main.tf'), 'resource "aws_security_group" "db" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
    const r = npx(['infra', '--format', 'json']);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['PW002']);
    expect(npx(['explain', 'PW002']).stdout).toContain('PW002 public-datastore');
  });

  it('the docs/api.md example runs against the installed package', () => {
    writeFileSync(path.join(app, 'example.mjs'), apiExample());
    const out = execFileSync(process.execPath, ['example.mjs'], { cwd: app, encoding: 'utf8' });
    expect(out.trimEnd().split('\n').pop()).toBe('SARIF results: 1');
  });
});
