/** `portwall --diff-base REF`: only findings new since a git revision, pre-existing ones counted, same exit codes. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, useTempProjects } from '../helpers/index.js';

const project = useTempProjects();
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.test' } });

const OLD = 'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n';
const SEARCH = '  search:\n    image: elasticsearch:8.13.0\n    ports:\n      - "9200:9200"\n';

function repo(files: Record<string, string>) {
  const dir = project(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

describe('--diff-base', () => {
  it('reports only what the working tree adds, counts the rest, and fails on new findings only', () => {
    const dir = repo({ 'docker-compose.yml': OLD });
    const clean = runBin(dir, ['--diff-base', 'main']);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('portwall: 1 pre-existing finding (present at main,');
    writeFileSync(path.join(dir, 'docker-compose.yml'), OLD + SEARCH);
    const r = runBin(dir, ['--diff-base', 'main', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { ruleId: string; startLine: number }) => `${f.ruleId}:${f.startLine}`)).toEqual(['PW002:9']);
    expect(runBin(dir, ['--diff-base', 'main', '--fail-on', 'none']).code).toBe(0);
  });

  it('follows a renamed file, and works from a subfolder of the repository', () => {
    const dir = repo({ 'app/docker-compose.yml': OLD });
    git(dir, 'mv', 'app/docker-compose.yml', 'app/compose.yaml');
    const r = runBin(path.join(dir, 'app'), ['--diff-base', 'HEAD']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 pre-existing finding');
  });

  it('an unknown revision or a folder outside git is a usage error (exit 2)', () => {
    const dir = repo({ 'docker-compose.yml': OLD });
    expect(runBin(dir, ['--diff-base', 'no-such-ref']).stderr).toContain('portwall: unknown revision "no-such-ref"');
    expect(runBin(dir, ['--diff-base', 'no-such-ref']).code).toBe(2);
  });
});
