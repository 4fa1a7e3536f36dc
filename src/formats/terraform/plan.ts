/**
 * `terraform show -json` plans: every variable and module is already resolved there, so the
 * resources of planned_values (root and child modules) become instances directly; values
 * known only after apply (change.after_unknown) become unknowns. Locations are the JSON values.
 */
import type { ResourceInstance } from './instances.js';
import type { JsonNode } from './json-located.js';
import { jsonEntry } from './json-located.js';
import type { FileRef, ObjectValue, TfValue } from './values.js';
import { jsonValue, object, region, unknown } from './values.js';

const MAX_MODULE_DEPTH = 64;

export function isPlanDocument(root: JsonNode): boolean {
  return root.kind === 'object' && jsonEntry(root, 'format_version') !== undefined && (jsonEntry(root, 'planned_values') !== undefined || jsonEntry(root, 'resource_changes') !== undefined);
}

export function planInstances(root: JsonNode, file: FileRef): ResourceInstance[] {
  const afterUnknown = new Map<string, JsonNode>();
  const changes = jsonEntry(root, 'resource_changes');
  const fromChanges: ResourceInstance[] = [];
  for (const change of changes?.kind === 'array' ? changes.items : []) {
    const address = stringAt(change, 'address');
    const body = jsonEntry(change, 'change');
    if (!address || !body) continue;
    const unknownTree = jsonEntry(body, 'after_unknown');
    if (unknownTree) afterUnknown.set(address, unknownTree);
    const actions = jsonEntry(body, 'actions');
    const deleteOnly = actions?.kind === 'array' && actions.items.every((a) => a.kind === 'string' && a.value === 'delete');
    const after = jsonEntry(body, 'after');
    if (!deleteOnly && after && after.kind === 'object') {
      const instance = toInstance(change, after, file);
      if (instance) fromChanges.push(instance);
    }
  }

  const planned = jsonEntry(jsonEntry(root, 'planned_values'), 'root_module');
  const instances: ResourceInstance[] = [];
  if (planned) collectModule(planned, file, instances, 0);
  // planned_values is the complete picture; resource_changes only fill in for plans without it.
  const result = planned ? instances : fromChanges;
  for (const instance of result) {
    const tree = afterUnknown.get(instance.address);
    if (tree) markUnknown(instance.value, tree, instance, 0);
  }
  const references = configurationReferences(jsonEntry(jsonEntry(root, 'configuration'), 'root_module'), '', new Map(), 0);
  for (const instance of result) {
    const refs = references.get(instance.resourceAddress);
    if (refs) linkReferences(instance, refs);
  }
  return result;
}

/**
 * The plan's `configuration` keeps which resource each attribute referred to
 * (`server_id = azurerm_mssql_server.main.id`), even where the value is known only after
 * apply. Keyed by module path + resource address; values are attribute -> referenced resource.
 */
function configurationReferences(module: JsonNode | undefined, prefix: string, out: Map<string, Map<string, string>>, depth: number): Map<string, Map<string, string>> {
  if (!module || depth > MAX_MODULE_DEPTH) return out;
  const resources = jsonEntry(module, 'resources');
  for (const resource of resources?.kind === 'array' ? resources.items : []) {
    const address = stringAt(resource, 'address');
    const expressions = jsonEntry(resource, 'expressions');
    if (!address || expressions?.kind !== 'object') continue;
    const byAttribute = new Map<string, string>();
    for (const entry of expressions.entries) {
      const refs = jsonEntry(entry.value, 'references');
      const target = (refs?.kind === 'array' ? refs.items : []).find((r) => r.kind === 'string' && /^[a-z][\w-]*\.[\w-]+$/.test(r.value) && !r.value.startsWith('var.') && !r.value.startsWith('local.'));
      if (target?.kind === 'string') byAttribute.set(entry.key, prefix + target.value);
    }
    if (byAttribute.size > 0) out.set(prefix + address, byAttribute);
  }
  const calls = jsonEntry(module, 'module_calls');
  for (const call of calls?.kind === 'object' ? calls.entries : []) {
    configurationReferences(jsonEntry(call.value, 'module'), `${prefix}module.${call.key}.`, out, depth + 1);
  }
  return out;
}

function linkReferences(instance: ResourceInstance, refs: Map<string, string>): void {
  for (const [attribute, target] of refs) {
    const current = instance.value.entries.get(attribute);
    if (current) instance.value.entries.set(attribute, { ...current, via: target });
    else instance.value.entries.set(attribute, { ...unknown(`${instance.address}.${attribute} is known only after apply`, `${instance.address}.${attribute}`, instance.header), via: target });
  }
}

function collectModule(module: JsonNode, file: FileRef, out: ResourceInstance[], depth: number): void {
  if (depth > MAX_MODULE_DEPTH) return;
  const resources = jsonEntry(module, 'resources');
  for (const resource of resources?.kind === 'array' ? resources.items : []) {
    const values = jsonEntry(resource, 'values');
    const instance = toInstance(resource, values, file);
    if (instance) out.push(instance);
  }
  const children = jsonEntry(module, 'child_modules');
  for (const child of children?.kind === 'array' ? children.items : []) collectModule(child, file, out, depth + 1);
}

/** "module.a.module.b." of "module.a.module.b.aws_x.y[0]" ("" at the root). */
function modulePath(address: string): string {
  const m = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)/.exec(address);
  return (m?.[1] ?? '').replace(/\[[^\]]*\]/g, '');
}

function stringAt(node: JsonNode, key: string): string | undefined {
  const v = jsonEntry(node, key);
  return v?.kind === 'string' ? v.value : undefined;
}

function toInstance(resource: JsonNode, values: JsonNode | undefined, file: FileRef): ResourceInstance | undefined {
  const address = stringAt(resource, 'address');
  const type = stringAt(resource, 'type');
  const name = stringAt(resource, 'name');
  if (!address || !type || !name) return undefined;
  const mode = stringAt(resource, 'mode') === 'data' ? 'data' : 'managed';
  const addressNode = jsonEntry(resource, 'address')!;
  const header = region(file, addressNode.start, addressNode.end);
  const evaluated = values ? jsonValue(values, file) : undefined;
  const value: ObjectValue = evaluated?.kind === 'object' ? evaluated : object(new Map(), header);
  return {
    mode,
    type,
    name,
    address,
    // Module path + type.name: references inside a module name resources of that module.
    resourceAddress: `${modulePath(address)}${mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`}`,
    value,
    header,
    file: file.path,
  };
}

/** after_unknown mirrors the values: `true` where a value is known only after apply. */
function markUnknown(value: TfValue, tree: JsonNode, instance: ResourceInstance, depth: number): void {
  const address = instance.address;
  if (depth > 32) return;
  if (value.kind === 'object' && tree.kind === 'object') {
    for (const entry of tree.entries) {
      const current = value.entries.get(entry.key);
      if (entry.value.kind === 'bool' && entry.value.value) {
        if (!current || current.kind === 'null') {
          value.entries.set(entry.key, unknown(`${address}.${entry.key} is known only after apply`, `${address}.${entry.key}`, current?.loc ?? instance.header));
        }
      } else if (current) markUnknown(current, entry.value, instance, depth + 1);
    }
  } else if (value.kind === 'list' && tree.kind === 'array') {
    tree.items.forEach((item, i) => {
      const current = value.items[i];
      if (item.kind === 'bool' && item.value && current) value.items[i] = unknown(`${address} has a value known only after apply`, address, current.loc);
      else if (current) markUnknown(current, item, instance, depth + 1);
    });
  }
}
