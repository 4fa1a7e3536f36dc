/**
 * Near misses of the datastore-config readers, written for the survivors of the full mutation
 * run over redis.ts, mongodb.ts, elasticsearch.ts, postgres.ts, mysql.ts and memcached.ts
 * (issue #18 item 1). Every case goes through detect → parse → adapt and asserts the datastore,
 * the ports, the binding with its location, or the auth verdict with its reason and location.
 */
import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runText } from './helpers.js';

describe('redis.conf near misses', () => {
  it('a redis.conf holding sentinel directives is Redis Sentinel (the name alone does not decide)', () => {
    const result = runText('redis.conf', 'port 26379\nsentinel monitor mymaster 10.0.0.5 6379 2\n');
    expect(result.workloads.map((w) => w.datastore?.label)).toEqual(['Redis Sentinel']);
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 26379, to: 26379 }] }]);
  });

  it('a plain redis.conf without sentinel directives stays Redis', () => {
    expect(runText('redis.conf', 'port 6379\nbind 127.0.0.1\n').workloads.map((w) => w.datastore?.label)).toEqual(['Redis']);
  });

  it('a switched-off default user followed by another ACL user: the default user decides, not the last user line', () => {
    const result = runText('redis.conf', 'user default off\nuser app on >pw ~* +@all\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', where: '1:1-1:13', text: 'user default' });
  });

  it('`port ""` (an empty template value) is no port: TCP stays on and the missing password is reported', () => {
    const result = runText('redis.conf', 'port ""\nbind 0.0.0.0\n');
    expect(result.workloads[0]!.listenPorts).toEqual([]);
    expect(bindingsOf(result)).toEqual([{ setting: 'redis: bind 0.0.0.0', where: '2:1-2:13', text: 'bind 0.0.0.0' }]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'neither requirepass nor a `user default` ACL line sets a password for the default user',
      where: '1:1-1:8',
      text: 'port ""',
    });
  });

  it.each([['-::*'], ['-0.0.0.0'], ['-*']])('bind 127.0.0.1 %s: the optional "-" prefix still names every interface', (address) => {
    const line = `bind 127.0.0.1 ${address}`;
    expect(bindingsOf(runText('redis.conf', `${line}\n`))).toEqual([{ setting: `redis: ${line}`, where: `1:1-1:${line.length + 1}`, text: line }]);
  });

  it('bind 127.0.0.1 -::1 is loopback only', () => {
    expect(bindingsOf(runText('redis.conf', 'bind 127.0.0.1 -::1\n'))).toEqual([]);
  });

  it('a file of comments only sets nothing: auth unknown, without a location', () => {
    const result = runText('redis.conf', '# managed by ansible\n# bind 0.0.0.0\n');
    expect(result.allFailures).toEqual([]);
    expect(authOf(result)).toEqual({ state: 'unknown', reason: 'the file sets nothing', where: 'no location' });
  });

  it('`user default nopass` without `on`: the reset default user stays off', () => {
    const result = runText('redis.conf', 'user default nopass ~* +@all\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', where: '1:1-1:13', text: 'user default' });
  });

  it('`off` after `on nopass` switches the default user off again', () => {
    const result = runText('redis.conf', 'user default on nopass ~* &* +@all off\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', where: '1:1-1:13', text: 'user default' });
  });

  it('`resetpass` after `nopass` removes nopass: nobody can log in as the default user', () => {
    const result = runText('redis.conf', 'user default on nopass resetpass ~* +@all\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user has no password and no nopass: nobody can log in as it', where: '1:1-1:13', text: 'user default' });
  });

  it('`resetpass` after a password removes the password', () => {
    const result = runText('redis.conf', 'user default on >Sup3rSecret resetpass ~* +@all\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user has no password and no nopass: nobody can log in as it', where: '1:1-1:13', text: 'user default' });
  });

  it('`reset` after `on nopass` resets the default user to off', () => {
    const result = runText('redis.conf', 'user default on nopass reset\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', where: '1:1-1:13', text: 'user default' });
  });
});

describe('mongod.conf near misses', () => {
  it('a YAML mongod.conf whose wiredTiger configString block holds key=value lines is still YAML', () => {
    const text = [
      'net:',
      '  port: 27017',
      '  bindIp: 0.0.0.0',
      'storage:',
      '  dbPath: /var/lib/mongodb',
      '  wiredTiger:',
      '    engineConfig:',
      '      configString: >',
      '        eviction_target=80',
      'security:',
      '  authorization: enabled',
      '',
    ].join('\n');
    const result = runText('mongod.conf', text);
    expect(result.workloads.map((w) => [w.datastore?.kind, w.listenPorts])).toEqual([['mongodb', [{ protocol: 'tcp', ranges: [{ from: 27017, to: 27017 }] }]]]);
    expect(bindingsOf(result)).toEqual([{ setting: 'mongodb: net.bindIp: 0.0.0.0', where: '3:3-3:18', text: 'bindIp: 0.0.0.0' }]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'security.authorization is enabled', where: '11:3-11:25', text: 'authorization: enabled' });
  });

  it('legacy mongodb.conf: bind_ip_all = true is a binding at its line, next to a loopback bind_ip', () => {
    const result = runText('mongodb.conf', 'bind_ip = 127.0.0.1\nbind_ip_all = true\nport = 27017\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'mongodb: bind_ip_all = true', where: '2:1-2:19', text: 'bind_ip_all = true' }]);
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 27017, to: 27017 }] }]);
  });

  it('legacy mongodb.conf: bind_ip_all = false binds nothing', () => {
    expect(bindingsOf(runText('mongodb.conf', 'bind_ip = 127.0.0.1\nbind_ip_all = false\n'))).toEqual([]);
  });

  it('legacy mongodb.conf: noauth = true is auth off for that reason, at its line (not "auth is not set")', () => {
    const result = runText('mongodb.conf', 'bind_ip = 127.0.0.1\nnoauth = true\n');
    expect(authOf(result)).toEqual({ state: 'disabled', reason: 'noauth is true', where: '2:1-2:14', text: 'noauth = true' });
  });
});

describe('opensearch.yml near misses', () => {
  it('plugins.security.disabled set from an environment variable is neither true nor false: unknown', () => {
    const result = runText('opensearch.yml', 'network.host: 0.0.0.0\nplugins.security.disabled: ${DISABLE_SECURITY_PLUGIN}\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'opensearch: network.host: 0.0.0.0', where: '1:1-1:22', text: 'network.host: 0.0.0.0' }]);
    expect(authOf(result)).toEqual({
      state: 'unknown',
      reason: 'plugins.security.disabled is not set: security depends on the installed plugin and its configuration',
      where: 'no location',
    });
  });

  it('plugins.security.disabled: false is security on, at that setting', () => {
    const result = runText('opensearch.yml', 'network.host: 0.0.0.0\nplugins.security.disabled: false\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'plugins.security.disabled is false', where: '2:1-2:33', text: 'plugins.security.disabled: false' });
  });
});

describe('pg_hba.conf near misses', () => {
  it('a record with options (key=value) is shown as written in the binding', () => {
    const line = 'host all all 0.0.0.0/0 ldap ldapserver=ldap.example.net ldapport=389';
    const result = runText('pg_hba.conf', `${line}\n`);
    expect(bindingsOf(result)).toEqual([{ setting: `postgres: ${line}`, where: `1:1-1:${line.length + 1}`, text: line }]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record uses trust', where: 'no location' });
  });

  it('truncated host records (no address, no method) are skipped, not counted as host records', () => {
    const result = runText('pg_hba.conf', 'local all all peer\nhost all all\nhost all all 0.0.0.0/0\n');
    expect(result.allFailures).toEqual([]);
    expect(bindingsOf(result)).toEqual([]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record: network clients are rejected', where: 'no location' });
  });

  it('a CIDR address followed by a mask column is not the address + mask form: the mask is read as the method, not trust', () => {
    const result = runText('pg_hba.conf', 'host all all 10.0.0.0/8 255.0.0.0 trust\n');
    expect(bindingsOf(result)).toEqual([]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record uses trust', where: 'no location' });
  });

  it('address + mask form: 127.0.0.1 with mask 0.0.0.0 is every address, not loopback', () => {
    const line = 'host all all 127.0.0.1 0.0.0.0 trust';
    const result = runText('pg_hba.conf', `${line}\n`);
    expect(bindingsOf(result)).toEqual([{ setting: `postgres: ${line}`, where: '1:1-1:37', text: line }]);
    expect(authOf(result)).toEqual({ state: 'disabled', reason: `record "${line}" lets network clients in without a password`, where: '1:1-1:37', text: line });
  });

  it('address + mask form: 127.0.0.1 with mask 255.0.0.0 is loopback (trust there is not reported)', () => {
    const result = runText('pg_hba.conf', 'host all all 127.0.0.1 255.0.0.0 trust\n');
    expect(bindingsOf(result)).toEqual([]);
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record uses trust', where: 'no location' });
  });

  it('`local` records with an option are not host records', () => {
    const result = runText('pg_hba.conf', 'local all postgres peer map=admins\nlocal all all scram-sha-256\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'no host record: network clients are rejected', where: 'no location' });
  });

  it('two and three trust records: the first is located, the others counted with the right plural', () => {
    const first = 'host all all 10.0.0.0/8 trust';
    const two = runText('pg_hba.conf', `${first}\nhostssl all all 192.168.0.0/16 trust\n`);
    expect(authOf(two)).toEqual({ state: 'disabled', reason: `record "${first}" lets network clients in without a password (and 1 more trust record)`, where: '1:1-1:30', text: first });
    const three = runText('pg_hba.conf', `${first}\nhostssl all all 192.168.0.0/16 trust\nhost replication all 172.16.0.0/12 trust\n`);
    expect(authOf(three)).toEqual({ state: 'disabled', reason: `record "${first}" lets network clients in without a password (and 2 more trust records)`, where: '1:1-1:30', text: first });
    const one = runText('pg_hba.conf', `${first}\nhost all all 127.0.0.1/32 trust\n`);
    expect(authOf(one)).toEqual({ state: 'disabled', reason: `record "${first}" lets network clients in without a password`, where: '1:1-1:30', text: first });
  });
});


describe('my.cnf near misses', () => {
  it('an unclosed group header `[mysqld` still opens the server group', () => {
    const result = runText('my.cnf', '[mysqld\nbind-address = 0.0.0.0\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'mysql: bind-address = 0.0.0.0', where: '2:1-2:23', text: 'bind-address = 0.0.0.0' }]);
  });

  it('an unclosed `[client` header keeps its options out of the server', () => {
    expect(bindingsOf(runText('my.cnf', '[client\nbind-address = 0.0.0.0\n'))).toEqual([]);
  });
});

describe('memcached.conf near misses', () => {
  it('the value of a non-option token is not read as an option (`-u apache` does not set -p)', () => {
    const result = runText('memcached.conf', '-p 11211\n-u apache\n-l 127.0.0.1\n');
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]);
    expect(bindingsOf(result)).toEqual([]);
  });

  it('`-U0` (attached, three characters) is UDP off and does not swallow the next option', () => {
    const result = runText('memcached.conf', '-U0 -p 11211 -l 0.0.0.0\n');
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]);
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: -l 0.0.0.0', where: '1:14-1:24', text: '-l 0.0.0.0' }]);
  });

  it('65535 is the highest port; 65536 is no port', () => {
    const result = runText('memcached.conf', '-p 65535\n-U 65536\n');
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 65535, to: 65535 }] }]);
  });

  it('-p 0 with a UDP port keeps the network on: the listen address is a binding', () => {
    const result = runText('memcached.conf', '-p 0\n-U 11211\n-l 0.0.0.0\n');
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'udp', ranges: [{ from: 11211, to: 11211 }] }]);
    expect(bindingsOf(result)).toEqual([{ setting: 'memcached: -l 0.0.0.0', where: '3:1-3:11', text: '-l 0.0.0.0' }]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'neither SASL (-S) nor an auth file (-Y) is set, and memcached has no other authentication',
      where: '1:1-1:5',
      text: '-p 0',
    });
  });

  it('-p 0 and -U 0 turn the network off: no binding, auth unknown', () => {
    const result = runText('memcached.conf', '-p 0\n-U 0\n-l 0.0.0.0\n');
    expect(result.workloads[0]!.listenPorts).toEqual([]);
    expect(bindingsOf(result)).toEqual([]);
    expect(authOf(result)).toEqual({ state: 'unknown', reason: 'TCP and UDP are off (-p 0): only the Unix socket listens', where: 'no location' });
  });

  it('a `-l` without a value (an empty template variable) is no binding and no failure', () => {
    const result = runText('memcached.conf', '-p 11211\n-l\n');
    expect(result.allFailures).toEqual([]);
    expect(bindingsOf(result)).toEqual([]);
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 11211, to: 11211 }] }]);
  });
});

