import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runFixtures, runText } from './helpers.js';

describe('pg_hba.conf', () => {
  it('official-image shape (tabs, runs of spaces): local and loopback trust are not reported; `all` is a binding', () => {
    const result = runFixtures('postgres/hba/pg_hba.conf');
    expect(result.allFailures).toEqual([]);
    expect(result.workloads[0]).toMatchObject({ name: 'pg_hba.conf', datastore: { kind: 'postgres', label: 'PostgreSQL' } });
    // The commented-out 0.0.0.0/0 trust line (16) counts for nothing.
    expect(bindingsOf(result)).toEqual([
      { setting: 'postgres: host all all all scram-sha-256', where: '18:1-18:31', text: 'host all all all scram-sha-256' },
    ]);
    expect(authOf(result)).toMatchObject({ state: 'enabled', reason: 'no host record uses trust' });
  });

  it('address + mask form, ::/0, CRLF and a trailing comment; reject lines and "all" in quotes are not bindings', () => {
    const result = runFixtures('postgres/trust/pg_hba.conf');
    expect(bindingsOf(result)).toEqual([
      {
        setting: 'postgres: host sales all 0.0.0.0 0.0.0.0 trust',
        where: '5:1-5:73',
        text: 'host    sales           all             0.0.0.0         0.0.0.0    trust',
      },
      { setting: 'postgres: host all all ::/0 trust', where: '7:1-7:70', text: 'host    all             all             ::/0                    trust' },
    ]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'record "host sales all 0.0.0.0 0.0.0.0 trust" lets network clients in without a password (and 1 more trust record)',
      where: '5:1-5:73',
      text: 'host    sales           all             0.0.0.0         0.0.0.0    trust',
    });
  });

  it('a quoted address keeps its mask column: "0.0.0.0" 0.0.0.0 trust is open to every network (was read as method "0.0.0.0")', () => {
    const result = runText('pg_hba.conf', 'local all all peer\nhost all all "0.0.0.0" 0.0.0.0 trust\n');
    expect(bindingsOf(result)).toEqual([{ setting: 'postgres: host all all "0.0.0.0" 0.0.0.0 trust', where: '2:1-2:37', text: 'host all all "0.0.0.0" 0.0.0.0 trust' }]);
    expect(authOf(result)).toEqual({ state: 'disabled', reason: 'record "host all all "0.0.0.0" 0.0.0.0 trust" lets network clients in without a password', where: '2:1-2:37', text: 'host all all "0.0.0.0" 0.0.0.0 trust' });
    // Quoted loopback with its mask stays local.
    expect(authOf(runText('pg_hba.conf', 'host all all "127.0.0.1" 255.255.255.255 trust\n'))).toMatchObject({ state: 'enabled' });
  });

  it('trust from a private network is reported; from loopback (CIDR or mask) and samehost it is not', () => {
    expect(authOf(runText('pg_hba.conf', 'hostssl all all 10.0.0.0/8 trust\n'))).toMatchObject({ state: 'disabled', where: '1:1-1:33' });
    for (const line of ['host all all 127.0.0.1/32 trust', 'host all all 127.0.0.1 255.255.255.255 trust', 'host all all samehost trust', 'host all all ::1/128 trust']) {
      expect(authOf(runText('pg_hba.conf', `${line}\n`)).state).toBe('enabled');
    }
    expect(authOf(runText('pg_hba.conf', 'local all all trust\n'))).toMatchObject({ state: 'enabled', reason: 'no host record: network clients are rejected' });
  });

  it('include directives are noted and leave auth undecided', () => {
    const result = runText('pg_hba.conf', 'include_dir hba.d\nhost all all 10.0.0.0/8 md5\n');
    expect(result.notices?.[0]?.message).toContain('include_dir on line 1 is not followed');
    expect(authOf(result).state).toBe('unknown');
  });
});

describe('postgresql.conf', () => {
  it("listen_addresses = '*' with tabs and a trailing comment; the commented default is ignored; include_dir noted", () => {
    const result = runFixtures('postgres/conf/postgresql.conf');
    expect(bindingsOf(result)).toEqual([{ setting: "postgres: listen_addresses = '*'", where: '16:1-16:23', text: "listen_addresses = '*'" }]);
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 5433, to: 5433 }] }]);
    expect(authOf(result).state).toBe('unknown');
    expect(result.notices).toHaveLength(1);
  });

  it('without `=`, in a list, the last one wins; localhost is fine', () => {
    expect(bindingsOf(runText('postgresql.conf', "listen_addresses '10.0.0.5,0.0.0.0'\n"))).toHaveLength(1);
    expect(runText('postgresql.conf', "listen_addresses = '*'\nlisten_addresses = 'localhost'\n").bindings).toEqual([]);
    expect(runText('postgresql.auto.conf', "listen_addresses = '::'\n").bindings).toHaveLength(1);
  });

  it('a .conf named otherwise is recognised by its settings', () => {
    const result = runText('conf/primary.conf', "max_connections = 200\nshared_buffers = 1GB\nlisten_addresses = '0.0.0.0'\n");
    expect(bindingsOf(result)).toEqual([{ setting: "postgres: listen_addresses = '0.0.0.0'", where: '3:1-3:29', text: "listen_addresses = '0.0.0.0'" }]);
  });
});
