/**
 * The YAML node budget: a file of tiny flow items cost ~1 KB of memory per item in `yaml`
 * (1 MB of `[1,1,1,...]`: 0.5 GB; 8 MB: 3.7 GB and 38 s). Past the budget a file is one PW000
 * at its first line, decided by counting, never by the clock; real files stay untouched.
 */
import { describe, expect, it } from 'vitest';
import { MAX_YAML_DOCUMENT_NODES as MAX_DOCUMENT_NODES, MAX_FILE_NODES } from '../../src/formats/yaml/index.js';
import { lintTree, views } from '../helpers/index.js';

const GOOD = 'services:\n  cache:\n    image: redis:7\n    ports:\n      - "6379:6379"\n';

describe('YAML node budget', () => {
  it('a flow sequence of tiny items over the budget of tiny items is one PW000 at the first line; other files are still checked', async () => {
    const compose = `services:\n  worker:\n    image: busybox:1.36\n    command: [${'1,'.repeat(MAX_DOCUMENT_NODES + 10)}1]\n`;
    const r = await lintTree({ 'docker-compose.yml': compose, 'app/compose.yaml': GOOD });
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'docker-compose.yml', line: 1, column: 1, endLine: 1, endColumn: 10 }]);
    expect(r.findings.find((f) => f.ruleId === 'PW000')!.message).toBe(
      `the file is too large or too complex to check (more than ${MAX_DOCUMENT_NODES} nodes in one document; the limit is ${MAX_DOCUMENT_NODES})`,
    );
    expect(views(r).some((v) => v.file === 'app/compose.yaml' && v.ruleId === 'PW004')).toBe(true);
  });

  it('a flow mapping of repeated keys in a manifest is the same PW000, and the report stays short', async () => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flood, annotations: {${'a: 1, '.repeat(MAX_DOCUMENT_NODES / 2)}a: 1}}\n`;
    const r = await lintTree({ 'flood.yaml': manifest });
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'flood.yaml', line: 1, column: 1, endLine: 1, endColumn: 15 }]);
    expect(r.findings[0]!.message).toContain('too large or too complex to check');
  });

  it('a one-line document over the budget is located on at most 80 columns of its first line', async () => {
    const r = await lintTree({ 'compose.yaml': `{services: {x: {command: [${'1,'.repeat(MAX_DOCUMENT_NODES + 10)}1]}}}\n` });
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'compose.yaml', line: 1, column: 1, endLine: 1, endColumn: 81 }]);
  });

  it('a syntax error before the cut is reported as the syntax error it is', async () => {
    const compose = `services:\n  es:\n    image: "elasticsearch:7.17.0"x\n    command: [${'1,'.repeat(MAX_DOCUMENT_NODES + 10)}1]\n`;
    const r = await lintTree({ 'docker-compose.yml': compose });
    expect(views(r, 'PW000')).toEqual([{ ruleId: 'PW000', file: 'docker-compose.yml', line: 3, column: 34, endLine: 3, endColumn: 35 }]);
    expect(r.findings[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('many documents count towards the file limit', { timeout: 60_000 }, async () => {
    // Documents of 50,000 nodes each: every one is under the document limit, the file is not.
    const doc = `---\nitems: [${'1,'.repeat(49_998)}1]\n`;
    const text = doc.repeat(Math.ceil(MAX_FILE_NODES / 50_000) + 1);
    const r = await lintTree({ 'big.yaml': `apiVersion: v1\nkind: List\n${text}` });
    expect(r.findings.map((f) => f.message)).toEqual([
      `the file is too large or too complex to check (more than ${MAX_FILE_NODES} nodes; the limit is ${MAX_FILE_NODES})`,
    ]);
    expect(views(r)).toEqual([{ ruleId: 'PW000', file: 'big.yaml', line: 1, column: 1, endLine: 1, endColumn: 15 }]);
  });

  it('a realistic 1 MB bundle of many documents is checked as usual', async () => {
    const service = (i: number) => `---
apiVersion: v1
kind: Service
metadata:
  name: cache-${i}
  labels: {app.kubernetes.io/name: cache, app.kubernetes.io/instance: cache-${i}}
spec:
  type: LoadBalancer
  selector: {app: cache-${i}}
  ports:
    - name: redis
      port: 6379
      targetPort: 6379
`;
    const bundle = Array.from({ length: 4_000 }, (_, i) => service(i)).join('');
    expect(bundle.length).toBeGreaterThan(1_000_000);
    const r = await lintTree({ 'bundle.yaml': bundle });
    expect(views(r, 'PW000')).toEqual([]);
    expect(views(r, 'PW002')).toHaveLength(4_000);
    expect(views(r, 'PW002')[3_999]).toEqual({ ruleId: 'PW002', file: 'bundle.yaml', line: 3_999 * 13 + 11, column: 7, endLine: 3_999 * 13 + 13, endColumn: 23 });
  });
});
