/**
 * Compose near misses for survivors of the full mutation run over src/formats/compose/services.ts
 * (issue #18 item 1): an optional env_file that is missing (`required: false`) leaves nothing
 * unknown, a required one makes the environment opaque; a command word with a default value is
 * read interpolated.
 */
import { describe, expect, it } from 'vitest';
import { composeFormat } from '../../src/formats/compose/index.js';
import { runFormat } from '../helpers/formats.js';
import { lintTree, sourceFile, view } from '../helpers/index.js';

const mongo = (required: string) => `services:\n  db:\n    image: mongo:7\n    env_file:\n      - path: ./mongo.env\n        required: ${required}\n    ports:\n      - "27017:27017"\n`;
const judged = (result: Awaited<ReturnType<typeof lintTree>>) => result.findings.map((f) => ({ ...view(f), message: f.message }));

describe('env_file that is not there', () => {
  it('required: false: nothing is hidden, so MongoDB without a root user is reported', async () => {
    expect(judged(await lintTree({ 'compose.yaml': mongo('false') }))).toEqual([
      {
        ruleId: 'PW004', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 22,
        message: "service 'db' exposes MongoDB 7 without authentication on port 27017/tcp to the internet (source: all interfaces (no host IP)): MONGO_INITDB_ROOT_USERNAME is not set and mongod is not started with --auth",
      },
    ]);
  });

  it('required: true: the root user may be in the missing file, so auth is not concluded', async () => {
    expect(judged(await lintTree({ 'compose.yaml': mongo('true') }))).toEqual([
      { ruleId: 'PW002', file: 'compose.yaml', line: 8, column: 9, endLine: 8, endColumn: 22, message: "service 'db' exposes MongoDB 7 on port 27017/tcp to the internet (source: all interfaces (no host IP))" },
    ]);
  });
});

describe('command words with variables', () => {
  it('a default value is used: -Expack.security.enabled=${XPACK:-false} turns security off', async () => {
    const text = 'services:\n  es:\n    image: elasticsearch:7.17.0\n    command: elasticsearch -Expack.security.enabled=${XPACK:-false}\n    ports:\n      - "9200:9200"\n';
    const off = 'xpack.security.enabled=false on the command line: security is disabled';
    const result = await lintTree({ 'compose.yaml': text });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.region.startLine, r.location.region.startColumn, r.location.region.endColumn]) }))).toEqual([
      {
        ruleId: 'PW004', file: 'compose.yaml', line: 6, column: 9, endLine: 6, endColumn: 20,
        message: `service 'es' exposes Elasticsearch 7.17 without authentication on port 9200/tcp to the internet (source: all interfaces (no host IP)): ${off}`,
        related: [[`authentication is off for service 'es': ${off}`, 4, 28, 68]],
      },
    ]);
  });

  it('a plain command folded over a blank line is located as the whole scalar (its words are not on one line)', async () => {
    const text = 'services:\n  es:\n    image: elasticsearch:7.17.0\n    command: elasticsearch\n\n      -Expack.security.enabled=false\n    ports:\n      - "9200:9200"\n';
    const result = await lintTree({ 'compose.yaml': text });
    expect(result.findings.map((f) => [f.ruleId, f.related.map((r) => [r.location.region.startLine, r.location.region.startColumn, r.location.region.endLine, r.location.region.endColumn])])).toEqual([['PW004', [[4, 14, 6, 37]]]]);
  });
});


describe('the workload model of a service: listen ports from ports and expose', () => {
  it('expose entries add container ports; unreadable ones and non-mapping services are skipped', () => {
    const text = 'services:\n  placeholder:\n  cache:\n    image: redis:7\n    expose:\n      - "6380"\n      - 26379/tcp\n      - "bad:port:spec:x"\n    ports:\n      - "127.0.0.1:6379:6379"\n';
    const { adapted, parseFailures } = runFormat(composeFormat, [sourceFile('compose.yaml', text)]);
    const model = adapted.units?.[0]?.model ?? adapted.model;
    expect(parseFailures).toEqual([]);
    expect(model.workloads?.map((w) => [w.name, w.listenPorts])).toEqual([
      [
        "service 'cache'",
        [
          { protocol: 'tcp', ranges: [{ from: 6379, to: 6379 }] },
          { protocol: 'tcp', ranges: [{ from: 6380, to: 6380 }] },
          { protocol: 'tcp', ranges: [{ from: 26379, to: 26379 }] },
        ],
      ],
    ]);
  });
});
