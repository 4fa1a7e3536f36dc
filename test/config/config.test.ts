/** Every config setting, through loadConfig and a real lint of a compose (or Kubernetes) project. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverConfig } from '../../src/engine/config.js';
import { STARTER_CONFIG } from '../../src/engine/starter-config.js';
import { active, lintWithConfig, load, project, STACK } from './helpers.js';

const DEFAULT_ACTIVE = [
  'PW001 docker-compose.yml:6 warning',
  'PW001 docker-compose.yml:10 warning',
  'PW001 docker-compose.yml:11 warning',
  'PW002 docker-compose.yml:16 error',
  'PW001 docker-compose.yml:20 warning',
  'PW006 docker-compose.yml:23 warning',
];

const LB_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 64.0.0.0/6
  selector:
    app: web
  ports:
    - port: 8080
      targetPort: 8080
`;

describe('discovery', () => {
  it('uses defaults when there is no config', async () => {
    const dir = project({ 'docker-compose.yml': STACK });
    const { config, result } = await lintWithConfig(dir);
    expect(config.path).toBeUndefined();
    expect(active(result)).toEqual(DEFAULT_ACTIVE);
  });

  it('finds the config in a parent folder up to the repository root', async () => {
    const dir = project({ 'portwall.config.yml': 'allowedPublicPorts: [443, 80]\n', 'infra/deep/docker-compose.yml': STACK });
    mkdirSync(path.join(dir, '.git'));
    const config = await load(path.join(dir, 'infra/deep'));
    expect(config.path).toBe('../../portwall.config.yml');
    expect(config.policy.allowedPublicPorts).toEqual([{ from: 443, to: 443 }, { from: 80, to: 80 }]);
  });

  it('stops at the repository root and prefers the nearest config', async () => {
    const dir = project({
      'portwall.config.yml': 'allowedPublicPorts: [1]\n',
      'repo/portwall.config.json': '{ "allowedPublicPorts": [2] }\n',
      'repo/sub/portwall.config.yaml': 'allowedPublicPorts: [3]\n',
      'repo/other/x.txt': '',
    });
    mkdirSync(path.join(dir, 'repo/.git'));
    expect((await load(path.join(dir, 'repo/sub'))).policy.allowedPublicPorts).toEqual([{ from: 3, to: 3 }]);
    expect((await load(path.join(dir, 'repo/other'))).policy.allowedPublicPorts).toEqual([{ from: 2, to: 2 }]);
    // Above the repository root is another project's business.
    expect(discoverConfig(path.join(dir, 'repo/other'))).toBe(path.join(dir, 'repo/portwall.config.json'));
  });

  it('outside a repository searches only the start folder', async () => {
    const dir = project({ 'portwall.config.yml': 'allowedPublicPorts: [1]\n', 'sub/docker-compose.yml': STACK });
    expect(discoverConfig(path.join(dir, 'sub'))).toBeUndefined();
    expect(discoverConfig(dir)).toBe(path.join(dir, 'portwall.config.yml'));
  });

  it('--config overrides discovery, relative to the working folder', async () => {
    const dir = project({ 'portwall.config.yml': 'allowedPublicPorts: [1]\n', 'ci/strict.yml': 'allowedPublicPorts: ["8000-8010"]\n' });
    const config = await load(dir, { configPath: 'ci/strict.yml' });
    expect(config.path).toBe('ci/strict.yml');
    expect(config.policy.allowedPublicPorts).toEqual([{ from: 8000, to: 8010 }]);
  });

  it('the starter config written by init validates and equals the defaults', async () => {
    const dir = project({ 'portwall.config.yml': STARTER_CONFIG, 'docker-compose.yml': STACK });
    const { config, result } = await lintWithConfig(dir);
    expect(config.path).toBe('portwall.config.yml');
    expect(active(result)).toEqual(DEFAULT_ACTIVE);
  });
});

describe('policy settings', () => {
  it('allowedPublicPorts accepts numbers and "from-to" ranges', async () => {
    const dir = project({ 'docker-compose.yml': STACK, 'portwall.config.yml': 'allowedPublicPorts: [443, 80, "8000-8099", " 7700 "]\n' });
    const { config, result } = await lintWithConfig(dir);
    expect(config.policy.allowedPublicPorts).toEqual([{ from: 443, to: 443 }, { from: 80, to: 80 }, { from: 8000, to: 8099 }, { from: 7700, to: 7700 }]);
    expect(active(result)).toEqual(['PW001 docker-compose.yml:11 warning', 'PW002 docker-compose.yml:16 error', 'PW006 docker-compose.yml:23 warning']);
    expect(result.findings[0]!.message).toBe("service 'api' exposes port 8443/tcp to the internet (source: public interface 203.0.113.10); only 443, 80, 8000-8099, 7700 may be public");
  });

  it('trustedSources makes a host address in the range not-internet', async () => {
    const dir = project({ 'docker-compose.yml': STACK, 'portwall.config.yml': 'trustedSources: ["203.0.113.0/24", "2001:db8::/32"]\n' });
    const { config, result } = await lintWithConfig(dir);
    expect(config.policy.trustedSources).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(active(result)).not.toContain('PW001 docker-compose.yml:11 warning');
    expect(active(result)).toHaveLength(DEFAULT_ACTIVE.length - 1);
  });

  it('publicPrefixThreshold decides when a public range counts as the internet (Kubernetes source ranges)', async () => {
    const broad = await lintWithConfig(project({ 'svc.yaml': LB_SERVICE }));
    expect(active(broad.result)).toEqual(['PW001 svc.yaml:8 warning']);
    const narrow = await lintWithConfig(project({ 'svc.yaml': LB_SERVICE, 'portwall.config.yml': 'publicPrefixThreshold: 4\npublicPrefixThresholdIpv6: 16\n' }));
    expect(narrow.config.policy.publicPrefixThreshold).toBe(4);
    expect(narrow.config.policy.publicPrefixThresholdIpv6).toBe(16);
    expect(active(narrow.result)).toEqual([]);
  });

  it('extraDatastorePorts and extraDatastoreImages extend the catalogue', async () => {
    const byPort = await lintWithConfig(project({ 'docker-compose.yml': STACK, 'portwall.config.yml': 'extraDatastorePorts:\n  - { port: 7700, name: Meilisearch }\n' }));
    expect(active(byPort.result)).toContain('PW002 docker-compose.yml:20 error');
    expect(byPort.result.findings.find((f) => f.location.region.startLine === 20)!.message).toBe("service 'search' exposes Meilisearch 7700 on port 7700/tcp to the internet (source: all interfaces (no host IP))");
    const byImage = await lintWithConfig(
      project({ 'docker-compose.yml': STACK, 'portwall.config.yml': 'extraDatastoreImages:\n  - pattern: "^registry\\\\.example\\\\.com/search:"\n    name: in-house search\n' }),
    );
    expect(byImage.result.findings.find((f) => f.location.region.startLine === 20)!.message).toBe("service 'search' exposes in-house search on port 7700/tcp to the internet (source: all interfaces (no host IP))");
  });

  it('rules: levels by id and by name, and off', async () => {
    const dir = project({ 'docker-compose.yml': STACK, 'portwall.config.yml': 'rules:\n  PW001: note\n  host-network: off\n  pw002: { level: warning }\n' });
    const { config, result } = await lintWithConfig(dir);
    expect(config.policy.rules).toEqual({ PW001: { level: 'note' }, PW006: { level: 'off' }, PW002: { level: 'warning' } });
    expect(active(result)).toEqual([
      'PW001 docker-compose.yml:6 note',
      'PW001 docker-compose.yml:10 note',
      'PW001 docker-compose.yml:11 note',
      'PW002 docker-compose.yml:16 warning',
      'PW001 docker-compose.yml:20 note',
    ]);
  });

  it('overrides: per-path levels, later entries win, excludeFiles, and a rule off globally but on for one path', async () => {
    const dir = project({
      'prod/docker-compose.yml': STACK,
      'dev/docker-compose.yml': STACK,
      'dev/legacy/docker-compose.yml': STACK,
      'portwall.config.yml': `rules:
  PW006: off
overrides:
  - files: "dev/**"
    rules: { PW001: off, PW002: note }
  - files: ["dev/**"]
    excludeFiles: ["dev/legacy/**"]
    rules: { PW002: warning }
  - files: prod/
    rules: { host-network: error }
`,
    });
    const { result } = await lintWithConfig(dir);
    const lines = active(result);
    expect(lines.filter((l) => l.startsWith('PW002'))).toEqual(['PW002 dev/docker-compose.yml:16 warning', 'PW002 dev/legacy/docker-compose.yml:16 note', 'PW002 prod/docker-compose.yml:16 error']);
    expect(lines.filter((l) => l.startsWith('PW001 dev'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('PW001 prod'))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('PW006'))).toEqual(['PW006 prod/docker-compose.yml:23 error']);
  });

  it('ignore: globs relative to the config file, also when scanning from a sub-folder', async () => {
    const dir = project({
      'portwall.config.yml': 'ignore: ["vendor/**", "**/*.generated.yml", "examples"]\n',
      'app/docker-compose.yml': STACK,
      'app/stack.generated.yml': STACK,
      'vendor/docker-compose.yml': STACK,
      'examples/docker-compose.yml': STACK,
    });
    mkdirSync(path.join(dir, '.git'));
    const { result } = await lintWithConfig(dir);
    expect(result.files.map((f) => f.path)).toEqual(['app/docker-compose.yml']);
    const fromApp = await lintWithConfig(path.join(dir, 'app'));
    expect(fromApp.result.files.map((f) => f.path)).toEqual(['docker-compose.yml']);
  });

  it('baseline: a path relative to the config file', async () => {
    const dir = project({ 'portwall.config.yml': 'baseline: ci/accepted.json\n' });
    expect((await load(dir)).baselinePath).toBe(path.join(dir, 'ci/accepted.json'));
  });

  it('JSON config files give the same policy', async () => {
    const dir = project({ 'portwall.config.json': '{\n  "$schema": "./node_modules/portwall/schemas/config.schema.json",\n  "allowedPublicPorts": [443, "80"],\n  "rules": { "PW006": "off" }\n}\n' });
    const config = await load(dir);
    expect(config.policy.allowedPublicPorts).toEqual([{ from: 443, to: 443 }, { from: 80, to: 80 }]);
    expect(config.policy.rules).toEqual({ PW006: { level: 'off' } });
  });
});
