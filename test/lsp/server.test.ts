/** The language server in process: two PassThrough streams, a JSON-RPC client, real files in a temp folder. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { useTempProjects } from '../helpers/index.js';
import { TestClient, uri } from './client.js';

const project = useTempProjects('portwall-lsp-');
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop().catch(() => null)));
});
function client(options?: Parameters<typeof TestClient.inProcess>[0]): TestClient {
  const c = TestClient.inProcess(options);
  clients.push(c);
  return c;
}

const PG = `services:
  db:
    image: postgres:16
    environment:
      - POSTGRES_HOST_AUTH_METHOD=trust
    ports:
      - "5432:5432"
`;
const codes = (d: Diagnostic[]) => d.map((x) => `${x.code}@${x.range.start.line + 1}:${x.range.start.character + 1}`);
const pos = (line: number, character: number) => ({ line, character });

describe('portwall lsp (in process)', () => {
  it('initializes with incremental sync, code actions and hover', async () => {
    const dir = project({});
    const c = client();
    const { capabilities } = await c.initialize(dir);
    expect(capabilities).toMatchObject({
      textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.portwall'] },
      hoverProvider: true,
    });
  });

  it('publishes findings on open with rule code, help link, severity, range and related information', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    const p = await c.diagnostics(u);
    expect(p.version).toBe(1);
    expect(p.diagnostics).toHaveLength(1);
    const d = p.diagnostics[0]!;
    expect(d).toMatchObject({
      code: 'PW004',
      source: 'portwall',
      severity: 1,
      codeDescription: { href: 'https://github.com/portwall/portwall/blob/main/rules/PW004-public-unauthenticated-datastore/README.md' },
      range: { start: pos(6, 8), end: pos(6, 19) },
    });
    expect(d.message).toContain("service 'db' exposes PostgreSQL 16 without authentication");
    expect(d.relatedInformation).toEqual([
      { location: { uri: u, range: { start: pos(4, 8), end: pos(4, 39) } }, message: expect.stringContaining('authentication is off') },
    ]);
  });

  it('re-lints on incremental changes, keeps unsaved text over the disk, and clears on close', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    await c.diagnostics(u, (d) => d.length === 1);
    // "5432:5432" -> "127.0.0.1:5432:5432" (unsaved: the disk still publishes on all interfaces)
    const version = await c.change(u, { start: pos(6, 9), end: pos(6, 9) }, '127.0.0.1:');
    const local = await c.next(u);
    // Published on 127.0.0.1 only: still a datastore without authentication (PW003), no longer public.
    expect(local.version).toBe(version);
    expect(codes(local.diagnostics)).toEqual(['PW003@5:9']);
    await c.change(u, { start: pos(6, 9), end: pos(6, 19) }, '0.0.0.0:');
    expect(codes((await c.next(u)).diagnostics)).toEqual(['PW004@7:9']);
    await c.close(u);
    expect((await c.next(u)).diagnostics).toEqual([]);
  });

  it('debounces typing: a burst of changes gives one lint', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client({ debounceMs: 150 });
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    await c.diagnostics(u);
    const before = c.published.length;
    for (const ch of ['1', '2', '7', '.']) await c.change(u, { start: pos(6, 9), end: pos(6, 9) }, ch);
    await c.change(u, { start: pos(6, 9), end: pos(6, 13) }, '127.0.0.1:');
    const p = await c.next(u);
    expect(p.version).toBe(6);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.published.length - before).toBe(1);
  });

  it('offers the safe fix, a suppression with a reason and the rule help on hover', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    const [d] = (await c.diagnostics(u, (x) => x.length === 1)).diagnostics;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d!.range, context: { diagnostics: [d] } });
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false])).toEqual([
      [expect.stringMatching(/127\.0\.0\.1.*\(PW004\)$/), 'quickfix', true],
      ['Suppress PW004 on this line with a reason', 'quickfix', false],
    ]);
    const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create(u, 'yaml', 1, text), edits);
    // The fix is the edit --fix makes.
    expect(apply(PG, actions[0]!.edit!.changes![u]!)).toContain('- "127.0.0.1:5432:5432"');
    const suppressed = apply(PG, actions[1]!.edit!.changes![u]!);
    expect(suppressed.split('\n')[6]).toBe('      # portwall-ignore PW004: TODO explain why this exposure is accepted');
    // Applying the suppression (as the editor does: an incremental change) silences the finding.
    await c.change(u, actions[1]!.edit!.changes![u]![0]!.range, actions[1]!.edit!.changes![u]![0]!.newText);
    expect((await c.next(u)).diagnostics).toEqual([]);
    // The whole-file fix-all action
    await c.change(u, { start: pos(6, 0), end: pos(7, 0) }, '');
    await c.next(u, (x) => x.length === 1);
    const fixAll = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: pos(0, 0), end: pos(0, 0) }, context: { diagnostics: [], only: ['source.fixAll'] } });
    expect(fixAll.map((a) => a.kind)).toEqual(['source.fixAll.portwall']);
    const hover = await c.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: pos(6, 12) });
    const text = (hover.contents as { value: string }).value;
    expect(text).toContain('**PW004 public-unauthenticated-datastore** (error)');
    expect(text).toContain('PW004 documentation](https://github.com/portwall/portwall/blob/main/rules/PW004-public-unauthenticated-datastore/README.md)');
    expect(await c.request('textDocument/hover', { textDocument: { uri: u }, position: pos(0, 0) })).toBeNull();
  });

  it('offers no fix for a stale version: offsets belong to the text that was linted', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client({ debounceMs: 5_000 });
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    const [d] = (await c.diagnostics(u, (x) => x.length === 1)).diagnostics;
    await c.change(u, { start: pos(0, 0), end: pos(0, 0) }, '# a comment\n');
    expect(await c.request('textDocument/codeAction', { textDocument: { uri: u }, range: d!.range, context: { diagnostics: [d] } })).toEqual([]);
  });

  it('is unit-aware: an unsaved variables.tf decides the findings of main.tf', async () => {
    const MAIN = 'resource "aws_security_group" "db" {\n  name = "db"\n  ingress {\n    from_port   = var.db_port\n    to_port     = var.db_port\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const VARS = 'variable "db_port" {\n  type    = number\n  default = 5432\n}\n';
    const dir = project({ 'infra/main.tf': MAIN, 'infra/variables.tf': VARS });
    const c = client();
    await c.initialize(dir);
    const main = await c.open(path.join(dir, 'infra/main.tf'), MAIN, 'terraform');
    expect(codes((await c.diagnostics(main, (d) => d.length > 0)).diagnostics)).toEqual(['PW002@7:20']);
    const vars = await c.open(path.join(dir, 'infra/variables.tf'), VARS, 'terraform');
    await c.diagnostics(vars);
    await c.change(vars, { start: pos(2, 12), end: pos(2, 16) }, '443');
    expect((await c.next(main)).diagnostics).toEqual([]);
    // Closing the buffer without saving: the disk (5432) decides again.
    await c.close(vars);
    expect(codes((await c.next(main)).diagnostics)).toEqual(['PW002@7:20']);
  });

  it('is unit-aware for a sibling that is no candidate itself: .env of a compose project', async () => {
    const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "${BIND}:8080:80"\n';
    const dir = project({ 'app/compose.yaml': COMPOSE, 'app/.env': 'BIND=127.0.0.1\n' });
    const c = client();
    await c.initialize(dir);
    const compose = await c.open(path.join(dir, 'app/compose.yaml'), COMPOSE);
    expect((await c.diagnostics(compose)).diagnostics).toEqual([]);
    const env = await c.open(path.join(dir, 'app/.env'), 'BIND=127.0.0.1\n', 'dotenv');
    await c.change(env, { start: pos(0, 5), end: pos(0, 14) }, '0.0.0.0');
    expect(codes((await c.next(compose, (d) => d.length > 0)).diagnostics)).toEqual(['PW001@5:9']);
  });

  it('leaves alone what discovery skips (node_modules, package.json)', async () => {
    const dir = project({ 'node_modules/x/docker-compose.yml': PG });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'node_modules/x/docker-compose.yml'), PG);
    expect((await c.diagnostics(u)).diagnostics).toEqual([]);
  });

  it('lints a new buffer that is not on disk yet', async () => {
    const dir = project({});
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    expect(codes((await c.diagnostics(u, (d) => d.length > 0)).diagnostics)).toEqual(['PW004@7:9']);
  });

  it('reloads the config when it changes on disk, on save, and for the configPath setting', async () => {
    const dir = project({ 'docker-compose.yml': PG, '.git/HEAD': 'ref: refs/heads/main\n', 'strict.yml': 'rules:\n  PW004: note\n' });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    await c.diagnostics(u, (d) => d.length === 1 && d[0]!.severity === 1);
    // A new config in the repository root turns the rule off: a watched-file event reloads.
    writeFileSync(path.join(dir, 'portwall.config.yml'), 'rules:\n  PW004: "off"\n');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(dir, 'portwall.config.yml')), type: 1 }] });
    expect(codes((await c.next(u)).diagnostics)).toEqual(['PW003@5:9', 'PW002@7:9']);
    // Saving a config edited in the editor reloads too.
    const cfg = await c.open(path.join(dir, 'portwall.config.yml'), 'rules:\n  PW004: "off"\n');
    writeFileSync(path.join(dir, 'portwall.config.yml'), 'rules:\n  PW004: warning\n');
    await c.save(cfg);
    expect((await c.next(u, (d) => d.some((x) => x.code === 'PW004'))).diagnostics.find((x) => x.code === 'PW004')!.severity).toBe(2);
    // The client's configPath setting wins over discovery.
    await c.notify('workspace/didChangeConfiguration', { settings: { portwall: { configPath: 'strict.yml' } } });
    expect((await c.next(u)).diagnostics.find((x) => x.code === 'PW004')!.severity).toBe(3);
  });

  it('finds the nearest config per unit: a folder config wins, the workspace config applies below it', async () => {
    const dir = project({ 'portwall.config.yml': 'rules:\n  PW004: warning\n', 'a/docker-compose.yml': PG, 'b/docker-compose.yml': PG, 'b/portwall.config.yml': 'rules:\n  PW004: note\n' });
    const c = client();
    await c.initialize(dir);
    const a = await c.open(path.join(dir, 'a/docker-compose.yml'), PG);
    const b = await c.open(path.join(dir, 'b/docker-compose.yml'), PG);
    expect((await c.diagnostics(a, (d) => d.length > 0)).diagnostics.map((d) => d.severity)).toEqual([2]);
    expect((await c.diagnostics(b, (d) => d.length > 0)).diagnostics.map((d) => d.severity)).toEqual([3]);
  });

  it('shows config problems on the config file and publishes no findings meanwhile', async () => {
    const dir = project({ 'docker-compose.yml': PG, 'portwall.config.yml': 'rules:\n  PW004: loud\n' });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    expect((await c.diagnostics(u)).diagnostics).toEqual([]);
    const config = await c.diagnostics(uri(path.join(dir, 'portwall.config.yml')), (d) => d.length > 0);
    expect(config.diagnostics[0]).toMatchObject({ severity: 1, range: { start: pos(1, 0) } });
    expect(c.messages.some((m) => m.type === 1 && /config error/.test(m.message))).toBe(true);
  });

  it('loads JavaScript rules only in a workspace the client says is trusted', async () => {
    const files = {
      'docker-compose.yml': PG,
      'portwall.config.yml': 'plugins:\n  - ./org-rule.mjs\n',
      'org-rule.mjs': "export default { meta: { id: 'ORG-1', name: 'org-rule', level: 'warning', shortDescription: 'Org.', help: 'Org.' }, check() {} };\n",
    };
    const untrustedDir = project(files);
    const untrusted = client();
    await untrusted.initialize(untrustedDir);
    const u1 = await untrusted.open(path.join(untrustedDir, 'docker-compose.yml'), PG);
    expect((await untrusted.diagnostics(u1)).diagnostics).toEqual([]);
    const problem = await untrusted.diagnostics(uri(path.join(untrustedDir, 'portwall.config.yml')), (d) => d.length > 0);
    expect(problem.diagnostics[0]!.message).toContain('JavaScript rules are not allowed');
    expect(untrusted.messages.some((m) => /not trusted/.test(m.message))).toBe(true);

    const trustedDir = project(files);
    const trusted = client();
    await trusted.initialize(trustedDir, { initializationOptions: { trusted: true } });
    const u2 = await trusted.open(path.join(trustedDir, 'docker-compose.yml'), PG);
    expect(codes((await trusted.diagnostics(u2, (d) => d.length > 0)).diagnostics)).toEqual(['PW004@7:9']);
  });

  it('works for a client that declares no capabilities at all (publishDiagnostics still arrives)', async () => {
    const dir = project({ 'docker-compose.yml': PG });
    const c = client();
    await c.initialize(dir, { capabilities: {} });
    const u = await c.open(path.join(dir, 'docker-compose.yml'), PG);
    expect(codes((await c.diagnostics(u, (d) => d.length > 0)).diagnostics)).toEqual(['PW004@7:9']);
  });

  it('says so on the file when it is skipped for its size', async () => {
    const dir = project({});
    const c = client();
    await c.initialize(dir);
    const big = `services:\n${'  # padding padding padding padding padding padding padding padding padding\n'.repeat(120_000)}`;
    const u = await c.open(path.join(dir, 'docker-compose.yml'), big);
    const [d] = (await c.diagnostics(u, (x) => x.length > 0)).diagnostics;
    expect(d).toMatchObject({ severity: 2, range: { start: pos(0, 0), end: pos(0, 0) }, message: 'docker-compose.yml: skipped, larger than 8 MiB' });
    expect(d!.code).toBeUndefined();
  });

  it('answers pull diagnostics for a client that pulls, and asks it to refresh after a unit changed', async () => {
    const MAIN = 'resource "aws_security_group" "db" {\n  name = "db"\n  ingress {\n    from_port   = var.db_port\n    to_port     = var.db_port\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const VARS = 'variable "db_port" {\n  type    = number\n  default = 5432\n}\n';
    const dir = project({ 'main.tf': MAIN, 'variables.tf': VARS });
    const c = client();
    const { capabilities } = await c.initialize(dir, { capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } } });
    expect(capabilities).toMatchObject({ diagnosticProvider: { identifier: 'portwall', interFileDependencies: true, workspaceDiagnostics: false } });
    const main = await c.open(path.join(dir, 'main.tf'), MAIN, 'terraform');
    expect(codes(await c.pull(main))).toEqual(['PW002@7:20']);
    const vars = await c.open(path.join(dir, 'variables.tf'), VARS, 'terraform');
    expect(await c.pull(vars)).toEqual([]);
    const refreshed = c.nextRefresh();
    await c.change(vars, { start: pos(2, 12), end: pos(2, 16) }, '443');
    await refreshed;
    expect(await c.pull(main)).toEqual([]);
    // Nothing was pushed for open documents.
    expect(c.published.filter((p) => p.uri === main || p.uri === vars)).toEqual([]);
  });

  it('lints a Helm chart from its root when a template is open', async () => {
    const dir = project({ 'chart/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n', 'chart/values.yaml': 'a: 1\n', 'chart/templates/cm.yaml': 'kind: ConfigMap\n' });
    const c = client();
    await c.initialize(dir);
    const u = await c.open(path.join(dir, 'chart/templates/cm.yaml'), readFileSync(path.join(dir, 'chart/templates/cm.yaml'), 'utf8'));
    expect((await c.diagnostics(u)).diagnostics).toEqual([]);
  });
});
