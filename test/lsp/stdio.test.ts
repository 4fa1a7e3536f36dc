/**
 * The built CLI as editors start it: `node bin/portwall.js lsp --stdio`, spoken to over its
 * standard input and output. Also measures the time to first diagnostics for a small and a
 * 1 MB file (printed, not asserted tightly: the machine is shared).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver/node';
import { runBin, useTempProjects } from '../helpers/index.js';
import { TestClient, uri } from './client.js';

const project = useTempProjects('portwall-lsp-stdio-');
const clients: TestClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) if (c.child && c.child.exitCode === null) c.child.kill();
});
function start(dir: string): TestClient {
  const c = TestClient.stdio(dir);
  clients.push(c);
  return c;
}

const PG = 'services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_HOST_AUTH_METHOD=trust\n    ports:\n      - "5432:5432"\n';
const pos = (line: number, character: number) => ({ line, character });

/** About 1 MiB of compose services published on loopback, and one public datastore at the end. */
export function bigCompose(): string {
  const parts = ['services:\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < 1024 * 1024; i++) {
    const s = `  svc${i}:\n    image: nginx:1.27\n    environment:\n      - KEY_${i}=value-${i}\n    ports:\n      - "127.0.0.1:${10000 + i}:80"\n`;
    parts.push(s);
    size += s.length;
  }
  parts.push(PG.slice('services:\n'.length));
  return parts.join('');
}

describe('portwall lsp --stdio (built CLI)', () => {
  it('refuses other transports with a usage error', () => {
    const r = runBin(project({}), ['lsp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: portwall lsp --stdio');
  });

  it('initialize, open, change, code action, config reload, close, shutdown and exit', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = start(dir);
    const init = await c.initialize(dir);
    expect(init.capabilities).toMatchObject({ textDocumentSync: { change: 2 }, hoverProvider: true });
    const t0 = performance.now();
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    const first = await c.diagnostics(u, (d) => d.length > 0);
    console.log(`time to first diagnostics, small file over stdio: ${(first.at - t0).toFixed(0)} ms`);
    expect(first.diagnostics.map((d) => d.code)).toEqual(['PW004']);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: first.diagnostics[0]!.range, context: { diagnostics: first.diagnostics } });
    expect(actions.map((a) => a.title)).toEqual([expect.stringContaining('127.0.0.1'), 'Suppress PW004 on this line with a reason']);
    const edit = actions[0]!.edit!.changes![u]![0]!;
    await c.change(u, edit.range, edit.newText);
    expect((await c.next(u)).diagnostics.map((d) => d.code)).toEqual(['PW003']);
    writeFileSync(path.join(dir, 'portwall.config.yml'), 'rules:\n  PW003: "off"\n');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(dir, 'portwall.config.yml')), type: 1 }] });
    expect((await c.next(u)).diagnostics).toEqual([]);
    await c.close(u);
    expect((await c.next(u)).diagnostics).toEqual([]);
    expect(await c.stop()).toBe(0);
  });

  it('serves a client without diagnostics capabilities, started as vscode-languageclient starts it', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = TestClient.stdio(dir, undefined, [`--clientProcessId=${process.pid}`]);
    clients.push(c);
    await c.initialize(dir, { capabilities: {} });
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    expect((await c.diagnostics(u, (d) => d.length > 0)).diagnostics.map((d) => d.code)).toEqual(['PW004']);
    expect(await c.stop()).toBe(0);
  });

  it('lints a 1 MB file and reports the time to first diagnostics', async () => {
    const text = bigCompose();
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const dir = project({ 'docker-compose.yml': text });
    const c = start(dir);
    await c.initialize(dir);
    const t0 = performance.now();
    const u = await c.open(path.join(dir, 'docker-compose.yml'), text);
    const first = await c.diagnostics(u, (d) => d.length > 0, 60_000);
    const openMs = first.at - t0;
    const lines = text.split('\n').length;
    expect(first.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['PW004', lines - 2]]);
    // One keystroke at the end of the file: the time to the next diagnostics.
    const t1 = performance.now();
    await c.change(u, { start: pos(lines - 2, 9), end: pos(lines - 2, 9) }, '127.0.0.1:');
    const next = await c.next(u, (d) => d.every((x) => x.code !== 'PW004'), 60_000);
    console.log(`time to first diagnostics, 1 MB file (${lines} lines) over stdio: ${openMs.toFixed(0)} ms on open, ${(next.at - t1).toFixed(0)} ms after a change (debounce 250 ms included)`);
    expect(await c.stop()).toBe(0);
  }, 120_000);
});
