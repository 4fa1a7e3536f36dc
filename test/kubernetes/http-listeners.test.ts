/** Ingress and Gateway API listeners: plain HTTP from the internet (PW009's input). */
import { describe, expect, it } from 'vitest';
import type { HttpListener } from '../../src/model/types.js';
import { at, fixture, run } from './helpers.js';

function listeners(path: string) {
  const files = [fixture(path)];
  const result = run(...files);
  expect(result.allFailures).toEqual([]);
  return (result.model.httpListeners ?? []).map((l: HttpListener) => ({ subject: l.subject, tls: l.tls, public: l.public, ...at(l.location, files) }));
}

describe('Ingress', () => {
  it('invalid (networking.k8s.io/v1): a host without tls, located at the host value', () => {
    expect(listeners('ingress/invalid/v1-no-tls.yaml')).toEqual([
      { subject: 'Ingress/kibana (host kibana.example.com)', tls: false, public: true, where: 'ingress/invalid/v1-no-tls.yaml:11:13-11:31', text: 'kibana.example.com' },
    ]);
  });

  it('invalid (extensions/v1beta1): a default backend without tls, located at metadata.name', () => {
    expect(listeners('ingress/invalid/v1beta1-no-tls.yaml')).toEqual([
      { subject: 'Ingress/legacy-shop (every host)', tls: false, public: true, where: 'ingress/invalid/v1beta1-no-tls.yaml:4:9-4:20', text: 'legacy-shop' },
    ]);
  });

  it('invalid (networking.k8s.io/v1beta1): a wildcard certificate covers one host, not the other', () => {
    expect(listeners('ingress/invalid/v1-partial-tls.yaml')).toEqual([
      { subject: 'Ingress/shop (host www.shop.example.com)', tls: true, public: true, where: 'ingress/invalid/v1-partial-tls.yaml:11:13-11:33', text: 'www.shop.example.com' },
      { subject: 'Ingress/shop (host admin.example.com)', tls: false, public: true, where: 'ingress/invalid/v1-partial-tls.yaml:17:13-17:30', text: 'admin.example.com' },
    ]);
  });

  it('valid: tls for the host (v1) and a default certificate (v1beta1)', () => {
    expect(listeners('ingress/valid/v1-tls.yaml').map((l) => [l.subject, l.tls])).toEqual([['Ingress/kibana (host kibana.example.com)', true]]);
    expect(listeners('ingress/valid/v1beta1-tls.yaml').map((l) => [l.subject, l.tls])).toEqual([['Ingress/legacy-shop (every host)', true]]);
  });

  it('valid: an internal ALB is not public', () => {
    expect(listeners('ingress/valid/internal-alb.yaml').map((l) => [l.tls, l.public])).toEqual([[false, false]]);
  });
});

describe('Gateway API', () => {
  it('invalid: an HTTP listener on a public gateway, located at its protocol value', () => {
    expect(listeners('gateway/invalid/http.yaml')).toEqual([
      { subject: "Gateway/external-http listener 'https' on port 443", tls: true, public: true, where: 'gateway/invalid/http.yaml:10:17-10:22', text: 'HTTPS' },
      { subject: "Gateway/external-http listener 'http' on port 80", tls: false, public: true, where: 'gateway/invalid/http.yaml:17:17-17:21', text: 'HTTP' },
    ]);
  });

  it('valid: HTTPS only', () => {
    expect(listeners('gateway/valid/https.yaml').map((l) => l.tls)).toEqual([true]);
  });

  it('valid: internal class, internal infrastructure annotation, private address', () => {
    expect(listeners('gateway/valid/internal.yaml').map((l) => [l.where, l.tls, l.public])).toEqual([
      ['gateway/valid/internal.yaml:10:17-10:21', false, false],
      ['gateway/valid/internal.yaml:25:17-25:21', false, false],
      ['gateway/valid/internal.yaml:40:17-40:21', false, false],
    ]);
  });
});

describe('Istio Gateway (networking.istio.io)', () => {
  it('invalid: plain HTTP and GRPC servers on the default ingress gateway, located at the protocol value', () => {
    expect(listeners('istio/invalid/gateway.yaml')).toEqual([
      { subject: "Gateway/bookinfo-gateway server 'http' on port 80", tls: false, public: true, where: 'istio/invalid/gateway.yaml:14:19-14:23', text: 'HTTP' },
      { subject: "Gateway/bookinfo-gateway server 'https' on port 443", tls: true, public: true, where: 'istio/invalid/gateway.yaml:20:19-20:24', text: 'HTTPS' },
      { subject: "Gateway/grpc-gateway server 'grpc-web' on port 8080", tls: false, public: true, where: 'istio/invalid/gateway.yaml:35:55-35:59', text: 'grpc' },
    ]);
  });

  it('valid: an HTTP server that redirects to HTTPS, an internal gateway, an egress gateway', () => {
    const files = [fixture('istio/valid/gateway.yaml')];
    const result = run(...files);
    expect(result.allFailures).toEqual([]);
    expect((result.model.httpListeners ?? []).map((l) => [at(l.location, files).where, l.tls, l.public, l.reason])).toEqual([
      ['istio/valid/gateway.yaml:13:19-13:23', true, true, 'protocol HTTP redirects to HTTPS (tls.httpsRedirect)'],
      ['istio/valid/gateway.yaml:21:19-21:24', true, true, 'protocol HTTPS'],
      ['istio/valid/gateway.yaml:39:19-39:23', false, false, 'protocol HTTP without tls.httpsRedirect; not public: the selector istio: internal-ingressgateway picks an internal gateway'],
      ['istio/valid/gateway.yaml:54:19-54:23', false, false, 'protocol HTTP without tls.httpsRedirect; not public: the selector istio: egressgateway picks an egress gateway'],
    ]);
  });
});

describe('OpenShift Route (route.openshift.io/v1)', () => {
  it('invalid: no spec.tls, insecureEdgeTerminationPolicy Allow, and a generated host (located at metadata.name)', () => {
    expect(listeners('openshift/invalid/routes.yaml')).toEqual([
      { subject: 'Route/frontend (host www.example.com)', tls: false, public: true, where: 'openshift/invalid/routes.yaml:7:9-7:24', text: 'www.example.com' },
      { subject: 'Route/api (host api.example.com)', tls: false, public: true, where: 'openshift/invalid/routes.yaml:17:9-17:24', text: 'api.example.com' },
      { subject: 'Route/kibana (generated host)', tls: false, public: true, where: 'openshift/invalid/routes.yaml:28:9-28:15', text: 'kibana' },
    ]);
  });

  it('valid: edge with Redirect, passthrough, a Route sharded to an internal router', () => {
    expect(listeners('openshift/valid/routes.yaml').map((l) => [l.where, l.tls, l.public])).toEqual([
      ['openshift/valid/routes.yaml:6:9-6:24', true, true],
      ['openshift/valid/routes.yaml:19:9-19:28', true, true],
      ['openshift/valid/routes.yaml:33:9-33:42', false, false],
    ]);
  });
});
