/** Hostile and odd input: no hang, no memory blow-up, no crash; other files still checked. */
import { describe, expect, it } from 'vitest';
import { lintTree, views } from '../helpers/index.js';

const GOOD = 'services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n';

describe('robustness', () => {
  it('survives a billion-laughs alias bomb in a compose file', async () => {
    const lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`x-${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('services:', '  bomb:', '    image: redis:7', '    <<: *j', '    ports: *j');
    const start = Date.now();
    const r = await lintTree({ 'a/compose.yaml': `${lines.join('\n')}\n`, 'b/compose.yaml': GOOD });
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(views(r).some((v) => v.file === 'b/compose.yaml' && v.ruleId === 'PW004')).toBe(true);
  });

  it('survives deep nesting', async () => {
    const deep = `services:\n  x:\n    image: nginx\n    labels: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const r = await lintTree({ 'a/compose.yaml': deep, 'b/compose.yaml': GOOD });
    expect(views(r).some((v) => v.file === 'b/compose.yaml')).toBe(true);
  });

  it('reports binary files named like configuration (PW000, issue 14) and reads files with a BOM and CRLF line ends', async () => {
    const r = await lintTree({
      'bin.yml': 'services:\u0000\u0001\u0002',
      'crlf/docker-compose.yml': '\ufeffservices:\r\n  redis:\r\n    image: redis:7\r\n    ports:\r\n      - "6379:6379"\r\n',
    });
    expect(views(r)).toEqual([
      { ruleId: 'PW000', file: 'bin.yml', line: 1, column: 1, endLine: 1, endColumn: 1 },
      { ruleId: 'PW004', file: 'crlf/docker-compose.yml', line: 5, column: 9, endLine: 5, endColumn: 20 },
    ]);
  });

  it('handles an empty compose file and a file with only comments', async () => {
    const r = await lintTree({ 'docker-compose.yml': '', 'compose.yaml': '# nothing yet\n' });
    expect(r.findings).toEqual([]);
  });

  it('handles odd compose shapes without crashing', async () => {
    const r = await lintTree({
      'docker-compose.yml': `services:
  a: null
  b: "string"
  c:
    ports: 8080
  d:
    ports:
      - null
      - {}
      - [1, 2]
  e:
    environment: "FOO=bar"
    command: 42
`,
    });
    expect(r.notifications.filter((n) => /internal error/.test(n.message))).toEqual([]);
  });
});
