/** Custom rules: declarative YAML rules and JavaScript rule modules, loading, validation, matching. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtrackingRisk, compileSafeRegex } from '../../src/engine/safe-regex.js';
import { ROOT } from '../helpers/index.js';
import { active, lintWithConfig, load, loadError, project, STACK } from './helpers.js';

const EXAMPLE = path.join(ROOT, 'examples/policy');

const RULE = (extra: string) => `id: ACME010
name: no-internal-exposure
level: error
shortDescription: Internal images must not be exposed.
help: Publish on 127.0.0.1.
${extra}`;

describe('the example policy (examples/policy)', () => {
  it('applies both custom rule kinds next to the built-in rules', async () => {
    const { config, result } = await lintWithConfig(EXAMPLE);
    expect(config.rules.map((r) => r.meta.id).slice(-2)).toEqual(['ACME002', 'ACME001']);
    expect(active(result)).toEqual([
      'PW001 dev/docker-compose.yml:5 note',
      'ACME001 docker-compose.yml:12 error',
      'ACME002 docker-compose.yml:12 error',
      'PW002 docker-compose.yml:17 error',
    ]);
    const messages = result.findings.filter((f) => f.ruleId.startsWith('ACME')).map((f) => f.message);
    expect(messages).toEqual([
      "service 'api' exposes debug/admin 8081 to the internet (source: all interfaces (no host IP))",
      "service 'api' runs internal image registry.example.com/internal/api:2.3.1 and is reachable from the internet",
    ]);
    const acme001 = config.rules.find((r) => r.meta.id === 'ACME001')!;
    expect(acme001.meta).toMatchObject({ level: 'error', securitySeverity: 8, supersedes: ['PW001'], tags: ['security', 'exposure', 'debug'], formats: [] });
    expect(acme001.meta.helpUri).toBeUndefined();
  });

  it('refuses JavaScript rules when the caller does not allow them (GitHub Action on an untrusted head)', async () => {
    expect(await loadError(EXAMPLE, { allowJsRules: false })).toBe(
      'portwall.config.yml:33: plugins[0]: "./policy/internal-images.mjs": JavaScript rules are not allowed in this run (they execute code; the caller set allowJsRules: false). Remove the plugin, use a declarative rule, or allow JS rules explicitly',
    );
  });
});

describe('declarative rules', () => {
  it('exposure conditions: ports, protocol, via, subject, image, datastore, reach', async () => {
    const rule = (match: string) =>
      `customRules:\n  - id: ACME020\n    name: probe\n    level: warning\n    shortDescription: probe\n    help: probe\n    message: "{subject} {matchedPorts} {datastores} {images} via {via}"\n    match:\n      exposure:\n${match}`;
    const run = async (match: string) => {
      const { result } = await lintWithConfig(project({ 'docker-compose.yml': STACK, 'portwall.config.yml': rule(match) }));
      return result.findings.filter((f) => f.ruleId === 'ACME020').map((f) => `${f.location.region.startLine} ${f.message}`);
    };
    expect(await run('        ports: ["8000-8999"]\n        protocol: [tcp]\n')).toEqual(["10 service 'api' 8080 none example/api:1.0 via compose-port", "11 service 'api' 8443 none example/api:1.0 via compose-port"]);
    expect(await run('        ports: [8080]\n        protocol: [udp]\n')).toEqual([]);
    expect(await run('        datastore: [redis]\n')).toEqual(["16 service 'cache' 6379 Redis 7 redis:7 via compose-port"]);
    expect(await run('        image: "^registry\\\\.example\\\\.com/"\n')).toEqual(["20 service 'search' 7700 none registry.example.com/search:1.4 via compose-port"]);
    expect(await run('        subject: "web"\n        ports: [80, 443]\n')).toEqual(["5 service 'web' 443 none nginx:1.27 via compose-port", "6 service 'web' 80 none nginx:1.27 via compose-port"]);
    expect(await run('        via: [k8s-node-port]\n')).toEqual([]);
    expect(await run('        reach: [local]\n')).toEqual([]);
  });

  it('workload conditions: image, datastore, auth, hostNetwork; reported at the deciding value', async () => {
    const dir = project({
      'docker-compose.yml': STACK.replace('redis:7\n    command: redis-server --requirepass "${REDIS_PASSWORD}"', 'redis:7'),
      'rules/workloads.yml': `- id: ACME030
  name: unauthenticated-datastore-anywhere
  level: error
  shortDescription: Datastores must require authentication, even on private networks.
  help: Set a password.
  message: "{workload} ({datastore}) runs without authentication: {authReason}"
  match:
    workload: { datastore: true, auth: [disabled] }
- id: ACME031
  name: host-network-exporter
  level: note
  shortDescription: Exporters on the host network.
  help: Use a published port.
  message: "{workload} uses the host network with {image}"
  match:
    workload: { hostNetwork: true, image: "^prom/" }
`,
      'portwall.config.yml': 'customRules: [rules/workloads.yml]\n',
    });
    const { result } = await lintWithConfig(dir);
    expect(result.findings.filter((f) => f.ruleId.startsWith('ACME')).map((f) => `${f.ruleId} ${f.location.region.startLine}:${f.location.region.startColumn} ${f.message}`)).toEqual([
      "ACME030 13:12 service 'cache' (Redis 7) runs without authentication: Redis is started without --requirepass: anyone who reaches the port can read and write",
      "ACME031 22:19 service 'metrics' uses the host network with prom/node-exporter:v1.7.0",
    ]);
  });

  it('a rule file may hold { rules: [...] }, and rule levels are configurable like built-ins', async () => {
    const dir = project({
      'docker-compose.yml': STACK,
      'portwall.config.yml': 'customRules: [./r.yml]\nrules:\n  no-internal-exposure: note\n',
      'r.yml': `rules:\n  - ${RULE('message: "{subject}"\nmatch: { exposure: { ports: [8080] } }').split('\n').join('\n    ')}\n`,
    });
    const { result } = await lintWithConfig(dir);
    expect(active(result)).toContain('ACME010 docker-compose.yml:10 note');
  });

  it('validation: schema, reserved ids, clashes, placeholders, unsafe regexes; messages name the rule file', async () => {
    const config = (body: string) => loadError(project({ 'portwall.config.yml': 'customRules:\n  - ./r.yml\n', 'r.yml': body }));
    expect(await config(RULE('message: "{subject}"\nmatch: { exposure: { ports: ["80-x"] } }\n'))).toBe('r.yml:7: match.exposure.ports[0]: must be a port number (0-65535) or a range "from-to" such as "8000-8010"');
    expect(await config(RULE('message: "{subject}"\nmatch: {}\n'))).toBe('r.yml:7: match: must be an object with exactly one of exposure or workload');
    expect(await config(RULE('message: "{workload}"\nmatch: { workload: { image: "(\\\\w+\\\\s?)*$" } }\n'))).toBe(
      'r.yml:7: match.workload.image: may backtrack catastrophically (the group ending at character 8 repeats a part that repeats itself); rewrite it without nested or overlapping repetition',
    );
    expect(await config(RULE('message: "{workload} on {ports}"\nmatch: { workload: { datastore: [redis, mongo] } }\n'))).toBe(
      [
        'r.yml:6: message: unknown placeholder {ports} (available: {workload} {image} {datastore} {auth} {authReason})',
        `r.yml:7: match.workload.datastore[1]: unknown datastore kind "mongo" (expected one of elasticsearch, opensearch, kibana, mongodb, redis, postgres, mysql, mariadb, memcached, cassandra, couchdb, influxdb, etcd, docker, mssql, oracle, neo4j, kafka, zookeeper, rabbitmq, clickhouse, ssh, rdp, couchbase, solr, minio, prometheus, other)`,
      ].join('\n'),
    );
    expect(await config(RULE('message: x\nmatch: { exposure: {} }\n').replace('ACME010', 'PW011'))).toBe('r.yml:1: id: ids of the form PW<digits> are reserved for built-in rules');
    expect(await config(RULE('message: x\nmatch: { exposure: {} }\n').replace('no-internal-exposure', 'public-port'))).toBe('portwall.config.yml:1: customRules: rule name public-port is already used by built-in rule PW001');
    expect(await config(RULE('message: x\nmatch: { exposure: {} }\nsupersedes: [PW404]\n'))).toBe('portwall.config.yml:1: customRules: rule ACME010: supersedes names unknown rule PW404');
    expect(await config('id: acme\nname: X\n')).toBe(
      [
        'r.yml:1: level: is required',
        'r.yml:1: shortDescription: is required',
        'r.yml:1: help: is required',
        'r.yml:1: message: is required',
        'r.yml:1: match: is required',
        'r.yml:1: id: must be an upper-case id such as ACME001 or ORG-12 (PW followed by digits is reserved for built-in rules)',
        'r.yml:2: name: must be a kebab-case name such as no-public-debug-ports',
      ].join('\n'),
    );
    expect(await loadError(project({ 'portwall.config.yml': 'customRules: [./missing.yml, ./rule.mjs]\n', 'rule.mjs': '' }))).toBe(
      [
        'portwall.config.yml:1: customRules[0]: "./missing.yml": file not found',
        'portwall.config.yml:1: customRules[1]: "./rule.mjs": a declarative rule file must be .yml, .yaml or .json (JavaScript rules go under plugins)',
      ].join('\n'),
    );
  });
});

describe('JavaScript rule modules', () => {
  const jsRule = (meta: string, check = 'check() {}') => `export default { meta: { ${meta} }, ${check} };\n`;
  const META = "id: 'ORG-1', name: 'org-rule', level: 'warning', shortDescription: 'Org rule.', help: 'Fix it.'";

  it('loads a local module and a package (exports map) and fills optional metadata', async () => {
    const dir = project({
      'portwall.config.yml': 'plugins:\n  - ./rules/org.mjs\n  - "@acme/portwall-rules"\n',
      'rules/org.mjs': jsRule(META),
      'node_modules/@acme/portwall-rules/package.json': JSON.stringify({ name: '@acme/portwall-rules', type: 'module', exports: { '.': { import: './dist/index.js' } } }),
      'node_modules/@acme/portwall-rules/dist/index.js': `export const rules = [${jsRule("id: 'ORG-2', name: 'org-rule-two', level: 'note', shortDescription: 'Two.', help: 'Two.', securitySeverity: 3.1").replace('export default ', '').replace(';\n', '')}];\n`,
    });
    const config = await load(dir);
    const custom = config.rules.slice(-2).map((r) => r.meta);
    expect(custom).toEqual([
      { id: 'ORG-1', name: 'org-rule', level: 'warning', securitySeverity: 5, precision: 'medium', tags: ['security', 'custom'], shortDescription: 'Org rule.', fullDescription: 'Org rule.', help: 'Fix it.', formats: [] },
      { id: 'ORG-2', name: 'org-rule-two', level: 'note', securitySeverity: 3.1, precision: 'medium', tags: ['security', 'custom'], shortDescription: 'Two.', fullDescription: 'Two.', help: 'Two.', formats: [] },
    ]);
  });

  it('validates the module and its rules', async () => {
    const error = (files: Record<string, string>) => loadError(project({ 'portwall.config.yml': 'plugins: [./r.mjs]\n', ...files }));
    expect(await error({ 'r.mjs': jsRule(META.replace("'ORG-1'", "'PW050'")) })).toBe('portwall.config.yml:1: plugins[0]: "./r.mjs": rule 1 (PW050): meta.id PW050: ids of the form PW<digits> are reserved for built-in rules');
    expect(await error({ 'r.mjs': jsRule(META.replace(", help: 'Fix it.'", '')) })).toBe('portwall.config.yml:1: plugins[0]: "./r.mjs": rule 1 (ORG-1): meta.help is required (it is shown by portwall rules/explain and in SARIF)');
    expect(await error({ 'r.mjs': jsRule(META, 'check: 1') })).toBe('portwall.config.yml:1: plugins[0]: "./r.mjs": rule 1 (ORG-1): has no check(model, context) function');
    expect(await error({ 'r.mjs': 'export const x = 1;\n' })).toBe('portwall.config.yml:1: plugins[0]: "./r.mjs": exports no rule (export a rule as default, or an array of rules as default or as "rules")');
    expect(await error({ 'r.mjs': 'export default {;\n' })).toMatch(/^portwall\.config\.yml:1: plugins\[0\]: "\.\/r\.mjs": cannot be loaded: /);
    expect(await error({})).toBe('portwall.config.yml:1: plugins[0]: "./r.mjs": file not found');
    expect(await loadError(project({ 'portwall.config.yml': 'plugins: [left-pad-rules]\n' }))).toBe('portwall.config.yml:1: plugins[0]: "left-pad-rules": package not found (install it next to the config file)');
    expect(await error({ 'r.mjs': `export default [${jsRule(META).slice(15, -2)}, ${jsRule(META).slice(15, -2)}];\n` })).toBe('portwall.config.yml:1: plugins: rule id ORG-1 is already used by custom rule ORG-1 (portwall.config.yml:1)\nportwall.config.yml:1: plugins: rule name org-rule is already used by custom rule ORG-1');
  });

  it("validates rule options against the rule's schema and passes them to check()", async () => {
    const module = `export default {
  meta: { ${META} },
  optionsSchema: { type: 'object', additionalProperties: false, properties: { maxPort: { type: 'integer' } } },
  check(model, context) {
    for (const e of model.exposures) {
      if (e.ports.ranges.some((r) => r.to > context.options.maxPort)) context.report({ location: e.location, message: e.subject + ' above ' + context.options.maxPort, subjects: [e.id] });
    }
  },
};\n`;
    const bad = await loadError(project({ 'portwall.config.yml': 'plugins: [./r.mjs]\nrules:\n  ORG-1:\n    options: { maxPort: high }\n', 'r.mjs': module }));
    expect(bad).toBe('portwall.config.yml:4: rules.ORG-1.options.maxPort: must be a whole number');
    const { result } = await lintWithConfig(project({ 'portwall.config.yml': 'plugins: [./r.mjs]\nrules:\n  ORG-1: { options: { maxPort: 8000 } }\n', 'r.mjs': module, 'docker-compose.yml': STACK }));
    expect(result.findings.filter((f) => f.ruleId === 'ORG-1').map((f) => f.message)).toEqual(["service 'api' above 8000", "service 'api' above 8000"]);
  });
});

describe('regex safety', () => {
  it('accepts ordinary patterns and refuses exponential shapes and long patterns', () => {
    for (const ok of ['^internal/', '^registry\\.example\\.com/(api|web):\\d+$', '(ab)+c', '[a-z]+(-[a-z]+)*', '(\\.[0-9]+)*$', 'a{2,5}']) expect(backtrackingRisk(ok), ok).toBeUndefined();
    for (const bad of ['(a+)+', '(a*)*b', '(\\w+\\s?)*$', '(a|a)*', '(a|ab)+', '(.|\\s)*', '(x+){2,}', '(a[a-z]+)*', '(-?[a-z]+)*', '((ab)+)*']) expect(backtrackingRisk(bad), bad).toBeDefined();
    expect(compileSafeRegex('a'.repeat(257))).toEqual({ error: 'is longer than 256 characters' });
    expect(compileSafeRegex('(')).toMatchObject({ error: expect.stringMatching(/^is not a valid regular expression/) });
  });
});
