import { locationKey } from '../../src/core/location.js';
import { defineRule } from '../../src/core/rule.js';

export default defineRule({
  meta: {
    id: 'PW006',
    name: 'host-network',
    level: 'warning',
    securitySeverity: 6.1,
    precision: 'high',
    tags: ['security', 'network', 'container'],
    formats: ['compose', 'kubernetes'],
    messages: {
      hostNetwork: '{{workload}} shares the host\'s network',
      hostNetworkDatastore: '{{workload}} shares the host\'s network ({{datastore}}: every port it listens on is on the host)',
    },
    shortDescription: "A container shares the host's network, so every port it listens on is on the host's interfaces.",
    fullDescription:
      "compose network_mode: host and Kubernetes hostNetwork: true put the container in the host's network namespace: whatever it listens on is reachable wherever the host is, without any port mapping to review.",
    help: `## Why it matters
With the host network there is no \`ports\` list to review: a datastore inside listens directly
on the host's public interfaces, and Docker's and Kubernetes' network isolation is gone.

## How to fix
Remove \`network_mode: host\` / \`hostNetwork: true\` and publish only the ports you need, on
\`127.0.0.1\` or through a Service.`,
  },
  check(model, context) {
    const seen = new Set<string>();
    for (const workload of model.workloads) {
      if (!workload.hostNetwork) continue;
      // Every container of a hostNetwork pod shares the one setting: report it once.
      const key = locationKey(workload.hostNetwork.location);
      if (seen.has(key)) continue;
      seen.add(key);
      context.report({
        location: workload.hostNetwork.location,
        ...(workload.datastore
          ? { messageId: 'hostNetworkDatastore', data: { workload: workload.name, datastore: workload.datastore.label } }
          : { messageId: 'hostNetwork', data: { workload: workload.name } }),
        subjects: [`${workload.id}:host-network`],
      });
    }
  },
});
