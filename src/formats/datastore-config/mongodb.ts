/**
 * mongod.conf: the YAML format (MongoDB 2.6+) and the legacy `key = value` format that old
 * Debian/Ubuntu packages still ship as /etc/mongodb.conf.
 *
 * Decisions:
 * - `net.bindIp` naming 0.0.0.0, `::` or `*`, or `net.bindIpAll: true`, is a binding (one per
 *   setting); a missing bindIp means localhost since MongoDB 3.6 and is not reported;
 * - authentication is off with `security.authorization: disabled`, with
 *   `security.transitionToAuth: true` (unauthenticated clients are still served), and when
 *   `security.authorization` is missing, because MongoDB's default is no access control —
 *   unless `security.keyFile` / `security.clusterAuthMode` is set, which turns it on;
 * - a missing setting is reported at the `security:` key when there is one (where the line
 *   belongs), else at the file's first key: a finding about the whole file, never line 1 blindly.
 */
import type { SourceFile } from '../types.js';
import { nodeLocation, type YamlDocument } from '../yaml/index.js';
import type { AuthState } from '../../model/types.js';
import { type ConfigFacts, newFacts, tcpPorts } from './facts.js';
import { directiveText, keyValueOf, lineLocation, type DirectiveLine, type LineOptions } from './lines.js';
import { flattenSettings, isTrue, settingItems, settingLocation, settingText, type YamlSetting } from './yaml-settings.js';

/** Top-level sections of a mongod.conf (used to recognise files whose name varies). */
export const MONGOD_SECTIONS = new Set(['net', 'storage', 'systemLog', 'security', 'replication', 'sharding', 'processManagement', 'setParameter', 'operationProfiling', 'auditLog', 'cloud']);

export const MONGO_LEGACY_LINE_OPTIONS: LineOptions = { lineComment: '#', trailingComment: 'any', equalsSeparates: true };

/** The legacy format: `bind_ip = 127.0.0.1` lines and no `key:` lines. */
export function looksLikeLegacyMongo(text: string): boolean {
  return /^[ \t]*[A-Za-z_]+[ \t]*=/m.test(text) && !/^[A-Za-z]+[ \t]*:/m.test(text);
}

function isMongoAllInterfaces(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '*' || address === '[::]';
}

export function readMongod(file: SourceFile, doc: YamlDocument): ConfigFacts {
  const settings = flattenSettings(doc);
  const first = settings.values().next().value as YamlSetting | undefined;
  const facts = newFacts('mongodb', 'MongoDB', first ? settingLocation(file, first) : undefined);

  const bindIp = settings.get('net.bindIp');
  if (bindIp) {
    const hit = settingItems(file, bindIp, doc).find((item) => isMongoAllInterfaces(item.text));
    const shown = hit && hit.node === bindIp.pair ? settingText(file, bindIp) : hit?.text;
    if (hit) facts.bindings.push({ setting: `net.bindIp: ${shown}`, location: nodeLocation(file, hit.node) });
  }
  const bindIpAll = settings.get('net.bindIpAll');
  if (bindIpAll && isTrue(settingText(file, bindIpAll))) {
    facts.bindings.push({ setting: 'net.bindIpAll: true', location: settingLocation(file, bindIpAll) });
  }
  facts.listenPorts = tcpPorts(settingText(file, settings.get('net.port')));
  facts.auth = first ? mongoAuth(file, settings, first) : { state: 'unknown', reason: 'the file sets nothing' };
  return facts;
}

function mongoAuth(file: SourceFile, settings: Map<string, YamlSetting>, first: YamlSetting): AuthState {
  const transition = settings.get('security.transitionToAuth');
  if (transition && isTrue(settingText(file, transition))) {
    return { state: 'disabled', reason: 'security.transitionToAuth is true: clients that do not authenticate are served', location: settingLocation(file, transition) };
  }
  const authorization = settings.get('security.authorization');
  const value = settingText(file, authorization)?.trim().toLowerCase();
  if (authorization && value === 'disabled') {
    return { state: 'disabled', reason: 'security.authorization is disabled', location: settingLocation(file, authorization) };
  }
  if (authorization && value === 'enabled') {
    return { state: 'enabled', reason: 'security.authorization is enabled', location: settingLocation(file, authorization) };
  }
  const internal = settings.get('security.keyFile') ?? settings.get('security.clusterAuthMode');
  if (internal) {
    return { state: 'enabled', reason: `${internal.key} turns on internal authentication, which enforces access control`, location: settingLocation(file, internal) };
  }
  if (authorization) return { state: 'unknown', reason: 'security.authorization has a value this linter does not understand' };
  const security = settings.get('security');
  return {
    state: 'disabled',
    reason: 'security.authorization is not set, and MongoDB runs without access control by default',
    location: settingLocation(file, security ?? first),
  };
}

/** The legacy `key = value` format: bind_ip, bind_ip_all, port, auth, noauth, keyFile. */
export function readLegacyMongod(file: SourceFile, lines: DirectiveLine[]): ConfigFacts {
  const facts = newFacts('mongodb', 'MongoDB', lines[0] ? lineLocation(file, lines[0]) : undefined);
  const last = new Map<string, { line: DirectiveLine; value: string }>();
  for (const line of lines) {
    const { key, values } = keyValueOf(line);
    last.set(key.toLowerCase(), { line, value: values.map((v) => v.text).join(' ') });
  }
  const bindIp = last.get('bind_ip');
  if (bindIp && bindIp.value.split(',').some((a) => isMongoAllInterfaces(a.trim()))) {
    facts.bindings.push({ setting: directiveText(file, bindIp.line), location: lineLocation(file, bindIp.line) });
  }
  const bindIpAll = last.get('bind_ip_all');
  if (bindIpAll && isTrue(bindIpAll.value)) facts.bindings.push({ setting: directiveText(file, bindIpAll.line), location: lineLocation(file, bindIpAll.line) });
  facts.listenPorts = tcpPorts(last.get('port')?.value);

  const noauth = last.get('noauth');
  const auth = last.get('auth');
  const keyFile = last.get('keyfile');
  if (noauth && isTrue(noauth.value)) {
    facts.auth = { state: 'disabled', reason: 'noauth is true', location: lineLocation(file, noauth.line) };
  } else if ((auth && isTrue(auth.value)) || keyFile) {
    const decider = auth && isTrue(auth.value) ? auth : keyFile!;
    facts.auth = { state: 'enabled', reason: decider === auth ? 'auth is true' : 'keyFile turns on access control', location: lineLocation(file, decider.line) };
  } else if (lines[0]) {
    const anchor = auth ?? { line: lines[0] };
    facts.auth = { state: 'disabled', reason: auth ? 'auth is false' : 'auth is not set, and MongoDB runs without access control by default', location: lineLocation(file, anchor.line) };
  } else {
    facts.auth = { state: 'unknown', reason: 'the file sets nothing' };
  }
  return facts;
}
