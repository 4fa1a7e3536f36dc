import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/core/policy.js';
import { expectRuleFindings } from '../../test/helpers/rule-tester.js';
import { lintTree, views } from '../../test/helpers/index.js';

describe('PW001 public-port', () => {
  it('fires on every public non-443 compose port: short, range, long, IPv6 UDP', async () => {
    const findings = await expectRuleFindings('PW001', 'compose', [
      ['docker-compose.yml', 5, 9, 5, 20],
      ['docker-compose.yml', 9, 9, 9, 30],
      ['docker-compose.yml', 10, 9, 11, 20],
      ['docker-compose.yml', 15, 9, 15, 25],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "service 'grafana' exposes port 3000/tcp to the internet (source: all interfaces (no host IP)); only 443 may be public",
      "service 'dev' exposes ports 8000-8010/tcp to the internet (source: all interfaces (no host IP)); only 443 may be public",
      "service 'dev' exposes port 8443/tcp (container port 443/tcp) to the internet (source: all interfaces (no host IP)); only 443 may be public",
      "service 'dns' exposes port 53/udp to the internet (source: all interfaces (::)); only 443 may be public",
    ]);
  });

  it('respects allowedPublicPorts', async () => {
    const files = { 'compose.yaml': 'services:\n  web:\n    image: nginx:1.25\n    ports: ["80:80", "443:443", "8080:8080"]\n' };
    const policy = { ...defaultPolicy(), allowedPublicPorts: [{ from: 80, to: 80 }, { from: 443, to: 443 }] };
    const r = await lintTree(files, { policy });
    expect(views(r).map((v) => [v.ruleId, v.column])).toEqual([['PW001', 33]]);
  });

  it('reports only the disallowed part of a range', async () => {
    const r = await lintTree({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.25\n    ports: ["440-445:440-445"]\n' });
    expect(r.findings[0]!.message).toContain('ports 440-442, 444-445/tcp');
  });

  it('fires on a public LoadBalancer port other than 443, at the Service port item', async () => {
    const [f] = await expectRuleFindings('PW001', 'kubernetes', [['web.yaml', 28, 7, 30, 23]]);
    expect(f!.message).toBe('Service/web exposes port 80/tcp to the internet (source: any address (LoadBalancer)); only 443 may be public');
  });

  it('fires on Terraform ingress from 0.0.0.0/0 and ::/0 at the public CIDR, not at the block', async () => {
    const findings = await expectRuleFindings('PW001', 'terraform', [
      ['main.tf', 18, 34, 18, 45],
      ['main.tf', 29, 20, 29, 26],
    ]);
    expect(findings[0]!.message).toBe('aws_security_group.app exposes ports 8080-8081/tcp to the internet (source: 0.0.0.0/0); only 443 may be public');
  });

  it('lists every non-datastore port of one site in one finding, and stays when PW002 replaces the datastore ones', async () => {
    const r = await lintTree({
      'main.tf':
        'variable "open" {\n  default = ["0.0.0.0/0"]\n}\nresource "aws_security_group" "web" {\n  dynamic "ingress" {\n    for_each = [80, 8080, 3306]\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = "tcp"\n      cidr_blocks = var.open\n    }\n  }\n}\n',
    });
    expect(views(r).map((v) => [v.ruleId, v.line, v.column, v.endLine, v.endColumn])).toEqual([
      ['PW001', 11, 21, 11, 29],
      ['PW002', 11, 21, 11, 29],
    ]);
    expect(r.findings.map((f) => f.message)).toEqual([
      'aws_security_group.web exposes ports 80, 8080/tcp to the internet (source: 0.0.0.0/0); only 443 may be public',
      'aws_security_group.web exposes MySQL/MariaDB 3306 on port 3306/tcp to the internet (source: 0.0.0.0/0)',
    ]);
    expect(r.findings.map((f) => f.related.map((x) => [x.location.file, x.location.region.startLine, x.location.region.startColumn, x.message]))).toEqual([
      [['main.tf', 2, 14, '0.0.0.0/0 comes from the default of var.open']],
      [['main.tf', 2, 14, '0.0.0.0/0 comes from the default of var.open']],
    ]);
  });
});
