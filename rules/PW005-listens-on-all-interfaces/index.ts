import { defineRule } from '../../src/core/rule.js';

export default defineRule({
  meta: {
    id: 'PW005',
    name: 'listens-on-all-interfaces',
    level: 'warning',
    securitySeverity: 6.5,
    precision: 'medium',
    tags: ['security', 'network', 'datastore'],
    formats: ['datastore-config'],
    messages: {
      listensOnAllInterfaces: '{{datastore}} listens on all interfaces: {{setting}}',
    },
    shortDescription: "A datastore's own config binds it to every interface.",
    fullDescription:
      'elasticsearch.yml network.host 0.0.0.0, mongod.conf bindIp 0.0.0.0 / bindIpAll, redis.conf bind 0.0.0.0 or protected-mode no, pg_hba.conf host entries for 0.0.0.0/0: the datastore accepts connections on every interface of the host, so one firewall mistake exposes it.',
    help: `## Why it matters
A datastore bound to every interface relies on a firewall alone. Bind it to loopback or to the
private interface it serves, so that a firewall change cannot expose it.

## How to fix
- elasticsearch.yml: \`network.host: _local_\` or a private address.
- mongod.conf: \`net.bindIp: 127.0.0.1,<private address>\`, remove \`bindIpAll\`.
- redis.conf: \`bind 127.0.0.1 -::1\`, keep \`protected-mode yes\`.
- pg_hba.conf: restrict \`host\` lines to your private networks.`,
  },
  check(model, context) {
    for (const binding of model.bindings) {
      context.report({
        location: binding.location,
        messageId: 'listensOnAllInterfaces',
        data: { datastore: binding.datastore, setting: binding.setting },
        subjects: [`binding:${binding.location.file}:${binding.location.region.startLine}`],
      });
    }
  },
});
