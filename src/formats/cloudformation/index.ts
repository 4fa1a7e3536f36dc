/**
 * AWS CloudFormation templates (YAML and JSON), recognized by content: security groups,
 * ingress rules and network ACL entries become firewall exposures; RDS, Redshift and
 * OpenSearch/Elasticsearch domains become managed datastores. Intrinsic functions are
 * evaluated with locations (intrinsics.ts). Depends on core/, model/ and the shared YAML parser.
 */
import type { ManagedDatastore, Exposure, Notice } from '../../model/types.js';
import type { Format, ParseFailure, SourceFile, UnitResult } from '../types.js';
import { parseYaml } from '../yaml/index.js';
import { DATASTORE_TYPES, managedDatastore } from './datastores.js';
import { Evaluator } from './intrinsics.js';
import { networkAclExposures, securityGroupExposures, securityGroupIngressExposure } from './security-groups.js';
import { claimsBrokenTemplate, mayBeTemplate, readTemplate, type CfnTemplate } from './template.js';
import { pushAll } from '../../core/arrays.js';

interface CloudFormationParsed {
  template: CfnTemplate;
}

const NAME = /\.(ya?ml|json|template)$/i;

export const cloudformationFormat: Format<CloudFormationParsed> = {
  id: 'cloudformation',
  name: 'CloudFormation',
  // Each template is its own stack: adapt reads one file at a time.
  adaptsEachFile: true,
  detect(file) {
    return (NAME.test(file.path) || file.path.startsWith('<stdin>')) && mayBeTemplate(file.text);
  },
  parse(file) {
    try {
      const { documents, failure } = parseYaml(file);
      if (failure) return claimsBrokenTemplate(file.text) ? { failure } : null;
      const doc = documents[0];
      const template = doc ? readTemplate(file, doc) : undefined;
      return template ? { parsed: { template } } : null;
    } catch (error) {
      return { failure: { file: file.path, message: `CloudFormation template could not be read: ${(error as Error).message}` } };
    }
  },
  adapt(files, context) {
    const failures: ParseFailure[] = [];
    const notices: Notice[] = [];
    // Each template is a deployment unit (a stack).
    const units: UnitResult[] = [];
    for (const { file, parsed } of files) {
      const exposures: Exposure[] = [];
      const managedDatastores: ManagedDatastore[] = [];
      const ev = new Evaluator(file, parsed.template);
      const aclEntries = [];
      for (const resource of parsed.template.resources) {
        try {
          if (resource.type === 'AWS::EC2::SecurityGroup') pushAll(exposures, securityGroupExposures(resource, ev));
          else if (resource.type === 'AWS::EC2::SecurityGroupIngress') pushAll(exposures, securityGroupIngressExposure(resource, ev));
          else if (resource.type === 'AWS::EC2::NetworkAclEntry') aclEntries.push(resource);
          else if (DATASTORE_TYPES.has(resource.type)) {
            const datastore = managedDatastore(resource, ev);
            if (datastore) managedDatastores.push(datastore);
          }
        } catch (error) {
          notices.push(internalNotice(file, resource.logicalId, error));
        }
      }
      try {
        pushAll(exposures, networkAclExposures(aclEntries, ev));
      } catch (error) {
        notices.push(internalNotice(file, 'NetworkAclEntry', error));
      }
      if (ev.dropped.length > 0) notices.push(droppedNotice(file, ev.dropped));
      units.push({ id: `cloudformation:${file.path}`, name: `CloudFormation template ${file.path}`, kind: 'cloudformation', files: [file.path], model: { exposures, managedDatastores } });
    }
    return { model: {}, failures, notices, units };
  },
};

/** Resources that could not be judged, one notice per file (kind `unknown`): nothing is dropped silently. */
function droppedNotice(file: SourceFile, dropped: { what: string; reason: string }[]): Notice {
  const first = dropped.slice(0, 5).map((d) => `${d.what} (${d.reason})`).join(', ');
  const more = dropped.length > 5 ? ` and ${dropped.length - 5} more` : '';
  return { file: file.path, level: 'warning', kind: 'unknown', message: `${dropped.length} CloudFormation resource${dropped.length === 1 ? '' : 's'} could not be judged and ${dropped.length === 1 ? 'was' : 'were'} not checked: ${first}${more}` };
}

/** A resource that could not be evaluated is skipped, and said so: one bad resource never hides the rest. */
function internalNotice(file: SourceFile, what: string, error: unknown): Notice {
  return { file: file.path, level: 'warning', kind: 'internal', message: `CloudFormation resource ${what} could not be evaluated: ${(error as Error)?.message ?? String(error)}` };
}
