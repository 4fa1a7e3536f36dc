import { defineRule } from '../../src/core/rule.js';
import { decidedDatastores } from '../../src/model/access-policy.js';

export default defineRule({
  meta: {
    id: 'PW008',
    name: 'public-managed-datastore',
    level: 'error',
    securitySeverity: 9.1,
    precision: 'high',
    tags: ['security', 'cloud', 'datastore'],
    formats: ['terraform', 'cloudformation'],
    messages: {
      publicManagedDatastore: '{{subject}} ({{kind}}) is publicly reachable: {{reason}}',
    },
    shortDescription: 'A managed cloud datastore is publicly reachable.',
    fullDescription:
      'An OpenSearch/Elasticsearch domain outside a VPC with an open access policy, an RDS instance or Redshift cluster with publicly_accessible = true, a Cloud SQL instance authorizing 0.0.0.0/0, an Azure database with public network access open to all addresses.',
    help: `## Why it matters
Managed datastores get public endpoints with one attribute. Combined with an open access
policy or weak credentials, the data is one request away from anyone.

## How to fix
- OpenSearch/Elasticsearch domains: put them in a VPC (\`vpc_options\`) or restrict the access
  policy to IAM principals or source IPs.
- RDS/Redshift: \`publicly_accessible = false\`.
- Cloud SQL: remove \`0.0.0.0/0\` from \`authorized_networks\`; use private IP or the Cloud SQL proxy.
- Azure: \`public_network_access_enabled = false\` or firewall rules for your ranges only.`,
  },
  check(model, context) {
    for (const ds of decidedDatastores(model.managedDatastores, context.policy)) {
      if (ds.public !== 'yes') continue;
      context.report({ location: ds.location, messageId: 'publicManagedDatastore', data: { subject: ds.subject, kind: ds.kind, reason: ds.reason }, subjects: [ds.id], ...(ds.via?.length ? { via: ds.via } : {}) });
    }
  },
});
