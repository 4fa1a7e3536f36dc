import { defineRule } from '../../src/core/rule.js';
import { analyzeExposure } from '../../src/model/exposure.js';
import { formatRanges } from '../../src/model/ports.js';

export default defineRule({
  meta: {
    id: 'PW001',
    name: 'public-port',
    level: 'warning',
    securitySeverity: 5.3,
    precision: 'high',
    tags: ['security', 'network', 'exposure'],
    formats: ['compose', 'kubernetes', 'terraform'],
    shortDescription: 'A port outside the allowed public ports is reachable from the internet.',
    fullDescription:
      'Only the ports in allowedPublicPorts (default: 443) should be reachable from the internet. Every other open port is attack surface: admin consoles, debug endpoints, plain-HTTP services.',
    help: `## Why it matters
The simplest exposure policy that holds up is "expose nothing but 443". Every other port that
is reachable from the internet is a service someone has to patch, authenticate and monitor.

## What counts as the internet
A source of \`0.0.0.0/0\` or \`::/0\` (or \`*\`, \`Internet\`, \`Any\`, a set of CIDRs that covers
all addresses, a public range broader than \`publicPrefixThreshold\`); a compose port published
without a host IP (Docker's published ports bypass host firewalls such as ufw); a Kubernetes
LoadBalancer, NodePort, externalIP or hostPort.

## How to fix
- compose: publish on loopback (\`"127.0.0.1:8080:8080"\`) and put a TLS reverse proxy on 443
  (\`portwall --fix\` rewrites short-syntax entries for you), or drop \`ports\` and use \`expose\`.
- Kubernetes: use a ClusterIP Service behind an Ingress with TLS.
- Firewalls: restrict the source to your own ranges.
- If the port is meant to be public (port 80 for the HTTPS redirect), add it to
  \`allowedPublicPorts\` in \`portwall.config.yml\`.

## Example
\`\`\`yaml
services:
  grafana:
    image: grafana/grafana:10.4.0
    ports:
      - "3000:3000"        # PW001: reachable on every interface
      - "127.0.0.1:3001:3000" # fine: loopback only
\`\`\``,
  },
  check(model, context) {
    for (const exposure of model.exposures) {
      const a = analyzeExposure(exposure, context.policy);
      if (a.verdict.reach !== 'internet' || a.portsUnknown || a.allTraffic) continue;
      if (a.disallowedPorts.length === 0) continue;
      const protocol = exposure.ports.protocol === 'all' || exposure.ports.protocol === 'unknown' ? '' : `/${exposure.ports.protocol}`;
      const n = a.disallowedPorts.length === 1 && a.disallowedPorts[0]!.from === a.disallowedPorts[0]!.to ? 'port' : 'ports';
      context.report({
        location: a.verdict.location ?? exposure.location,
        message: `${exposure.subject} exposes ${n} ${formatRanges(a.disallowedPorts)}${protocol}${a.portsText.includes('container') ? ` ${a.portsText.slice(a.portsText.indexOf('('))}` : ''} to the internet (source: ${a.verdict.label}); only ${formatRanges(context.policy.allowedPublicPorts)} may be public`,
        subjects: [exposure.id],
        ...(exposure.fix ? { fix: exposure.fix } : {}),
      });
    }
  },
});
