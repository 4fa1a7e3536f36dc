import { defineRule } from '../../src/core/rule.js';
import { authLocation } from '../../src/model/auth.js';
import { analyzeExposure } from '../../src/model/exposure.js';

export default defineRule({
  meta: {
    id: 'PW004',
    name: 'public-unauthenticated-datastore',
    level: 'error',
    securitySeverity: 10.0,
    precision: 'high',
    tags: ['security', 'network', 'exposure', 'authentication', 'datastore'],
    formats: ['compose', 'kubernetes'],
    messages: {
      publicUnauthenticatedDatastore: '{{subject}} exposes {{datastore}} without authentication on {{ports}} to the internet (source: {{source}}): {{reason}}',
    },
    supersedes: ['PW001', 'PW002', 'PW003', 'PW010'],
    shortDescription: 'A datastore without authentication is reachable from the internet.',
    fullDescription:
      'The exact configuration behind the largest medical-record leaks: a datastore reachable from the internet that accepts clients without credentials. Replaces PW002 and PW003 for that service, with the auth setting as a related location.',
    help: `## Why it matters
This is how 24 million patient records leaked from one provider and data from over a hundred
hospitals from others: Elasticsearch and MongoDB servers with ports 9200 and 27017 open to the
internet and no authentication. Anyone on the internet can read, change or delete the data.

## How to fix
Do both:
1. Take the datastore off the internet (publish on \`127.0.0.1\`, ClusterIP Service, private
   firewall sources).
2. Turn authentication on (see PW003).

## Example
\`\`\`yaml
services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    environment:
      - discovery.type=single-node
      - xpack.security.enabled=false   # related location
    ports:
      - "9200:9200"                    # PW004 is reported here
\`\`\``,
  },
  check(model, context) {
    for (const exposure of model.exposures) {
      const a = analyzeExposure(exposure, context.policy);
      if (a.verdict.reach !== 'internet' || a.allTraffic) continue;
      const open = a.datastoreWorkloads.filter((w) => w.auth?.state === 'disabled');
      if (open.length === 0) continue;
      const w = open[0]!;
      context.report({
        location: a.location,
        messageId: 'publicUnauthenticatedDatastore',
        data: { subject: exposure.subject, datastore: w.datastore!.label, ports: a.portsText, source: a.verdict.label, reason: w.auth!.reason },
        subjects: [exposure.id, ...open.map((o) => o.id)],
        ...(a.via?.length || w.auth!.via?.length ? { via: [...(a.via ?? []), ...(w.auth!.via ?? [])] } : {}),
        related: [
          ...open.map((o) => ({ location: authLocation(o), message: `authentication is off for ${o.name}: ${o.auth!.reason}` })),
          ...(exposure.related ?? []),
        ],
        ...(exposure.fix ? { fix: exposure.fix } : {}),
      });
    }
  },
});
