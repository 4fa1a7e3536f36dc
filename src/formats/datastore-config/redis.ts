/**
 * redis.conf, sentinel.conf, valkey.conf (and KeyDB's): which interfaces Redis listens on and
 * whether the default user needs a password.
 *
 * Decisions:
 * - the last `bind`, `port`, `protected-mode` and `requirepass` win, as in Redis;
 * - `bind` with `*`, `::*`, `0.0.0.0` or `::` (with or without the optional `-`) is a binding;
 *   without `bind`, Redis listens everywhere but protected mode refuses remote clients while the
 *   default user has no password, so only an explicit `protected-mode no` counts (the SPEC's
 *   example), and a missing `bind` alone is not reported;
 * - the default user is what an unauthenticated client gets: a `user default` line replaces it
 *   (Redis resets it first), otherwise `requirepass` sets its password. Passwords of other ACL
 *   users do not protect the default user;
 * - `include` is not followed (a note says so), and then nothing is concluded from a missing
 *   setting: the included file may set it.
 */
import type { AuthState } from '../../model/types.js';
import type { SourceFile } from '../types.js';
import { type ConfigFacts, includeNotice, newFacts, tcpPorts } from './facts.js';
import { type DirectiveLine, directiveText, lineLocation, spanLocation, type LineOptions } from './lines.js';

export const REDIS_LINE_OPTIONS: LineOptions = { lineComment: '#', trailingComment: 'spaced', equalsSeparates: false };

type RedisFlavour = 'redis' | 'sentinel' | 'valkey' | 'keydb';

const LABELS: Record<RedisFlavour, string> = { redis: 'Redis', sentinel: 'Redis Sentinel', valkey: 'Valkey', keydb: 'KeyDB' };

export function readRedis(file: SourceFile, lines: DirectiveLine[], flavour: RedisFlavour): ConfigFacts {
  const isSentinel = flavour === 'sentinel' || lines.some((l) => l.tokens[0]!.text.toLowerCase() === 'sentinel');
  const facts = newFacts('redis', LABELS[isSentinel ? 'sentinel' : flavour], lines[0] ? lineLocation(file, lines[0]) : undefined);
  const last = new Map<string, DirectiveLine>();
  let defaultUser: DirectiveLine | undefined;
  for (const line of lines) {
    const name = line.tokens[0]!.text.toLowerCase();
    if (name === 'include') facts.notices.push(includeNotice(file, 'include', line.line));
    if (name === 'user' && line.tokens[1]?.text === 'default') defaultUser = line;
    last.set(name, line);
  }
  const hasInclude = last.has('include');

  const port = portValue(last.get('port'));
  const tlsPort = portValue(last.get('tls-port'));
  facts.listenPorts = [...(port ? tcpPorts(String(port)) : []), ...(tlsPort ? tcpPorts(String(tlsPort)) : [])];
  // `port 0` without a TLS port turns TCP off: only the Unix socket listens.
  const tcpOff = port === 0 && !tlsPort;

  const bind = last.get('bind');
  const protectedMode = last.get('protected-mode');
  const protectedOff = protectedMode?.tokens[1]?.text.toLowerCase() === 'no';
  if (!tcpOff) {
    if (bind && bind.tokens.slice(1).some((t) => isRedisAllInterfaces(t.text))) {
      facts.bindings.push({ setting: directiveText(file, bind), location: lineLocation(file, bind) });
    } else if (!bind && protectedOff && protectedMode && !hasInclude) {
      facts.bindings.push({ setting: 'protected-mode no (and no bind directive)', location: lineLocation(file, protectedMode) });
    }
  }

  facts.auth = tcpOff
    ? { state: 'unknown', reason: 'TCP is off (port 0): only local clients on the Unix socket can connect' }
    : redisAuth(file, lines, last, defaultUser, protectedOff ? protectedMode : undefined, hasInclude);
  return facts;
}

function portValue(line: DirectiveLine | undefined): number | undefined {
  const text = line?.tokens[1]?.text;
  return text !== undefined && /^\d{1,5}$/.test(text) ? Number(text) : undefined;
}

/** `*`, `::*`, `0.0.0.0`, `::`, each optionally prefixed with `-` ("do not fail if unavailable"). */
function isRedisAllInterfaces(address: string): boolean {
  const a = address.startsWith('-') ? address.slice(1) : address;
  return a === '*' || a === '::*' || a === '0.0.0.0' || a === '::' || a === '[::]';
}

function redisAuth(
  file: SourceFile,
  lines: DirectiveLine[],
  last: Map<string, DirectiveLine>,
  defaultUser: DirectiveLine | undefined,
  protectedModeOff: DirectiveLine | undefined,
  hasInclude: boolean,
): AuthState {
  const aclfile = last.get('aclfile');
  if (aclfile) {
    return { state: 'unknown', reason: 'users are defined in the aclfile, which is not read', location: spanLocation(file, aclfile.tokens[0]!.start, aclfile.tokens[0]!.end) };
  }
  if (defaultUser) return defaultUserAuth(file, defaultUser);

  const requirepass = last.get('requirepass');
  if (requirepass) {
    const keyword = requirepass.tokens[0]!;
    // Locate the keyword only: the password must never reach a report, even as a region.
    if ((requirepass.tokens[1]?.text ?? '') !== '') {
      return { state: 'enabled', reason: 'requirepass sets a password for the default user', location: spanLocation(file, keyword.start, keyword.end) };
    }
    return { state: 'disabled', reason: 'requirepass is empty, so the default user has no password', location: lineLocation(file, requirepass) };
  }
  if (hasInclude) return { state: 'unknown', reason: 'requirepass is not set here, but an included file may set it' };
  const anchor = protectedModeOff ?? lines[0];
  if (!anchor) return { state: 'unknown', reason: 'the file sets nothing' };
  return {
    state: 'disabled',
    reason: protectedModeOff
      ? 'protected-mode is off and neither requirepass nor a `user default` ACL line sets a password'
      : 'neither requirepass nor a `user default` ACL line sets a password for the default user',
    location: lineLocation(file, anchor),
  };
}

/** Apply the ACL rules of the last `user default` line to a reset user, as Redis does at start-up. */
function defaultUserAuth(file: SourceFile, line: DirectiveLine): AuthState {
  let on = false;
  let nopass: (typeof line.tokens)[number] | undefined;
  let passwords = 0;
  for (const token of line.tokens.slice(2)) {
    const rule = token.text;
    const lower = rule.toLowerCase();
    if (lower === 'on') on = true;
    else if (lower === 'off') on = false;
    else if (lower === 'nopass') {
      nopass = token;
      passwords = 0;
    } else if (lower === 'resetpass') {
      nopass = undefined;
      passwords = 0;
    } else if (lower === 'reset') {
      on = false;
      nopass = undefined;
      passwords = 0;
    } else if (rule.startsWith('>') || rule.startsWith('#')) {
      passwords++;
      nopass = undefined;
    }
  }
  const keyword = spanLocation(file, line.tokens[0]!.start, line.tokens[1]!.end);
  if (!on) return { state: 'enabled', reason: 'the default user is off: clients must authenticate as another user', location: keyword };
  if (nopass) {
    // The `nopass` rule is the deciding setting; it is reported alone so no password token is ever inside the region.
    return { state: 'disabled', reason: 'the default user is on with nopass', location: spanLocation(file, nopass.start, nopass.end) };
  }
  return {
    state: 'enabled',
    reason: passwords > 0 ? 'the default user has a password' : 'the default user has no password and no nopass: nobody can log in as it',
    location: keyword,
  };
}
