/**
 * Tests written for the survivors of the first full `npm run mutation` run (every mutant of
 * src/model and the adapters' judging files; see /work/notes/issue-18m.md). Each pins a decision
 * that no other test pinned: malformed input that must stay unreadable, boundaries that must
 * stay where they are.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { assessSource, cidrsCoverAll, parseCidr, parseIp } from '../../src/model/net.js';

describe('net: parseIp rejects malformed IPv6 text', () => {
  it('rejects a second "::" even when the groups around it add up to eight', () => {
    expect(parseIp('1:2:3:4::5:6:7:8::9')).toBeUndefined();
    expect(parseIp('1:2:3:4::5:6:7:8')).toEqual({ version: 6, value: 0x00010002000300040005000600070008n });
  });

  it('rejects nine groups around "::" (no room for the zeros it stands for)', () => {
    expect(parseIp('1:2:3:4:5::6:7:8:9')).toBeUndefined();
    expect(parseIp('1:2:3:4:5::6:7')).toEqual({ version: 6, value: 0x00010002000300040005000000060007n });
  });

  it('rejects a group of five hex digits and an empty group', () => {
    expect(parseIp('12345::1')).toBeUndefined();
    expect(parseIp('1:::2')).toBeUndefined();
    expect(parseIp('1234::1')).toEqual({ version: 6, value: (0x1234n << 112n) | 1n });
  });
});

describe('net: parseCidr reads only a decimal prefix', () => {
  it('rejects an empty or non-numeric prefix instead of reading it as /0', () => {
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8x')).toBeUndefined();
    expect(parseCidr('10.0.0.0/ab')).toBeUndefined();
    expect(parseCidr('10.0.0.0/0')).toEqual({ version: 4, network: 0n, prefix: 0 });
  });
});

describe('net: assessSource', () => {
  it('calls a host address that is no IP address unknown, with the reason', () => {
    expect(assessSource({ kind: 'host-ip', address: 'my-host' }, defaultPolicy())).toEqual({ reach: 'unknown', label: 'my-host', reason: 'host address my-host is not an IP address' });
  });

  it('trusts only the sources inside a trusted range, and skips a trusted entry that is no CIDR', () => {
    const policy = { ...defaultPolicy(), trustedSources: ['not-a-cidr', '198.51.100.0/24'] };
    expect(assessSource({ kind: 'cidr', cidr: '198.51.100.0/25' }, policy)).toEqual({ reach: 'trusted', label: '198.51.100.0/25' });
    expect(assessSource({ kind: 'cidr', cidr: '203.0.113.0/24' }, policy)).toEqual({ reach: 'limited', label: '203.0.113.0/24' });
    expect(assessSource({ kind: 'cidr', cidr: '0.0.0.0/0' }, policy)).toEqual({ reach: 'internet', label: '0.0.0.0/0' });
  });
});

describe('net: cidrsCoverAll', () => {
  const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

  it('counts only the ranges of the family asked about, and skips text that is no CIDR', () => {
    expect(cidrsCoverAll(['::/0'], 4)).toBe(false);
    expect(cidrsCoverAll(['not-a-cidr', '0.0.0.0/1', '128.0.0.0/1'], 4)).toBe(true);
  });

  it('finds a gap of one address', () => {
    // 0.0.0.0/1 and every block from 128.0.0.1 up: all but 128.0.0.0.
    const upper = Array.from({ length: 31 }, (_, k) => `${dotted(2 ** 31 + 2 ** k)}/${32 - k}`);
    expect(upper[0]).toBe('128.0.0.1/32');
    expect(upper[30]).toBe('192.0.0.0/2');
    expect(cidrsCoverAll(['0.0.0.0/1', ...upper], 4)).toBe(false);
    expect(cidrsCoverAll(['0.0.0.0/1', '128.0.0.0/32', ...upper], 4)).toBe(true);
  });
});
