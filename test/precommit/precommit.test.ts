/**
 * The pre-commit hook as a user meets it: Debian's pre-commit runs .pre-commit-hooks.yaml from
 * this repository (try-repo) on a staged compose file, offline, with the system Node.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, useTempProjects } from '../helpers/index.js';

const project = useTempProjects('portwall-precommit-');

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  NO_COLOR: '1',
};

function repoWith(compose: string) {
  const dir = project({});
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  git('init', '-q');
  writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
  git('add', '.');
  return dir;
}

function tryRepo(dir: string) {
  return spawnSync('pre-commit', ['try-repo', ROOT, 'portwall', '--files', 'docker-compose.yml'], {
    cwd: dir,
    env: { ...env, PRE_COMMIT_HOME: path.join(dir, '.pre-commit-home') },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('pre-commit hook', () => {
  it('is installed on this machine (.ci/run installs Debian pre-commit)', () => {
    const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('blocks a commit that publishes Redis without a password', () => {
    const r = tryRepo(repoWith('services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('4:13  error  service \'redis\' exposes Redis 7 without authentication');
    expect(r.stdout).toContain('PW004 public-unauthenticated-datastore');
  });

  it('passes a safe file', () => {
    const r = tryRepo(repoWith('services:\n  redis:\n    image: redis:7\n    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD}"]\n    ports: ["127.0.0.1:6379:6379"]\n'));
    expect(r.stdout).toContain('Passed');
    expect(r.status).toBe(0);
  });
});
