import { defineRule } from '../../src/core/rule.js';
import { analyzeExposure } from '../../src/model/exposure.js';

export default defineRule({
  meta: {
    id: 'PW007',
    name: 'all-traffic-open',
    level: 'error',
    securitySeverity: 9.8,
    precision: 'very-high',
    tags: ['security', 'network', 'firewall'],
    formats: ['terraform', 'cloudformation', 'cloud-json'],
    messages: {
      allTrafficOpen: '{{subject}} allows {{ports}} from the internet (source: {{source}})',
    },
    supersedes: ['PW001', 'PW002', 'PW004', 'PW010'],
    shortDescription: 'An ingress rule allows all ports or all protocols from the internet.',
    fullDescription:
      'A firewall rule with protocol -1 / all / *, or ports 0-65535, from 0.0.0.0/0 or ::/0 turns the firewall off: every datastore and admin port behind it is on the internet.',
    help: `## Why it matters
A rule open to all traffic makes every other control depend on the host: every database,
admin console and debug port on every instance behind the group is reachable from the internet.

## How to fix
Allow only the ports you serve (443), from the sources that need them.

## Example
\`\`\`hcl
resource "aws_security_group_rule" "all" {
  type        = "ingress"
  protocol    = "-1"
  from_port   = 0
  to_port     = 0
  cidr_blocks = ["0.0.0.0/0"]   # PW007
  security_group_id = aws_security_group.app.id
}
\`\`\``,
  },
  check(model, context) {
    for (const exposure of model.exposures) {
      const a = analyzeExposure(exposure, context.policy);
      if (a.verdict.reach !== 'internet' || !a.allTraffic) continue;
      context.report({
        location: a.location,
        messageId: 'allTrafficOpen',
        data: { subject: exposure.subject, ports: a.portsText, source: a.verdict.label },
        subjects: [exposure.id],
        ...(a.via ? { via: a.via } : {}),
      });
    }
  },
});
