/**
 * Kubernetes near misses written for the survivors of the full mutation run over
 * src/formats/kubernetes/services.ts and load-balancer.ts (issue #18 item 1): how an OpenShift
 * Route or an Ingress selects the Service port item (by targetPort number or name, by Service
 * port name, with no port at all, next to an item without a valid port), a NodePort's container
 * port, an empty externalIPs entry, and the quoted text of an invalid port.
 */
import { describe, expect, it } from 'vitest';
import type { LintResult } from '../../src/index.js';
import { lintTree, view } from '../helpers/index.js';
import { at, run, sourceFile } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels:
      app: search
  template:
    metadata:
      labels:
        app: search
    spec:
      containers:
        - name: search
          image: elasticsearch:7.17.0
          ports:
            - name: http
              containerPort: 9200
            - name: transport
              containerPort: 9300
`;
const service = (ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  selector:
    app: search
  ports:
${ports}---
`;
const route = (port: string) => `---
apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: search
spec:
  host: search.example.com
  to:
    kind: Service
    name: search
${port}`;

const judged = (result: LintResult) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));

// Lines 9-19 of search.yaml: an item without a valid port (no targetPort either), two named targetPorts, one numeric.
const fourItems = `    - name: legacy
      port: 70000
    - name: transport-svc
      port: 9300
      targetPort: transport
    - name: web
      port: 80
      targetPort: http
    - name: direct
      port: 9201
      targetPort: 9200
`;

describe('OpenShift Route: the Service port item it selects', () => {
  const esOff = 'Elasticsearch 7.x runs without security unless xpack.security.enabled=true';
  const expected = (routeLine: number, containerPort: number, itemLine: number, deploymentStart: number) => [
    {
      ruleId: 'PW009', file: 'search.yaml', line: routeLine - 3, column: 9, endLine: routeLine - 3, endColumn: 27,
      message: 'Route/search (host search.example.com) serves plain HTTP to the internet: no spec.tls: the router serves it over plain HTTP',
      related: [],
    },
    {
      ruleId: 'PW004', file: 'search.yaml', line: routeLine, column: 11, endLine: routeLine, endColumn: 17,
      message: `Route/search (backend Service/search) exposes Elasticsearch 7.17 without authentication on port 80/tcp (container port ${containerPort}/tcp) to the internet (source: any address (public Route)): ${esOff}`,
      related: [
        [`authentication is off for container 'search' of Deployment/search: ${esOff}`, 'search.yaml', deploymentStart + 15, 18],
        ['backend Service/search port', 'search.yaml', itemLine, 7],
        ["container 'search' of Deployment/search serves it", 'search.yaml', deploymentStart + 14, 11],
      ],
    },
  ];

  it.each([
    ['targetPort 9200 (a number): the item whose targetPort is 9200', '9200', 9200, 17],
    ['targetPort http (a container port name): the item whose targetPort is http', 'http', 9200, 14],
    ['targetPort web (a Service port name): that item', 'web', 9200, 14],
    ['targetPort transport: the item whose targetPort is transport', 'transport', 9300, 11],
  ])('%s', async (_case, target, containerPort, itemLine) => {
    const text = service(fourItems) + deployment + route(`  port:\n    targetPort: ${target}\n`);
    const result = await lintTree({ 'search.yaml': text });
    expect(judged(result)).toEqual(expected(51, containerPort, itemLine, 21));
  });

  it('without spec.port, the first item is the backend', async () => {
    const text = service('    - name: web\n      port: 80\n      targetPort: 9200\n    - name: transport\n      port: 9300\n') + deployment + route('');
    const result = await lintTree({ 'search.yaml': text });
    expect(judged(result)).toEqual(expected(45, 9200, 9, 15));
  });
});

const svcDoc = (spec: string, annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: search
${annotations}spec:
  selector:
    app: search
${spec}---
`;

describe('NodePort: the container port behind', () => {
  it('the targetPort of the pods behind, not the Service port', () => {
    const files = [sourceFile('search.yaml', svcDoc('  type: NodePort\n  ports:\n    - port: 80\n      targetPort: 9200\n      nodePort: 30920\n') + deployment)];
    const exposure = run(...files).model.exposures![0]!;
    expect([exposure.via, exposure.ports, exposure.targetPorts, exposure.workloads.map((w) => w.name)]).toEqual([
      'k8s-node-port', { protocol: 'tcp', ranges: [{ from: 30920, to: 30920 }] }, { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] }, ["container 'search' of Deployment/search"],
    ]);
  });

  it('with no pod behind, the Service port names the process behind', () => {
    const files = [sourceFile('search.yaml', svcDoc('  type: NodePort\n  ports:\n    - port: 9200\n      targetPort: http\n'))];
    const exposure = run(...files).model.exposures![0]!;
    expect([exposure.ports, exposure.targetPorts, exposure.workloads]).toEqual([{ protocol: 'tcp', ranges: [{ from: 30000, to: 32767 }] }, { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] }, []]);
  });
});

describe('externalIPs', () => {
  it('an empty entry (an unset template value) exposes nothing', () => {
    const files = [sourceFile('search.yaml', svcDoc('  ports:\n    - port: 9200\n  externalIPs:\n    - ""\n') + deployment)];
    expect(run(...files).model.exposures).toEqual([]);
  });
});

describe('a port that is not a number', () => {
  it('is quoted in the reason, cut at 40 characters', () => {
    const long = '{{ .Values.elasticsearch.service.httpPort }}';
    const files = [sourceFile('search.yaml', svcDoc(`  type: LoadBalancer\n  ports:\n    - port: "${long}"\n`))];
    const exposure = run(...files).model.exposures![0]!;
    expect(exposure.ports).toEqual({ protocol: 'tcp', ranges: [], unknown: `port ${JSON.stringify(long.slice(0, 40))} of Service/search is not a port number` });
    expect(long.length).toBeGreaterThan(41);
  });
});

describe('AWS Load Balancer Controller default: where the internal NLB comes from', () => {
  it.each([
    ['loadBalancerClass', '  type: LoadBalancer\n  loadBalancerClass: service.k8s.aws/nlb\n  ports:\n    - port: 9200\n', '', 'spec.loadBalancerClass', 'search.yaml:9:22-9:41'],
    ['aws-load-balancer-type', '  type: LoadBalancer\n  ports:\n    - port: 9200\n', '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-type: external\n', 'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]', 'search.yaml:6:56-6:64'],
  ])('%s', (_case, spec, annotations, path, where) => {
    const files = [sourceFile('search.yaml', svcDoc(spec, annotations))];
    const source = run(...files).model.exposures![0]!.sources[0]!;
    expect([source.value, source.path, at(source.location).where]).toEqual([
      { kind: 'reference', label: "internal NLB (the AWS Load Balancer Controller's default without service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing)" },
      path,
      where,
    ]);
  });
});

describe('Ingress to a Service with a single port', () => {
  const ingress = (port: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: search
spec:
  rules:
    - host: search.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: search
                port:
                  ${port}
`;
  it.each([['number: 9300'], ['name: http']])('a backend port (%s) the single unnamed item does not have reaches nothing', async (port) => {
    const result = await lintTree({ 'search.yaml': svcDoc('  ports:\n    - port: 9200\n') + deployment + ingress(port) });
    expect(judged(result).filter((f) => f.ruleId === 'PW004')).toEqual([]);
  });

  it('the port it has is the backend', async () => {
    const result = await lintTree({ 'search.yaml': svcDoc('  ports:\n    - port: 9200\n') + deployment + ingress('number: 9200') });
    expect(judged(result).filter((f) => f.ruleId === 'PW004').map((f) => [f.line, f.column, f.related[1]])).toEqual([[46, 23, ['backend Service/search port', 'search.yaml', 9, 7]]]);
  });
});
