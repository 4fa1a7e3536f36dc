import { defineRule } from '../../src/core/rule.js';
import { analyzeExposure, describeDatastores } from '../../src/model/exposure.js';

export default defineRule({
  meta: {
    id: 'PW010',
    name: 'unresolved-exposure',
    level: 'note',
    securitySeverity: 4.0,
    precision: 'low',
    tags: ['review-needed', 'unresolved', 'network', 'exposure'],
    formats: ['compose', 'terraform', 'cloudformation'],
    shortDescription: 'portwall cannot decide whether a datastore or an unresolved port is reachable from the internet.',
    fullDescription:
      'A datastore port is open to a source portwall cannot resolve (a variable without default, a module output, a data source), or a port it cannot resolve is open to the internet. portwall never silently passes an unknown and never guesses it into an error.',
    help: `## Why it matters
Values that come from outside the reviewed files decide the exposure. The reviewer should know
that the decision is made elsewhere, and where.

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
          location: a.verdict.location ?? exposure.location,
          message: `${exposure.subject} opens ${datastore ? `${describeDatastores(a)} on ` : ''}${a.portsText} to a source portwall cannot resolve: ${a.verdict.reason ?? a.verdict.label}`,
          subjects: [exposure.id],
        });
      } else if (a.verdict.reach === 'internet' && a.portsUnknown) {
        context.report({
          location: a.verdict.location ?? exposure.location,
          message: `${exposure.subject} opens ${a.portsText} to the internet (source: ${a.verdict.label})`,
          subjects: [exposure.id],
        });
      }
    }
    for (const ds of model.managedDatastores) {
      if (ds.public !== 'unknown') continue;
      context.report({ location: ds.location, message: `${ds.subject} (${ds.kind}) may be publicly reachable: ${ds.reason}`, subjects: [ds.id] });
    }
  },
});
