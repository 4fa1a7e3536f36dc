/**
 * Cloud JSON near misses, written for survivors of the adapters' mutation sample (issue #18) in
 * src/formats/cloud-json/{azure,gcloud}.ts: an Azure deny for destination "*" closes an allow
 * for one address (a deny for another address does not); an ICMP allow opens no port even with
 * destinationPortRange "*"; an object with a name but no allowed/denied list is no gcloud rule;
 * a gcloud rule left whole keeps the plain id (`<file>:<rule name>`, no piece suffix), which
 * baselines and the JSON output's subjects carry.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const nsg = (rules: object[]) =>
  JSON.stringify(
    { name: 'nsg1', type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: rules.map((p, i) => ({ name: `r${i}`, properties: { direction: 'Inbound', sourceAddressPrefix: '*', protocol: 'Tcp', destinationPortRange: '6379', ...p } })) } },
    null,
    2,
  );
type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) => result.findings.map((f) => ({ ...view(f), message: f.message, subjects: f.subjects, related: f.related }));

describe('Azure NSG deny destinations', () => {
  it('a deny for destination "*" closes an allow for 10.0.0.4', async () => {
    const result = await lintTree({ 'nsg.json': nsg([{ access: 'Deny', priority: 100, destinationAddressPrefix: '*' }, { access: 'Allow', priority: 200, destinationAddressPrefix: '10.0.0.4' }]) });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('a deny for 10.0.0.5 does not close an allow for 10.0.0.4', async () => {
    const result = await lintTree({ 'nsg.json': nsg([{ access: 'Deny', priority: 100, destinationAddressPrefix: '10.0.0.5' }, { access: 'Allow', priority: 200, destinationAddressPrefix: '10.0.0.4' }]) });
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'nsg.json', line: 22, column: 34, endLine: 22, endColumn: 37,
        message: 'network security group nsg1 rule r1 exposes Redis 6379 on port 6379/tcp to the internet (source: *)', subjects: ['cloud-json:nsg.json:nsg1:r1'], related: [],
      },
    ]);
  });

  it('an ICMP allow from "*" with destinationPortRange "*" opens no port', async () => {
    const result = await lintTree({ 'nsg.json': nsg([{ access: 'Allow', priority: 100, protocol: 'Icmp', destinationPortRange: '*' }]) });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });
});

describe('gcloud rules', () => {
  it('an object with a name and sourceRanges but no allowed/denied list is not a firewall rule', async () => {
    const result = await lintTree({ 'instances.json': JSON.stringify([{ name: 'vm-1', sourceRanges: ['0.0.0.0/0'], zone: 'europe-west1-b' }], null, 2) });
    expect(result.files.map((f) => [f.path, f.format])).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('a rule left whole is named by file and rule name only', async () => {
    const result = await lintTree({ 'rules.json': JSON.stringify([{ name: 'allow-redis', network: 'default', sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['6379'] }] }], null, 2) });
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'rules.json', line: 6, column: 7, endLine: 6, endColumn: 18,
        message: 'firewall rule allow-redis exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', subjects: ['cloud-json:rules.json:allow-redis'], related: [],
      },
    ]);
  });
});
