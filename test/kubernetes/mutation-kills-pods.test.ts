/**
 * Which containers of the selected pods sit behind a Service's targetPort (issue #18 item 1,
 * survivors of the full mutation run in src/formats/kubernetes/services.ts resolveTargets): a
 * datastore next to a metrics exporter sidecar, by number, by name, and undeclared.
 */
import { describe, expect, it } from 'vitest';
import { run, sourceFile } from './helpers.js';

const pod = (containers: string) => `apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  type: LoadBalancer
  selector:
    app: search
  ports:
    - port: 443
      targetPort: TARGET
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
${containers}`;
const es = (ports: string) => `        - name: es
          image: elasticsearch:7.17.0
${ports}`;
const exporter = (ports: string) => `        - name: exporter
          image: quay.io/prometheuscommunity/elasticsearch-exporter:v1.7.0
${ports}`;

function behind(text: string, target: string) {
  const exposure = run(sourceFile('search.yaml', text.replace('TARGET', target))).model.exposures![0]!;
  return { workloads: exposure.workloads.map((w) => w.name), targetPorts: exposure.targetPorts };
}

describe('a datastore with a metrics exporter sidecar', () => {
  const declared = pod(es('          ports:\n            - name: http\n              containerPort: 9200\n') + exporter('          ports:\n            - name: metrics\n              containerPort: 9114\n'));

  it('targetPort 9200 reaches the container that declares 9200, not the sidecar', () => {
    expect(behind(declared, '9200')).toEqual({ workloads: ["container 'es' of Deployment/search"], targetPorts: { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] } });
  });

  it('targetPort http reaches the container whose port is named http, with that port only', () => {
    expect(behind(declared, 'http')).toEqual({ workloads: ["container 'es' of Deployment/search"], targetPorts: { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] } });
  });

  it('an undeclared 9200 reaches the container whose datastore uses 9200 by default', () => {
    const undeclared = pod(es('') + exporter('          ports:\n            - name: metrics\n              containerPort: 9114\n'));
    expect(behind(undeclared, '9200')).toEqual({ workloads: ["container 'es' of Deployment/search"], targetPorts: { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }] } });
  });

  it('a name both containers use: both, with their port numbers in ascending order', () => {
    const both = pod(exporter('          ports:\n            - name: web\n              containerPort: 9300\n') + es('          ports:\n            - name: web\n              containerPort: 9200\n'));
    expect(behind(both, 'web')).toEqual({
      workloads: ["container 'exporter' of Deployment/search", "container 'es' of Deployment/search"],
      targetPorts: { protocol: 'tcp', ranges: [{ from: 9200, to: 9200 }, { from: 9300, to: 9300 }] },
    });
  });
});
