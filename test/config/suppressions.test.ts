/** Inline suppressions: every form, reasons, expiry with a fixed today, and how they show in results. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../rules/index.js';
import { LineIndex } from '../../src/core/location.js';
import { parseDirectives } from '../../src/engine/suppressions.js';
import { lint } from '../../src/engine/lint.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import { formatText } from '../../src/formatters/text.js';
import { active, project, TODAY } from './helpers.js';

async function lintFiles(files: Record<string, string>, now = TODAY) {
  return lint({ cwd: project(files), now });
}

const compose = (ports: string) => `services:
  admin:
    image: grafana/grafana:10.4.0
    ports:
${ports}
  cache:
    image: redis:7
    ports:
      - "6379:6379"
`;

describe('inline suppressions in compose files', () => {
  it('on the same line: suppressed with kind inSource, the reason and the comment location', async () => {
    const result = await lintFiles({ 'docker-compose.yml': compose('      - "3000:3000"   # portwall-ignore PW001: only reachable through the office VPN gateway') });
    const finding = result.findings.find((f) => f.ruleId === 'PW001')!;
    expect(finding.suppressions).toEqual([
      {
        kind: 'inSource',
        justification: 'only reachable through the office VPN gateway',
        location: { file: 'docker-compose.yml', region: { startLine: 5, startColumn: 23, endLine: 5, endColumn: 93, startOffset: 86, endOffset: 156 } },
      },
    ]);
    expect(active(result)).toEqual(['PW004 docker-compose.yml:9 error']);
    expect(result.notifications).toEqual([]);
  });

  it('on the line above, skipping other comment lines, with several ids and rule names', async () => {
    const result = await lintFiles({
      'docker-compose.yml': `services:
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
    ports:
      # portwall-ignore public-datastore, PW001: the load balancer in front only forwards from the app subnet
      # (tracked in OPS-1234)
      - "6379:6379"
      - "6380:6379"
`,
    });
    expect(active(result)).toEqual(['PW002 docker-compose.yml:9 error']);
    expect(result.findings.find((f) => f.location.region.startLine === 8)!.suppressions[0]!.justification).toBe('the load balancer in front only forwards from the app subnet');
  });

  it('portwall-ignore-file applies anywhere in the file to the named rules only', async () => {
    const result = await lintFiles({
      'docker-compose.yml': `${compose('      - "3000:3000"')}# portwall-ignore-file PW001,public-unauthenticated-datastore: this stack only runs on the isolated lab network\n`,
      'other/docker-compose.yml': compose('      - "3000:3000"'),
    });
    expect(active(result)).toEqual(['PW001 other/docker-compose.yml:5 warning', 'PW004 other/docker-compose.yml:9 error']);
    expect(result.findings.filter((f) => f.location.file === 'docker-compose.yml').map((f) => f.suppressions[0]!.justification)).toEqual([
      'this stack only runs on the isolated lab network',
      'this stack only runs on the isolated lab network',
    ]);
  });

  it('a suppression without a reason does not apply and is reported as a warning', async () => {
    const result = await lintFiles({ 'docker-compose.yml': compose('      - "3000:3000"   # portwall-ignore PW001') });
    expect(active(result)).toContain('PW001 docker-compose.yml:5 warning');
    expect(result.notifications).toEqual([
      {
        level: 'warning',
        kind: 'config',
        file: 'docker-compose.yml',
        location: expect.objectContaining({ file: 'docker-compose.yml' }),
        message: 'docker-compose.yml:5: portwall-ignore PW001 has no reason, so it does not apply: write why the finding is accepted after a colon, e.g. "portwall-ignore PW002: <reason>"',
      },
    ]);
  });

  it('until: applies through the date, expires after it and is reported', async () => {
    const files = (date: string) => ({ 'docker-compose.yml': compose(`      # portwall-ignore PW001 until ${date}: legacy dashboard, replaced by SSO proxy in Q3\n      - "3000:3000"`) });
    const valid = await lintFiles(files('2026-06-15'));
    expect(active(valid)).not.toContain('PW001 docker-compose.yml:6 warning');
    expect(valid.findings.find((f) => f.ruleId === 'PW001')!.suppressions[0]!.justification).toBe('legacy dashboard, replaced by SSO proxy in Q3');
    const expired = await lintFiles(files('2026-06-14'));
    expect(active(expired)).toContain('PW001 docker-compose.yml:6 warning');
    expect(expired.notifications.map((n) => n.message)).toEqual([
      'docker-compose.yml:5: portwall-ignore PW001 expired on 2026-06-14, so it no longer applies: fix the finding or renew the date after review',
    ]);
    // The same file is fine again when "today" is before the date.
    expect(active(await lintFiles(files('2026-06-14'), new Date('2026-06-01T00:00:00Z')))).not.toContain('PW001 docker-compose.yml:6 warning');
  });

  it('an invalid date, unknown rules and unused suppressions are reported', async () => {
    const result = await lintFiles({
      'docker-compose.yml': compose(
        '      - "3000:3000"   # portwall-ignore PW001 until 2026-02-30: typo in the date\n      - "3001:3000"   # portwall-ignore PW001, no-such-rule: dashboards are public by design\n      - "127.0.0.1:3002:3000"   # portwall-ignore PW001: loopback anyway',
      ),
    });
    expect(result.notifications.map((n) => `${n.level} ${n.message}`)).toEqual([
      'warning docker-compose.yml:5: portwall-ignore PW001 has an invalid expiry date "2026-02-30" (expected until YYYY-MM-DD), so it does not apply',
      'warning docker-compose.yml:6: portwall-ignore PW001: unknown rule "no-such-rule"',
      'note docker-compose.yml:7: portwall-ignore PW001 matches no finding on line 7: remove it',
    ]);
    expect(active(result)).toContain('PW001 docker-compose.yml:5 warning');
    expect(active(result)).not.toContain('PW001 docker-compose.yml:6 warning');
  });

  it('markers inside values are not suppressions', async () => {
    const result = await lintFiles({
      'docker-compose.yml': `services:
  web:
    image: nginx:1.27
    environment:
      - NOTE=see http://wiki/portwall-ignore PW001: x
    ports:
      - "8080:80"
`,
    });
    expect(active(result)).toEqual(['PW001 docker-compose.yml:7 warning']);
  });

  it('suppressed findings are counted in the text summary and carried in SARIF', async () => {
    const result = await lintFiles({ 'docker-compose.yml': compose('      - "3000:3000"   # portwall-ignore PW001: reachable only through the VPN') });
    const text = formatText(result, { rules: BUILTIN_RULES, version: '0.0.0', color: false });
    expect(text.trimEnd().split('\n').pop()).toBe('✖ 1 problem (1 error, 0 warnings, 0 notes) in 1 checked file, 1 suppressed; 1 fixable with --fix');
    const sarif = JSON.parse(formatSarif(result, { rules: BUILTIN_RULES, version: '0.0.0', color: false }));
    const suppressed = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'PW001');
    expect(suppressed.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'reachable only through the VPN',
        location: { physicalLocation: { artifactLocation: { uri: 'docker-compose.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 23, endLine: 5, endColumn: 78 } } },
      },
    ]);
  });
});

describe('inline suppressions in Kubernetes manifests', () => {
  it('a comment above the Service port entry suppresses that port only', async () => {
    const result = await lintFiles({
      'k8s/web.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    # portwall-ignore public-port: plain HTTP only answers with a redirect to 443
    - port: 80
      targetPort: 8080
    - port: 8081
      targetPort: 8081
`,
    });
    expect(active(result)).toEqual(['PW001 k8s/web.yaml:13 warning']);
    expect(result.findings.find((f) => f.location.region.startLine === 11)!.suppressions[0]!.justification).toBe('plain HTTP only answers with a redirect to 443');
  });
});

describe('directive syntax (HCL, conf)', () => {
  const parse = (path: string, text: string) =>
    parseDirectives({ path, text, index: new LineIndex(text) }, BUILTIN_RULES, '2026-06-15').map((d) => ({ scope: d.scope, ids: d.ruleIds, reason: d.reason, until: d.until, line: d.line, target: d.targetLine, invalid: d.invalid }));

  it('reads // and # and /* */ comments in HCL', () => {
    const hcl = `resource "aws_security_group_rule" "ssh" {
  // portwall-ignore PW002: bastion host, access limited by AWS SSM session policy
  cidr_blocks = ["0.0.0.0/0"]
  from_port   = 80 # portwall-ignore public-port until 2027-03-31: redirect only
  /* portwall-ignore PW007: migration window */
  protocol    = "-1"
}
# portwall-ignore-file PW010: module outputs are resolved in the live account only
`;
    expect(parse('main.tf', hcl)).toEqual([
      { scope: 'line', ids: ['PW002'], reason: 'bastion host, access limited by AWS SSM session policy', until: undefined, line: 2, target: 3, invalid: undefined },
      { scope: 'line', ids: ['PW001'], reason: 'redirect only', until: '2027-03-31', line: 4, target: 4, invalid: undefined },
      { scope: 'line', ids: ['PW007'], reason: 'migration window', until: undefined, line: 5, target: 6, invalid: undefined },
      { scope: 'file', ids: ['PW010'], reason: 'module outputs are resolved in the live account only', until: undefined, line: 8, target: 8, invalid: undefined },
    ]);
  });

  it('accepts the date at the end of the reason, and ignores JSON files', () => {
    expect(parse('redis.conf', 'bind 0.0.0.0 # portwall-ignore PW005: container network only (until 2026-12-31)\n')[0]).toMatchObject({ ids: ['PW005'], reason: 'container network only', until: '2026-12-31', invalid: undefined });
    expect(parse('x.tf.json', '{"a": "# portwall-ignore PW001: x"}\n')).toEqual([]);
  });

  it('names no rule', () => {
    expect(parse('a.yml', 'x: 1 # portwall-ignore: because\n')[0]!.invalid).toBe('names no rule (write the rule ids or names it suppresses, e.g. "portwall-ignore PW002: <reason>")');
  });
});
