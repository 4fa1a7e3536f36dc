import { describe, expect, it } from 'vitest';
import { at, authOf, bindingsOf, runFixtures, runText } from './helpers.js';

describe('redis.conf', () => {
  it('stock shape: loopback bind, protected mode, a password, commented examples ignored', () => {
    const result = runFixtures('redis/local/redis.conf');
    expect(result.allFailures).toEqual([]);
    expect(result.bindings).toEqual([]);
    const workload = result.workloads[0]!;
    expect(workload).toMatchObject({ kind: 'config-file', name: 'redis.conf', datastore: { kind: 'redis', label: 'Redis' } });
    expect(at(workload.location, result.files)).toEqual({ where: '21:1-21:20', text: 'bind 127.0.0.1 -::1' });
    expect(workload.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 6379, to: 6379 }] }]);
    // Enabled, located at the keyword only: the password never lies inside a region.
    expect(authOf(result)).toMatchObject({ state: 'enabled', where: '40:1-40:12', text: 'requirepass' });
  });

  it('bind 0.0.0.0 with a trailing comment and protected-mode no: one binding at the bind directive, auth off at protected-mode', () => {
    const result = runFixtures('redis/open/redis.conf');
    expect(bindingsOf(result)).toEqual([{ setting: 'redis: bind 0.0.0.0 -::*', where: '10:1-10:18', text: 'bind 0.0.0.0 -::*' }]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'protected-mode is off and neither requirepass nor a `user default` ACL line sets a password',
      where: '14:1-14:18',
      text: 'protected-mode no',
    });
  });

  it('sentinel.conf: protected-mode no without bind is the binding; sentinel auth-pass is not the sentinel password', () => {
    const result = runFixtures('redis/sentinel/sentinel.conf');
    expect(result.workloads[0]!.datastore!.label).toBe('Redis Sentinel');
    expect(bindingsOf(result)).toEqual([
      { setting: 'redis: protected-mode no (and no bind directive)', where: '5:1-5:18', text: 'protected-mode no' },
    ]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', where: '5:1-5:18' });
    expect(result.workloads[0]!.listenPorts[0]!.ranges).toEqual([{ from: 26379, to: 26379 }]);
  });

  it('ACL: another user with a password does not protect the default user; located at nopass', () => {
    const result = runFixtures('redis/acl/redis.conf');
    expect(bindingsOf(result)).toEqual([{ setting: 'redis: bind * -::*', where: '2:1-2:12', text: 'bind * -::*' }]);
    expect(authOf(result)).toEqual({ state: 'disabled', reason: 'the default user is on with nopass', where: '8:17-8:23', text: 'nopass' });
  });

  it('a default user with a password hash, or switched off, is authenticated (and #hash is not a comment)', () => {
    const hashed = runText('redis.conf', 'bind 10.0.0.5\nuser default on #9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ~* +@all\n');
    expect(authOf(hashed)).toMatchObject({ state: 'enabled', reason: 'the default user has a password', text: 'user default' });
    const off = runText('redis.conf', 'user default off\nuser app on >pw ~* +@all\n');
    expect(authOf(off).state).toBe('enabled');
    const nopassThenPassword = runText('redis.conf', 'user default on nopass >pw ~* +@all\n');
    expect(authOf(nopassThenPassword).state).toBe('enabled');
  });

  it('the last directive wins, as in Redis', () => {
    const result = runText('redis.conf', 'bind 0.0.0.0\nbind 127.0.0.1\nrequirepass first\nrequirepass ""\n');
    expect(result.bindings).toEqual([]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', reason: 'requirepass is empty, so the default user has no password', where: '4:1-4:15', text: 'requirepass ""' });
  });

  it('a missing bind with protected mode on is not a binding; no password is still auth off, at the first directive', () => {
    const result = runText('redis.conf', '# cache\n\n  port 6379\nmaxmemory 100mb\n');
    expect(result.bindings).toEqual([]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', where: '3:3-3:12', text: 'port 6379' });
  });

  it('port 0 without a TLS port turns TCP off: no binding, auth not reported', () => {
    const result = runText('redis.conf', 'port 0\nunixsocket /run/redis.sock\nbind 0.0.0.0\n');
    expect(result.bindings).toEqual([]);
    expect(authOf(result).state).toBe('unknown');
    const tls = runText('redis.conf', 'port 0\ntls-port 6380\nbind 0.0.0.0\n');
    expect(bindingsOf(tls)).toHaveLength(1);
    expect(tls.workloads[0]!.listenPorts[0]!.ranges).toEqual([{ from: 6380, to: 6380 }]);
  });

  it('include is not followed: a note, and no conclusion from a missing password or bind', () => {
    const result = runText('redis.conf', 'include /etc/redis/common.conf\nprotected-mode no\n');
    expect(result.notices).toEqual([
      expect.objectContaining({ file: 'redis.conf', level: 'note', message: expect.stringContaining('include on line 1 is not followed') }),
    ]);
    expect(result.bindings).toEqual([]);
    expect(authOf(result).state).toBe('unknown');
  });

  it('aclfile: the users are elsewhere, so auth is unknown', () => {
    expect(authOf(runText('redis.conf', 'aclfile /etc/redis/users.acl\n')).state).toBe('unknown');
  });

  it('no message, reason or region ever contains a password', () => {
    const secret = 'Sup3r-S3cret-Value';
    for (const text of [`requirepass ${secret}\n`, `user default on >${secret} nopass\n`, `user default on >${secret} ~* +@all\nbind 0.0.0.0\n`]) {
      const result = runText('redis.conf', text);
      const auth = result.workloads[0]!.auth!;
      expect(auth.reason).not.toContain(secret);
      expect(at(auth.location, result.files).text ?? '').not.toContain(secret);
      for (const b of result.bindings) expect(b.setting + at(b.location, result.files).text).not.toContain(secret);
    }
  });

  it('names: valkey.conf, redis-master.conf, and a 6379.conf recognised by its directives', () => {
    expect(runText('valkey.conf', 'bind * -::*\n').workloads[0]!.datastore!.label).toBe('Valkey');
    expect(runText('k8s/redis-master.conf', 'bind 0.0.0.0\n').bindings).toHaveLength(1);
    const byContent = runText('etc/redis/6379.conf', 'port 6379\nappendonly yes\ndbfilename dump.rdb\nbind 0.0.0.0\n');
    expect(bindingsOf(byContent)).toEqual([{ setting: 'redis: bind 0.0.0.0', where: '4:1-4:13', text: 'bind 0.0.0.0' }]);
    expect(runText('nginx/site.conf', 'server {\n  listen 80;\n}\n').notClaimed).toEqual(['nginx/site.conf']);
  });
});
