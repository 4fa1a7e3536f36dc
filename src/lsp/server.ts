/**
 * The language server: a thin adapter over `lint()`. Open documents are an overlay over the
 * disk (unsaved buffers win, also for sibling reads such as variables.tf or .env); each change
 * re-lints the unit around the file and every unit that read it, after a debounce, and then
 * publishes the findings of every open document. Config is looked up as the CLI does (nearest
 * portwall.config.* from the unit up to the repository root, or the `configPath` setting) and
 * reloaded when a config or baseline file changes. JavaScript rules load only when the client
 * says the workspace is trusted.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  MessageType,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BUILTIN_RULES } from '../../rules/index.js';
import { BASELINE_FILE_NAME, findBaseline } from '../engine/baseline.js';
import { CONFIG_FILE_NAMES, ConfigError, loadConfig, type LoadedConfig } from '../engine/config.js';
import { lint } from '../engine/lint.js';
import { VERSION } from '../version.js';
import { fixAction, fixAllAction, suppressAction } from './code-actions.js';
import { fileUri, hoverMarkdown, rangesOverlap, toRange, type DiagnosticData } from './convert.js';
import { isCandidateFile, isInside, scopeCovers, scopeOf, scopePaths, type Scope } from './scope.js';
import { diagnosticsOf, nearestConfig, RecordingOverlay, type Entry, type ScopeState } from './units.js';

export interface ServerOptions {
  /** Quiet time after the last keystroke before a lint (ms). Default 250; tests pass 0. Open and save lint at once. */
  debounceMs?: number;
}

/** What the client may pass as `initializationOptions`. */
interface InitializationOptions {
  /** The workspace is trusted: the config's JavaScript rule plugins may run. Default false. */
  trusted?: boolean;
  /** Config file, relative to the workspace folder (like --config). Default: the nearest portwall.config.*. */
  configPath?: string;
  debounceMs?: number;
}

interface Published {
  version: number;
  diagnostics: Diagnostic[];
  entries: Entry[];
}

const CONFIG_NAMES = new Set<string>(CONFIG_FILE_NAMES);
const WATCHED = ['**/portwall.config.{yml,yaml,json}', `**/${BASELINE_FILE_NAME}`, '**/*.{yml,yaml,json,tf,tfvars,conf,cnf,hcl}', '**/.env'];

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let debounceMs = options.debounceMs ?? 250;
  let folders: string[] = [];
  let trusted = false;
  let configSetting: string | undefined;
  let canWatch = false;
  let canPullConfiguration = false;
  /** The client pulls diagnostics (textDocument/diagnostic) instead of taking pushed ones. */
  let pullMode = false;
  let canRefresh = false;
  const configs = new Map<string, Promise<{ config: LoadedConfig } | { error: Error }>>();
  const scopes = new Map<string, ScopeState>();
  const published = new Map<string, Published>();
  let configDiagnostics = new Map<string, Diagnostic[]>();
  const shownErrors = new Set<string>();
  const pending = new Set<string>();
  let everything = false;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  const openedAt = new Map<string, number>();

  const pathOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return path.resolve(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  };
  const openPaths = () => documents.all().map((d) => ({ doc: d, file: pathOf(d.uri) })).filter((d): d is { doc: TextDocument; file: string } => !!d.file);

  /** The workspace folder holding the file (innermost), else its repository, else its folder. */
  const rootFor = (file: string): string => {
    const folder = folders.filter((f) => isInside(file, f)).sort((a, b) => b.length - a.length)[0];
    if (folder) return folder;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, '.git'))) return dir;
      if (path.dirname(dir) === dir) return path.dirname(file);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = init.trusted === true;
    if (typeof init.configPath === 'string' && init.configPath) configSetting = init.configPath;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((f): f is string => !!f);
    if (folders.length === 0 && params.rootUri) {
      const root = pathOf(params.rootUri);
      if (root) folders = [root];
    }
    canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    pullMode = params.capabilities.textDocument?.diagnostic !== undefined;
    canRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.portwall`] },
        hoverProvider: true,
        ...(pullMode ? { diagnosticProvider: { identifier: 'portwall', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'portwall', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
    }
    if (folders.length > 0) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => pathOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...event.added.map((f) => pathOf(f.uri)).filter((f): f is string => !!f)];
        scopes.clear();
        reloadConfigs();
        relintEverything(0);
      });
    }
  });

  // --- scheduling: open and save lint at once, typing waits for a pause ---
  const schedule = (file: string | undefined, delay: number) => {
    if (file) pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      queue = queue.then(runPending, runPending);
    }, delay);
  };
  const relintEverything = (delay: number) => {
    everything = true;
    schedule(undefined, delay);
  };

  documents.onDidOpen(({ document }) => {
    openedAt.set(document.uri, document.version);
    // A config file pushed while closed is pulled from now on: drop the pushed copy.
    if (pullMode && configDiagnostics.has(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    schedule(pathOf(document.uri), 0);
  });
  documents.onDidChangeContent(({ document }) => {
    if (openedAt.get(document.uri) === document.version) return;
    openedAt.delete(document.uri);
    schedule(pathOf(document.uri), debounceMs);
  });
  documents.onDidSave(({ document }) => {
    const file = pathOf(document.uri);
    if (file && isConfigOrBaseline(file)) {
      reloadConfigs();
      relintEverything(0);
    } else if (published.get(document.uri)?.version !== document.version) schedule(file, 0);
  });
  documents.onDidClose(({ document }) => {
    openedAt.delete(document.uri);
    published.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: configDiagnostics.get(document.uri) ?? [] });
    // The disk is the truth again for the units that read this buffer.
    schedule(pathOf(document.uri), debounceMs);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    let reload = false;
    for (const change of changes) {
      const file = pathOf(change.uri);
      if (!file) continue;
      if (isConfigOrBaseline(file)) reload = true;
      else if (!documents.get(change.uri)) pending.add(file);
    }
    if (reload) {
      reloadConfigs();
      relintEverything(0);
    } else if (pending.size > 0) schedule(undefined, debounceMs);
  });

  connection.onDidChangeConfiguration(async ({ settings }) => {
    let section = (settings as { portwall?: { configPath?: unknown } } | null)?.portwall;
    // Clients of the pull model send no settings: ask for the section.
    if (section === undefined && canPullConfiguration) {
      section = ((await connection.workspace.getConfiguration('portwall').catch(() => null)) ?? undefined) as typeof section;
    }
    if (section !== undefined) configSetting = typeof section.configPath === 'string' && section.configPath.trim() ? section.configPath.trim() : undefined;
    reloadConfigs();
    relintEverything(0);
  });

  connection.onShutdown(() => {
    if (timer) clearTimeout(timer);
  });

  // --- linting ---
  function reloadConfigs() {
    configs.clear();
    shownErrors.clear();
  }
  const configFor = (scope: Scope) => {
    let absolute: string | undefined;
    try {
      absolute = configSetting ? path.resolve(folders.find((f) => isInside(scope.folder, f)) ?? scope.root, configSetting) : nearestConfig(scope.folder, scope.root);
    } catch (error) {
      return Promise.resolve({ error: error as Error });
    }
    const key = `${scope.root}\u0000${absolute ?? ''}`;
    let loaded = configs.get(key);
    if (!loaded) {
      loaded = loadConfig({ cwd: scope.root, ...(absolute ? { configPath: absolute } : {}), builtinRules: BUILTIN_RULES, allowJsRules: trusted }).then(
        (config) => ({ config }),
        (error: Error) => ({ error }),
      );
      configs.set(key, loaded);
    }
    return loaded;
  };

  const reportConfigError = (state: ScopeState, error: Error) => {
    const { scope } = state;
    const problems = error instanceof ConfigError ? error.problems : [];
    for (const p of problems) {
      const file = path.resolve(scope.root, p.file);
      const uri = fileUri(scope.root, p.file);
      const text = documents.get(uri)?.getText() ?? safeRead(file);
      const line = Math.max(0, p.line - 1);
      const length = text?.split('\n')[line]?.replace(/\r$/, '').length ?? 0;
      const list = state.configProblems.get(uri) ?? [];
      const message = `${p.key ? `${p.key}: ` : ''}${p.message}`;
      if (!list.some((d) => d.message === message && d.range.start.line === line)) {
        list.push({ range: { start: { line, character: 0 }, end: { line, character: length } }, severity: 1, source: 'portwall', message });
      }
      state.configProblems.set(uri, list);
    }
    const summary = `portwall: config error, no findings until it is fixed: ${error.message.split('\n')[0]}${trusted ? '' : /JavaScript rules/.test(error.message) ? ' (the workspace is not trusted, so JavaScript rules do not load)' : ''}`;
    if (!shownErrors.has(summary)) {
      shownErrors.add(summary);
      void connection.sendNotification('window/showMessage', { type: MessageType.Error, message: summary });
    }
  };

  const lintScope = async (state: ScopeState) => {
    const { scope } = state;
    state.configProblems = new Map();
    const loaded = await configFor(scope);
    if ('error' in loaded) {
      reportConfigError(state, loaded.error);
      Object.assign(state, { findings: [], notifications: [], reads: new Set<string>() });
      return;
    }
    const { config } = loaded;
    const overlay = new RecordingOverlay();
    const unsaved: string[] = [];
    for (const { doc, file } of openPaths()) {
      overlay.set(file, doc.getText());
      if (scopeCovers(scope, file) && isCandidateFile(file, scope.root) && !existsSync(file)) unsaved.push(file);
    }
    let baseline;
    try {
      baseline = findBaseline(scope.root, config.baselinePath);
    } catch (error) {
      reportConfigError(state, error as Error);
    }
    const result = await lint({
      cwd: scope.root,
      paths: scopePaths(scope, unsaved),
      policy: config.policy,
      rules: config.rules,
      ...(config.levelFor ? { levelFor: config.levelFor } : {}),
      ...(config.isIgnored ? { isIgnored: config.isIgnored } : {}),
      ...(baseline ? { baseline } : {}),
      overlay,
    });
    for (const n of result.notifications) if (!n.location) connection.console.log(n.message);
    Object.assign(state, { findings: result.findings, notifications: result.notifications, rules: config.rules, reads: overlay.reads });
  };

  const runPending = async () => {
    const changed = [...pending];
    pending.clear();
    const all = everything;
    everything = false;
    // Units of open documents exist; units nobody has open any more are forgotten.
    const open = openPaths();
    const wanted = new Map<string, Scope>();
    for (const { file } of open) {
      const root = rootFor(file);
      if (!isCandidateFile(file, root)) continue;
      const scope = scopeOf(file, root);
      wanted.set(scope.key, scope);
    }
    for (const key of [...scopes.keys()]) if (!wanted.has(key)) scopes.delete(key);
    const dirty: ScopeState[] = [];
    for (const scope of wanted.values()) {
      let state = scopes.get(scope.key);
      const fresh = !state;
      if (!state) {
        state = { scope, findings: [], notifications: [], rules: BUILTIN_RULES, reads: new Set(), configProblems: new Map() };
        scopes.set(scope.key, state);
      }
      if (fresh || all || changed.some((file) => scopeCovers(scope, file) || state!.reads.has(file))) dirty.push(state);
    }
    for (const state of dirty) {
      try {
        await lintScope(state);
      } catch (error) {
        connection.console.error(`portwall: internal error: ${(error as Error).stack ?? String(error)}`);
      }
    }
    // Config problems are published on the config file, open or not.
    const previous = configDiagnostics;
    configDiagnostics = new Map();
    for (const state of scopes.values()) {
      for (const [uri, list] of state.configProblems) {
        const merged = configDiagnostics.get(uri) ?? [];
        for (const d of list) if (!merged.some((m) => m.message === d.message && m.range.start.line === d.range.start.line)) merged.push(d);
        configDiagnostics.set(uri, merged);
      }
    }
    for (const uri of new Set([...previous.keys(), ...configDiagnostics.keys()])) {
      if (!documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: configDiagnostics.get(uri) ?? [] });
    }
    for (const { doc, file } of open) publish(doc, file);
    if (pullMode && canRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
  };

  const publish = (doc: TextDocument, file: string) => {
    const { entries, notes } = diagnosticsOf(file, scopes.values());
    const diagnostics = [...entries.map((e) => e.diagnostic), ...notes, ...(configDiagnostics.get(doc.uri) ?? [])];
    published.set(doc.uri, { version: doc.version, diagnostics, entries });
    if (!pullMode) void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  /** Resolves once no lint is waiting or running. */
  const settled = async () => {
    for (;;) {
      const current = queue;
      await current;
      if (!timer && current === queue) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  // Pull diagnostics: the answer after the lints the last changes started.
  connection.languages.diagnostics.on(async ({ textDocument }) => {
    await settled();
    return { kind: 'full', items: published.get(textDocument.uri)?.diagnostics ?? [] };
  });

  // --- code actions and hover ---
  connection.onCodeAction(({ textDocument, range, context }) => {
    const doc = documents.get(textDocument.uri);
    const current = published.get(textDocument.uri);
    // Offsets of fixes belong to the text that was linted: after an edit, wait for fresh findings.
    if (!doc || !current || current.version !== doc.version) return [];
    const wantsFixAll = context.only?.some((k) => k.startsWith(CodeActionKind.SourceFixAll) || k === CodeActionKind.Source) ?? false;
    const wantsQuickFix = !context.only || context.only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix);
    const actions: CodeAction[] = [];
    if (wantsQuickFix) {
      const named = new Set(context.diagnostics.map((d) => (d.data as DiagnosticData | undefined)?.fingerprint).filter(Boolean));
      const hits = current.entries.filter((e) => (named.size > 0 ? named.has(e.finding.fingerprint) : rangesOverlap(e.diagnostic.range, range)));
      for (const e of hits) {
        const fix = fixAction(e.finding, e.root, e.diagnostic);
        if (fix) actions.push(fix);
      }
      for (const e of hits) {
        const suppress = suppressAction(e.finding, textDocument.uri, doc.getText(), e.diagnostic);
        if (suppress) actions.push(suppress);
      }
    }
    if (wantsFixAll && current.entries.length > 0) {
      const all = fixAllAction(current.entries.map((e) => e.finding), current.entries[0]!.root);
      if (all) actions.push(all);
    }
    return actions;
  });

  connection.onHover(({ textDocument, position }) => {
    const current = published.get(textDocument.uri);
    if (!current) return null;
    const here = current.entries.filter((e) => rangesOverlap(e.diagnostic.range, { start: position, end: position }));
    if (here.length === 0) return null;
    return {
      contents: { kind: 'markdown', value: hoverMarkdown(here.map((e) => e.finding), here[0]!.rules) },
      range: toRange(here[0]!.finding.location.region),
    };
  });

  documents.listen(connection);
  connection.listen();
}

function isConfigOrBaseline(file: string): boolean {
  const name = path.basename(file);
  return CONFIG_NAMES.has(name) || name === BASELINE_FILE_NAME;
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
