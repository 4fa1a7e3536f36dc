/**
 * An internet-facing AWS load balancer that forwards to a target group on a datastore port:
 * who reaches it is the TCP ingress of its security groups on the listener port (a UDP rule
 * does not count), a target group without a port or on a non-datastore port is no datastore
 * entry point, and a security group outside the module is an unknown source named as written.
 * (Written for survivors of the adapters' mutation sample, issue #18:
 * src/formats/terraform/adapters/load-balancers.ts had no test of its own.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';
const lb = (sgs: string, tgPort: string, listenerPort = 443, ingress = '') => `resource "aws_lb" "public" {
  name            = "public"
  security_groups = ${sgs}
}

resource "aws_security_group" "lb" {
  name = "lb"
${ingress}}

resource "aws_lb_target_group" "search" {
  name = "search"
${tgPort}}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = ${listenerPort}
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}
`;
const rule = (protocol: string, cidr: string, port = 443) => `  ingress {
    protocol    = "${protocol}"
    from_port   = ${port}
    to_port     = ${port}
    cidr_blocks = ["${cidr}"]
  }
`;

const judged = (result: Awaited<ReturnType<typeof lintTree>>) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const targetGroupPort = ['target group aws_lb_target_group.search forwards to port 9200', 'main.tf', 18, 3];
const internetFacing = ['aws_lb.public is internet-facing (internal is not set)', 'main.tf', 1, 1];

describe('aws_lb listener forwarding to a datastore port', () => {
  it('TCP ingress from 0.0.0.0/0 on the listener port: PW002 at the CIDR, with the target group and the load balancer related', async () => {
    const result = await lintTree({ 'main.tf': lb('[aws_security_group.lb.id]', '  port = 9200\n', 443, rule('tcp', '0.0.0.0/0')) });
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'main.tf', line: 12, column: 20, endLine: 12, endColumn: 31,
        message: 'aws_lb_listener.https (target group aws_lb_target_group.search) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: 0.0.0.0/0)',
        related: [targetGroupPort, internetFacing],
      },
    ]);
    expect(result.notifications).toEqual([]);
  });

  it('a UDP rule from 0.0.0.0/0 does not open the TCP listener (the TCP rule is private)', async () => {
    const result = await lintTree({ 'main.tf': lb('[aws_security_group.lb.id]', '  port = 9200\n', 443, rule('udp', '0.0.0.0/0') + rule('tcp', '10.0.0.0/8')) });
    expect(result.findings).toEqual([]);
    expect(result.notifications).toEqual([]);
  });

  it('a target group without a port, or on a port of no datastore, is no datastore entry point', async () => {
    // The security group opens the listener port to the internet in both cases: only its own
    // ingress rule is judged (443 may be public; 8443 is PW001 at the rule's CIDR), not the listener.
    const noPort = await lintTree({ 'main.tf': lb('[aws_security_group.lb.id]', '', 443, rule('tcp', '0.0.0.0/0')) });
    expect(noPort.findings).toEqual([]);
    expect(noPort.notifications).toEqual([]);
    const web = await lintTree({ 'main.tf': lb('[aws_security_group.lb.id]', '  port = 8080\n', 8443, rule('tcp', '0.0.0.0/0', 8443)) });
    expect(judged(web)).toEqual([
      { ruleId: 'PW001', file: 'main.tf', line: 12, column: 20, endLine: 12, endColumn: 31, message: 'aws_security_group.lb exposes port 8443/tcp to the internet (source: 0.0.0.0/0); only 443 may be public', related: [] },
    ]);
    expect(web.notifications).toEqual([]);
  });

  it('a security group that is not in the module is an unknown source, named by its id (PW010 at the reference)', async () => {
    const result = await lintTree({ 'main.tf': lb('["sg-0abc"]', '  port = 9200\n', 443, rule('tcp', '0.0.0.0/0')) });
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW010', file: 'main.tf', line: 3, column: 22, endLine: 3, endColumn: 31,
        message: 'aws_lb_listener.https (target group aws_lb_target_group.search) opens Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to a source portwall cannot resolve: security group sg-0abc of aws_lb.public is not in this module',
        related: [],
      },
    ]);
  });
});

describe('aws_lb listener with a forward block', () => {
  it('forward { target_group { arn } } is followed like target_group_arn; no security group: any address', async () => {
    const result = await lintTree({ 'main.tf': `resource "aws_lb" "public" {
  name = "public"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  default_action {
    type = "forward"
    forward {
      target_group {
        arn = aws_lb_target_group.search.arn
      }
    }
  }
}
` });
    expect(judged(result)).toEqual([
      {
        ruleId: 'PW002', file: 'main.tf', line: 17, column: 15, endLine: 17, endColumn: 45,
        message: 'aws_lb_listener.https (target group aws_lb_target_group.search) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: any address (internet-facing aws_lb.public))',
        related: [['target group aws_lb_target_group.search forwards to port 9200', 'main.tf', 7, 3], ['aws_lb.public is internet-facing (internal is not set)', 'main.tf', 1, 1]],
      },
    ]);
  });
});
