/**
 * Cloud CLI JSON: what `aws ec2 describe-security-groups` / `describe-security-group-rules`,
 * `az network nsg list|show|rule list` and `gcloud compute firewall-rules list --format=json`
 * print, saved to a file. Recognized by content, parsed once with the shared YAML parser
 * (JSON is YAML; the CLIs' YAML output works too), adapted into firewall exposures.
 * Depends on core/, model/ and formats/yaml only.
 */
import { isMap, isSeq, type Node } from 'yaml';
import type { Exposure, Notice } from '../../model/types.js';
import type { Format, SourceFile } from '../types.js';
import { parseYaml, type YamlDocument } from '../yaml/index.js';
import { describeSecurityGroupRules, describeSecurityGroups } from './aws.js';
import { isRule, networkSecurityGroups } from './azure.js';
import { firewallRules, isFirewallRule } from './gcloud.js';
import { child, items, type CloudJsonContext } from './nodes.js';

type CloudJsonProvider = 'aws-security-groups' | 'aws-security-group-rules' | 'azure-nsg' | 'gcloud-firewall';

interface CloudJsonParsed {
  provider: CloudJsonProvider;
  doc: YamlDocument;
  root: Node;
}

const NAME = /\.(json|ya?ml)$/i;
/** Keys only these outputs have, quoted (JSON) or not (YAML output). */
const MARKERS = /["']?(IpPermissions|SecurityGroupRules|securityRules|defaultSecurityRules|sourceAddressPrefix|sourceRanges|IPProtocol)["']?\s*:|compute#firewall|Microsoft\.Network\/networkSecurityGroups/;

function recognize(ctx: CloudJsonContext, root: Node): CloudJsonProvider | undefined {
  if (isMap(root)) {
    if (isSeq(child(ctx, root, 'SecurityGroups')) && items(ctx, root, 'SecurityGroups').some((g) => child(ctx, g, 'IpPermissions') || child(ctx, g, 'GroupId'))) return 'aws-security-groups';
    if (isSeq(child(ctx, root, 'SecurityGroupRules'))) return 'aws-security-group-rules';
  }
  const list = isSeq(root) ? items(ctx, root) : [root];
  const first = list.find((n) => isMap(n));
  if (!first) return undefined;
  const body = child(ctx, first, 'properties') ?? first;
  if (child(ctx, body, 'securityRules') || child(ctx, body, 'defaultSecurityRules') || isRule(ctx, first)) return 'azure-nsg';
  if (isFirewallRule(ctx, first) && (child(ctx, first, 'sourceRanges') || child(ctx, first, 'direction') || child(ctx, first, 'network'))) return 'gcloud-firewall';
  return undefined;
}

export const cloudJsonFormat: Format<CloudJsonParsed> = {
  id: 'cloud-json',
  name: 'cloud CLI JSON',
  detect(file) {
    return (NAME.test(file.path) || file.path.startsWith('<stdin>')) && MARKERS.test(file.text);
  },
  parse(file) {
    try {
      const { documents, failure } = parseYaml(file);
      // A broken .json file with these keys is cloud output we cannot read: say so (PW000).
      if (failure) return /\.json$/i.test(file.path) && /["'](IpPermissions|securityRules|sourceRanges)["']\s*:/.test(file.text) ? { failure } : null;
      const doc = documents[0];
      const root = doc?.contents as Node | null | undefined;
      if (!doc || !root) return null;
      const provider = recognize({ file, doc }, root);
      return provider ? { parsed: { provider, doc, root } } : null;
    } catch (error) {
      return { failure: { file: file.path, message: `cloud CLI output could not be read: ${(error as Error).message}` } };
    }
  },
  adapt(files) {
    const exposures: Exposure[] = [];
    const notices: Notice[] = [];
    for (const { file, parsed } of files) {
      const dropped: { what: string; reason: string }[] = [];
      try {
        for (const e of adaptOne({ file, doc: parsed.doc, dropped }, parsed)) exposures.push(e);
      } catch (error) {
        notices.push(internalNotice(file, error));
      }
      if (dropped.length > 0) {
        const first = dropped.slice(0, 5).map((d) => `${d.what} (${d.reason})`).join(', ');
        const more = dropped.length > 5 ? ` and ${dropped.length - 5} more` : '';
        notices.push({ file: file.path, level: 'warning', kind: 'unknown', message: `${dropped.length} entr${dropped.length === 1 ? 'y' : 'ies'} could not be judged and ${dropped.length === 1 ? 'was' : 'were'} not checked: ${first}${more}` });
      }
    }
    return { model: { exposures }, notices };
  },
};

function adaptOne(ctx: CloudJsonContext, parsed: CloudJsonParsed): Exposure[] {
  switch (parsed.provider) {
    case 'aws-security-groups':
      return describeSecurityGroups(ctx, parsed.root);
    case 'aws-security-group-rules':
      return describeSecurityGroupRules(ctx, parsed.root);
    case 'azure-nsg':
      return networkSecurityGroups(ctx, parsed.root);
    case 'gcloud-firewall':
      return firewallRules(ctx, parsed.root);
  }
}

function internalNotice(file: SourceFile, error: unknown): Notice {
  return { file: file.path, level: 'warning', kind: 'internal', message: `cloud CLI output could not be evaluated: ${(error as Error)?.message ?? String(error)}` };
}
