/**
 * Near misses of the datastore-config readers, written for survivors of the adapters' mutation
 * sample (issue #18): the lowest valid memcached port, MariaDB recognised by its option group
 * alone, and Redis's "protected-mode no without bind" only when there is really no bind and the
 * mode really is off; postgresql.conf `key=value`, IPv6 pg_hba masks, memcached options sharing a
 * line, legacy mongodb.conf auth/keyFile. Each case asserts the datastore, the ports, the auth
 * verdict or the binding with its location.
 */
import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runText } from './helpers.js';

describe('memcached.conf ports', () => {
  it('-p 1 is port 1/tcp (1 is the lowest valid port, 0 turns TCP off)', () => {
    const result = runText('memcached.conf', '-p 1\n-U 0\n-l 0.0.0.0\n');
    expect(result.workloads.map((w) => w.listenPorts)).toEqual([[{ protocol: 'tcp', ranges: [{ from: 1, to: 1 }] }]]);
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: -l 0.0.0.0', where: '3:1-3:11', text: '-l 0.0.0.0' }]);
  });

  it('-U 1 is port 1/udp', () => {
    const result = runText('memcached.conf', '-p 0\n-U 1\n');
    expect(result.workloads.map((w) => w.listenPorts)).toEqual([[{ protocol: 'udp', ranges: [{ from: 1, to: 1 }] }]]);
  });
});

describe('my.cnf: MariaDB by its option group, in a file whose name does not say so', () => {
  it.each([['mariadb'], ['mariadbd'], ['mariadb-10.6'], ['galera']])('[%s] makes it MariaDB', (group) => {
    const result = runText('my.cnf', `[${group}]\nbind-address = 0.0.0.0\n`);
    expect(result.workloads.map((w) => [w.datastore?.kind, w.datastore?.label])).toEqual([['mariadb', 'MariaDB']]);
    expect(bindingsOf(result)).toEqual([{ setting: 'mariadb: bind-address = 0.0.0.0', where: '2:1-2:23', text: 'bind-address = 0.0.0.0' }]);
  });

  it('[mysqld] stays MySQL', () => {
    const result = runText('my.cnf', '[mysqld]\nbind-address = 0.0.0.0\n');
    expect(result.workloads.map((w) => [w.datastore?.kind, w.datastore?.label])).toEqual([['mysql', 'MySQL']]);
    expect(bindingsOf(result)).toEqual([{ setting: 'mysql: bind-address = 0.0.0.0', where: '2:1-2:23', text: 'bind-address = 0.0.0.0' }]);
  });
});

describe('redis.conf: protected-mode no without bind', () => {
  it('with a loopback bind, protected-mode no binds nothing to all interfaces', () => {
    expect(bindingsOf(runText('redis.conf', 'bind 127.0.0.1\nprotected-mode no\n'))).toEqual([]);
  });

  it('without bind, protected-mode yes binds nothing to all interfaces', () => {
    expect(bindingsOf(runText('redis.conf', 'port 6379\nprotected-mode yes\n'))).toEqual([]);
  });

  it('without bind, protected-mode no is the binding, at that line', () => {
    expect(bindingsOf(runText('redis.conf', 'port 6379\nprotected-mode no\n'))).toEqual([
      { setting: 'redis: protected-mode no (and no bind directive)', where: '2:1-2:18', text: 'protected-mode no' },
    ]);
  });
});

describe('postgresql.conf and pg_hba.conf', () => {
  it("listen_addresses='*' without spaces around '=' is the binding", () => {
    expect(bindingsOf(runText('postgresql.conf', "listen_addresses='*'\n"))).toEqual([{ setting: "postgres: listen_addresses = '*'", where: '1:1-1:21', text: "listen_addresses='*'" }]);
  });

  it('a trust record for ::1 with a full IPv6 mask is loopback only (the mask is /128, not /127)', () => {
    const result = runText('pg_hba.conf', 'host all all ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff trust\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record uses trust', where: 'no location' });
    expect(bindingsOf(result)).toEqual([]);
  });

  it('one host record without trust: "no host record uses trust" (not "no host record")', () => {
    const result = runText('pg_hba.conf', 'host all all 0.0.0.0/0 scram-sha-256\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record uses trust', where: 'no location' });
    expect(bindingsOf(result)).toEqual([{ setting: 'postgres: host all all 0.0.0.0/0 scram-sha-256', where: '1:1-1:37', text: 'host all all 0.0.0.0/0 scram-sha-256' }]);
  });
});

describe('memcached options on one line', () => {
  it('--port=11211 and --udp-port=11212 read the whole value', () => {
    const result = runText('memcached.conf', '--port=11211\n--udp-port=11212\n');
    expect(result.workloads.map((w) => w.listenPorts)).toEqual([[{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }, { protocol: 'udp', ranges: [{ from: 11212, to: 11212 }] }]]);
  });

  it('--port 11211 (no =) takes the next token as its value', () => {
    const result = runText('memcached.conf', '--port 11211\n');
    expect(result.workloads.map((w) => w.listenPorts)).toEqual([[{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]]);
  });

  it('-S takes no value: the -l after it is still read', () => {
    const result = runText('memcached.conf', '-S -l 0.0.0.0\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: -l 0.0.0.0', where: '1:4-1:14', text: '-l 0.0.0.0' }]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'SASL authentication is on (-S)', where: '1:1-1:3', text: '-S' });
  });

  it('-p11211 carries its value: the -l after it is still read', () => {
    const result = runText('memcached.conf', '-p11211 -l 0.0.0.0\n');
    expect(result.workloads.map((w) => w.listenPorts)).toEqual([[{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]]);
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: -l 0.0.0.0', where: '1:9-1:19', text: '-l 0.0.0.0' }]);
  });
});

describe('legacy mongodb.conf (key = value)', () => {
  it('auth = false is disabled, at that line', () => {
    expect(authOf(runText('mongodb.conf', 'auth = false\n'))).toEqual({ state: 'disabled', reason: 'auth is false', where: '1:1-1:13', text: 'auth = false' });
  });

  it('keyFile alone turns access control on, and says so', () => {
    expect(authOf(runText('mongodb.conf', 'keyFile = /etc/mongo/key\n'))).toEqual({ state: 'enabled', reason: 'keyFile turns on access control', where: '1:1-1:25', text: 'keyFile = /etc/mongo/key' });
  });

  it('auth = true is enabled, at that line', () => {
    expect(authOf(runText('mongodb.conf', 'auth = true\n'))).toEqual({ state: 'enabled', reason: 'auth is true', where: '1:1-1:12', text: 'auth = true' });
  });
});

describe('redis.conf user default ACL rules', () => {
  it('reset forgets the passwords before it: on again without one, nobody can log in as default', () => {
    expect(authOf(runText('redis.conf', 'user default on >secret reset on\n'))).toEqual({
      state: 'enabled', reason: 'the default user has no password and no nopass: nobody can log in as it', where: '1:1-1:13', text: 'user default',
    });
  });

  it('a password after reset counts', () => {
    expect(authOf(runText('redis.conf', 'user default reset on >secret\n'))).toEqual({ state: 'enabled', reason: 'the default user has a password', where: '1:1-1:13', text: 'user default' });
  });
});

describe('redis.conf user default, more ACL rules', () => {
  it('reset turns the user off, whatever came before', () => {
    expect(authOf(runText('redis.conf', 'user default on nopass reset\n'))).toEqual({
      state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', where: '1:1-1:13', text: 'user default',
    });
  });

  it('on without any password rule: nobody can log in as default', () => {
    expect(authOf(runText('redis.conf', 'user default on ~* +@all\n'))).toEqual({
      state: 'enabled', reason: 'the default user has no password and no nopass: nobody can log in as it', where: '1:1-1:13', text: 'user default',
    });
  });
});

describe('mongod.conf net.bindIpAll', () => {
  it('bindIpAll: false binds nothing to all interfaces', () => {
    expect(bindingsOf(runText('mongod.conf', 'net:\n  port: 27017\n  bindIpAll: false\n'))).toEqual([]);
  });
});
