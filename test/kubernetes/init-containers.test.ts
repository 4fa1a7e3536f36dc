/**
 * Init containers that run a datastore image: one with a `command` of its own is a setup task
 * that exits before the pod serves (copying plugins, a sysctl), never the datastore's server;
 * one without a command runs the image's server and is judged like any container.
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
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
      initContainers:
        - name: copy-default-plugins
          image: docker.io/bitnami/elasticsearch:8.15.0
          command:
            - /bin/bash
          args:
            - -ec
            - |
              . /opt/bitnami/scripts/elasticsearch-env.sh
              cp -nr "$DB_DEFAULT_PLUGINS_DIR"/* /plugins
        - name: warm-up
          image: docker.io/bitnami/elasticsearch:8.15.0
      containers:
        - name: elasticsearch
          image: docker.io/bitnami/elasticsearch:8.15.0
          ports:
            - containerPort: 9200
`;

describe('init containers with a datastore image', () => {
  it('judges the serving container and the init container without a command, not the setup task', async () => {
    const result = await lintTree({ 'es.yaml': STATEFULSET });
    const pw003 = result.findings.filter((f) => f.ruleId === 'PW003');
    expect(pw003.map(view)).toEqual([
      { ruleId: 'PW003', file: 'es.yaml', line: 25, column: 18, endLine: 25, endColumn: 56 },
      { ruleId: 'PW003', file: 'es.yaml', line: 28, column: 18, endLine: 28, endColumn: 56 },
    ]);
    expect(pw003.map((f) => f.message)).toEqual([
      "init container 'warm-up' of StatefulSet/search runs Elasticsearch 8.15 without authentication: the bitnami Elasticsearch image runs without security unless ELASTICSEARCH_ENABLE_SECURITY=true",
      "container 'elasticsearch' of StatefulSet/search runs Elasticsearch 8.15 without authentication: the bitnami Elasticsearch image runs without security unless ELASTICSEARCH_ENABLE_SECURITY=true",
    ]);
    expect(pw003.map((f) => f.related)).toEqual([[], []]);
    expect(result.findings.some((f) => f.message.includes('copy-default-plugins'))).toBe(false);
  });

  it('a native sidecar (restartPolicy: Always) with a command still serves and is judged', async () => {
    const sidecar = STATEFULSET.replace('        - name: copy-default-plugins\n', '        - name: copy-default-plugins\n          restartPolicy: Always\n');
    const result = await lintTree({ 'es.yaml': sidecar });
    expect(result.findings.filter((f) => f.ruleId === 'PW003').map((f) => f.message.split(' runs ')[0])).toEqual([
      "init container 'copy-default-plugins' of StatefulSet/search",
      "init container 'warm-up' of StatefulSet/search",
      "container 'elasticsearch' of StatefulSet/search",
    ]);
  });
});
