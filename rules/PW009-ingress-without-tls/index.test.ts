import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW009 ingress-without-tls', () => {
  it('fires on an Ingress host without tls and on a Gateway HTTP listener', async () => {
    const findings = await expectRuleFindings('PW009', 'kubernetes', [
      ['ingress.yaml', 9, 13, 9, 29],
      ['ingress.yaml', 29, 17, 29, 21],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Ingress/shop (host shop.example.com) serves plain HTTP to the internet: no spec.tls entry covers it',
      "Gateway/public listener 'web' on port 80 serves plain HTTP to the internet: protocol HTTP without TLS",
    ]);
  });
});
