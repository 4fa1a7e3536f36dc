/**
 * Which files are Terraform's, by name and a cheap look at the content. Kept apart from the
 * format (index.ts) so that the registry can tell whether a scan needs Terraform at all before
 * loading its parser and evaluator (formats/index.ts).
 */
import type { SourceFile } from '../types.js';

export const TERRAFORM = { id: 'terraform', name: 'Terraform' } as const;

export type FileKind = 'hcl' | 'tf-json' | 'tfvars' | 'tfvars-json' | 'plan';

/** Standard input without --stdin-filename (the engine names it "<stdin>"). */
export function isUnnamedStdin(path: string): boolean {
  return path.startsWith('<stdin>');
}

/**
 * What a file is, by its name. Standard input is named by --stdin-filename, so
 * `cat main.tf | portwall - --stdin-filename main.tf` is HCL by its extension; unnamed
 * standard input is claimed only by content: a plan document, or HCL with a top-level
 * resource/data/module/variable block (see `looksLikeHcl`).
 */
export function fileKind(path: string, text: string): FileKind | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.tf')) return 'hcl';
  if (p.endsWith('.tf.json')) return 'tf-json';
  if (p.endsWith('.tfvars')) return 'tfvars';
  if (p.endsWith('.tfvars.json')) return 'tfvars-json';
  if (isUnnamedStdin(p) && !looksLikePlan(text) && looksLikeHcl(text)) return 'hcl';
  // `terraform show -json plan | portwall -` is the natural way to check a plan.
  if (p.endsWith('.json') || isUnnamedStdin(p)) return 'plan';
  return undefined;
}

export function looksLikePlan(text: string): boolean {
  return text.trimStart().startsWith('{') && text.includes('"format_version"') && (text.includes('"planned_values"') || text.includes('"resource_changes"'));
}

/**
 * A cheap sniff for Terraform HCL: a line that starts a labelled top-level block such as
 * `resource "aws_security_group" "web" {`. YAML, JSON and datastore config files do not
 * have such lines, so another format's input is not taken; a .tf file with only locals,
 * providers or outputs is not recognised this way (and has nothing to check anyway).
 */
const HCL_BLOCK_LINE = /^(?:resource|data)[ \t]+"[\w-]+"[ \t]+"[\w-]+"[ \t]*\{|^(?:module|variable)[ \t]+"[\w-]+"[ \t]*\{/m;

function looksLikeHcl(text: string): boolean {
  return HCL_BLOCK_LINE.test(text);
}

/** Claimed by name, and a plan document by its content too. */
export function detectTerraform(file: SourceFile): boolean {
  const kind = fileKind(file.path, file.text);
  if (!kind) return false;
  return kind !== 'plan' || looksLikePlan(file.text);
}
