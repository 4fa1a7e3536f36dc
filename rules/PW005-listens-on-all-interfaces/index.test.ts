import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW005 listens-on-all-interfaces', () => {
  it('points at the binding setting of mongod.conf, postgresql.conf and redis.conf', async () => {
    const findings = await expectRuleFindings('PW005', 'datastore-config', [
      ['mongod.conf', 14, 3, 14, 31],
      ['postgresql.conf', 16, 1, 16, 23],
      ['redis.conf', 10, 1, 10, 18],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'mongodb listens on all interfaces: net.bindIp: 127.0.0.1, 0.0.0.0',
      "postgres listens on all interfaces: listen_addresses = '*'",
      'redis listens on all interfaces: bind 0.0.0.0 -::*',
    ]);
  });
});
