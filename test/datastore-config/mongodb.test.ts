import { describe, expect, it } from 'vitest';
import { at, authOf, bindingsOf, runFixtures, runText } from './helpers.js';

describe('mongod.conf', () => {
  it('loopback + private bindIp, authorization enabled: nothing to report (trailing comment ignored)', () => {
    const result = runFixtures('mongodb/local/mongod.conf');
    expect(result.allFailures).toEqual([]);
    expect(result.bindings).toEqual([]);
    expect(result.workloads[0]).toMatchObject({ name: 'mongod.conf', datastore: { kind: 'mongodb', label: 'MongoDB' } });
    expect(authOf(result)).toMatchObject({ state: 'enabled', where: '26:3-26:25', text: 'authorization: enabled' });
    expect(result.workloads[0]!.listenPorts).toEqual([{ protocol: 'tcp', ranges: [{ from: 27017, to: 27017 }] }]);
  });

  it('0.0.0.0 inside a quoted comma list; security missing: auth off at the first key', () => {
    const result = runFixtures('mongodb/open/mongod.conf');
    expect(bindingsOf(result)).toEqual([
      { setting: 'mongodb: net.bindIp: 127.0.0.1, 0.0.0.0', where: '14:3-14:31', text: 'bindIp: "127.0.0.1, 0.0.0.0"' },
    ]);
    expect(authOf(result)).toEqual({
      state: 'disabled',
      reason: 'security.authorization is not set, and MongoDB runs without access control by default',
      where: '3:1-3:8',
      text: 'storage',
    });
  });

  it('bindIpAll: true and authorization: disabled (a commented keyFile does not count)', () => {
    const result = runFixtures('mongodb/bind-ip-all/mongod.yaml');
    expect(bindingsOf(result)).toEqual([{ setting: 'mongodb: net.bindIpAll: true', where: '3:3-3:18', text: 'bindIpAll: true' }]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', reason: 'security.authorization is disabled', where: '6:3-6:26' });
  });

  it('a security section without authorization is reported at the security key', () => {
    const result = runText('mongod.conf', 'net:\n  bindIp: 127.0.0.1\nsecurity:\n  javascriptEnabled: false\n');
    expect(authOf(result)).toMatchObject({ state: 'disabled', where: '3:1-3:9', text: 'security' });
  });

  it('keyFile turns access control on; transitionToAuth turns it off again', () => {
    expect(authOf(runText('mongod.conf', 'security:\n  keyFile: /etc/mongo/key\n')).state).toBe('enabled');
    const transition = runText('mongod.conf', 'security:\n  authorization: enabled\n  transitionToAuth: true\n');
    expect(authOf(transition)).toMatchObject({ state: 'disabled', where: '3:3-3:25', text: 'transitionToAuth: true' });
  });

  it('bindIp as a YAML list is located at the offending item; "*" and :: count', () => {
    const list = runText('mongod.conf', 'net:\n  bindIp:\n    - 127.0.0.1\n    - "::"\nsecurity:\n  authorization: enabled\n');
    expect(bindingsOf(list)).toEqual([{ setting: 'mongodb: net.bindIp: ::', where: '4:7-4:11', text: '"::"' }]);
    expect(runText('mongod.conf', 'net:\n  bindIp: "*"\n').bindings).toHaveLength(1);
  });

  it('the legacy key = value format (Debian mongodb.conf): comments ignored', () => {
    const result = runFixtures('mongodb/legacy/mongodb.conf');
    expect(bindingsOf(result)).toEqual([{ setting: 'mongodb: bind_ip = 0.0.0.0', where: '11:1-11:18', text: 'bind_ip = 0.0.0.0' }]);
    expect(authOf(result)).toMatchObject({ state: 'disabled', where: '4:1-4:24', text: 'dbpath=/var/lib/mongodb' });
    expect(authOf(runText('mongodb.conf', 'bind_ip=127.0.0.1\nauth=true\n')).state).toBe('enabled');
    expect(authOf(runText('mongodb.conf', 'noauth = true\n'))).toMatchObject({ state: 'disabled', where: '1:1-1:14' });
  });

  it('broken YAML is a located failure (PW000), never an exception', () => {
    const result = runText('mongod.conf', 'net:\n  bindIp: *\n');
    expect(result.allFailures).toHaveLength(1);
    expect(result.allFailures[0]!.message).toMatch(/^invalid YAML/);
    expect(result.allFailures[0]!.location?.region.startLine).toBe(2);
  });

  it('Kubernetes manifests and MongoDBCommunity resources are not mongod configs', () => {
    expect(runText('mongod.yaml', 'apiVersion: v1\nkind: ConfigMap\n').notClaimed).toEqual(['mongod.yaml']);
    expect(runText('config/samples/mongodb.com_v1_mongodbcommunity_cr.yaml', 'apiVersion: mongodbcommunity.mongodb.com/v1\n').notClaimed).toHaveLength(1);
    expect(runText('mongod-replica.conf', 'net:\n  bindIpAll: true\n').bindings).toHaveLength(1);
    expect(runText('mongod-notes.yaml', 'title: not a config\n').notClaimed).toEqual(['mongod-notes.yaml']);
  });

  it('an empty or comment-only file reports nothing', () => {
    const result = runText('mongod.conf', '# nothing configured yet\n');
    expect(result.bindings).toEqual([]);
    expect(authOf(result).state).toBe('unknown');
    expect(at(result.workloads[0]!.location, result.files).where).toBe('1:1-1:1');
  });
});
