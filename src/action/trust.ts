/**
 * What a pull request does to the policy that judges it. A PR can silence a finding instead of
 * fixing it: a `portwall-ignore` comment, a baseline entry, or a config change (rules, ignore,
 * overrides, allowedPublicPorts, trustedSources, the baseline path...). Each is called out: a
 * review comment on that line saying what it silences, and a line in the summary comment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import { BASELINE_FILE_NAME } from '../engine/baseline.js';
import { discoverConfig } from '../engine/config.js';
import { lineOf, parseLocatedDocument, type LocatedDocument } from '../engine/config-document.js';
import { code, escapeText } from './markdown.js';

export interface CallOut {
  /** Stable identity across runs (kept in the comment's hidden id line). */
  id: string;
  file: string;
  line: number;
  /** Last line of what is called out (a config key's value); the comment goes on a changed line in [line, endLine]. */
  endLine?: number;
  /** One-line statement, Markdown-safe text is built by the caller from these parts. */
  what: string;
  /** `what` as markdown, when it quotes a name from the repository as code (the config key). */
  whatMarkdown?: string;
  /** The findings it silences (may be empty: a change with no effect today). */
  silences: Finding[];
  /** The head's policy is not the one applied (config-from base): the change takes effect once merged. */
  notApplied?: boolean;
}

/** Config keys that change what is reported. */
const POLICY_KEYS = ['rules', 'ignore', 'overrides', 'allowedPublicPorts', 'trustedSources', 'baseline', 'publicPrefixThreshold', 'publicPrefixThresholdIpv6', 'extraDatastorePorts', 'extraDatastoreImages', 'plugins', 'customRules'] as const;

interface PolicyFiles {
  config?: { file: string; doc?: LocatedDocument; unreadable?: string };
  baseline?: { file: string; fingerprints: Map<string, number> };
}

/** The config document and baseline a tree holds (raw: no rule loading, no code run). */
export function readPolicyFiles(root: string, configInput: string | undefined): PolicyFiles {
  const out: PolicyFiles = {};
  let configAbs: string | undefined;
  try {
    configAbs = configInput ? path.resolve(root, configInput) : discoverConfig(root);
  } catch {
    configAbs = undefined;
  }
  let baselineAbs = path.join(root, BASELINE_FILE_NAME);
  if (configAbs && existsSync(configAbs)) {
    const file = rel(root, configAbs);
    try {
      const doc = parseLocatedDocument(readFileSync(configAbs, 'utf8').replace(/^\ufeff/, ''), configAbs, file);
      out.config = { file, doc };
      const named = (doc.data as { baseline?: unknown }).baseline;
      if (typeof named === 'string') baselineAbs = path.resolve(path.dirname(configAbs), named);
    } catch (error) {
      out.config = { file, unreadable: (error as Error).message };
    }
  }
  if (existsSync(baselineAbs)) {
    const text = readFileSync(baselineAbs, 'utf8');
    const fingerprints = new Map<string, number>();
    text.split(/\r?\n/).forEach((line, i) => {
      const m = /^\s*"([0-9a-f]{8,64})"\s*:/.exec(line);
      if (m && !fingerprints.has(m[1]!)) fingerprints.set(m[1]!, i + 1);
    });
    out.baseline = { file: rel(root, baselineAbs), fingerprints };
  }
  return out;
}

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** Top-level policy keys whose value differs between the two config documents. */
export function changedPolicyKeys(base: PolicyFiles, head: PolicyFiles): string[] {
  const data = (p: PolicyFiles) => (p.config?.doc?.data ?? {}) as Record<string, unknown>;
  const b = data(base);
  const h = data(head);
  return POLICY_KEYS.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(h[key]));
}

export function callOuts(input: {
  base: PolicyFiles;
  head: PolicyFiles;
  /** Findings of the head that are suppressed but were not in the base (new, or active there). */
  newlySilenced: Finding[];
  /** Every head finding (to name what an added baseline entry silences). */
  headFindings: Finding[];
  /** Findings the head's config changes silence on the head tree (base policy minus head policy). */
  silencedByConfig: Finding[];
  configFrom: 'head' | 'base';
}): CallOut[] {
  const out: CallOut[] = [];
  const notApplied = input.configFrom === 'base';

  // Suppression comments.
  const byComment = new Map<string, CallOut>();
  for (const f of input.newlySilenced) {
    for (const s of f.suppressions) {
      if (s.kind !== 'inSource' || !s.location) continue;
      const key = `${s.location.file}:${s.location.region.startLine}`;
      let call = byComment.get(key);
      if (!call) {
        call = { id: `suppression:${key}`, file: s.location.file, line: s.location.region.startLine, what: 'a portwall-ignore comment', silences: [] };
        byComment.set(key, call);
        out.push(call);
      }
      if (!call.silences.includes(f)) call.silences.push(f);
    }
  }

  // Identity by what it silences, not by its line: a push that moves the comment keeps its review comment.
  for (const call of byComment.values()) call.id = `suppression:${call.file}:${call.silences.map((f) => f.fingerprint.slice(0, 12)).sort().join('+')}`;

  // Baseline entries the PR adds (or that silence a finding the PR introduces).
  const headBaseline = input.head.baseline;
  const baseEntries = input.base.baseline?.fingerprints ?? new Map<string, number>();
  if (headBaseline) {
    const byFingerprint = new Map(input.headFindings.map((f) => [f.fingerprint, f]));
    for (const [fingerprint, line] of headBaseline.fingerprints) {
      if (baseEntries.has(fingerprint)) continue;
      const finding = byFingerprint.get(fingerprint);
      out.push({ id: `baseline:${fingerprint}`, file: headBaseline.file, line, what: `a baseline entry in ${headBaseline.file}`, silences: finding ? [finding] : [], ...(notApplied ? { notApplied } : {}) });
    }
  }

  // Config keys.
  const headConfig = input.head.config;
  if (headConfig?.unreadable && input.base.config?.unreadable !== headConfig.unreadable) {
    // Not a list of key changes: the whole file is unusable (and, under config-from head, the run fails on it).
    out.push({ id: `config:${headConfig.file}:invalid`, file: headConfig.file, line: 1, what: `an invalid ${headConfig.file} (${headConfig.unreadable.split('\n')[0]})`, silences: input.silencedByConfig, ...(notApplied ? { notApplied } : {}) });
    return out;
  }
  const changed = changedPolicyKeys(input.base, input.head);
  if (changed.length > 0) {
    const file = headConfig?.file ?? input.base.config?.file ?? 'portwall.config.yml';
    changed.forEach((key, i) => {
      const line = headConfig?.doc ? lineOf(headConfig.doc, [key]) : 1;
      const endLine = headConfig?.doc ? valueEndLine(headConfig.doc, key) ?? line : line;
      // The effect is measured for all changed keys together; it is listed on the first one.
      out.push({ id: `config:${file}:${key}`, file, line, endLine, what: `a change of \`${key}\` in ${file}`, whatMarkdown: `a change of ${code(key)} in ${escapeText(file)}`, silences: i === 0 ? input.silencedByConfig : [], ...(notApplied ? { notApplied } : {}) });
    });
  }
  return out;
}

function valueEndLine(doc: LocatedDocument, key: string): number | undefined {
  const contents = doc.doc.contents as { items?: { key?: { value?: unknown }; value?: { range?: [number, number, number] } | null }[] } | null;
  const pair = contents?.items?.find((p) => String(p.key?.value) === key);
  const end = pair?.value?.range?.[1];
  return end === undefined ? undefined : doc.index.position(Math.max(0, end - 1)).line;
}
