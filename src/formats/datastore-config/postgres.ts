/**
 * PostgreSQL: pg_hba.conf (who may connect, and how they authenticate) and postgresql.conf
 * (which interfaces the server listens on).
 *
 * Decisions:
 * - a `host*` record for every address (`all`, 0.0.0.0/0, ::/0, 0.0.0.0 0.0.0.0) is a binding,
 *   unless its method is `reject`;
 * - `trust` on a `host*` record is authentication off, except from loopback (127.0.0.0/8, ::1,
 *   `samehost`, `localhost`): initdb writes exactly those lines, and `local` records (Unix
 *   socket) are not reachable over the network, so neither is reported;
 * - postgresql.conf decides nothing about authentication (that is pg_hba.conf's job).
 */
import { parseCidr, isLoopbackAddress } from '../../model/net.js';
import type { SourceFile } from '../types.js';
import { type ConfigFacts, includeNotice, newFacts, tcpPorts } from './facts.js';
import { type DirectiveLine, directiveText, keyValueOf, lineLocation, type LineOptions, type Token } from './lines.js';

export const PG_HBA_LINE_OPTIONS: LineOptions = { lineComment: '#', trailingComment: 'any', equalsSeparates: false };
export const POSTGRESQL_CONF_LINE_OPTIONS: LineOptions = { lineComment: '#', trailingComment: 'any', equalsSeparates: true };

const HOST_TYPES = new Set(['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']);
const INCLUDES = new Set(['include', 'include_if_exists', 'include_dir']);

interface HbaRecord {
  line: DirectiveLine;
  address: Token;
  mask?: Token;
  method: string;
}

/** The address and method of a `host*` record, in both the CIDR and the address + mask forms. */
function hostRecord(line: DirectiveLine): HbaRecord | undefined {
  const [, , , address, fourth, fifth] = line.tokens;
  if (!address || !fourth) return undefined;
  // Quoting only takes a keyword's meaning away (hba.c token_is_keyword): a quoted IP is still an IP, and its mask follows.
  const maskForm = !address.text.includes('/') && parseCidr(address.text) !== undefined && parseCidr(fourth.text) !== undefined;
  if (maskForm) return fifth ? { line, address, mask: fourth, method: fifth.text.toLowerCase() } : undefined;
  return { line, address, method: fourth.text.toLowerCase() };
}

/** Quoted keywords lose their meaning in pg_hba.conf (`"all"` is a host called all). */
function coversEveryAddress(record: HbaRecord): boolean {
  const { address, mask } = record;
  if (!address.quoted && address.text === 'all') return true;
  if (mask) return parseCidr(mask.text)?.network === 0n && parseCidr(address.text) !== undefined;
  return parseCidr(address.text)?.prefix === 0;
}

function isLoopbackRecord(record: HbaRecord): boolean {
  const { address, mask } = record;
  if (!address.quoted && (address.text === 'samehost' || address.text === 'localhost')) return true;
  if (mask) return isLoopbackAddress(`${address.text}/${maskPrefix(mask.text)}`);
  return isLoopbackAddress(address.text);
}

/**
 * Prefix length of a dotted or IPv6 mask (contiguous masks only: the leading one bits). Only
 * called for the address + mask form, which hostRecord takes only when the mask parses.
 */
function maskPrefix(mask: string): number {
  const parsed = parseCidr(mask)!;
  const bits = parsed.version === 4 ? 32 : 128;
  let prefix = 0;
  for (let bit = bits - 1; bit >= 0 && (parsed.network >> BigInt(bit)) & 1n; bit--) prefix++;
  return prefix;
}

export function readPgHba(file: SourceFile, lines: DirectiveLine[]): ConfigFacts {
  const facts = newFacts('postgres', 'PostgreSQL', lines[0] ? lineLocation(file, lines[0]) : undefined);
  const trustLines: HbaRecord[] = [];
  let hostRecords = 0;
  for (const line of lines) {
    const type = line.tokens[0]!.text.toLowerCase();
    if (INCLUDES.has(type)) {
      facts.notices.push(includeNotice(file, type, line.line));
      continue;
    }
    if (!HOST_TYPES.has(type)) continue;
    const record = hostRecord(line);
    if (!record) continue;
    hostRecords++;
    if (record.method === 'reject') continue;
    if (coversEveryAddress(record)) facts.bindings.push({ setting: directiveText(file, line), location: lineLocation(file, line) });
    if (record.method === 'trust' && !isLoopbackRecord(record)) trustLines.push(record);
  }
  const hasInclude = facts.notices.length > 0;
  const first = trustLines[0];
  if (first) {
    const more = trustLines.length > 1 ? ` (and ${trustLines.length - 1} more trust record${trustLines.length > 2 ? 's' : ''})` : '';
    facts.auth = {
      state: 'disabled',
      reason: `record "${directiveText(file, first.line)}" lets network clients in without a password${more}`,
      location: lineLocation(file, first.line),
    };
  } else if (hasInclude) {
    facts.auth = { state: 'unknown', reason: 'no trust record here, but an included file may add one' };
  } else {
    facts.auth = {
      state: 'enabled',
      reason: hostRecords > 0 ? 'no host record uses trust' : 'no host record: network clients are rejected',
    };
  }
  return facts;
}

export function readPostgresqlConf(file: SourceFile, lines: DirectiveLine[]): ConfigFacts {
  const facts = newFacts('postgres', 'PostgreSQL', lines[0] ? lineLocation(file, lines[0]) : undefined);
  let listen: DirectiveLine | undefined;
  let port: string | undefined;
  for (const line of lines) {
    const { key, values } = keyValueOf(line);
    const name = key.toLowerCase();
    if (INCLUDES.has(name)) facts.notices.push(includeNotice(file, name, line.line));
    else if (name === 'listen_addresses') listen = line;
    else if (name === 'port') port = values[0]?.text;
  }
  facts.listenPorts = tcpPorts(port);
  if (listen) {
    const value = keyValueOf(listen).values[0]?.text ?? '';
    const addresses = value.split(',').map((a) => a.trim());
    if (addresses.some((a) => a === '*' || a === '0.0.0.0' || a === '::' || a === '[::]')) {
      facts.bindings.push({ setting: directiveText(file, listen), location: lineLocation(file, listen) });
    }
  }
  facts.auth = { state: 'unknown', reason: 'PostgreSQL authentication is configured in pg_hba.conf' };
  return facts;
}
