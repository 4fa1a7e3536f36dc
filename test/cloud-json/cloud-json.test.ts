/** Cloud CLI JSON (aws ec2, az network nsg, gcloud firewall-rules) through detect → parse → adapt. */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { cloudJsonFormat } from '../../src/formats/cloud-json/index.js';
import type { Format } from '../../src/formats/types.js';
import { assessSources } from '../../src/model/net.js';
import { at, fixtureFrom, run, sourceFile } from '../cloudformation/helpers.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const format = cloudJsonFormat as Format;
const load = (...paths: string[]) => run(format, ...paths.map((p) => fixtureFrom(FIXTURES, p)));

describe('aws ec2 describe-security-groups', () => {
  const r = load('aws-security-groups.json');
  const [https, search, fromGroup] = r.model.exposures ?? [];

  it('makes one exposure per IpPermission, located at the CidrIp / CidrIpv6 values', () => {
    expect(r.model.exposures).toHaveLength(3);
    expect(https!.subject).toBe('security group sg-0a1b2c3d4e5f60718 (web)');
    expect(https!.sources.map((s) => at(s.location, r.files))).toEqual([
      'aws-security-groups.json:12:39-12:50 = "0.0.0.0/0"',
      'aws-security-groups.json:18:41-18:47 = "::/0"',
    ]);
    expect(at(https!.location, r.files)).toMatch(/^aws-security-groups.json:7:17-24:18 = \{/);
  });

  it('keeps FromPort..ToPort ranges and blames the public range among several', () => {
    expect(search!.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 9200, to: 9300 }] });
    const verdict = assessSources(search!.sources, defaultPolicy());
    expect(verdict.reach).toBe('internet');
    expect(at(verdict.location, r.files)).toBe('aws-security-groups.json:33:39-33:50 = "0.0.0.0/0"');
  });

  it('reads protocol -1 as all traffic and UserIdGroupPairs as a reference, and ignores egress', () => {
    expect(fromGroup!.ports).toEqual({ protocol: 'all', ranges: [{ from: 0, to: 65535 }] });
    expect(fromGroup!.sources.map((s) => s.value)).toEqual([{ kind: 'reference', label: 'security group sg-0123456789abcdef0' }]);
  });
});

describe('az network nsg list', () => {
  const r = load('azure-nsg-list.json');
  const exposures = r.model.exposures ?? [];

  it('subtracts the ports of a higher-priority Deny from a lower-priority Allow', () => {
    const low = exposures.find((e) => e.id.endsWith(':AllowLowPorts'))!;
    expect(low.subject).toBe('network security group db-nsg rule AllowLowPorts');
    expect(low.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 1, to: 21 }, { from: 23, to: 3388 }, { from: 3390, to: 5000 }] });
    expect(at(low.sources[0]!.location, r.files)).toBe('azure-nsg-list.json:52:32-52:35 = "*"');
  });

  it('reads sourceAddressPrefixes (bare addresses become /32) and skips outbound and default rules', () => {
    expect(exposures.map((e) => e.id.split(':').pop())).toEqual(['AllowLowPorts', 'AllowMongoFromOffice']);
    const mongo = exposures[1]!;
    expect(mongo.sources.map((s) => s.value)).toEqual([{ kind: 'cidr', cidr: '203.0.113.0/24' }, { kind: 'cidr', cidr: '198.51.100.7/32' }]);
    expect(at(mongo.sources[1]!.location, r.files)).toBe('azure-nsg-list.json:63:53-63:67 = "198.51.100.7"');
    expect(assessSources(mongo.sources, defaultPolicy()).reach).toBe('limited');
  });

  it('closes an Allow entirely when a Deny of every protocol and port comes first', () => {
    const text = JSON.stringify({
      name: 'edge',
      securityRules: [
        { name: 'DenyAll', priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationPortRange: '*' },
        { name: 'AllowRedis', priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Internet', destinationPortRange: '6379' },
      ],
    }, null, 2);
    expect(run(format, sourceFile('nsg-show.json', text)).model.exposures).toEqual([]);
  });

  it('keeps an Allow whole when the Deny covers another destination', () => {
    const text = JSON.stringify([
      { name: 'DenySsh', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourceAddressPrefix: '*', destinationAddressPrefix: '10.0.1.4', destinationPortRange: '22', id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/jump/securityRules/DenySsh' },
      { name: 'AllowSsh', priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '22', id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/jump/securityRules/AllowSsh' },
    ], null, 2);
    const e = run(format, sourceFile('nsg-rules.json', text)).model.exposures!;
    expect(e.map((x) => [x.subject, x.ports.ranges])).toEqual([['network security group jump rule AllowSsh', [{ from: 22, to: 22 }]]]);
  });
});

describe('gcloud compute firewall-rules list', () => {
  const r = load('gcloud-firewall-rules.json');
  const exposures = r.model.exposures ?? [];

  it('skips disabled rules and reads source tags as references', () => {
    expect(exposures.map((e) => e.subject).sort()).toEqual(['firewall rule allow-everything', 'firewall rule default-allow-ssh', 'firewall rule redis-from-app']);
    const redis = exposures.find((e) => e.subject.endsWith('redis-from-app'))!;
    expect(redis.sources.map((s) => s.value)).toEqual([{ kind: 'reference', label: 'network tag app' }]);
  });

  it('locates sourceRanges values', () => {
    const ssh = exposures.find((e) => e.subject.endsWith('default-allow-ssh'))!;
    expect(ssh.ports).toEqual({ protocol: 'tcp', ranges: [{ from: 22, to: 22 }] });
    expect(at(ssh.sources[0]!.location, r.files)).toBe('gcloud-firewall-rules.json:22:7-22:18 = "0.0.0.0/0"');
  });

  it('applies an ingress rule without sources to 0.0.0.0/0, reported at its name', () => {
    const all = exposures.find((e) => e.subject.endsWith('allow-everything'))!;
    expect(all.ports).toEqual({ protocol: 'all', ranges: [{ from: 0, to: 65535 }] });
    expect(all.sources[0]!.value).toEqual({ kind: 'cidr', cidr: '0.0.0.0/0' });
    expect(at(all.sources[0]!.location, r.files)).toBe('gcloud-firewall-rules.json:54:5-54:31 = "name": "allow-everything"');
  });

  it('lets a deny of equal priority win, per network', () => {
    const rule = (name: string, extra: object) => ({ name, direction: 'INGRESS', priority: 1000, network: 'projects/p/global/networks/prod', sourceRanges: ['0.0.0.0/0'], ...extra });
    const text = JSON.stringify([
      rule('deny-db', { denied: [{ IPProtocol: 'tcp', ports: ['5432'] }] }),
      rule('allow-range', { allowed: [{ IPProtocol: 'tcp', ports: ['5000-6000'] }] }),
    ], null, 2);
    const e = run(format, sourceFile('fw.json', text)).model.exposures!;
    expect(e.map((x) => x.ports.ranges)).toEqual([[{ from: 5000, to: 5431 }, { from: 5433, to: 6000 }]]);
  });
});

describe('cloud JSON detection', () => {
  it('does not claim other JSON that mentions the same words', () => {
    expect(load('package-lock-like.json').notClaimed).toEqual(['package-lock-like.json']);
  });

  it('reports broken CLI output as a parse failure instead of dropping it', () => {
    const r = run(format, sourceFile('sgs.json', '{"SecurityGroups": [{"IpPermissions": [}'));
    expect(r.failures).toHaveLength(1);
  });
});
