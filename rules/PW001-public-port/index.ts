import { defineRule } from '../../src/core/rule.js';
import { containerPortsText } from '../../src/model/exposure.js';
import { exposureSites, siteDisallowedText } from '../../src/model/sites.js';
import { formatRanges } from '../../src/model/ports.js';

export default defineRule({
  meta: {
    id: 'PW001',
    name: 'public-port',
    level: 'warning',
    securitySeverity: 5.3,
    precision: 'high',
    tags: ['security', 'network', 'exposure'],
    formats: ['compose', 'kubernetes', 'terraform', 'cloudformation', 'cloud-json'],
    messages: {
      publicPort: '{{subject}} exposes {{portNoun}} {{ports}}{{containerPorts}} to the internet (source: {{source}}); only {{allowedPorts}} may be public',
    },
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
    const sites = exposureSites(
      model.exposures,
      context.policy,
      (a) => a.verdict.reach === 'internet' && !a.portsUnknown && !a.allTraffic && a.disallowedPorts.length > 0,
      // PW002 replaces the datastore ones: they form their own site, so the others stay reported.
      (a) => (a.datastorePorts.length > 0 || a.datastoreWorkloads.length > 0 ? 'datastore' : ''),
    );
    for (const site of sites) {
      const a = site.analyses[0]!;
      const ports = siteDisallowedText(site);
      context.report({
        location: site.location,
        messageId: 'publicPort',
        data: {
          subject: site.subject,
          portNoun: ports.plural ? 'ports' : 'port',
          ports: ports.text,
          // The container port only when one exposure is reported: a merged site has no single one.
          containerPorts: site.analyses.length === 1 ? containerPortsText(a.ports) : '',
          source: a.verdict.label,
          allowedPorts: formatRanges(context.policy.allowedPublicPorts),
        },
        subjects: site.subjects,
        ...(site.via ? { via: site.via } : {}),
        ...(site.fix ? { fix: site.fix } : {}),
      });
    }
  },
});
