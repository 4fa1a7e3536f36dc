import { defineRule } from '../../src/core/rule.js';
import { decidedDatastores } from '../../src/model/access-policy.js';
import { analyzeExposure, describeDatastores } from '../../src/model/exposure.js';

export default defineRule({
  meta: {
    id: 'PW010',
    name: 'unresolved-exposure',
    level: 'note',
    securitySeverity: 4.0,
    precision: 'low',
    tags: ['review-needed', 'unresolved', 'network', 'exposure'],
    formats: ['compose', 'kubernetes', 'terraform', 'cloudformation'],
    messages: {
      unresolvedSource: '{{subject}} opens {{ports}} to a source portwall cannot resolve: {{reason}}',
      unresolvedSourceDatastore: '{{subject}} opens {{datastores}} on {{ports}} to a source portwall cannot resolve: {{reason}}',
      unresolvedPorts: '{{subject}} opens {{ports}} to the internet (source: {{source}})',
      unresolvedManagedDatastore: '{{subject}} ({{kind}}) may be publicly reachable: {{reason}}',
    },
    shortDescription: 'portwall cannot decide whether a datastore or an unresolved port is reachable from the internet.',
    fullDescription:
      'A datastore port is open to a source portwall cannot resolve (a variable without default, a module output, a data source), or a port it cannot resolve is open to the internet. portwall never silently passes an unknown and never guesses it into an error.',
    help: `## Why it matters
Values that come from outside the reviewed files decide the exposure. The reviewer should know
that the decision is made elsewhere, and where.

## What else is undecided
- a port range written backwards (\`from_port = 23\`, \`to_port = 21\`): which end was meant is unknown;
- two Azure NSG rules with the same priority (Azure rejects the NSG; "deny wins a tie" is GCP's rule);
- a LoadBalancer Service with a \`loadBalancerClass\` whose controller portwall does not know.

## How to fix
Give the variable a safe default, set it in a reviewed tfvars or \`.env\` file, or accept the
finding with an inline suppression that names where the value is controlled:
\`# portwall-ignore PW010: cidr comes from the VPN module\`.`,
  },
  check(model, context) {
    for (const exposure of model.exposures) {
      const a = analyzeExposure(exposure, context.policy);
      const datastore = a.datastoreWorkloads.length > 0 || a.datastorePorts.length > 0;
      if (a.verdict.reach === 'unknown' && (datastore || a.portsUnknown)) {
        context.report({
          location: a.location,
          ...(datastore
            ? { messageId: 'unresolvedSourceDatastore', data: { subject: exposure.subject, datastores: describeDatastores(a), ports: a.portsText, reason: a.verdict.reason ?? a.verdict.label } }
            : { messageId: 'unresolvedSource', data: { subject: exposure.subject, ports: a.portsText, reason: a.verdict.reason ?? a.verdict.label } }),
          subjects: [exposure.id],
          ...(a.via ? { via: a.via } : {}),
        });
      } else if (a.verdict.reach === 'internet' && a.portsUnknown) {
        context.report({
          location: a.location,
          messageId: 'unresolvedPorts',
          data: { subject: exposure.subject, ports: a.portsText, source: a.verdict.label },
          subjects: [exposure.id],
          ...(a.via ? { via: a.via } : {}),
        });
      }
    }
    for (const ds of decidedDatastores(model.managedDatastores, context.policy)) {
      if (ds.public !== 'unknown') continue;
      context.report({ location: ds.location, messageId: 'unresolvedManagedDatastore', data: { subject: ds.subject, kind: ds.kind, reason: ds.reason }, subjects: [ds.id], ...(ds.via?.length ? { via: ds.via } : {}) });
    }
  },
});
