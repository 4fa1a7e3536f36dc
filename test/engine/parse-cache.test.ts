/** --cache: the same output with and without the cache, cold and warm, and after an edit; writes stay in the repository or the given folder. */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects();

function entries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.v8')).map((e) => e.name).sort();
}

describe('--cache', () => {
  it('gives output identical to an uncached run, cold, warm and after an edit', () => {
    const dir = project({ 'docker-compose.yml': 'services:\n  db:\n    image: mongo:4.4\n    ports:\n      - "27017:27017"\n' });
    cpSync(path.join(ROOT, 'examples/vulnerable/terraform'), path.join(dir, 'infra'), { recursive: true });
    cpSync(path.join(ROOT, 'examples/vulnerable/terraform'), path.join(dir, 'infra2'), { recursive: true });
    const lint = (extra: string[]) => {
      const r = runBin(dir, ['.', '--format', 'sarif', '--fail-on', 'none', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const plain = lint([]);
    expect(plain).toContain('PW0');
    const cold = lint(['--cache']);
    const location = path.join(dir, '.portwallcache');
    const written = entries(location);
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(readFileSync(path.join(location, '.gitignore'), 'utf8')).toBe('*\n');
    const warm = lint(['--cache']);
    expect(cold).toBe(plain);
    expect(warm).toBe(plain);
    expect(entries(location)).toEqual(written);

    // An edit is a new key: the edited file is parsed again, the output follows the edit.
    const main = path.join(dir, 'infra2', 'main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace(/0\.0\.0\.0\/0/g, '10.0.0.0/8'));
    const edited = lint(['--cache']);
    expect(edited).toBe(lint([]));
    expect(edited).not.toBe(plain);
    expect(entries(location).length).toBe(written.length + 1);
  });

  it('--cache-location puts the entries there (relative to the working folder), nowhere else', () => {
    const dir = project({ 'sub/main.tf': 'resource "aws_security_group" "x" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n' });
    const r = runBin(dir, ['sub', '--format', 'json', '--fail-on', 'none', '--cache-location', 'cache-here']);
    expect(r.code, r.stderr).toBe(0);
    expect(entries(path.join(dir, 'cache-here'))).toHaveLength(1);
    expect(existsSync(path.join(dir, '.portwallcache'))).toBe(false);
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
  });
});
