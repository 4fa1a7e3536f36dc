import { describe, expect, it } from 'vitest';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';

describe('PW009 ingress-without-tls', () => {
  it('fires on an Ingress host without tls, Gateway API and Istio HTTP listeners, and OpenShift Routes without TLS', async () => {
    const findings = await expectRuleFindings('PW009', 'kubernetes', [
      ['ingress.yaml', 9, 13, 9, 29],
      ['ingress.yaml', 29, 17, 29, 21],
      ['istio-gateway.yaml', 14, 19, 14, 23],
      ['istio-gateway.yaml', 35, 55, 35, 59],
      ['openshift-route.yaml', 7, 9, 7, 24],
      ['openshift-route.yaml', 17, 9, 17, 24],
      ['openshift-route.yaml', 28, 9, 28, 15],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Ingress/shop (host shop.example.com) serves plain HTTP to the internet: no spec.tls entry covers it',
      "Gateway/public listener 'web' on port 80 serves plain HTTP to the internet: protocol HTTP without TLS",
      "Gateway/bookinfo-gateway server 'http' on port 80 serves plain HTTP to the internet: protocol HTTP without tls.httpsRedirect",
      "Gateway/grpc-gateway server 'grpc-web' on port 8080 serves plain HTTP to the internet: protocol GRPC without tls.httpsRedirect",
      'Route/frontend (host www.example.com) serves plain HTTP to the internet: no spec.tls: the router serves it over plain HTTP',
      'Route/api (host api.example.com) serves plain HTTP to the internet: spec.tls.insecureEdgeTerminationPolicy is Allow',
      'Route/kibana (generated host) serves plain HTTP to the internet: no spec.tls: the router serves it over plain HTTP',
    ]);
  });
});
