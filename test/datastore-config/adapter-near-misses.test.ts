/**
 * Near misses of the datastore-config readers, written for survivors of the adapters' mutation
 * sample (issue #18): the lowest valid memcached port, MariaDB recognised by its option group
 * alone, and Redis's "protected-mode no without bind" only when there is really no bind and the
 * mode really is off. Each case asserts the datastore, the ports or the binding with its location.
 */
import { describe, expect, it } from 'vitest';
import { bindingsOf, runText } from './helpers.js';

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
