import { describe, expect, it } from 'vitest';
import { parseLongPort, parseShortPort } from '../../src/formats/compose/ports.js';

describe('compose short port syntax', () => {
  const cases: [string, unknown][] = [
    ['3000', { target: { from: 3000, to: 3000 }, protocol: 'tcp' }],
    ['3000-3005', { target: { from: 3000, to: 3005 }, protocol: 'tcp' }],
    ['9200:9200', { published: { from: 9200, to: 9200 }, target: { from: 9200, to: 9200 }, protocol: 'tcp' }],
    ['9090-9091:8080-8081', { published: { from: 9090, to: 9091 }, target: { from: 8080, to: 8081 }, protocol: 'tcp' }],
    ['127.0.0.1:9200:9200', { hostIp: '127.0.0.1', published: { from: 9200, to: 9200 }, target: { from: 9200, to: 9200 }, protocol: 'tcp' }],
    ['127.0.0.1::5000', { hostIp: '127.0.0.1', target: { from: 5000, to: 5000 }, protocol: 'tcp' }],
    ['[::1]:9200:9200', { hostIp: '::1', published: { from: 9200, to: 9200 }, target: { from: 9200, to: 9200 }, protocol: 'tcp' }],
    ['::1:6001:6001', { hostIp: '::1', published: { from: 6001, to: 6001 }, target: { from: 6001, to: 6001 }, protocol: 'tcp' }],
    ['0.0.0.0:9200-9201:9200-9201/tcp', { hostIp: '0.0.0.0', published: { from: 9200, to: 9201 }, target: { from: 9200, to: 9201 }, protocol: 'tcp' }],
    ['6060:6060/udp', { published: { from: 6060, to: 6060 }, target: { from: 6060, to: 6060 }, protocol: 'udp' }],
    ['[::]:80:80', { hostIp: '::', published: { from: 80, to: 80 }, target: { from: 80, to: 80 }, protocol: 'tcp' }],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${text}`, () => {
      const r = parseShortPort(text);
      expect(r).toEqual({ ok: true, port: expected });
    });
  }
  it('rejects garbage with a reason', () => {
    expect(parseShortPort('abc:def')).toEqual({ ok: false, reason: '"def" is not a container port' });
    expect(parseShortPort('80:80/xyz')).toEqual({ ok: false, reason: 'unknown protocol "xyz"' });
    expect(parseShortPort('99999:80').ok).toBe(false);
  });
});

describe('compose long port syntax', () => {
  it('reads target, published range, host_ip and protocol', () => {
    expect(parseLongPort({ target: '80', published: '8080-8081', hostIp: '127.0.0.1', protocol: 'udp' })).toEqual({
      ok: true,
      port: { hostIp: '127.0.0.1', published: { from: 8080, to: 8081 }, target: { from: 80, to: 80 }, protocol: 'udp' },
    });
  });
  it('needs a target', () => {
    expect(parseLongPort({ published: '80' })).toEqual({ ok: false, reason: 'long syntax port without target' });
  });
});
