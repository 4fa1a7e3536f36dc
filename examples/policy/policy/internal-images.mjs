// A JavaScript rule: the same interface as portwall's built-in rules (see docs/custom-rules.md).
// Images of our internal registry must never be reachable from the internet.
const INTERNAL = /^registry\.example\.com\/internal\//;

export default {
  meta: {
    id: 'ACME002',
    name: 'internal-image-exposed',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'high',
    tags: ['security', 'exposure'],
    shortDescription: 'An internal-only image is reachable from the internet.',
    fullDescription: 'Images from registry.example.com/internal/ are built for the private network and are not hardened for the internet.',
    help: '## How to fix\nPublish the service on 127.0.0.1 or put it behind the TLS gateway.',
  },
  check(model, context) {
    for (const exposure of model.exposures) {
      const internal = exposure.workloads.filter((w) => w.image && INTERNAL.test(w.image.value));
      if (internal.length === 0) continue;
      // Only sources that are the internet: the rule reads the normalized model, never files.
      const publicSource = exposure.sources.find((s) => s.value.kind === 'any' || (s.value.kind === 'host-ip' && /^(0\.0\.0\.0|::|)$/.test(s.value.address)) || (s.value.kind === 'cidr' && /\/0$/.test(s.value.cidr)));
      if (!publicSource) continue;
      context.report({
        location: publicSource.location,
        message: `${exposure.subject} runs internal image ${internal[0].image.value} and is reachable from the internet`,
        subjects: [`ACME002:${exposure.id}`],
      });
    }
  },
};
