/** Discovery: .gitignore respected, dependency folders skipped, explicit files always checked. */
import { describe, expect, it } from 'vitest';
import { lintTree } from '../helpers/index.js';

const REDIS = 'services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n';

describe('file discovery', () => {
  it('respects .gitignore and skips node_modules, vendor, .terraform and .git', async () => {
    const r = await lintTree({
      '.gitignore': 'generated/\n*.local.yml\n',
      'app/docker-compose.yml': REDIS,
      'generated/docker-compose.yml': REDIS,
      'dev.local.yml': REDIS,
      'node_modules/pkg/docker-compose.yml': REDIS,
      'vendor/x/docker-compose.yml': REDIS,
      '.terraform/modules/m/main.tf': 'resource "aws_security_group" "x" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      '.git/docker-compose.yml': REDIS,
    });
    expect(r.files.map((f) => f.path)).toEqual(['app/docker-compose.yml']);
  });

  it('always checks files named explicitly, even when ignored', async () => {
    const r = await lintTree({ '.gitignore': 'generated/\n', 'generated/docker-compose.yml': REDIS }, { paths: ['generated/docker-compose.yml'] });
    expect(r.files.map((f) => f.path)).toEqual(['generated/docker-compose.yml']);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['PW004']);
  });

  it('reads rendered Kubernetes manifests from stdin', async () => {
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: es\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 9200\n';
    const r = await lintTree({}, { paths: ['-'], stdin: { text: manifest } });
    expect(r.findings.map((f) => [f.ruleId, f.location.file, f.location.region.startLine])).toEqual([['PW002', '<stdin>', 8]]);
  });

  it('skips Helm templates with one note that names them, and does not count them as checked', async () => {
    const tpl = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  type: {{ .Values.type }}\n';
    const r = await lintTree({ 'chart/templates/a.yaml': tpl, 'chart/templates/b.yaml': tpl });
    expect(r.files).toEqual([]);
    expect(r.notifications).toEqual([
      { level: 'note', kind: 'skipped', message: 'Helm template skipped: render it with `helm template` and pipe it to `portwall -` (2 files: chart/templates/a.yaml, chart/templates/b.yaml)' },
    ]);
  });
});
