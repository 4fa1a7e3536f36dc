/**
 * An Ingress backend selects one port item of a Service with several, by number or by name:
 * the finding's related "backend Service port" and the container port behind follow that item.
 * (Written for survivors of the full mutation run: src/formats/kubernetes/services.ts
 * serviceBackend's matching.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const files = {
  'web.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 9200
    - name: metrics
      port: 9300
      targetPort: 9300
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: elasticsearch:7.17.0
          ports:
            - containerPort: 9200
            - containerPort: 9300
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /metrics
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 9300
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`,
};
describe('Ingress backend port selection', () => {
  it('picks the Service port item by number and by name', async () => {
    const result = await lintTree(files);
    const pw004 = result.findings.filter((f) => f.ruleId === 'PW004').map((f) => ({
      ...view(f),
      ports: /on (port .*?) to the internet/.exec(f.message)?.[1],
      related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]),
    }));
    const auth = ["authentication is off for container 'web' of Deployment/web: Elasticsearch 7.x runs without security unless xpack.security.enabled=true", 'web.yaml', 31, 18];
    const container = ["container 'web' of Deployment/web serves it", 'web.yaml', 30, 11];
    expect(pw004).toEqual([
      // port.number: 9300 selects the second item (line 12), whose targetPort is 9300.
      { ruleId: 'PW004', file: 'web.yaml', line: 49, column: 23, endLine: 49, endColumn: 26, ports: 'port 80/tcp (container port 9300/tcp)', related: [auth, ['backend Service/web port', 'web.yaml', 12, 7], container] },
      // port.name: http selects the first item (line 9), whose targetPort is 9200.
      { ruleId: 'PW004', file: 'web.yaml', line: 56, column: 23, endLine: 56, endColumn: 26, ports: 'port 80/tcp (container port 9200/tcp)', related: [auth, ['backend Service/web port', 'web.yaml', 9, 7], container] },
    ]);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['PW004', 'PW004', 'PW009']);
  });
});

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
        - name: redis
          image: ${image}
          ports:
            - containerPort: 6379
`;
const nearestFiles = {
  'cache.yaml': `apiVersion: v1
kind: Service
metadata:
  name: cache
spec:
  type: LoadBalancer
  selector:
    app: cache
  ports:
    - port: 6379
---
${deployment('cache', 'redis:7.2')}`,
  'cache-copy.yaml': deployment('cache-copy', 'redis:7.2'),
};
describe('pods behind a Service: the nearest match', () => {
  it('takes the matching pods of the Service\'s own file, not a copy with the same labels next to it', async () => {
    const result = await lintTree(nearestFiles);
    expect(result.findings.map((f) => ({ ...view(f), related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }))).toEqual([
      { ruleId: 'PW003', file: 'cache-copy.yaml', line: 16, column: 18, endLine: 16, endColumn: 27, related: [] },
      {
        ruleId: 'PW004', file: 'cache.yaml', line: 10, column: 7, endLine: 10, endColumn: 17,
        related: [["authentication is off for container 'redis' of Deployment/cache: Redis is started without --requirepass: anyone who reaches the port can read and write", 'cache.yaml', 27, 18]],
      },
    ]);
  });
});
