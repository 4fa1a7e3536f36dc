#!/usr/bin/env node
/**
 * Dead exports in src/: every exported name of a module under src/ that no other file of the
 * project (src/, rules/, test/, scripts/) refers to. Names re-exported by src/index.ts are the
 * public API and count as used, as do the entry points that JavaScript outside src/ calls
 * (ENTRY_POINTS: bin/portwall.js and the bundle call the CLI's main). Reported as `file:line name (unused | used only in its module)`;
 * exits 1 when there is any. Uses the TypeScript language service (find references), so type
 * positions, re-exports and aliases count. `node scripts/dead-exports.mjs [--json]`.
 */
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const configPath = path.join(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!config) throw new Error('cannot read tsconfig.json');
const files = config.fileNames;
const host = {
  getScriptFileNames: () => files,
  getScriptVersion: () => '1',
  getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f) ?? '') : undefined),
  getCurrentDirectory: () => root,
  getCompilationSettings: () => config.options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());
const program = service.getProgram();
const rel = (f) => path.relative(root, f).split(path.sep).join('/');

/** Names declared with `export` in a file (not re-exports: those are references themselves). */
function exportedNames(sf) {
  const out = [];
  const push = (name, type = false) => name && out.push({ name, type });
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) push(ts.isIdentifier(d.name) ? d.name : undefined);
    else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) push(st.name, true);
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) push(st.name);
  }
  return out;
}

/** Called from bin/portwall.js and the committed bundle (not TypeScript, so not seen as references). */
const ENTRY_POINTS = new Set(['src/cli/bin.ts:main']);

const findings = [];
for (const sf of program.getSourceFiles()) {
  const file = rel(sf.fileName);
  if (!file.startsWith('src/') || sf.isDeclarationFile) continue;
  if (file === 'src/index.ts') continue;
  for (const { name, type } of exportedNames(sf)) {
    if (ENTRY_POINTS.has(`${file}:${name.text}`)) continue;
    const refs = (service.findReferences(sf.fileName, name.getStart(sf)) ?? []).flatMap((r) => r.references);
    const elsewhere = refs.filter((r) => r.fileName !== sf.fileName);
    if (elsewhere.length > 0) continue;
    const local = refs.filter((r) => r.fileName === sf.fileName && !r.isDefinition);
    const { line } = sf.getLineAndCharacterOfPosition(name.getStart(sf));
    findings.push({ file, line: line + 1, name: name.text, kind: type ? 'type' : 'value', used: local.length > 0 ? 'used only in its module' : 'unused' });
  }
}

if (process.argv.includes('--json')) console.log(JSON.stringify(findings, null, 2));
else for (const f of findings) console.log(`${f.file}:${f.line} ${f.kind} ${f.name} (${f.used})`);
console.error(`${findings.length} dead export(s)`);
process.exitCode = findings.length > 0 ? 1 : 0;
