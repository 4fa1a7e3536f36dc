/**
 * The VS Code extension without VS Code: editors/vscode/src/extension.js loaded with stand-ins
 * for `vscode` and `vscode-languageclient/node`, to check how it starts the server and what it
 * tells it (the bundled CLI with `lsp` over stdio; trust; the config path; restart on trust).
 */
import Module from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/index.js';

interface Started {
  id: string;
  server: { run: { module: string; transport: number; args: string[] } };
  client: { documentSelector: { scheme: string; language: string }[]; initializationOptions: Record<string, unknown>; synchronize: Record<string, unknown> };
}

function loadExtension(trusted: boolean, settings: Record<string, string> = {}) {
  const started: Started[] = [];
  const stopped: string[] = [];
  const listeners: Record<string, (...args: unknown[]) => unknown> = {};
  const vscode = {
    workspace: {
      isTrusted: trusted,
      workspaceFolders: [{ uri: { fsPath: '/work/project' } }],
      getConfiguration: () => ({ get: (key: string, fallback: string) => settings[key] ?? fallback }),
      onDidGrantWorkspaceTrust: (f: () => unknown) => ((listeners.trust = f), { dispose() {} }),
      onDidChangeConfiguration: (f: (e: unknown) => unknown) => ((listeners.config = f as never), { dispose() {} }),
    },
    commands: { registerCommand: (name: string, f: () => unknown) => ((listeners[name] = f), { dispose() {} }) },
  };
  class LanguageClient {
    constructor(
      readonly id: string,
      _name: string,
      readonly server: Started['server'],
      readonly client: Started['client'],
    ) {}
    async start() {
      started.push({ id: this.id, server: this.server, client: this.client });
    }
    async stop() {
      stopped.push(this.id);
    }
  }
  const stubs: Record<string, unknown> = { vscode, 'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0, ipc: 1 } } };
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = (request, ...rest) => (request in stubs ? stubs[request] : load(request, ...rest));
  try {
    const file = path.join(ROOT, 'editors/vscode/src/extension.js');
    const require = Module.createRequire(file);
    delete require.cache[file];
    const extension = require(file) as { activate: (context: unknown) => Promise<void>; deactivate: () => Promise<void> };
    const context = { subscriptions: [] as unknown[], asAbsolutePath: (p: string) => path.join('/ext', p) };
    return { extension, context, started, stopped, listeners };
  } finally {
    (Module as unknown as { _load: typeof load })._load = load;
  }
}

describe('editors/vscode extension', () => {
  it('starts the bundled CLI as `lsp` over stdio and says the workspace is not trusted', async () => {
    const { extension, context, started } = loadExtension(false, { serverPath: '/evil/server.js', configPath: 'ci/portwall.yml' });
    await extension.activate(context);
    expect(started).toHaveLength(1);
    const [s] = started;
    // The server path setting is ignored in an untrusted workspace.
    expect(s!.server.run).toEqual({ module: path.join('/ext', 'server', 'index.js'), transport: 0, args: ['lsp'] });
    expect(s!.client.initializationOptions).toEqual({ trusted: false, configPath: 'ci/portwall.yml' });
    expect(s!.client.synchronize).toEqual({ configurationSection: 'portwall' });
    expect(s!.client.documentSelector.map((d) => d.language)).toEqual(expect.arrayContaining(['yaml', 'terraform', 'json']));
    expect(s!.client.documentSelector.every((d) => d.scheme === 'file')).toBe(true);
  });

  it('in a trusted workspace: the serverPath setting, trust passed on, restart on the restart command and on granted trust', async () => {
    const { extension, context, started, stopped, listeners } = loadExtension(true, { serverPath: 'node_modules/portwall/bin/portwall.js' });
    await extension.activate(context);
    expect(started[0]!.server.run.module).toBe(path.join('/work/project', 'node_modules/portwall/bin/portwall.js'));
    expect(started[0]!.client.initializationOptions).toEqual({ trusted: true });
    await listeners['portwall.restartServer']!();
    await listeners.trust!();
    expect(started).toHaveLength(3);
    expect(stopped).toEqual(['portwall', 'portwall']);
    await extension.deactivate();
    expect(stopped).toHaveLength(3);
  });
});
