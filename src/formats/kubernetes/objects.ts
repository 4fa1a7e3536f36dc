/**
 * The Kubernetes objects of a file: every document with apiVersion + kind, with `kind: List`
 * (and `<Kind>List` from `kubectl get -o yaml`) flattened into its items.
 */
import type { Node } from 'yaml';
import { AliasBudget, getEntry, mapEntries, scalarText, seqItems, type YamlDocument } from '../yaml/index.js';
import type { SourceFile } from '../types.js';

const DEFAULT_NAMESPACE = 'default';
const MAX_LIST_DEPTH = 4;

export interface K8sObject {
  file: SourceFile;
  doc: YamlDocument;
  /** The object's mapping node. */
  node: Node;
  apiVersion: string;
  kind: string;
  /** metadata.name, or metadata.generateName, or "<unnamed>". */
  name: string;
  namespace: string;
  /** Where the object sits in the file ("documents[2]", "documents[0].items[3]"), for stable ids. */
  path: string;
}

export function collectObjects(file: SourceFile, documents: YamlDocument[]): K8sObject[] {
  const out: K8sObject[] = [];
  documents.forEach((doc, i) => {
    if (doc.contents) addObject(file, doc, doc.contents as Node, `documents[${i}]`, out, 0);
  });
  return out;
}

function addObject(file: SourceFile, doc: YamlDocument, node: Node, path: string, out: K8sObject[], depth: number): void {
  const apiVersion = scalarText(getEntry(node, 'apiVersion', doc)?.value, file);
  const kind = scalarText(getEntry(node, 'kind', doc)?.value, file);
  if (!apiVersion || !kind) return;
  const items = getEntry(node, 'items', doc);
  if (/List$/.test(kind) && items) {
    if (depth >= MAX_LIST_DEPTH) return;
    seqItems(items.value, doc).forEach((item, i) => addObject(file, doc, item, `${path}.items[${i}]`, out, depth + 1));
    return;
  }
  const metadata = getEntry(node, 'metadata', doc)?.value;
  const name = scalarText(getEntry(metadata, 'name', doc)?.value, file) || scalarText(getEntry(metadata, 'generateName', doc)?.value, file) || '<unnamed>';
  const namespace = scalarText(getEntry(metadata, 'namespace', doc)?.value, file) || DEFAULT_NAMESPACE;
  out.push({ file, doc, node, apiVersion, kind, name, namespace, path });
}

/** A mapping of strings (labels, annotations, selector) with the value nodes kept for locations. */
export function stringMap(node: unknown, object: Pick<K8sObject, 'doc' | 'file'>): Map<string, { value: string; node: Node | undefined }> {
  const out = new Map<string, { value: string; node: Node | undefined }>();
  for (const entry of mapEntries(node, object.doc, new AliasBudget())) {
    const value = scalarText(entry.value, object.file);
    if (value !== undefined) out.set(entry.key, { value, node: entry.value });
  }
  return out;
}

/** Follow a path of keys from the object's root (`spec`, `template`, `spec`). */
export function entryAt(object: Pick<K8sObject, 'doc' | 'node'>, keys: readonly string[], from: unknown = object.node): Node | undefined {
  let current: unknown = from;
  for (const key of keys) {
    current = getEntry(current, key, object.doc)?.value;
    if (!current) return undefined;
  }
  return current as Node;
}

export function objectRef(object: K8sObject): string {
  return `${object.kind}/${object.name}`;
}
