/**
 * An OpenShift Route's spec.port.targetPort selects the Service port item by its targetPort
 * (a number) or by its name: the PW004 finding's ports and its related "backend Service port"
 * follow that item, also when another item has no name. (Written for a survivor of the adapters'
 * mutation sample, issue #18: serviceBackend's byTargetPort matching in
 * src/formats/kubernetes/services.ts.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const files = (target: string) => ({
  'search.yaml': `apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  selector:
    app: search
  ports:
    - port: 80
      targetPort: 9200
    - name: transport
      port: 9300
      targetPort: 9300
---
apiVersion: apps/v1
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
            - containerPort: 9200
            - containerPort: 9300
---
apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: search
spec:
  host: search.example.com
  to:
    kind: Service
    name: search
  port:
    targetPort: ${target}
  tls:
    termination: edge
`});
const auth = ["authentication is off for container 'search' of Deployment/search: Elasticsearch 7.x runs without security unless xpack.security.enabled=true", 'search.yaml', 30, 18];
const container = ["container 'search' of Deployment/search serves it", 'search.yaml', 29, 11];
const finding = (containerPort: number, itemLine: number) => ({
  ruleId: 'PW004', file: 'search.yaml', line: 43, column: 11, endLine: 43, endColumn: 17,
  message: `Route/search (backend Service/search) exposes Elasticsearch 7.17 without authentication on port 443/tcp (container port ${containerPort}/tcp) to the internet (source: any address (public Route)): Elasticsearch 7.x runs without security unless xpack.security.enabled=true`,
  related: [auth, ['backend Service/search port', 'search.yaml', itemLine, 7], container],
});

describe('OpenShift Route spec.port.targetPort', () => {
  it.each([
    // 9300 is the second item's targetPort (line 11); the first item, unnamed, must not match.
    ['9300', 9300, 11],
    ['transport', 9300, 11],
    ['9200', 9200, 9],
  ])('targetPort %s selects the Service port item', async (target, containerPort, itemLine) => {
    const result = await lintTree(files(target));
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }))).toEqual([
      finding(containerPort, itemLine),
    ]);
  });
});
