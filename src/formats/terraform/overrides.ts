/**
 * Terraform override files (override.tf, *_override.tf and their .tf.json forms), merged
 * the way Terraform merges them after loading the module's other files, in name order
 * (https://developer.hashicorp.com/terraform/language/files/override):
 * - an attribute of an override block replaces the original's attribute of that name;
 * - nested blocks of a type present in the override replace every original block of that
 *   type (a `dynamic "x"` block counts as a block of type x);
 * - locals replace locals of the same name; variables merge like blocks (default included).
 * Merged nodes keep their own file (`Attribute.file` / `Block.file`), so a finding caused by
 * a value written in an override file points into the override file.
 */
import type { Attribute, Block } from './ast.js';
import type { FileRef } from './values.js';
import { pushAll } from '../../core/arrays.js';

export function isOverrideFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^(?:override|.+_override)\.tf(?:\.json)?$/.test(name);
}

/** The block type a nested block produces: `dynamic "ingress"` produces ingress blocks. */
function producedType(block: Block): string {
  return block.type === 'dynamic' ? (block.labels[0]?.value ?? 'dynamic') : block.type;
}

function tagAttribute(a: Attribute, file: FileRef): Attribute {
  return a.file ? a : { ...a, file };
}

function tagBlock(b: Block, file: FileRef): Block {
  return b.file ? b : { ...b, file };
}

/**
 * The original block with the override's attributes and nested blocks merged in. The parsed
 * bodies are not mutated. An override attribute also replaces original blocks of that name
 * and vice versa: JSON syntax writes nested blocks as attributes, and Terraform (which knows
 * the schema) treats both spellings as the same argument.
 */
export function mergeBlock(original: Block, override: Block, file: FileRef): Block {
  const overrideAttributes = new Map(override.body.attributes.map((a) => [a.name, tagAttribute(a, file)]));
  const overrideBlockTypes = new Set(override.body.blocks.map(producedType));
  const attributes: Attribute[] = [];
  for (const a of original.body.attributes) {
    if (overrideBlockTypes.has(a.name)) continue;
    const replacement = overrideAttributes.get(a.name);
    attributes.push(replacement ?? a);
    overrideAttributes.delete(a.name);
  }
  pushAll(attributes, overrideAttributes.values());
  const replacedByAttribute = new Set(override.body.attributes.map((a) => a.name));
  const blocks = original.body.blocks.filter((b) => !overrideBlockTypes.has(producedType(b)) && !replacedByAttribute.has(producedType(b)));
  pushAll(blocks, override.body.blocks.map((b) => tagBlock(b, file)));
  return { ...original, body: { ...original.body, attributes, blocks } };
}
