/**
 * YAML settings files (elasticsearch.yml, opensearch.yml, mongod.conf) read as dotted keys:
 * Elasticsearch treats `network: {host: x}` and `network.host: x` as the same setting, so both
 * spellings (and any mix) flatten to `network.host`, each keeping the pair it came from.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';
import { AliasBudget, deref, mapEntries, nodeLocation, scalarText, type YamlDocument } from '../yaml/index.js';

export interface YamlSetting {
  /** Dotted key: "network.host". */
  key: string;
  keyNode: Node;
  /** The value, aliases resolved (a mapping for section keys such as `net`). */
  value: Node | undefined;
  pair: Pair;
}

/** Bounds for hostile input: settings files are small and shallow. */
const MAX_DEPTH = 16;
const MAX_SETTINGS = 20_000;

/** Every key of the document, sections included, by dotted name; a later duplicate wins, as in the datastores. */
export function flattenSettings(doc: YamlDocument): Map<string, YamlSetting> {
  const settings = new Map<string, YamlSetting>();
  const budget = new AliasBudget();
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const entry of mapEntries(node, doc, budget)) {
      if (settings.size >= MAX_SETTINGS) return;
      const key = prefix ? `${prefix}.${entry.key}` : entry.key;
      settings.delete(key); // re-insert so that iteration order follows the file
      settings.set(key, { key, keyNode: entry.keyNode, value: entry.value, pair: entry.pair });
      if (isMap(entry.value)) walk(entry.value, key, depth + 1);
    }
  };
  walk(doc.contents, '', 0);
  return settings;
}

/** The keys at the top of the document, in file order. */
export function topLevelKeys(doc: YamlDocument): string[] {
  return mapEntries(doc.contents, doc).map((e) => e.key);
}

/** A scalar setting's text (unquoted, author's spelling for numbers and booleans). */
export function settingText(file: SourceFile, setting: YamlSetting | undefined): string | undefined {
  return setting ? scalarText(setting.value, file) : undefined;
}

/** The items of a list value, or the comma-separated parts of a scalar, each with its node. */
export function settingItems(file: SourceFile, setting: YamlSetting, doc: YamlDocument): { text: string; node: Node | Pair }[] {
  if (isSeq(setting.value)) {
    return setting.value.items
      .map((item) => deref(item, doc))
      .filter((node): node is Node => isScalar(node))
      .flatMap((node) => (scalarText(node, file) ?? '').split(',').map((text) => ({ text: text.trim(), node })));
  }
  const text = scalarText(setting.value, file);
  if (text === undefined) return [];
  return text.split(',').map((part) => ({ text: part.trim(), node: setting.pair }));
}

export function isTrue(text: string | undefined): boolean {
  return text !== undefined && /^(true|yes|on)$/i.test(text.trim());
}

export function isFalse(text: string | undefined): boolean {
  return text !== undefined && /^(false|no|off)$/i.test(text.trim());
}

/** Where a setting is: from its key to the end of its value, without a trailing comment. */
export function settingLocation(file: SourceFile, setting: YamlSetting): Location {
  return nodeLocation(file, isMap(setting.value) ? setting.keyNode : setting.pair);
}
