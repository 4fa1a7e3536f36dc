/**
 * A setting that is present but says the other thing decides the other way: written for
 * survivors of the mutation run (`setting && isTrue(value)` read as `setting || ...`) in
 * src/formats/datastore-config. Each case asserts the state, the reason and the setting's
 * location and text.
 */
import { describe, expect, it } from 'vitest';
import { authOf, bindingsOf, runText } from './helpers.js';

describe('mongod.conf', () => {
  it('security.transitionToAuth: false does not serve unauthenticated clients', () => {
    const result = runText('mongod.conf', 'net:\n  port: 27017\nsecurity:\n  transitionToAuth: false\n  authorization: enabled\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'security.authorization is enabled', where: '5:3-5:25', text: 'authorization: enabled' });
  });

  it('a security.authorization value that is neither enabled nor disabled is unknown, not enabled', () => {
    const result = runText('mongod.conf', 'net:\n  port: 27017\nsecurity:\n  authorization: yes\n');
    expect(authOf(result)).toEqual({ state: 'unknown', reason: 'security.authorization has a value this linter does not understand', where: 'no location' });
  });

  it('security.transitionToAuth: true does', () => {
    const result = runText('mongod.conf', 'net:\n  port: 27017\nsecurity:\n  transitionToAuth: true\n  authorization: enabled\n');
    expect(authOf(result)).toEqual({ state: 'disabled', reason: 'security.transitionToAuth is true: clients that do not authenticate are served', where: '4:3-4:25', text: 'transitionToAuth: true' });
  });
});

describe('elasticsearch.yml', () => {
  it('an xpack.security.enabled that is neither true nor false decides nothing', () => {
    const result = runText('elasticsearch.yml', 'cluster.name: logs\nxpack.security.enabled: maybe\n');
    expect(authOf(result)).toEqual({ state: 'unknown', reason: 'xpack.security.enabled is not set: on by default from Elasticsearch 8.0, off before', where: 'no location' });
  });

  it('plugins.security.disabled: false keeps the security plugin on', () => {
    const result = runText('opensearch.yml', 'cluster.name: logs\nplugins.security.disabled: false\n');
    expect(authOf(result)).toEqual({ state: 'enabled', reason: 'plugins.security.disabled is false', where: '2:1-2:33', text: 'plugins.security.disabled: false' });
    expect(bindingsOf(result)).toEqual([]);
  });
});
