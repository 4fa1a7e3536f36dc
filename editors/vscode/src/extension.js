// @ts-check
/**
 * The portwall VS Code extension: a thin client that starts the bundled portwall CLI as a
 * language server (`node server/index.js lsp --stdio`, on VS Code's own Node.js) and tells it
 * whether the workspace is trusted, so JavaScript rule plugins load only in trusted ones.
 * Everything else (diagnostics, fixes, suppressions, hover, config reload) is the server's.
 */
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

const DOCUMENTS = ['yaml', 'dockercompose', 'helm', 'terraform', 'terraform-vars', 'hcl', 'json', 'dotenv', 'properties', 'ini', 'plaintext'].map((language) => ({ scheme: 'file', language }));

/** @param {vscode.ExtensionContext} context */
function serverModule(context) {
  const custom = vscode.workspace.isTrusted ? vscode.workspace.getConfiguration('portwall').get('serverPath', '') : '';
  if (custom) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return path.isAbsolute(custom) || !folder ? custom : path.join(folder, custom);
  }
  return context.asAbsolutePath(path.join('server', 'index.js'));
}

/** @param {vscode.ExtensionContext} context */
async function start(context) {
  const module = serverModule(context);
  const run = { module, transport: TransportKind.stdio, args: ['lsp'] };
  client = new LanguageClient(
    'portwall',
    'portwall',
    { run, debug: run },
    {
      documentSelector: DOCUMENTS,
      synchronize: {
        configurationSection: 'portwall',
      },
      initializationOptions: {
        trusted: vscode.workspace.isTrusted,
        configPath: vscode.workspace.getConfiguration('portwall').get('configPath', '') || undefined,
      },
    },
  );
  await client.start();
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('portwall.restartServer', async () => {
      await stop();
      await start(context);
    }),
    // Trust is granted once per workspace: restart so the server may load the config's plugins.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('portwall.serverPath')) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
