/**
 * SPEC: "No secret value (passwords, tokens) ever appears in a message, snippet or property."
 * Realistic files of every format carry secrets on or next to the lines findings point at;
 * every output (text with code frames, json, sarif, github, the baseline file) must be free of
 * them. Secrets are spelled so that any leak is easy to grep: `...-S3cret-NN`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { redactLine, redactLineMapped, redactMessage, secretValues } from '../src/core/redact.js';
import { lint } from '../src/engine/lint.js';
import { BUILTIN_RULES } from '../rules/index.js';
import { FORMATTERS } from '../src/formatters/index.js';
import { useTempProjects } from './helpers/index.js';

const SECRET = /[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*-S3cret-\d+/g;

const FILES: Record<string, string> = {
  'docker-compose.yml': `services:
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: Pg-Flow-S3cret-01, POSTGRES_HOST_AUTH_METHOD: trust }
    ports: ["5432:5432"]
  db2:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD=Pg-List-S3cret-02
    ports:
      - "\${PG_PORT}:5432"
  cache:
    image: redis:7
    command: redis-server --requirepass Redis-Cmd-S3cret-03
    ports:
      - "6379:6379"
  mongo:
    image: mongo:7
    environment:
      MONGO_INITDB_ROOT_USERNAME: root
      MONGO_INITDB_ROOT_PASSWORD: Mongo-Root-S3cret-04
      ME_CONFIG_MONGODB_URL: mongodb://root:Mongo-Url-S3cret-05@mongo:27017/
    ports:
      - "27017:27017"
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
    command: ["elasticsearch", "-Expack.security.enabled=false", "-Ebootstrap.password=Es-Cmd-S3cret-06"]
    ports: ["9200:9200"]
  search-local:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
    command: ["elasticsearch", "-Expack.security.enabled=false", "-Ebootstrap.password=Es-Cmd-S3cret-22"]
    ports: ["127.0.0.1:9201:9200"]
  db-local:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: Pg-Local-S3cret-23, POSTGRES_HOST_AUTH_METHOD: trust }
    ports: ["127.0.0.1:5434:5432"]
`,
  '.env': 'PG_PORT=5433\nPG_PASSWORD=Dotenv-S3cret-07\n',
  'k8s/db.yaml': `apiVersion: v1
kind: Pod
metadata: { name: db, labels: { app: db } }
spec:
  containers:
    - name: pg
      image: postgres:16
      env: [{ name: POSTGRES_PASSWORD, value: K8s-Flow-S3cret-08 }, { name: POSTGRES_HOST_AUTH_METHOD, value: trust }]
      ports: [{ containerPort: 5432, hostPort: 5432 }]
    - name: redis
      image: redis:7
      args: ["--requirepass", "K8s-Args-S3cret-09", "--protected-mode", "no"]
      ports: [{ containerPort: 6379, hostPort: 6379 }]
    - name: es
      image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
      env:
        - name: ELASTIC_PASSWORD
          value: K8s-Es-S3cret-10
        - name: xpack.security.enabled
          value: "false"
      ports:
        - containerPort: 9200
          hostPort: 9200
---
apiVersion: v1
kind: Pod
metadata: { name: local-db }
spec:
  containers:
    - name: pg
      image: postgres:16
      env: [{ name: POSTGRES_PASSWORD, value: K8s-Local-S3cret-24 }, { name: POSTGRES_HOST_AUTH_METHOD, value: trust }]
`,
  'redis.conf': `bind 0.0.0.0
protected-mode no
requirepass Redis-Conf-S3cret-11
masterauth Redis-Master-S3cret-12
`,
  'my.cnf': `[mysqld]
bind-address = 0.0.0.0
skip-grant-tables
[client]
password = Mysql-Cnf-S3cret-13
`,
  'tf/main.tf': `variable "db_password" { default = "Tf-Var-S3cret-14" }
variable "admin_cidr" {}
resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  username            = "admin"
  password            = "Tf-Inline-S3cret-15"
  publicly_accessible = true
}
resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
`,
  'tf/terraform.tfvars': 'api_token = "Tfvars-Token-S3cret-16"\nadmin_cidr = "0.0.0.0/0"\n',
  // A syntax error right at the secret: parsers like to quote the token they choke on.
  'tf/broken.tf': 'resource "aws_db_instance" "broken" {\n  password "Tf-Broken-S3cret-17"\n  publicly_accessible = true\n}\n',
  'tf2/broken.tfvars': 'db_password = "Tfvars-Broken-S3cret-25" "x"\n',
  'cfn/template.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      MasterUsername: admin
      MasterUserPassword: Cfn-Master-S3cret-18
      PubliclyAccessible: true
`,
  'cfn/oneline.json':
    '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "MasterUserPassword": "Cfn-Json-S3cret-19", "PubliclyAccessible": true}}}}\n',
  'aws-sgs.json':
    '{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "db", "Description": "db password=CloudJson-S3cret-20", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "token: CloudJson-Token-S3cret-21"}]}]}]}\n',
  // Issue 14: every shape that used to leak through code frames, messages and PR comments.
  'ops/docker-compose.yml': `services:
  worker:
    image: redis:7
    command: ["sh", "-c", "curl -H 'Authorization: Bearer Bearer-Tok-S3cret-30' -u admin:Curl-User-S3cret-31 https://x; redis-cli -a RedisCli-S3cret-32 ping"]
    ports: ["6380:6379"]
  tokens:
    image: redis:7
    environment: { GH: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789, SLACK: xoxb-1234567890-Slack-S3cret-33, JWT_X: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.Jwt-S3cret-34sig, CACHE_URL: "redis://:RedisUrl-S3cret-35@cache:6379/0" }
    ports: ["6381:6379"]
`,
  'cfn/noecho.json':
    '{"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"DbMaster": {"Type": "String", "NoEcho": true, "Default": "NoEcho-Json-S3cret-37"}}, "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "MasterUserPassword": {"Ref": "DbMaster"}, "PubliclyAccessible": true}}}}\n',
  'aws-tags.json':
    '{"SecurityGroups": [{"GroupId": "sg-2", "GroupName": "tags", "Tags": [{"Key": "db_password", "Value": "Tag-S3cret-38"}, {"Key": "api_token", "Value": "Tag-Token-S3cret-39"}], "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}\n',
};

/** Token shapes that cannot spell "-S3cret-NN" (their alphabet has no dash). */
const TOKEN_SECRETS = ['ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'eyJzdWIiOiJ4In0'];
const ALL_SECRETS = [...new Set(Object.values(FILES).flatMap((text) => text.match(SECRET) ?? [])), ...TOKEN_SECRETS];

function leaks(output: string): string[] {
  return ALL_SECRETS.filter((s) => output.includes(s));
}

const projectWith = useTempProjects('portwall-secrets-');
const project = () => projectWith(FILES);

async function cli(cwd: string, args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => stdin, cwd, env: { NO_COLOR: '1' }, isTTY: false });
  return { code, stdout, stderr };
}

describe('no secret value in any output', () => {
  it('the test files hold many secrets, and findings land on or next to their lines in every format', async () => {
    expect(ALL_SECRETS.length).toBeGreaterThanOrEqual(25);
    const result = await lint({ cwd: project() });
    const formats = new Set(result.files.map((f) => f.format));
    expect([...formats].sort()).toEqual(['cloud-json', 'cloudformation', 'compose', 'datastore-config', 'kubernetes', 'terraform']);
    // A value from tfvars is reported where it is used, with the tfvars line as a related location.
    const withFindings = new Set(result.findings.flatMap((f) => [f.location.file, ...f.related.map((r) => r.location.file)]));
    for (const file of ['docker-compose.yml', 'k8s/db.yaml', 'redis.conf', 'my.cnf', 'tf/main.tf', 'tf/terraform.tfvars', 'tf/broken.tf', 'tf2/broken.tfvars', 'cfn/template.yaml', 'cfn/oneline.json', 'aws-sgs.json']) {
      expect(withFindings, file).toContain(file);
    }
    // Findings whose own line carries a secret: the code frame must mask it.
    const lines = result.findings.map((f) => `${f.location.file}:${f.location.region.startLine}`);
    expect(lines).toEqual(expect.arrayContaining(['docker-compose.yml:31', 'docker-compose.yml:35', 'k8s/db.yaml:32', 'tf/broken.tf:2', 'tf2/broken.tfvars:1', 'cfn/oneline.json:1', 'aws-sgs.json:1']));
    expect(leaks(JSON.stringify(result))).toEqual([]);
  });

  for (const format of ['text', 'json', 'sarif', 'github'] as const) {
    it(`portwall --format ${format}`, async () => {
      const r = await cli(project(), ['--format', format]);
      expect(r.code).toBe(1);
      expect(r.stdout.length).toBeGreaterThan(500);
      expect(leaks(r.stdout)).toEqual([]);
      expect(leaks(r.stderr)).toEqual([]);
    });
  }

  it('the text code frames mask the secret and keep the caret under the finding', async () => {
    const r = await cli(project(), []);
    expect(r.stdout).toContain('environment: { POSTGRES_PASSWORD: ****, POSTGRES_HOST_AUTH_METHOD: trust }');
    expect(r.stdout).toContain('password "****"');
    // The caret of the one-line CloudFormation template's PubliclyAccessible sits under "true".
    const frame = r.stdout.split('\n');
    const at = frame.findIndex((l) => l.includes('"MasterUserPassword": "****", "PubliclyAccessible": true}'));
    expect(at).toBeGreaterThan(-1);
    const caret = frame[at + 1]!;
    expect(frame[at]!.slice(caret.indexOf('^'), caret.lastIndexOf('^') + 1)).toBe('true');
  });

  it('SARIF messages, related locations, fixes and notifications stay clean', async () => {
    const r = await cli(project(), ['--format', 'sarif']);
    const run = JSON.parse(r.stdout).runs[0];
    const results: { message: { text: string }; relatedLocations?: { message: { text: string } }[]; fixes?: unknown[] }[] = run.results;
    expect(results.some((x) => x.relatedLocations?.length)).toBe(true);
    expect(results.some((x) => x.fixes?.length)).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(results.map((x) => [x.message, x.relatedLocations, x.fixes])))).toEqual([]);
    expect(leaks(JSON.stringify(run.invocations))).toEqual([]);
  });

  it('stdin input with code frames', async () => {
    const r = await cli(projectWith({}), ['-', '--stdin-filename', 'docker-compose.yml'], FILES['docker-compose.yml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('POSTGRES_PASSWORD: ****');
    expect(leaks(r.stdout)).toEqual([]);
  });

  it('the baseline file and the --output report', async () => {
    const dir = project();
    expect((await cli(dir, ['baseline'])).code).toBe(0);
    expect(leaks(readFileSync(path.join(dir, 'portwall-baseline.json'), 'utf8'))).toEqual([]);
    expect((await cli(dir, ['--format', 'sarif', '--output', 'out/report.sarif', '--fail-on', 'none'])).code).toBe(0);
    expect(leaks(readFileSync(path.join(dir, 'out/report.sarif'), 'utf8'))).toEqual([]);
  });

  it('formatters called through the API (no lineText) leak nothing either', async () => {
    const result = await lint({ cwd: project() });
    for (const [name, format] of Object.entries(FORMATTERS)) {
      expect(leaks(format(result, { rules: BUILTIN_RULES, version: '0.0.0', color: true })), name).toEqual([]);
    }
  });
});

describe('redaction primitives', () => {
  it.each([
    ['POSTGRES_PASSWORD=Pg-S3cret-1', 'POSTGRES_PASSWORD=****'],
    ['    command: redis-server --requirepass Redis-S3cret-2 --protected-mode no', '    command: redis-server --requirepass **** --protected-mode no'],
    ['      MONGO_INITDB_ROOT_PASSWORD: Mongo-S3cret-3', '      MONGO_INITDB_ROOT_PASSWORD: ****'],
    ['      ELASTIC_PASSWORD: "Elastic-S3cret-4"', '      ELASTIC_PASSWORD: "****"'],
    ['requirepass Redis-S3cret-5', 'requirepass ****'],
    ['masterauth "Redis-S3cret-6"', 'masterauth "****"'],
    ['  password "Hcl-S3cret-7"', '  password "****"'],
    ['  password            = "Tf-S3cret-8"', '  password            = "****"'],
    ['api_token = "Tfvars-S3cret-9"', 'api_token = "****"'],
    ['      MasterUserPassword: Cfn-S3cret-10', '      MasterUserPassword: ****'],
    ['{"Description": "password: Json-S3cret-11", "x": 1}', '{"Description": "password: ****", "x": 1}'],
    ['      args: ["--requirepass", "K8s-S3cret-12", "--protected-mode", "no"]', '      args: ["--requirepass", "****", "--protected-mode", "no"]'],
    ['      env: [{ name: ELASTIC_PASSWORD, value: K8s-S3cret-13 }, { name: X, value: trust }]', '      env: [{ name: ELASTIC_PASSWORD, value: **** }, { name: X, value: trust }]'],
    ['      MONGO_URL: mongodb://root:Url-S3cret-14@mongo:27017/db', '      MONGO_URL: mongodb://root:****@mongo:27017/db'],
    ['      KEY_ID: AKIAIOSFODNN7EXAMPLE', '      KEY_ID: ****'],
    // Variable references are not secrets and stay readable.
    ['    command: redis-server --requirepass "${REDIS_PASSWORD}"', '    command: redis-server --requirepass "${REDIS_PASSWORD}"'],
    ['      POSTGRES_PASSWORD: ${PG_PASS}', '      POSTGRES_PASSWORD: ${PG_PASS}'],
    ['      POSTGRES_HOST_AUTH_METHOD: trust', '      POSTGRES_HOST_AUTH_METHOD: trust'],
    // Issue 14 shapes.
    ['  tls.key: "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpQIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----"', '  tls.key: "-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----"'],
    ['    MIIEpQIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi3Q4N0M2P7kXhZ8mQbEXAMPLE', '    ****'],
    ["    command: curl -H 'Authorization: Bearer Bearer-S3cret-40' https://api", "    command: curl -H 'Authorization: ****' https://api".replace('****', 'Bearer ****')],
    ['    command: curl -u admin:Curl-S3cret-41 https://api', '    command: curl -u admin:**** https://api'],
    ['    command: redis-cli -h cache -a RedisCli-S3cret-42 ping', '    command: redis-cli -h cache -a **** ping'],
    ['      GH: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', '      GH: ****'],
    ['      SLACK: xoxb-1234567890-Slack-S3cret-43', '      SLACK: ****'],
    ['      X: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-S3cret-44', '      X: ****'],
    ['      CACHE_URL: redis://:RedisUrl-S3cret-45@cache:6379/0', '      CACHE_URL: redis://:****@cache:6379/0'],
    ['{"Key": "db_password", "Value": "Tag-S3cret-46"}', '{"Key": "db_password", "Value": "****"}'],
    ['{"password": "Json-S3cret-47", "token": "Json-S3cret-48"}', '{"password": "****", "token": "****"}'],
    ["    command: curl -H 'Authorization: Basic YWRtaW46QmFzaWMtUzNjcmV0LTQ5' https://api", "    command: curl -H 'Authorization: Basic ****' https://api"],
    ['Authorization: Basic admin:Basic-S3cret-51', 'Authorization: Basic ****'],
    ['Authorization: Bearer abcdEFGHijklMNOP', 'Authorization: Bearer ****'],
    // Keys that name or point at a secret, and prose after Basic or Bearer, hold no secret.
    ['      secretName: hello-app', '      secretName: hello-app'],
    ['    adminSecretName: "quobyte-admin-secret"', '    adminSecretName: "quobyte-admin-secret"'],
    ['    secretPath: my-user', '    secretPath: my-user'],
    ['    --set tls.existingSecret="my-secret"', '    --set tls.existingSecret="my-secret"'],
    ['      POSTGRES_PASSWORD_FILE: /run/secrets/pg-pass', '      POSTGRES_PASSWORD_FILE: /run/secrets/pg-pass'],
    ['    command: vault login --token-file /etc/vault-token', '    command: vault login --token-file /etc/vault-token'],
    ['        - ./secrets:/secrets', '        - ./secrets:/secrets'],
    ['# Basic hello-app deployment with a node selector', '# Basic hello-app deployment with a node selector'],
    ['# Basic authentication, then a Bearer token-based session', '# Basic authentication, then a Bearer token-based session'],
    ['Authorization: Basic aGVsbG8td29ybGQ=', 'Authorization: Basic aGVsbG8td29ybGQ='],
  ])('redactLine(%j)', (line, expected) => {
    expect(redactLine(line)).toBe(expected);
  });

  it('masks a `value:` line whose env var name is on the line before', () => {
    expect(redactLine('          value: K8s-S3cret-15', '        - name: POSTGRES_PASSWORD')).toBe('          value: ****');
    expect(redactLine('  value = "Tf-S3cret-16"', '  name = "DB_PASSWORD"')).toBe('  value = "****"');
    expect(redactLine('          value: "false"', '        - name: xpack.security.enabled')).toBe('          value: "false"');
    expect(redactLine('          value: /run/secrets/db', '        - name: DB_PASSWORD_FILE')).toBe('          value: /run/secrets/db');
  });

  it('maps columns of the original line onto the masked line', () => {
    const line = '    environment: { POSTGRES_PASSWORD: Flow-S3cret-17, POSTGRES_HOST_AUTH_METHOD: trust }';
    const m = redactLineMapped(line);
    const start = line.indexOf('trust') + 1;
    expect(m.text.slice(m.column(start) - 1, m.column(start + 5) - 1)).toBe('trust');
    expect(m.column(1)).toBe(1);
  });

  it('scrubs the secret values of the pointed-at lines out of a message, not ordinary words', () => {
    const secrets = secretValues(['resource "x" "y" {', '  password "Hcl-S3cret-18"', '  MYSQL_ALLOW_EMPTY_PASSWORD: "yes"']);
    expect(secrets).toEqual(['Hcl-S3cret-18']);
    expect(redactMessage('syntax error: unexpected ""Hcl-S3cret-18""', secrets)).toBe('syntax error: unexpected ""****""');
    expect(redactMessage('MYSQL_ALLOW_EMPTY_PASSWORD is "yes"', secrets)).toBe('MYSQL_ALLOW_EMPTY_PASSWORD is "yes"');
  });
});

describe('redaction is linear and complete (issue 14)', () => {
  it.each([
    ['a long run of name characters before a secret word', 'a'.repeat(100_000) + 'password: x'],
    ['ten thousand flags', '--password '.repeat(10_000)],
    ['colons and schemes', 'a://b:'.repeat(20_000)],
    ['spaces after a key', `password${' '.repeat(100_000)}x`],
    ['quotes', 'password: "'.repeat(10_000)],
    ['jwt-like runs', 'eyJ'.repeat(30_000)],
    ['name/value', `name: db_password${' '.repeat(50_000)}y`],
  ])('%s: a 100 KB line in well under a second', (_name, line) => {
    const start = performance.now();
    redactLine(line, line);
    secretValues([line, line]);
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it('CloudFormation NoEcho defaults are secrets of the file, in YAML and in JSON', async () => {
    const { fileSecrets } = await import('../src/engine/known-secrets.js');
    const yaml = 'Parameters:\n  DbMaster:\n    Type: String\n    NoEcho: true\n    Default: NoEcho-Yaml-S3cret-50\n  Other:\n    Type: String\n    Default: not-secret\n';
    expect(fileSecrets(yaml)).toContain('NoEcho-Yaml-S3cret-50');
    expect(fileSecrets(yaml)).not.toContain('not-secret');
    expect(fileSecrets(FILES['cfn/noecho.json']!)).toContain('NoEcho-Json-S3cret-37');
  });
});

describe('the run-wide redaction does not mask plain words', () => {
  it('`password: example` leaves "examples/" and messages readable; a real secret is still masked everywhere', async () => {
    const dir = projectWith({
      'examples/db/compose.yaml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n    ports:\n      - "5432:5432"\n',
      'examples/cache/compose.yaml': 'services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass Redis-S3cret-99\n    ports:\n      - "6379:6379"\n',
    });
    const { code, stdout: text } = await cli(dir, ['examples', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(text) as { findings: { file: string; ruleId: string }[] };
    // The file paths come out as they are (they printed as "****s/db/compose.yaml").
    expect(report.findings.map((f) => f.file)).toContain('examples/db/compose.yaml');
    expect(report.findings.map((f) => f.file)).toContain('examples/cache/compose.yaml');
    expect(text).not.toContain('****s/');
    expect(text).not.toContain('Redis-S3cret-99');
  });
  it('a Secret named like a folder (`secretName: hello-app`) leaves paths, SARIF URIs and unit names whole', async () => {
    const dir = projectWith({
      'hello-app/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-app\nspec:\n  selector:\n    matchLabels: { app: hello-app }\n  template:\n    metadata:\n      labels: { app: hello-app }\n    spec:\n      containers:\n        - name: db\n          image: mongo:7\n          env:\n            - name: MONGO_INITDB_ROOT_PASSWORD\n              value: Mongo-Env-S3cret-98\n          volumeMounts: [{ name: tls, mountPath: /tls }]\n      volumes:\n        - name: tls\n          secret:\n            secretName: hello-app\n',
      'hello-app/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: hello-app\nspec:\n  type: LoadBalancer\n  selector: { app: hello-app }\n  ports:\n    - port: 27017\n',
    });
    const { code, stdout: sarif } = await cli(dir, ['.', '--format', 'sarif']);
    expect(code).toBe(1);
    type Location = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } };
    const log = JSON.parse(sarif) as { runs: { results: { ruleId: string; message: { text: string }; locations: Location[]; relatedLocations: Location[] }[] }[] };
    const [exposed] = log.runs[0]!.results;
    expect(exposed?.ruleId).toBe('PW004');
    expect(exposed?.message.text).toContain('Service/hello-app exposes MongoDB 7');
    expect(exposed?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('hello-app/service.yaml');
    expect(exposed?.locations[0]?.physicalLocation.region).toMatchObject({ startLine: 9, startColumn: 7 });
    expect(exposed?.relatedLocations[0]?.physicalLocation.artifactLocation.uri).toBe('hello-app/deployment.yaml');
    expect(exposed?.relatedLocations[0]?.physicalLocation.region).toMatchObject({ startLine: 14, startColumn: 18 });
    expect(sarif).not.toContain('****');
    expect(sarif).not.toContain('Mongo-Env-S3cret-98');
  });
});
