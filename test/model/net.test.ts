import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { assessSource, cidrsCoverAll, isAllInterfacesAddress, parseCidr, parseIp } from '../../src/model/net.js';

const policy = defaultPolicy();

describe('addresses', () => {
  it('parses IPv4 and IPv6, including :: forms and embedded IPv4', () => {
    expect(parseIp('10.1.2.3')).toEqual({ version: 4, value: 0x0a010203n });
    expect(parseIp('::1')).toEqual({ version: 6, value: 1n });
    expect(parseIp('::')).toEqual({ version: 6, value: 0n });
    expect(parseIp('[fe80::1]')).toEqual({ version: 6, value: (0xfe80n << 112n) | 1n });
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ version: 6, value: (0xffffn << 32n) | 0x0a000001n });
    expect(parseIp('256.1.1.1')).toBeUndefined();
    expect(parseIp('1:2:3')).toBeUndefined();
    expect(parseIp('hello')).toBeUndefined();
  });

  it('clears host bits of CIDRs', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ version: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr('::/0')).toEqual({ version: 6, network: 0n, prefix: 0 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });

  it('knows every-interface bind addresses', () => {
    for (const a of ['0.0.0.0', '::', '[::]', '*', '0:0:0:0:0:0:0:0']) expect(isAllInterfacesAddress(a)).toBe(true);
    for (const a of ['127.0.0.1', '::1', '10.0.0.1']) expect(isAllInterfacesAddress(a)).toBe(false);
  });
});

describe('what counts as the internet', () => {
  const reach = (cidr: string, p = policy) => assessSource({ kind: 'cidr', cidr }, p).reach;
  it('classifies CIDRs', () => {
    expect(reach('0.0.0.0/0')).toBe('internet');
    expect(reach('::/0')).toBe('internet');
    expect(reach('10.0.0.0/8')).toBe('private');
    expect(reach('fd00::/8')).toBe('private');
    expect(reach('203.0.113.7/32')).toBe('limited');
    expect(reach('52.0.0.0/8')).toBe('internet');
    expect(reach('52.0.0.0/9')).toBe('limited');
    expect(reach('2001:db8::/32')).toBe('internet');
    expect(reach('2001:db8::/48')).toBe('limited');
    expect(reach('not-a-cidr')).toBe('unknown');
  });
  it('honours trusted sources and the prefix threshold', () => {
    expect(reach('198.51.100.0/24', { ...policy, trustedSources: ['198.51.100.0/22'] })).toBe('trusted');
    expect(reach('52.0.0.0/12', { ...policy, publicPrefixThreshold: 16 })).toBe('internet');
  });
  it('sees CIDR sets that together cover every address', () => {
    expect(cidrsCoverAll(['0.0.0.0/1', '128.0.0.0/1'], 4)).toBe(true);
    expect(cidrsCoverAll(['0.0.0.0/1', '128.0.0.0/2'], 4)).toBe(false);
    expect(cidrsCoverAll(['::/1', '8000::/1'], 6)).toBe(true);
  });
  it('classifies host interface addresses', () => {
    const host = (address: string) => assessSource({ kind: 'host-ip', address }, policy).reach;
    expect(host('0.0.0.0')).toBe('internet');
    expect(host('127.0.0.1')).toBe('local');
    expect(host('::1')).toBe('local');
    expect(host('192.168.1.10')).toBe('private');
    expect(host('198.51.100.4')).toBe('internet');
  });
});
