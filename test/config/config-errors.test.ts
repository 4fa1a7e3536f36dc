/** Invalid configs: the exact message names the file, the line, the key and what is expected. */
import { describe, expect, it } from 'vitest';
import { loadError, project } from './helpers.js';

async function errorFor(config: string, name = 'portwall.config.yml'): Promise<string> {
  return loadError(project({ [name]: config }));
}

describe('invalid config messages', () => {
  it('a wrong rule level (object form) names the line and lists the levels', async () => {
    const message = await errorFor(`# policy
allowedPublicPorts: [443]

rules:
  PW001: warning
  PW002:
    level: fatal
`);
    expect(message).toBe('portwall.config.yml:7: rules.PW002.level: must be one of error, warning, note, off');
  });

  it('a wrong rule level (short form)', async () => {
    expect(await errorFor('rules:\n  PW002: critical\n')).toBe('portwall.config.yml:2: rules.PW002: must be one of error, warning, note, off');
    expect(await errorFor('rules:\n  PW002: 3\n')).toBe('portwall.config.yml:2: rules.PW002: must be one of error, warning, note, off');
    expect(await errorFor('rules:\n  PW002: [error]\n')).toBe('portwall.config.yml:2: rules.PW002: must be one of error, warning, note, off');
  });

  it('an unknown top-level key suggests the right one', async () => {
    expect(await errorFor('allowedPorts: [443]\n')).toBe('portwall.config.yml:1: allowedPorts: unknown key (did you mean "allowedPublicPorts"?)');
  });

  it('bad ports and ranges', async () => {
    expect(await errorFor('allowedPublicPorts:\n  - 443\n  - "80-x"\n  - 70000\n')).toBe(
      [
        'portwall.config.yml:3: allowedPublicPorts[1]: must be a port number (0-65535) or a range "from-to" such as "8000-8010"',
        'portwall.config.yml:4: allowedPublicPorts[2]: must be a port number (0-65535) or a range "from-to" such as "8000-8010"',
      ].join('\n'),
    );
    expect(await errorFor('allowedPublicPorts: ["8010-8000"]\n')).toBe('portwall.config.yml:1: allowedPublicPorts[0]: range "8010-8000" is reversed: write "8000-8010"');
    expect(await errorFor('allowedPublicPorts: 443\n')).toBe('portwall.config.yml:1: allowedPublicPorts: must be a list');
  });

  it('trustedSources must be CIDRs, and never every address', async () => {
    expect(await errorFor('trustedSources:\n  - 10.0.0.0/8\n  - office\n  - 0.0.0.0/0\n')).toBe(
      [
        'portwall.config.yml:3: trustedSources[1]: "office" is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)',
        'portwall.config.yml:4: trustedSources[2]: "0.0.0.0/0" is every address: trusting it would disable every internet check',
      ].join('\n'),
    );
  });

  it('thresholds, datastore extensions, unknown rules, overrides', async () => {
    expect(await errorFor('publicPrefixThreshold: 40\n')).toBe('portwall.config.yml:1: publicPrefixThreshold: must be <= 32');
    expect(await errorFor('extraDatastorePorts:\n  - { port: 7700 }\n')).toBe('portwall.config.yml:2: extraDatastorePorts[0].name: is required');
    expect(await errorFor('extraDatastoreImages:\n  - pattern: "(a+)+$"\n    name: x\n')).toBe(
      'portwall.config.yml:2: extraDatastoreImages[0].pattern: may backtrack catastrophically (the group ending at character 4 repeats a part that repeats itself); rewrite it without nested or overlapping repetition',
    );
    expect(await errorFor('rules:\n  public-prot: off\n')).toBe('portwall.config.yml:2: rules.public-prot: unknown rule (did you mean "public-port"?); run "portwall rules" for the list');
    expect(await errorFor('rules:\n  PW002: { level: error, options: { strict: true } }\n')).toBe('portwall.config.yml:2: rules.PW002.options: rule PW002 has no options');
    expect(await errorFor('overrides:\n  - files: []\n    rules: { PW999: off }\n')).toBe(
      ['portwall.config.yml:2: overrides[0].files: must be a glob or a list of globs'].join('\n'),
    );
    expect(await errorFor('overrides:\n  - files: dev/**\n    rules: { PW999: off }\n')).toBe('portwall.config.yml:3: overrides[0].rules.PW999: unknown rule; run "portwall rules" for the list');
  });

  it('YAML and JSON syntax errors and duplicate keys name the line', async () => {
    expect(await errorFor('allowedPublicPorts: [443\nrules: {}\n')).toMatch(/^portwall\.config\.yml:2: invalid YAML: /);
    expect(await errorFor('rules: {}\nrules: {}\n')).toBe('portwall.config.yml:2: invalid YAML: Map keys must be unique');
    expect(await errorFor('{ "allowedPublicPorts": [443,, ] }', 'portwall.config.json')).toMatch(/^portwall\.config\.json:1: invalid JSON: /);
  });

  it('a config that is not a mapping', async () => {
    expect(await errorFor('- 443\n')).toBe('portwall.config.yml:1: must be a mapping (key: value)');
  });

  it('two config files in one folder', async () => {
    const dir = project({ 'portwall.config.yml': '{}\n', 'portwall.config.json': '{}\n' });
    expect(await loadError(dir)).toBe('portwall.config.yml and portwall.config.json both exist: keep one config file');
  });

  it('a --config that does not exist', async () => {
    expect(await loadError(project({}), { configPath: 'nope.yml' })).toBe('nope.yml: config file not found');
  });
});
