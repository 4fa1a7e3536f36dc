import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runFixtures, runText } from './helpers.js';

describe('my.cnf / mysqld.cnf / mariadb.cnf', () => {
  it('bind_address = 0.0.0.0 and skip-grant-tables under [mysqld], trailing comments excluded; !includedir noted', () => {
    const result = runFixtures('mysql/open/my.cnf');
    expect(result.workloads[0]).toMatchObject({ name: 'my.cnf', datastore: { kind: 'mysql', label: 'MySQL' } });
    expect(bindingsOf(result)).toEqual([{ setting: 'mysql: bind_address = 0.0.0.0', where: '20:1-20:26', text: 'bind_address    = 0.0.0.0' }]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'skip-grant-tables in [mysqld] lets every client in without a password, with all privileges',
      where: '21:1-21:18',
      text: 'skip-grant-tables',
    });
    // The [client] port is not the server's.
    expect(result.workloads[0]!.listenPorts[0]!.ranges).toEqual([{ from: 3307, to: 3307 }]);
    expect(result.notices?.[0]?.message).toContain('!includedir on line 28');
  });

  it("Debian's mysqld.cnf: loopback only, nothing to report", () => {
    const result = runFixtures('mysql/debian/mysqld.cnf');
    expect(result.bindings).toEqual([]);
    expect(authOf(result).state).toBe('unknown');
  });

  it('client groups do not count; skip-networking turns TCP off; skip-grant-tables=0 is off', () => {
    expect(runText('my.cnf', '[client]\nbind-address = 0.0.0.0\n').bindings).toEqual([]);
    expect(runText('my.cnf', '[mysqld]\nbind-address = *\nskip-networking\n').bindings).toEqual([]);
    expect(authOf(runText('my.cnf', '[mysqld]\nskip-grant-tables = 0\n')).state).toBe('unknown');
    expect(bindingsOf(runText('my.cnf', '[mysqld-8.0]\nbind-address=127.0.0.1,::\n'))).toEqual([
      { setting: 'mysql: bind-address = 127.0.0.1,::', where: '2:1-2:26', text: 'bind-address=127.0.0.1,::' },
    ]);
  });

  it('MariaDB: by name or by its groups; a conf.d fragment is recognised by its server group', () => {
    expect(runText('mariadb.cnf', '[client-server]\n!includedir /etc/mysql/mariadb.conf.d/\n').workloads[0]!.datastore!.kind).toBe('mariadb');
    const fragment = runText('mariadb.conf.d/50-server.cnf', '[server]\n\n[mariadb]\nbind-address            = 0.0.0.0\n');
    expect(bindingsOf(fragment)).toEqual([{ setting: 'mariadb: bind-address = 0.0.0.0', where: '4:1-4:34', text: 'bind-address            = 0.0.0.0' }]);
    expect(runText('ssl/openssl.cnf', '[req]\ndefault_bits = 2048\n').notClaimed).toEqual(['ssl/openssl.cnf']);
  });
});

describe('memcached.conf', () => {
  it("Debian's default: -l 127.0.0.1 is fine, but memcached has no authentication", () => {
    const result = runFixtures('memcached/debian/memcached.conf');
    expect(result.bindings).toEqual([]);
    expect(result.workloads[0]).toMatchObject({ name: 'memcached.conf', datastore: { kind: 'memcached' } });
    expect(authOf(result)).toMatchObject({ state: 'disabled', where: '6:1-6:3', text: '-d' });
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]);
  });

  it('--listen=0.0.0.0 (commented -l ignored)', () => {
    const result = runFixtures('memcached/open/memcached.conf');
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: --listen=0.0.0.0', where: '9:1-9:17', text: '--listen=0.0.0.0' }]);
  });

  it('-l forms: separate, glued, comma list, with port; SASL or an auth file is authentication', () => {
    expect(bindingsOf(runText('memcached.conf', '-l0.0.0.0\n'))).toEqual([{ setting: 'memcached: -l0.0.0.0', where: '1:1-1:10', text: '-l0.0.0.0' }]);
    expect(bindingsOf(runText('memcached.conf', '-l 127.0.0.1,0.0.0.0:11211\n'))).toHaveLength(1);
    expect(bindingsOf(runText('memcached.conf', '-l [::]:11211\n'))).toHaveLength(1);
    expect(runText('memcached.conf', '-l 10.0.0.4\n').bindings).toEqual([]);
    expect(authOf(runText('memcached.conf', '-l 0.0.0.0\n-S\n'))).toMatchObject({ state: 'enabled', text: '-S' });
    expect(authOf(runText('memcached.conf', '-Y /etc/memcached/auth\n')).state).toBe('enabled');
    expect(authOf(runText('memcached.conf', '-p 0\n-s /run/memcached.sock\n')).state).toBe('unknown');
  });
});
