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
