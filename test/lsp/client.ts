/**
 * A minimal LSP client for tests: JSON-RPC over two PassThrough streams to a server in this
 * process, or over the stdio of the built CLI (`node bin/portwall.js lsp --stdio`).
 * It records every publishDiagnostics and lets a test wait for one that matches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../src/lsp/server.js';
import { BIN } from '../helpers/index.js';

export interface Published extends PublishDiagnosticsParams {
  at: number;
}

export class TestClient {
  readonly published: Published[] = [];
  readonly messages: { type: number; message: string }[] = [];
  /** workspace/diagnostic/refresh requests from the server (pull mode). */
  refreshes = 0;
  private refreshWaiters: (() => void)[] = [];
  private waiters: { test: (p: Published) => boolean; resolve: (p: Published) => void }[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly rpc: MessageConnection,
    readonly child?: ChildProcess,
  ) {
    rpc.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const p = { ...params, at: performance.now() };
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    rpc.onNotification('window/showMessage', (m: { type: number; message: string }) => {
      this.messages.push(m);
    });
    rpc.onNotification('window/logMessage', () => {});
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      for (const resolve of this.refreshWaiters.splice(0)) resolve();
      return null;
    });
    rpc.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    rpc.listen();
  }

  static inProcess(options: ServerOptions = { debounceMs: 0 }): TestClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), options);
    return new TestClient(createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)));
  }

  /** The built CLI by default; `script` may name another build of it (the extension's bundled server). */
  static stdio(cwd: string, script = BIN, extraArgs: string[] = []): TestClient {
    const child = spawn(process.execPath, [script, 'lsp', '--stdio', ...extraArgs], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.resume();
    return new TestClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), child);
  }

  async initialize(root: string, options: { capabilities?: Record<string, unknown>; initializationOptions?: Record<string, unknown> } = {}) {
    const result = await this.rpc.sendRequest('initialize', {
      processId: null,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: 'test' }],
      capabilities: options.capabilities ?? {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, synchronization: { didSave: true } },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
      },
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
    });
    await this.rpc.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  async open(file: string, text: string, languageId = 'yaml'): Promise<string> {
    const u = uri(file);
    this.versions.set(u, 1);
    await this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId, version: 1, text } });
    return u;
  }

  /** An incremental change: replace `range` with `text`. */
  async change(u: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<number> {
    const version = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, version);
    await this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async save(u: string) {
    await this.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
  }

  async close(u: string) {
    await this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  }

  /** The next publishDiagnostics (after `since`, an index into `published`) for `u` that passes `test`. */
  diagnostics(u: string, test: (d: Diagnostic[], p: Published) => boolean = () => true, timeoutMs = 20_000, since = 0): Promise<Published> {
    const match = (p: Published) => p.uri === u && test(p.diagnostics, p);
    const earlier = this.published.slice(since).find(match);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${u} within ${timeoutMs} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === u).map((p) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}`)))}`)), timeoutMs);
      this.waiters.push({ test: match, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  /** Diagnostics published for `u` from now on that pass `test`. */
  next(u: string, test: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000): Promise<Published> {
    return this.diagnostics(u, test, timeoutMs, this.published.length);
  }

  /** The next workspace/diagnostic/refresh. */
  nextRefresh(): Promise<void> {
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }

  /** Pull the diagnostics of a document (textDocument/diagnostic). */
  async pull(u: string): Promise<Diagnostic[]> {
    const report = await this.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
    return report.items;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.rpc.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown) {
    return this.rpc.sendNotification(method, params);
  }

  /** shutdown + exit for a child process; in process only shutdown (exit would end the test runner). */
  async stop(): Promise<number | null> {
    await this.rpc.sendRequest('shutdown');
    if (!this.child) {
      this.rpc.dispose();
      return null;
    }
    const exited = new Promise<number | null>((resolve) => this.child!.once('exit', (code) => resolve(code)));
    await this.rpc.sendNotification('exit');
    const code = await exited;
    this.rpc.dispose();
    return code;
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}
