import { defineRule } from '../../src/core/rule.js';

export default defineRule({
  meta: {
    id: 'PW009',
    name: 'ingress-without-tls',
    level: 'warning',
    securitySeverity: 5.9,
    precision: 'high',
    tags: ['security', 'network', 'tls', 'kubernetes'],
    formats: ['kubernetes'],
    messages: {
      plainHttp: '{{subject}} serves plain HTTP to the internet: {{reason}}',
    },
    shortDescription: 'A Kubernetes Ingress or Gateway listener serves plain HTTP to the internet.',
    fullDescription:
      'An Ingress without a tls section, or a Gateway API listener with protocol HTTP on a public gateway, serves traffic unencrypted: credentials and data cross the internet in clear text.',
    help: `## Why it matters
Plain HTTP exposes session cookies, tokens and data to anyone on the path, and serves on port
80 instead of 443.

## How to fix
Add a \`tls\` section with a certificate secret (cert-manager can issue it) to the Ingress, or use
\`protocol: HTTPS\` with \`tls.certificateRefs\` on the Gateway listener; keep an HTTP listener only
to redirect to HTTPS.`,
  },
  check(model, context) {
    for (const listener of model.httpListeners) {
      if (listener.tls || !listener.public) continue;
      context.report({ location: listener.location, messageId: 'plainHttp', data: { subject: listener.subject, reason: listener.reason }, subjects: [listener.id] });
    }
  },
});
