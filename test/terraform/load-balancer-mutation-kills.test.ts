/**
 * AWS load balancer near misses for the survivors of a full mutation run over
 * src/formats/terraform/adapters/load-balancers.ts (issue #18): which default actions forward,
 * load balancers and target groups outside the module, unresolved listener ports, and the
 * standalone security group rules that decide who reaches a listener. Real parser, adapter and
 * rules; every finding (rule, file, line, column, message, related locations) and notification.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { runFiles, sourceFile } from './helpers.js';

type Result = Awaited<ReturnType<typeof lintTree>>;
const judged = (result: Result) =>
  result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related.map((r) => [r.message, r.location.file, r.location.region.startLine, r.location.region.startColumn]) }));
const lint = async (text: string) => lintTree({ 'main.tf': text });
const notices = (result: Result) => result.notifications.map((n) => n.message);

beforeAll(async () => {
  await initTerraform();
});

describe("AWS load balancer entry points", () => {
  it("an unresolved action type may forward; an aws_vpc_security_group_ingress_rule of the load balancer's group opens the listener (PW002)", async () => {
    const result = await lint(`resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

variable "action_type" {}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  default_action {
    type             = var.action_type
    target_group_arn = aws_lb_target_group.search.arn
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.lb.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.tf", "line": 31, "column": 23, "endLine": 31, "endColumn": 34, "message": "aws_lb_listener.https (target group aws_lb_target_group.search) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: 0.0.0.0/0)", "related": [["target group aws_lb_target_group.search forwards to port 9200", "main.tf", 12, 3], ["aws_lb.public is internet-facing (internal is not set)", "main.tf", 1, 1]]}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("an aws_security_group_rule of the load balancer's group opens the listener: PW002 at its CIDR", async () => {
    const result = await lint(`resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.lb.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW002", "file": "main.tf", "line": 30, "column": 24, "endLine": 30, "endColumn": 35, "message": "aws_lb_listener.https (target group aws_lb_target_group.search) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: 0.0.0.0/0)", "related": [["target group aws_lb_target_group.search forwards to port 9200", "main.tf", 12, 3], ["aws_lb.public is internet-facing (internal is not set)", "main.tf", 1, 1]]}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a redirect action forwards nothing, even with a target_group_arn left in: only the rule's own PW001", async () => {
    const result = await lint(`resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  default_action {
    type             = "redirect"
    target_group_arn = aws_lb_target_group.search.arn
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_security_group_rule" "http" {
  type              = "ingress"
  security_group_id = aws_security_group.lb.id
  protocol          = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    expect(judged(result)).toEqual([
      {"ruleId": "PW001", "file": "main.tf", "line": 35, "column": 24, "endLine": 35, "endColumn": 35, "message": "aws_security_group_rule.http exposes port 80/tcp to the internet (source: 0.0.0.0/0); only 443 may be public", "related": []}
    ]);
    expect(notices(result)).toEqual([]);
  });

  it("a listener of a load balancer outside the module is no entry point, and nothing fails", async () => {
    const result = await lint(`resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/50dc6c495c0c9188"
  port              = 443
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("a listener port from an unset variable, or a target group outside the module, is no entry point", async () => {
    const result = await lint(`resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

variable "port" {}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = var.port
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/other/73e2d6bc24d8a067"
  }
}

resource "aws_lb_listener" "search" {
  load_balancer_arn = aws_lb.public.arn
  port              = 9200
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/other/73e2d6bc24d8a067"
  }
}
`);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
  });

  it("a load balancer whose security group has no ingress is reached by no one (no entry point in the model either)", async () => {
    const text = `resource "aws_lb" "public" {
  name            = "public"
  security_groups = [aws_security_group.lb.id]
}

resource "aws_security_group" "lb" {
  name = "lb"
}

resource "aws_lb_target_group" "search" {
  name = "search"
  port = 9200
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}
`;
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(runFiles([sourceFile('main.tf', text)]).exposures).toEqual([]);
  });
});

describe("AWS network load balancer with an unresolved listener port", () => {
  it("a listener port from an unset variable is no entry point even without security groups (everyone reaches an NLB)", async () => {
    const text = `variable "port" {}

resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
}

resource "aws_lb_target_group" "search" {
  name     = "search"
  port     = 9200
  protocol = "TCP"
}

resource "aws_lb_listener" "search" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = var.port
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.search.arn
  }
}
`;
    const result = await lint(text);
    expect(judged(result)).toEqual([]);
    expect(notices(result)).toEqual([]);
    expect(runFiles([sourceFile('main.tf', text)]).exposures).toEqual([]);
    // The same listener on 443 is an entry point to Elasticsearch for everyone.
    expect(judged(await lint(text.replace('= var.port', '= 443')))).toEqual([
      {
        ruleId: 'PW002', file: 'main.tf', line: 20, column: 24, endLine: 20, endColumn: 54,
        message: 'aws_lb_listener.search (target group aws_lb_target_group.search) exposes Elasticsearch HTTP 9200 on port 443/tcp (target group port 9200/tcp) to the internet (source: any address (internet-facing aws_lb.nlb))',
        related: [['target group aws_lb_target_group.search forwards to port 9200', 'main.tf', 10, 3], ['aws_lb.nlb is internet-facing (internal is not set)', 'main.tf', 3, 1]],
      },
    ]);
  });
});
