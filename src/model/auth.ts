/**
 * Auth detection per datastore image family, from a container's environment and arguments.
 * One module for every format that runs containers (compose, Kubernetes): they translate
 * their env lists and command lines into a ContainerSpec first.
 * Reasons name settings, never their values (values may be secrets).
 */
import type { Hop, Located, Location } from '../core/location.js';
import type { ImageIdentity } from './datastores.js';
import type { AuthState, Workload } from './types.js';

export interface EnvEntry {
  name: string;
  /** The resolved value; undefined when it cannot be known (valueFrom, unresolved ${VAR}). */
  value: string | undefined;
  /** The whole entry (`- KEY=value`, `KEY: value`, `- name: KEY` item). */
  location: Location;
  /** Where the entry came from (the service's `env_file:` item that loads it). */
  via?: Hop[];
}

export interface ContainerSpec {
  image?: Located<string>;
  /** In declaration order; a later entry with the same name wins. */
  env: EnvEntry[];
  /** entrypoint/command/args tokens in order, each located. */
  args: Located<string>[];
  /** True when env comes partly from somewhere portwall cannot read (env_file missing, envFrom). */
  opaqueEnv?: boolean;
}

const TRUE = /^(1|true|yes|on|y)$/i;
const FALSE = /^(0|false|no|off|n)$/i;

function envLookup(spec: ContainerSpec, ...names: string[]): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const e of spec.env) if (wanted.has(e.name.toLowerCase())) found = e;
  return found;
}

/** A `--flag`, `--flag=value` or `--flag value` argument, or a `-Ekey=value` setting. */
function argLookup(spec: ContainerSpec, names: string[]): { arg: Located<string>; value: string | undefined } | undefined {
  let found: { arg: Located<string>; value: string | undefined } | undefined;
  for (let i = 0; i < spec.args.length; i++) {
    const arg = spec.args[i]!;
    for (const token of splitShellWords(arg.value)) {
      for (const name of names) {
        if (token === name) {
          const next = spec.args[i + 1]?.value;
          found = { arg, value: token.includes('=') ? undefined : next };
        } else if (token.startsWith(`${name}=`)) {
          const value = token.slice(name.length + 1);
          // $(VAR) / ${VAR} that could not be expanded: the value is unknown, not the literal text.
          found = { arg, value: /\$[({]/.test(value) ? undefined : value };
        }
      }
    }
  }
  return found;
}

/** Whitespace split that keeps quoted parts, for `sh -c "redis-server --requirepass x"` style args. */
function splitShellWords(text: string): string[] {
  return text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)?.map((w) => w.replace(/["']/g, '')) ?? [];
}

function on(reason: string, location?: Location): AuthState {
  return { state: 'enabled', reason, ...(location ? { location } : {}) };
}
function off(reason: string, location?: Location): AuthState {
  return { state: 'disabled', reason, ...(location ? { location } : {}) };
}
function unknown(reason: string, location?: Location): AuthState {
  return { state: 'unknown', reason, ...(location ? { location } : {}) };
}

function isUnresolved(value: string | undefined): boolean {
  return value === undefined;
}

/**
 * The auth state of a datastore container, or undefined when the image is not a datastore
 * whose authentication portwall can judge.
 */
export function assessContainerAuth(identity: ImageIdentity, spec: ContainerSpec): AuthState | undefined {
  const imageLoc = spec.image?.location;
  switch (identity.kind) {
    case 'elasticsearch':
      return elasticsearchAuth(identity, spec, imageLoc);
    case 'opensearch': {
      const disabled = envLookup(spec, 'DISABLE_SECURITY_PLUGIN', 'plugins.security.disabled');
      if (disabled) {
        if (isUnresolved(disabled.value)) return unknown(`${disabled.name} cannot be resolved`, disabled.location);
        if (TRUE.test(disabled.value!)) return off(`${disabled.name} is true: the security plugin is disabled`, disabled.location);
      }
      const arg = argLookup(spec, ['-Eplugins.security.disabled']);
      if (arg?.value && TRUE.test(arg.value)) return off('plugins.security.disabled=true on the command line', arg.arg.location);
      return on('the OpenSearch security plugin is enabled by default');
    }
    case 'mongodb': {
      const noauth = argLookup(spec, ['--noauth']);
      if (noauth) return off('--noauth on the command line', noauth.arg.location);
      if (identity.family === 'bitnami') {
        const empty = envLookup(spec, 'ALLOW_EMPTY_PASSWORD');
        if (empty?.value && TRUE.test(empty.value)) return off('ALLOW_EMPTY_PASSWORD=yes: MongoDB runs without a root password', empty.location);
        return on('the bitnami image requires MONGODB_ROOT_PASSWORD unless ALLOW_EMPTY_PASSWORD is set');
      }
      const auth = argLookup(spec, ['--auth']);
      if (auth) return on('--auth on the command line', auth.arg.location);
      const user = envLookup(spec, 'MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_USERNAME_FILE');
      if (user) {
        if (isUnresolved(user.value)) return unknown(`${user.name} cannot be resolved`, user.location);
        if (user.value !== '') return on(`${user.name} is set`, user.location);
        // The image creates a root user only for a non-empty name: "" is no root user at all.
        if (spec.opaqueEnv) return unknown('the environment comes partly from a source portwall cannot read', imageLoc);
        return off(`${user.name} is empty, so no root user is created and mongod runs without --auth`, user.location);
      }
      if (spec.opaqueEnv) return unknown('the environment comes partly from a source portwall cannot read', imageLoc);
      return off('MONGO_INITDB_ROOT_USERNAME is not set and mongod is not started with --auth', imageLoc);
    }
    case 'redis': {
      const pass = argLookup(spec, ['--requirepass']);
      if (pass) return on('--requirepass on the command line', pass.arg.location);
      const acl = argLookup(spec, ['--aclfile']);
      if (acl) return on('--aclfile on the command line', acl.arg.location);
      if (identity.family === 'bitnami') {
        const empty = envLookup(spec, 'ALLOW_EMPTY_PASSWORD');
        if (empty?.value && TRUE.test(empty.value)) return off('ALLOW_EMPTY_PASSWORD=yes: Redis runs without a password', empty.location);
        return on('the bitnami image requires REDIS_PASSWORD unless ALLOW_EMPTY_PASSWORD is set');
      }
      const password = envLookup(spec, 'REDIS_PASSWORD', 'REDIS_ARGS');
      if (password && password.name.toUpperCase() === 'REDIS_ARGS' && password.value?.includes('--requirepass')) {
        return on('REDIS_ARGS passes --requirepass', password.location);
      }
      // A config file given on the command line decides; portwall checks redis.conf files separately.
      const confArg = spec.args.find((a) => /\.conf\b/.test(a.value));
      if (confArg) return unknown('Redis reads its settings from a config file', confArg.location);
      if (spec.args.some((a) => a.value.includes('${') || a.value.includes('$('))) {
        return unknown('the Redis command line cannot be resolved', imageLoc);
      }
      return off('Redis is started without --requirepass: anyone who reaches the port can read and write', imageLoc);
    }
    case 'postgres': {
      const method = envLookup(spec, 'POSTGRES_HOST_AUTH_METHOD');
      if (method?.value && method.value.toLowerCase() === 'trust') return off('POSTGRES_HOST_AUTH_METHOD=trust: any client may connect without a password', method.location);
      if (identity.family === 'bitnami') {
        const empty = envLookup(spec, 'ALLOW_EMPTY_PASSWORD');
        if (empty?.value && TRUE.test(empty.value)) return off('ALLOW_EMPTY_PASSWORD=yes: PostgreSQL runs without a password', empty.location);
      }
      return on('PostgreSQL requires a password unless trust authentication is configured');
    }
    case 'mysql':
    case 'mariadb': {
      const empty = envLookup(spec, 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_ALLOW_EMPTY_PASSWORD', 'ALLOW_EMPTY_PASSWORD');
      if (empty) {
        if (isUnresolved(empty.value)) return unknown(`${empty.name} cannot be resolved`, empty.location);
        // The official images treat any non-empty value as yes.
        const isBitnami = empty.name.toUpperCase() === 'ALLOW_EMPTY_PASSWORD';
        if (isBitnami ? TRUE.test(empty.value!) : empty.value !== '' && !FALSE.test(empty.value!)) {
          return off(`${empty.name} is set: the root account has an empty password`, empty.location);
        }
      }
      return on('the root account has a password');
    }
    case 'memcached': {
      const sasl = argLookup(spec, ['-S', '--enable-sasl']);
      if (sasl) return on('SASL authentication enabled (-S)', sasl.arg.location);
      return off('memcached has no authentication unless started with SASL (-S)', imageLoc);
    }
    case 'docker':
      return dockerAuth(identity, spec, imageLoc);
    case 'couchdb': {
      const user = envLookup(spec, 'COUCHDB_USER');
      if (user?.value) return on('COUCHDB_USER is set', user.location);
      if (identity.version && identity.version.major < 3) return off('COUCHDB_USER is not set: CouchDB 2 runs as an "admin party" open to everyone', imageLoc);
      return on('CouchDB 3 refuses to start without an admin');
    }
    case 'influxdb': {
      const flag = envLookup(spec, 'INFLUXDB_HTTP_AUTH_ENABLED');
      const major = identity.version?.major;
      if (major !== undefined && major < 2) {
        if (flag?.value && TRUE.test(flag.value)) return on('INFLUXDB_HTTP_AUTH_ENABLED is true', flag.location);
        return off('InfluxDB 1.x has HTTP authentication off unless INFLUXDB_HTTP_AUTH_ENABLED=true', flag?.location ?? imageLoc);
      }
      return on('InfluxDB 2 requires a token');
    }
    case 'neo4j': {
      const auth = envLookup(spec, 'NEO4J_AUTH');
      if (auth?.value && auth.value.toLowerCase() === 'none') return off('NEO4J_AUTH=none: authentication is disabled', auth.location);
      return on('Neo4j requires authentication by default');
    }
    case 'cassandra': {
      if (identity.family === 'bitnami') return on('the bitnami image enables password authentication');
      const authenticator = envLookup(spec, 'CASSANDRA_AUTHENTICATOR');
      if (authenticator?.value && /PasswordAuthenticator/i.test(authenticator.value)) return on('CASSANDRA_AUTHENTICATOR is PasswordAuthenticator', authenticator.location);
      return off('Cassandra uses AllowAllAuthenticator by default', imageLoc);
    }
    case 'etcd': {
      const none = envLookup(spec, 'ALLOW_NONE_AUTHENTICATION');
      if (none?.value && TRUE.test(none.value)) return off('ALLOW_NONE_AUTHENTICATION=yes: etcd accepts unauthenticated clients', none.location);
      const certAuth = argLookup(spec, ['--client-cert-auth']);
      if (certAuth) return on('--client-cert-auth on the command line', certAuth.arg.location);
      const rootPw = envLookup(spec, 'ETCD_ROOT_PASSWORD');
      if (rootPw) return on('ETCD_ROOT_PASSWORD is set', rootPw.location);
      if (identity.family === 'bitnami') return on('the bitnami image requires ETCD_ROOT_PASSWORD unless ALLOW_NONE_AUTHENTICATION is set');
      return off('etcd serves clients without authentication unless client certificates are required', imageLoc);
    }
    case 'zookeeper': {
      const anon = envLookup(spec, 'ALLOW_ANONYMOUS_LOGIN');
      if (anon?.value && TRUE.test(anon.value)) return off('ALLOW_ANONYMOUS_LOGIN=yes: ZooKeeper accepts anonymous clients', anon.location);
      return undefined;
    }
    case 'solr':
      return off('Solr runs without authentication unless security.json enables it', imageLoc);
    default:
      return undefined;
  }
}

function elasticsearchAuth(identity: ImageIdentity, spec: ContainerSpec, imageLoc: Location | undefined): AuthState {
  const names = ['xpack.security.enabled', 'XPACK_SECURITY_ENABLED'];
  const env = envLookup(spec, ...names);
  const arg = argLookup(spec, ['-Expack.security.enabled']);
  const setting = arg
    ? { value: arg.value, location: arg.arg.location, where: 'on the command line' }
    : env
      ? { value: env.value, location: env.location, where: 'in the environment' }
      : undefined;
  if (identity.family === 'bitnami') {
    const enable = envLookup(spec, 'ELASTICSEARCH_ENABLE_SECURITY');
    if (enable?.value && TRUE.test(enable.value)) return on('ELASTICSEARCH_ENABLE_SECURITY is true', enable.location);
    if (enable && isUnresolved(enable.value)) return unknown('ELASTICSEARCH_ENABLE_SECURITY cannot be resolved', enable.location);
    return off('the bitnami Elasticsearch image runs without security unless ELASTICSEARCH_ENABLE_SECURITY=true', enable?.location ?? imageLoc);
  }
  const major = identity.version?.major;
  if (setting) {
    if (isUnresolved(setting.value)) return unknown('xpack.security.enabled cannot be resolved', setting.location);
    if (FALSE.test(setting.value!)) return off(`xpack.security.enabled=false ${setting.where}: security is disabled`, setting.location);
    if (TRUE.test(setting.value!) && !shipsXpackDefaults(identity)) return on(`xpack.security.enabled=true ${setting.where}`, setting.location);
  }
  // docker.elastic.co's 5.x images bundle X-Pack with security on and the built-in user
  // elastic/changeme: "on", but with a password every scanner tries first.
  if (shipsXpackDefaults(identity)) {
    const password = envLookup(spec, 'ELASTIC_PASSWORD', 'ELASTIC_PASSWORD_FILE');
    if (password && isUnresolved(password.value)) return unknown(`${password.name} cannot be resolved`, password.location);
    if (password && password.value !== '') return on(`X-Pack security is on and ${password.name} is set`, password.location);
    if (spec.opaqueEnv) return unknown('the environment comes partly from a source portwall cannot read', imageLoc);
    return off('X-Pack security is on with the default password changeme for user elastic (ELASTIC_PASSWORD is not set)', imageLoc);
  }
  if (major === undefined) {
    const tag = identity.image.tag;
    if (tag === undefined || tag === 'latest') return on('current Elasticsearch (8 and later) enables security by default');
    return unknown(`the Elasticsearch version of tag "${tag}" is unknown`, imageLoc);
  }
  if (major >= 8) return on(`Elasticsearch ${major} enables security by default`);
  if (spec.opaqueEnv) return unknown('the environment comes partly from a source portwall cannot read', imageLoc);
  return off(`Elasticsearch ${major}.x runs without security unless xpack.security.enabled=true`, imageLoc);
}

/** Elasticsearch 5.x from docker.elastic.co: X-Pack preinstalled, security on, default credentials. */
function shipsXpackDefaults(identity: ImageIdentity): boolean {
  return identity.version?.major === 5 && identity.image.registry === 'docker.elastic.co' && !identity.image.repository.endsWith('-oss');
}

function dockerAuth(identity: ImageIdentity, spec: ContainerSpec, imageLoc: Location | undefined): AuthState | undefined {
  const tag = identity.image.tag ?? '';
  const host = spec.args.find((a) => /(^|\s|=)tcp:\/\/(0\.0\.0\.0|\[::\]|::)?:?2375\b/.test(a.value) || /tcp:\/\/0\.0\.0\.0(:\d+)?\b/.test(a.value));
  const tlsOff = argLookup(spec, ['--tls']);
  if (host) {
    const tlsVerify = spec.args.some((a) => /--tlsverify\b/.test(a.value));
    if (!tlsVerify) return off('the Docker daemon listens on TCP without --tlsverify: anyone who reaches it controls the host', host.location);
  }
  if (tlsOff?.value && FALSE.test(tlsOff.value)) return off('--tls=false: the Docker daemon serves its API without TLS', tlsOff.arg.location);
  if (!tag.includes('dind')) return undefined;
  const certdir = envLookup(spec, 'DOCKER_TLS_CERTDIR');
  if (certdir && certdir.value === '') return off('DOCKER_TLS_CERTDIR is empty: the dind daemon serves its API on 2375 without TLS', certdir.location);
  if (certdir && isUnresolved(certdir.value)) return unknown('DOCKER_TLS_CERTDIR cannot be resolved', certdir.location);
  return on('the dind image generates TLS certificates by default');
}

/** Where a workload's authentication state is reported: the deciding setting, else its image, else the workload. */
export function authLocation(workload: Pick<Workload, 'auth' | 'image' | 'location'>): Location {
  return workload.auth?.location ?? workload.image?.location ?? workload.location;
}
