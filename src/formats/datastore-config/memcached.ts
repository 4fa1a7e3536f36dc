/**
 * memcached.conf (Debian/Ubuntu's start-memcached reads it): command-line options, one or
 * more a line (`-l 127.0.0.1`, `-p 11211`, `--listen=...`).
 *
 * Decisions:
 * - an explicit `-l`/`--listen` on 0.0.0.0 or `::` is a binding; a missing `-l` is not reported
 *   even though memcached then listens on every interface: the packaged file always sets one,
 *   and a file without it is usually completed by command-line options we cannot see;
 * - memcached has no authentication unless SASL (`-S`) or an auth file (`-Y`, 1.5.15+) is on.
 */
import type { Token } from './lines.js';
import type { SourceFile } from '../types.js';
import type { PortSet } from '../../model/types.js';
import { portSet } from '../../model/ports.js';
import { type ConfigFacts, newFacts } from './facts.js';
import { type DirectiveLine, lineLocation, spanLocation, type LineOptions } from './lines.js';

export const MEMCACHED_LINE_OPTIONS: LineOptions = { lineComment: '#', trailingComment: 'spaced', equalsSeparates: false };

interface Option {
  /** Canonical short name: l, p, U, S, Y. */
  name: string;
  value?: string;
  start: number;
  end: number;
}

const LONG_NAMES: Record<string, string> = { listen: 'l', port: 'p', 'udp-port': 'U', 'enable-sasl': 'S', 'auth-file': 'Y' };
const TAKES_VALUE = new Set(['l', 'p', 'U', 'Y']);

/** Read the options as memcached's getopt would: `-l x`, `-lx`, `--listen=x`, `--listen x`. */
function readOptions(lines: DirectiveLine[]): Option[] {
  const options: Option[] = [];
  for (const line of lines) {
    const tokens: Token[] = line.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const text = token.text;
      let name: string | undefined;
      let value: string | undefined;
      if (text.startsWith('--')) {
        const eq = text.indexOf('=');
        name = LONG_NAMES[eq === -1 ? text.slice(2) : text.slice(2, eq)];
        if (eq !== -1) value = text.slice(eq + 1);
      } else if (text.startsWith('-') && text.length >= 2) {
        name = text[1];
        if (text.length > 2) value = text.slice(2);
      }
      if (!name) continue;
      let end = token.end;
      if (TAKES_VALUE.has(name) && value === undefined && tokens[i + 1]) {
        value = tokens[i + 1]!.text;
        end = tokens[i + 1]!.end;
        i++;
      }
      options.push({ name, value, start: token.start, end });
    }
  }
  return options;
}

/** `0.0.0.0`, `::`, `[::]:11211`, `notls:0.0.0.0:11211`. */
function isAllInterfaces(listen: string): boolean {
  let address = listen.trim().replace(/^(no)?tls:/, '');
  const bracket = /^\[([^\]]*)\]/.exec(address);
  if (bracket) address = bracket[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(':'));
  return address === '0.0.0.0' || address === '::' || address === '*';
}

export function readMemcached(file: SourceFile, lines: DirectiveLine[]): ConfigFacts {
  const facts = newFacts('memcached', 'memcached', lines[0] ? lineLocation(file, lines[0]) : undefined);
  const options = readOptions(lines);
  const last = (name: string) => options.filter((o) => o.name === name).pop();
  const tcpPort = last('p')?.value;
  const udpPort = last('U')?.value;
  const ports: PortSet[] = [];
  for (const [protocol, value] of [['tcp', tcpPort], ['udp', udpPort]] as const) {
    if (value !== undefined && /^\d{1,5}$/.test(value) && Number(value) > 0 && Number(value) <= 65535) {
      ports.push(portSet(protocol, [{ from: Number(value), to: Number(value) }]));
    }
  }
  facts.listenPorts = ports;
  const networkOff = tcpPort === '0' && (udpPort === undefined || udpPort === '0');

  if (!networkOff) {
    for (const option of options) {
      if (option.name !== 'l' || option.value === undefined) continue;
      if (option.value.split(',').some(isAllInterfaces)) {
        facts.bindings.push({ setting: file.text.slice(option.start, option.end).replace(/\s+/g, ' '), location: spanLocation(file, option.start, option.end) });
      }
    }
  }

  const sasl = last('S');
  const authFile = last('Y');
  if (networkOff) {
    facts.auth = { state: 'unknown', reason: 'TCP and UDP are off (-p 0): only the Unix socket listens' };
  } else if (sasl || authFile) {
    const decider = (sasl ?? authFile)!;
    facts.auth = { state: 'enabled', reason: sasl ? 'SASL authentication is on (-S)' : 'an auth file is set (-Y)', location: spanLocation(file, decider.start, decider.end) };
  } else if (lines[0]) {
    facts.auth = { state: 'disabled', reason: 'neither SASL (-S) nor an auth file (-Y) is set, and memcached has no other authentication', location: lineLocation(file, lines[0]) };
  } else {
    facts.auth = { state: 'unknown', reason: 'the file sets nothing' };
  }
  return facts;
}
