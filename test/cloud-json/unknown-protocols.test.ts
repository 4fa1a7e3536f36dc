/**
 * A protocol the linter does not understand is never silent: the entry is reported as not
 * judged, with the protocol as written — and only when the entry could open something (an AWS
 * permission with no source opens nothing). Written for survivors of the adapters' mutation
 * sample (issue #18) in src/formats/cloud-json/{aws,azure,gcloud}.ts.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const sg = (permission: object) => JSON.stringify({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web', IpPermissions: [permission] }] }, null, 2);
const nsg = (props: object) =>
  JSON.stringify({ name: 'nsg1', type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: [{ name: 'r1', properties: { direction: 'Inbound', access: 'Allow', priority: 100, sourceAddressPrefix: '*', ...props } }] } }, null, 2);
const notUnderstood = (file: string, line: number, protocol: string) => ({
  level: 'warning', kind: 'unknown', file,
  message: `${file}: 1 entry could not be judged and was not checked: line ${line} (protocol "${protocol}" is not understood)`,
});

describe('unknown protocols in cloud JSON', () => {
  it('AWS: reported for a permission with a source, not for one without any', async () => {
    const result = await lintTree({
      'no-source.json': sg({ IpProtocol: 'foo', IpRanges: [] }),
      'with-source.json': sg({ IpProtocol: 'foo', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
    });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([notUnderstood('with-source.json', 7, 'foo')]);
  });

  it('Azure: an unknown protocol is named as written; a missing one is any protocol', async () => {
    const result = await lintTree({
      'foo.json': nsg({ protocol: 'Foo', destinationPortRange: '22' }),
      'none.json': nsg({ destinationPortRange: '22' }),
    });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related }))).toEqual([
      {
        ruleId: 'PW002', file: 'none.json', line: 12, column: 34, endLine: 12, endColumn: 37,
        message: 'network security group nsg1 rule r1 exposes SSH 22 on port 22 to the internet (source: *)', related: [],
      },
    ]);
    expect(result.notifications).toEqual([notUnderstood('foo.json', 6, 'Foo')]);
  });

  it('gcloud: an unknown IPProtocol is named as written', async () => {
    const result = await lintTree({
      'rules.json': JSON.stringify([{ name: 'r', network: 'default', sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'foo' }] }], null, 2),
    });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([notUnderstood('rules.json', 9, 'foo')]);
  });
});
