/**
 * A CloudFormation template read from the shared YAML AST (JSON templates are YAML too):
 * its Parameters, Mappings and Resources, each entry kept as a node so that every value
 * can be located. Recognition lives here because parse and detect share it.
 */
import { isMap, type Node } from 'yaml';
import type { Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';
import { getEntry, mapEntries, nodeLocation, scalarText, type MapEntry, type YamlDocument } from '../yaml/index.js';

export interface CfnResource {
  logicalId: string;
  /** The logical-id key: where "public because something is missing" is reported. */
  keyLocation: Location;
  type: string;
  properties: Node | undefined;
  /** The resource-level `Condition:` it is created under, if any. */
  condition?: string;
}

export interface CfnTemplate {
  doc: YamlDocument;
  parameters: Map<string, MapEntry>;
  mappings: Node | undefined;
  /** Conditions by name, for the provenance of `!If` branches. */
  conditions?: Map<string, MapEntry>;
  resources: CfnResource[];
  /** Logical id -> resource type, for Ref/GetAtt to resources. */
  resourceTypes: Map<string, CfnResource>;
}

/** Cheap text check before parsing: a template names its version or an AWS resource type. */
export function mayBeTemplate(text: string): boolean {
  return text.includes('AWSTemplateFormatVersion') || /["']?\bType["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(text);
}

/** Strong enough to claim a broken file as CloudFormation (PW000) instead of passing it on. */
export function claimsBrokenTemplate(text: string): boolean {
  return /^\s*["']?AWSTemplateFormatVersion["']?\s*:/m.test(text) || (/^\s*["']?Resources["']?\s*:/m.test(text) && mayBeTemplate(text));
}

/**
 * The template in a parsed document, or undefined when this is not a template:
 * a top-level map with AWSTemplateFormatVersion, or with a Resources map whose entries
 * have `Type: AWS::...` (templates may omit the version).
 */
export function readTemplate(file: SourceFile, doc: YamlDocument): CfnTemplate | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const version = getEntry(root, 'AWSTemplateFormatVersion', doc);
  const resourcesEntry = getEntry(root, 'Resources', doc);
  const resources: CfnResource[] = [];
  let awsTypes = 0;
  for (const entry of mapEntries(resourcesEntry?.value, doc)) {
    const type = scalarText(getEntry(entry.value, 'Type', doc)?.value);
    if (type === undefined) continue;
    if (/^AWS::/.test(type)) awsTypes++;
    const condition = scalarText(getEntry(entry.value, 'Condition', doc)?.value);
    resources.push({
      logicalId: entry.key,
      keyLocation: nodeLocation(file, entry.keyNode),
      type,
      properties: getEntry(entry.value, 'Properties', doc)?.value,
      ...(condition ? { condition } : {}),
    });
  }
  if (!version && awsTypes === 0) return undefined;
  const parameters = new Map<string, MapEntry>();
  for (const entry of mapEntries(getEntry(root, 'Parameters', doc)?.value, doc)) parameters.set(entry.key, entry);
  return {
    doc,
    parameters,
    mappings: getEntry(root, 'Mappings', doc)?.value,
    conditions: new Map(mapEntries(getEntry(root, 'Conditions', doc)?.value, doc).map((e) => [e.key, e])),
    resources,
    resourceTypes: new Map(resources.map((r) => [r.logicalId, r])),
  };
}
