/**
 * The pipeline: discover -> read -> detect -> parse -> adapt (model) -> rules -> findings.
 * One broken file becomes PW000 for that file and never stops the others.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineIndex, type Location } from '../core/location.js';
import type { Finding, LintResult, ToolNotification } from '../core/finding.js';
import { defaultPolicy, type Level, type Policy } from '../core/policy.js';
import { reportMessage, type Rule } from '../core/rule.js';
import { emptyModel, mergeModels, type Model, type Notice } from '../model/types.js';
import type { Format, HelmSettings, ParseFailure, SourceFile } from '../formats/types.js';
import { type Detection, FORMAT_COUNT, FormatDetector } from '../formats/index.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import { discoverContext, discoverFiles, toRelative, type DiscoveredFile } from './discover.js';
import { dropCovered, unitModel, type UnitModel } from '../units/models.js';
import { addProvenance, mergeUnitFindings, relatedWithHops, touchesFiles } from '../units/findings.js';
import { assignFingerprints } from './fingerprint.js';
import { applyInlineSuppressions } from './suppressions.js';
import { applyBaseline, type Baseline } from './baseline.js';
import { scrubFinding, scrubNotification } from './scrub.js';
import { internalProblem, noticeKind, noticeLevel } from './problems.js';
import { readScanned, unreadableFailure } from './read-source-engine.js';
import { minimalRoots } from './read-source.js';
import { collectSecrets, scrubResult } from './known-secrets.js';
import { capFindingsPerLine } from './line-cap.js';
import { RunBudget } from './run-budget.js';
import { pushAll, replaceAll } from '../core/arrays.js';
import { inShard, shardKeys, type Shard } from '../units/shard.js';
import { ParseCache } from './parse-cache.js';
import { collectGarbageIfGrown } from './collect-garbage.js';
import { ScannedSource, WaitingTexts } from './scanned-source.js';
import { detachStrings } from './detach-strings.js';

/** Files larger than this are skipped with a notice: no real config is this big. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface LintOptions {
  /** Scan root: locations are relative to it. Default process.cwd(). */
  cwd?: string;
  /** Files or folders; default ["."]. "-" reads `stdin`. */
  paths?: string[];
  stdin?: { text: string; filename?: string };
  policy?: Policy;
  rules?: Rule[];
  /** Extra globs to skip. */
  ignore?: string[];
  /** Per-file rule level overrides (config `overrides`), resolved by the caller. */
  levelFor?: (ruleId: string, ruleName: string, file: string, defaultLevel: Level) => Level | 'off';
  /** Files (relative to the scan root) to skip, e.g. the config's `ignore` (LoadedConfig.isIgnored). Applies to explicit files too. */
  isIgnored?: (file: string) => boolean;
  /** Findings whose fingerprint is in the baseline are marked suppressed (kind external). */
  baseline?: Baseline;
  /** "Today" for suppression expiry (`until`); injected for deterministic tests. Default: now. */
  now?: Date;
  /** Helm settings from the config (`helm.valueFiles`). */
  helm?: HelmSettings;
  /** Called as files are parsed and formats adapted (the CLI's progress line on a TTY). */
  onProgress?: (progress: { phase: 'parse' | 'adapt'; done: number; total: number; file?: string }) => void;
  /**
   * Unsaved editor buffers by absolute path: they win over the disk wherever a file is read,
   * scanned files and sibling reads (.env, variables.tf, values files) alike. A path named in
   * `paths` that exists only here is linted too. Used by `portwall lsp`.
   */
  overlay?: ReadonlyMap<string, string>;
  /** The run's budget across files (engine/run-budget.ts); a default one per call. */
  runBudget?: RunBudget;
  /** `--shard i/n`: evaluate only this shard's units (and loose findings of this shard's files). */
  shard?: Shard;
  /** `--cache`: reuse per-file parse products of unchanged files (see parse-cache.ts). */
  cache?: ParseCache;
  /**
   * The files of `paths` (each an existing file, explicit) as the caller already discovered
   * them, in path order (lintProject): lint() takes them as they are instead of discovering again.
   */
  discovered?: DiscoveredFile[];
  /** Characters of texts kept waiting for their parse; past them the run streams its texts (engine/scanned-source.ts). */
  textBudget?: number;
}

interface Claimed {
  format: Format;
  file: SourceFile;
  parsed: unknown;
}

export function makeSourceFile(relativePath: string, text: string, absolutePath?: string): SourceFile {
  // Strip a UTF-8 BOM: editors on Windows add it and it is not part of the content.
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return { path: relativePath, text: clean, index: new LineIndex(clean), cache: new Map(), ...(absolutePath ? { absolutePath } : {}) };
}

/** Drops a format's parse products (claims, each file's parse cache and text) once its model is built. */
function releaseParsed(claimed: Claimed[], format: Format, runBudget: RunBudget, texts: WaitingTexts): void {
  for (const c of claimed) if (c.format === format) releaseClaim(c, runBudget, texts);
}

function releaseClaim(claim: Claimed, runBudget: RunBudget, texts: WaitingTexts): void {
  runBudget.release(claim.file);
  claim.parsed = undefined;
  claim.file.cache.clear();
  texts.done(claim.file);
}

export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const root = path.resolve(options.cwd ?? process.cwd());
  const policy = options.policy ?? defaultPolicy();
  const rules = options.rules ?? BUILTIN_RULES;
  const inputs = options.paths && options.paths.length > 0 ? options.paths : ['.'];
  const notifications: ToolNotification[] = [];
  const sources: SourceFile[] = [];

  const fileInputs = inputs.filter((p) => p !== '-');
  const discovered = options.discovered ? { files: [...options.discovered], missing: [] as string[] } : await discoverFiles(root, fileInputs, options.ignore ?? []);
  const overlay = options.overlay;
  for (const missing of discovered.missing) {
    const absolute = path.resolve(root, missing);
    if (overlay?.get(absolute) !== undefined) {
      discovered.files.push({ absolutePath: absolute, path: toRelative(root, absolute), explicit: true });
      continue;
    }
    notifications.push({ level: 'error', kind: 'config', message: `${missing}: no such file or directory` });
  }
  // Every format's detection runs as each file is read, so that a file's text is needed again only
  // when its format parses it: texts wait for their parse up to a budget (scanned-source.ts); past
  // it the run streams, reading a text again at its parse and dropping it when no format takes it
  // or its format is done.
  const detector = new FormatDetector();
  const detections = new Map<SourceFile, Detection>();
  const waiting = new WaitingTexts(options.textBudget);
  const detectAll = async (source: SourceFile) => {
    const pending = detector.detect(source);
    const detection = pending instanceof Promise ? await pending : pending;
    detections.set(source, detection);
    if (detection.first === FORMAT_COUNT && !detection.threw) waiting.done(source);
    else waiting.wait(source);
  };
  /** Format i's detection of a file: whether it takes it, or the error its detect threw. */
  const detectionOf = (file: SourceFile, i: number, format: Format): boolean | { error: unknown } => {
    const d = detections.get(file)!;
    if (i === d.first) return true;
    if (i < d.first) return d.threw?.has(i) ? { error: d.threw.get(i) } : false;
    // The first format declined it at its parse: this one is asked now, as a file-by-file detection would.
    try {
      return format.detect(file);
    } catch (error) {
      return { error };
    }
  };
  if (inputs.includes('-')) {
    const name = options.stdin?.filename ?? '<stdin>';
    sources.push(makeSourceFile(name, options.stdin?.text ?? ''));
    await detectAll(sources[0]!);
  }
  const readCache = new Map<string, SourceFile | null>();
  // Sibling files (.env, tfvars) may be read inside the scan root or inside a folder the user named.
  // A named path's own last component is not resolved: a symbolic link inside the tree that
  // points outside it (listed by discovery so that it is reported) must not become a root.
  const allowedRoots = minimalRoots([realFolder(root, true), ...fileInputs.map((p) => realFolder(path.resolve(root, p), false))].filter((p): p is string => !!p));
  const isIgnored = options.isIgnored;
  const wanted = isIgnored ? discovered.files.filter((d) => !isIgnored(d.path)) : discovered.files;
  // Named files (a pre-commit hook passes the staged ones) are judged inside their units: the
  // files beside and above them are read as context, and only findings with a location in a
  // named file (or under a named folder) are reported.
  const named = wanted.filter((f) => f.explicit);
  const context = named.length > 0 ? await discoverContext(root, named, options.ignore ?? []) : [];
  const reportable = new Set<string>(wanted.map((f) => f.path));
  const unreadable: ParseFailure[] = [];
  for (const f of [...wanted, ...context.filter((c) => !reportable.has(c.path) && !isIgnored?.(c.path))]) {
    const read = readScanned(f.absolutePath, f.path, allowedRoots, reportable.has(f.path) ? notifications : [], overlay);
    if (read.source) {
      sources.push(read.source);
      readCache.set(f.path, read.source);
      await detectAll(read.source);
    } else if (read.failure && reportable.has(f.path)) unreadable.push(read.failure);
  }
  for (const s of sources) if (s.path.startsWith('<stdin>') || s.path === options.stdin?.filename) reportable.add(s.path);
  const scoped = context.length > 0;
  const allFiles = sources.map((s) => s.path);

  // Files a format read beside the scanned ones (an .env, a chart's values, a base's resources) in a
  // streaming run: their texts go when the adapt that read them is done.
  const readBeside: SourceFile[] = [];
  const readFile = (relativePath: string): SourceFile | undefined => {
    const normalized = path.posix.normalize(relativePath);
    if (readCache.has(normalized)) return readCache.get(normalized) ?? undefined;
    const absolute = path.resolve(root, normalized);
    // Never read outside them (a symlink or ../ in a scanned file must not leak other files), never a FIFO or device.
    const source = readScanned(absolute, normalized, allowedRoots, [], overlay).source;
    readCache.set(normalized, source ?? null);
    if (source && waiting.streaming) readBeside.push(source);
    return source;
  };

  const listDirectory = (relativeDir: string): string[] => {
    const normalized = relativeDir === '' ? '.' : path.posix.normalize(relativeDir);
    let real: string;
    try {
      real = realpathSync.native(path.resolve(root, normalized));
    } catch {
      return [];
    }
    if (!allowedRoots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return [];
    try {
      return readdirSync(real, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    } catch {
      return [];
    }
  };

  const inside = (absolute: string): string | undefined => {
    try {
      const real = realpathSync.native(absolute);
      return allowedRoots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) ? real : undefined;
    } catch {
      return undefined;
    }
  };
  // Whole trees (a Helm chart with its .tpl files and archives), under the same roots as readFile.
  const listFiles = (relativeDir: string): string[] => {
    const start = inside(path.resolve(root, relativeDir));
    if (!start) return [];
    const out: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 12 || out.length > 20_000) return;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name === '.git' || e.name === 'node_modules') continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full, depth + 1);
        else if (e.isFile()) out.push(toRelative(root, path.join(path.resolve(root, relativeDir), path.relative(start, full))));
      }
    };
    walk(start, 0);
    return out.sort();
  };
  const readBytes = (relativePath: string): Uint8Array | undefined => {
    const real = inside(path.resolve(root, path.posix.normalize(relativePath)));
    if (!real) return undefined;
    try {
      if (statSync(real).size > MAX_FILE_BYTES) return undefined;
      return readFileSync(real);
    } catch {
      return undefined;
    }
  };

  // Detect: first format that claims a file wins; a format may decline after parsing.
  const formats = detector.formats();
  const claimed: Claimed[] = [];
  const model: Model = emptyModel();
  const checkedFiles: { path: string; format: string; units?: string[] }[] = [];
  for (const failure of unreadable) {
    checkedFiles.push({ path: failure.file, format: 'unknown' });
    model.parseErrors.push(unreadableFailure(failure));
  }
  const configHash = options.cache ? ParseCache.configHash(policy) : '';
  // Detection and parsing go format by format (a file still tries the formats in order, and the
  // first that takes it wins), each format adapted right after its parse and its parse products
  // then released: only one format's trees are alive at a time. What the file-by-file order
  // reported (notes, parse errors, checked files) is put back in that order below.
  const runBudget = options.runBudget ?? new RunBudget();
  const settled = new Set<SourceFile>();
  const parseNotes: { at: number; note: ToolNotification }[] = [];
  const parseErrors: { at: number; error: ReturnType<typeof toParseError> }[] = [];
  const checkedAt: { at: number; entry: { path: string; format: string } }[] = [];
  const notesBefore = notifications.length;
  const errorsBefore = model.parseErrors.length;
  // What every adapt (and every compaction, right after a parse) of this run is given.
  const adaptContext = { policy, readFile, allFiles, listDirectory, listFiles, readBytes, ...(options.helm ? { helm: options.helm } : {}) };
  const parseFormat = (format: Format, formatIndex: number, onClaim?: (claim: Claimed) => void, only?: Iterable<[number, SourceFile]>): void => {
    for (const [done, file] of only ?? sources.entries()) {
      if (settled.has(file)) continue;
      const at = done * FORMAT_COUNT + formatIndex;
      const note = (n: ToolNotification) => parseNotes.push({ at, note: n });
      const detected = detectionOf(file, formatIndex, format);
      if (typeof detected === 'object') note(internalError(file.path, `${format.name} detection`, detected.error));
      if (detected !== true) continue;
      options.onProgress?.({ phase: 'parse', done: settled.size, total: sources.length, file: file.path });
      let outcome: ReturnType<Format['parse']>;
      try {
        outcome = runBudget.spent ? { failure: runBudget.failureFor(file) } : options.cache ? options.cache.parse(format, file, configHash) : format.parse(file);
      } catch (error) {
        outcome = { failure: { file: file.path, kind: 'internal', message: `${format.name} parser failed: ${(error as Error).message}` } };
        note(internalProblem(file.path, `${format.name} parser`, error));
      }
      if (outcome === null) continue;
      settled.add(file);
      runBudget.charge(file);
      checkedAt.push({ at, entry: { path: file.path, format: format.id } });
      if ('failure' in outcome) {
        const internalKnown = (n: ToolNotification) => n.kind === 'internal' && n.file === file.path;
        if (outcome.failure.kind === 'internal' && !notifications.slice(0, notesBefore).some(internalKnown) && !parseNotes.some((p) => internalKnown(p.note))) note(internalProblem(file.path, `${format.name} parser`, outcome.failure.message));
        parseErrors.push({ at, error: toParseError(outcome.failure, file) });
      } else {
        let parsed = outcome.parsed;
        if (format.compact) {
          try {
            parsed = format.compact(file, parsed, adaptContext);
          } catch (error) {
            note(internalProblem(file.path, `${format.name} adapter`, error));
          }
          // The file's trees are garbage now, and so is what its parse allocated.
          collectGarbageIfGrown();
        }
        const claim = { format, file, parsed };
        claimed.push(claim);
        onClaim?.(claim);
      }
    }
  };

  const noticesOf: Notice[] = [];
  const covers = new Map<string, Set<string>>();
  // A unit is judged, and its model dropped, once no format that may cover files (Format.mayCover)
  // is still to adapt: the covers that drop entries from it are then all known. Until then, and
  // through the whole run under --shard (whose keys need every unit), units wait here.
  const waitingUnits: UnitModel[] = [];
  const lastCovering = options.shard ? FORMAT_COUNT : formats.reduce((last, f, i) => (f.mayCover ? i : last), -1);
  let coversKnown = false;
  // Each judged unit's findings and the notes its rules gave, in unit order.
  const judgedUnits: { findings: Omit<Finding, 'fingerprint'>[]; notes: ToolNotification[] }[] = [];
  const judgeUnit = (unit: UnitModel, keys?: ReturnType<typeof shardKeys>): void => {
    // Files judged in a unit are named by it; a unit outside the named files is not evaluated for nothing.
    if (scoped && !unit.files.some((f) => reportable.has(f))) return;
    if (keys && !inShard(keys.unit(unit.id), options.shard)) return;
    // A unit rebuilt these files (a kustomize base): other formats' raw entries of them go.
    // A kustomization that renders a chart (helmCharts) keeps its rendered objects at the chart's templates.
    for (const [formatId, files] of covers) if (unit.format !== formatId && !(formatId === 'helm' && unit.format === 'kustomize')) dropCovered(unit.model, files);
    const notes: ToolNotification[] = [];
    const unitFindings = runRules(unit.model, rules, policy, options.levelFor, notes);
    // Rendered units (kustomize, helm) carry provenance on every model object, not only on the values rules report at.
    const withHops = unit.kind === 'kustomize' || unit.kind === 'helm' ? addProvenance(unitFindings, unit.model, { throughRelated: unit.kind === 'helm' }) : unitFindings;
    judgedUnits.push({ findings: withHops.map((f) => ({ ...f, units: [unit.name] })), notes });
  };
  const seenFailures = new Set<string>();
  const addFailure = (failure: ParseFailure, file: SourceFile | undefined) => {
    const error = toParseError(failure, file);
    const key = `${error.file}\u0000${error.location.region.startOffset}\u0000${error.message}`;
    if (seenFailures.has(key)) return;
    seenFailures.add(key);
    model.parseErrors.push(error);
  };
  const unitsOf = new Map<string, string[]>();
  const adaptFiles = (format: Format, mine: { file: SourceFile; parsed: unknown }[]): void => {
    try {
      const result = format.adapt(mine, adaptContext);
      // A streaming run's models outlive its texts: nothing in them may hold one.
      if (waiting.streaming) detachStrings(result);
      mergeModels(model, result.model);
      const fileOf = (path: string) => mine.find((m) => m.file.path === path)?.file ?? readCache.get(path) ?? undefined;
      for (const failure of result.failures ?? []) {
        addFailure(failure, fileOf(failure.file));
        if (failure.kind === 'internal') notifications.push(internalProblem(failure.file, `${format.name} adapter`, failure.message));
      }
      pushAll(noticesOf, result.notices ?? []);
      for (const unit of result.units ?? []) {
        const built = unitModel(unit, format.id);
        if (coversKnown) judgeUnit(built);
        else waitingUnits.push(built);
        // For --list-files: the units each file belongs to.
        for (const f of built.files) (unitsOf.get(f) ?? unitsOf.set(f, []).get(f)!).push(unit.name);
        for (const error of unit.model.parseErrors ?? []) addFailure(error, fileOf(error.file));
        for (const failure of unit.failures ?? []) addFailure(failure, fileOf(failure.file));
        pushAll(noticesOf, unit.notices ?? []);
      }
      if (result.covers?.length) {
        // Units judged already did not see these covers: an engine fault, never a silent one.
        if (!format.mayCover) notifications.push(internalError(mine.map((m) => m.file.path).join(', '), `${format.name} adapter`, new Error('covers files but does not declare mayCover')));
        covers.set(format.id, new Set([...(covers.get(format.id) ?? []), ...result.covers]));
      }
    } catch (error) {
      notifications.push(internalError(mine.map((m) => m.file.path).join(', '), `${format.name} adapter`, error));
    }
    for (const file of readBeside.splice(0)) waiting.done(file);
  };
  for (const [formatIndex, format] of formats.entries()) {
    if (formatIndex > lastCovering && !coversKnown) {
      coversKnown = true;
      for (const unit of waitingUnits.splice(0)) judgeUnit(unit);
    }
    const adaptStarts = () => options.onProgress?.({ phase: 'adapt', done: sources.length, total: sources.length, file: format.name });
    if (format.adaptsEachFile) {
      // Each file adapted as soon as it is parsed, and its trees dropped at once (Format.adaptsEachFile).
      let first = true;
      parseFormat(format, formatIndex, (claim) => {
        if (first) adaptStarts();
        first = false;
        adaptFiles(format, [{ file: claim.file, parsed: claim.parsed }]);
        releaseClaim(claim, runBudget, waiting);
        collectGarbageIfGrown();
      });
      continue;
    }
    if (format.groupFiles) {
      // Group by group (Format.groupFiles): each parsed, adapted and dropped before the next.
      const position = new Map<SourceFile, number>();
      // (A detect that threw counts: the parse pass reports it.)
      for (const [i, file] of sources.entries()) if (!settled.has(file) && detectionOf(file, formatIndex, format) !== false) position.set(file, i);
      let first = true;
      for (const group of format.groupFiles([...position.keys()])) {
        const mine: Claimed[] = [];
        parseFormat(format, formatIndex, (claim) => mine.push(claim), group.map((file): [number, SourceFile] => [position.get(file)!, file]));
        if (mine.length > 0) {
          if (first) adaptStarts();
          first = false;
          adaptFiles(format, mine.map((c) => ({ file: c.file, parsed: c.parsed })));
        }
        for (const c of mine) releaseClaim(c, runBudget, waiting);
        collectGarbageIfGrown();
      }
      continue;
    }
    parseFormat(format, formatIndex);
    const mine: { file: SourceFile; parsed: unknown }[] = claimed.filter((c) => c.format === format).map((c) => ({ file: c.file, parsed: c.parsed }));
    if (mine.length === 0) continue;
    adaptStarts();
    adaptFiles(format, mine);
    // The model is built: this format's trees go (a later read of one of its files parses again).
    for (const m of mine) m.parsed = undefined;
    releaseParsed(claimed, format, runBudget, waiting);
    collectGarbageIfGrown();
  }
  // Files no format took were read all the same.
  for (const file of sources) if (!settled.has(file)) runBudget.charge(file);
  // Every model is built: what reads a text from now on (fingerprints, frames of findings) reads it again if the run streams.
  for (const file of sources) waiting.done(file);
  for (const file of readCache.values()) if (file) waiting.done(file);
  // Back in file order, as a file-by-file parse reported them: before everything the adapters said.
  const byAt = <T extends { at: number }>(xs: T[]) => xs.map((x, i) => [x, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([x]) => x);
  // (Never spread into call arguments: a scan may have 100k parse errors.)
  const insertAt = <T>(target: T[], at: number, items: T[]) => replaceAll(target, [...target.slice(0, at), ...items, ...target.slice(at)]);
  insertAt(notifications, notesBefore, byAt(parseNotes).map((p) => p.note));
  insertAt(model.parseErrors, errorsBefore, byAt(parseErrors).map((p) => p.error));
  pushAll(checkedFiles, byAt(checkedAt).map((c) => c.entry));
  // A unit rebuilt these files (a kustomize base): other formats' raw entries of them go.
  for (const files of covers.values()) dropCovered(model, files);

  // Notices about covered files (a chart template skipped by the plain Kubernetes format) go too.
  const coveredFiles = new Set([...covers.values()].flatMap((s) => [...s]));
  if (coveredFiles.size) replaceAll(noticesOf, noticesOf.filter((n) => !coveredFiles.has(n.file)));
  // One line per kind of notice, naming its files: a chart with forty templates is one note.
  const reportedNotices = scoped ? noticesOf.filter((n) => reportable.has(n.file)) : noticesOf;
  pushAll(notifications, groupNotices(reportedNotices));
  for (const f of checkedFiles) if (unitsOf.has(f.path)) f.units = unitsOf.get(f.path)!;
  const skipped = new Set(noticesOf.filter((n) => n.skipped).map((n) => n.file));
  if (skipped.size) replaceAll(checkedFiles, checkedFiles.filter((f) => !skipped.has(f.path)));
  if (scoped) replaceAll(checkedFiles, checkedFiles.filter((f) => reportable.has(f.path)));
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const fileText = (file: string) => byPath.get(file) ?? readCache.get(file) ?? undefined;
  // Rules run over the loose model and once per unit; a finding several units share is one finding naming them.
  // (Under --shard every unit waited to here: the keys are made from all of them.)
  const keys = options.shard ? shardKeys(waitingUnits) : undefined;
  for (const unit of waitingUnits.splice(0)) judgeUnit(unit, keys);
  const perModel = [runRules(model, rules, policy, options.levelFor, notifications).filter((f) => !keys || inShard(keys.file(f.location.file), options.shard))];
  for (const judged of judgedUnits) {
    pushAll(notifications, judged.notes);
    perModel.push(judged.findings);
  }
  let merged = perModel.length === 1 ? perModel[0]! : sortFindings(mergeUnitFindings(perModel.flat()));
  if (scoped) merged = merged.filter((f) => touchesFiles(f, reportable));
  merged = capFindingsPerLine(merged);
  const findings = merged.map((f) => scrubFinding(f, fileText));
  const textAt = (f: Omit<Finding, 'fingerprint'>) => fileText(f.location.file)?.text.slice(f.location.region.startOffset, f.location.region.endOffset) ?? '';
  const fingerprinted = assignFingerprints(findings, textAt);
  // Suppressions after fingerprints: a suppressed finding keeps its identity for SARIF and baselines.
  const inline = applyInlineSuppressions(fingerprinted, sources, rules, options.now ?? new Date());
  pushAll(notifications, inline.notifications);
  replaceAll(notifications, notifications.map((n) => scrubNotification(n, fileText)));
  // One redaction for every string that leaves the process: every secret value of the scan.
  const scanned = new Set(sources);
  // Rules run once per unit: a rule that throws on each says so once.
  const seenNotes = new Set<string>();
  replaceAll(notifications, notifications.filter((n) => {
    const key = `${n.kind ?? ''}\u0000${n.ruleId ?? ''}\u0000${n.file ?? ''}\u0000${n.level}\u0000${n.message}`;
    if (seenNotes.has(key)) return false;
    seenNotes.add(key);
    return true;
  }));
  const readSources = [...sources, ...[...readCache.values()].filter((s): s is SourceFile => !!s && !scanned.has(s))];
  // A text read again that was not the one read first ends the run, wherever its error was caught.
  for (const s of readSources) if (s instanceof ScannedSource) s.assertUnchanged();
  const secrets = collectSecrets(readSources);
  if (!options.baseline) return scrubResult({ root, findings: inline.findings, files: checkedFiles, notifications }, secrets);
  const baselined = applyBaseline(inline.findings, options.baseline, new Set(sources.map((s) => s.path)));
  pushAll(notifications, baselined.notifications);
  return scrubResult({ root, findings: baselined.findings, files: checkedFiles, notifications, staleBaselineEntries: baselined.stale }, secrets);
}

function groupNotices(notices: Notice[]): ToolNotification[] {
  const groups = new Map<string, Notice[]>();
  for (const n of notices) {
    const key = `${noticeLevel(n)}\u0000${noticeKind(n)}\u0000${n.message}`;
    const group = groups.get(key);
    if (group) group.push(n);
    else groups.set(key, [n]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const typed = { level: noticeLevel(first), kind: noticeKind(first) };
    if (group.length === 1) return { ...typed, message: `${first.file}: ${first.message}`, file: first.file };
    const names = group.slice(0, 5).map((n) => n.file).join(', ');
    const more = group.length > 5 ? ` and ${group.length - 5} more` : '';
    return { ...typed, message: `${first.message} (${group.length} files: ${names}${more})` };
  });
}

function toParseError(failure: ParseFailure, file: SourceFile | undefined) {
  const location: Location = failure.location ?? {
    file: failure.file,
    region: file ? file.index.region(0, Math.max(0, file.index.lineText(1).length)) : { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 },
  };
  return { file: failure.file, message: failure.message, location };
}

function internalError(file: string, where: string, error: unknown): ToolNotification {
  return internalProblem(file, where, error);
}

function runRules(
  model: Model,
  rules: Rule[],
  policy: Policy,
  levelFor: LintOptions['levelFor'],
  notifications: ToolNotification[],
): Omit<Finding, 'fingerprint'>[] {
  const findings: Omit<Finding, 'fingerprint'>[] = [];
  const activeRules = rules.filter((r) => (policy.rules[r.meta.id]?.level ?? policy.rules[r.meta.name]?.level) !== 'off');
  for (const rule of activeRules) {
    const setting = policy.rules[rule.meta.id] ?? policy.rules[rule.meta.name];
    const baseLevel = (setting?.level && setting.level !== 'off' ? setting.level : rule.meta.level) as Level;
    try {
      rule.check(model, {
        policy,
        options: setting?.options ?? {},
        report(d) {
          const level = levelFor ? levelFor(rule.meta.id, rule.meta.name, d.location.file, baseLevel) : baseLevel;
          if (level === 'off') return;
          findings.push({
            ruleId: rule.meta.id,
            ruleName: rule.meta.name,
            level,
            message: reportMessage(rule.meta, d),
            location: d.location,
            related: relatedWithHops(d.location, d.related ?? [], d.via),
            subjects: d.subjects,
            ...(d.fix ? { fix: d.fix } : {}),
            suppressions: [],
          });
        },
      });
    } catch (error) {
      notifications.push({ ...internalProblem(undefined, `rule ${rule.meta.id}`, error), ruleId: rule.meta.id });
    }
  }
  return sortFindings(applyPrecedence(findings, activeRules));
}

/** SPEC: one exposure gives one finding, the most specific (PW007 > PW004 > PW002 > PW001). */
function applyPrecedence<T extends { ruleId: string; subjects: string[] }>(findings: T[], rules: Rule[]): T[] {
  const supersededBy = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const lower of rule.meta.supersedes ?? []) {
      if (!supersededBy.has(lower)) supersededBy.set(lower, new Set());
      supersededBy.get(lower)!.add(rule.meta.id);
    }
  }
  const subjectsByRule = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!subjectsByRule.has(f.ruleId)) subjectsByRule.set(f.ruleId, new Set());
    for (const s of f.subjects) subjectsByRule.get(f.ruleId)!.add(s);
  }
  // Transitive: a rule superseded by a rule that is itself superseded on that subject still loses.
  return findings.filter((f) => {
    const higher = supersededBy.get(f.ruleId);
    if (!higher) return true;
    for (const h of higher) {
      const subjects = subjectsByRule.get(h);
      if (subjects && f.subjects.some((s) => subjects.has(s))) return false;
    }
    return true;
  });
}

export function sortFindings<T extends { ruleId: string; location: Location; message: string }>(findings: T[]): T[] {
  return [...findings].sort((a, b) => {
    if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
    const ra = a.location.region;
    const rb = b.location.region;
    return ra.startLine - rb.startLine || ra.startColumn - rb.startColumn || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
  });
}

/**
 * The real folder a read root stands for: the scan root itself resolved; a named folder as its
 * real parent plus its own name (so a linked folder pointing out of the tree is no root); a named
 * file as its real parent. Undefined when it is missing.
 */
function realFolder(absolute: string, resolveSelf: boolean): string | undefined {
  try {
    if (resolveSelf) return realpathSync.native(absolute);
    const parent = realpathSync.native(path.dirname(absolute));
    return statSync(absolute).isDirectory() ? path.join(parent, path.basename(absolute)) : parent;
  } catch {
    return undefined;
  }
}
