/**
 * MySQL / MariaDB option files (my.cnf, mysqld.cnf, mariadb.cnf, conf.d fragments): only the
 * server's groups count ([mysqld], [server], [mariadb]...; client groups are ignored).
 *
 * Decisions:
 * - `bind-address` with 0.0.0.0, `*` or `::` (MySQL 8.0.13+ takes a comma list) is a binding,
 *   unless `skip-networking` turns TCP off; a missing `bind-address` is not reported (MySQL's
 *   default is `*`, but fragments in conf.d rarely repeat it, so it would be noise);
 * - `skip-grant-tables` is authentication off; accounts and passwords live in the database, so
 *   otherwise the file cannot tell (unknown).
 */
import type { DatastoreKind, Notice } from '../../model/types.js';
import type { SourceFile } from '../types.js';
import { type ConfigFacts, includeNotice, newFacts, tcpPorts } from './facts.js';
import { type DirectiveLine, directiveText, keyValueOf, lineLocation, type LineOptions } from './lines.js';
import { pushAll } from '../../core/arrays.js';

export const MYSQL_LINE_OPTIONS: LineOptions = { lineComment: '#;', trailingComment: 'any', equalsSeparates: true };

/** Groups the server reads: MySQL's mysqld/server/mysqld-8.0, MariaDB's mariadb/mariadbd/galera/client-server. */
const SERVER_GROUP = /^(mysqld|server|mariadb|mariadbd)(-\d+(\.\d+)*)?$|^(galera|client-server)$/;

interface OptionLine {
  group: string;
  /** Lower case, `_` spelled `-`, without the `loose-` prefix. */
  name: string;
  value: string | undefined;
  line: DirectiveLine;
}

function groupName(line: DirectiveLine, file: SourceFile): string | undefined {
  const text = file.text.slice(line.start, line.end).trim();
  if (!text.startsWith('[')) return undefined;
  const close = text.indexOf(']');
  return (close === -1 ? text.slice(1) : text.slice(1, close)).trim().toLowerCase();
}

/** A MySQL boolean option: present without a value means on; 0/OFF/FALSE mean off. */
function isOn(option: OptionLine | undefined): boolean {
  if (!option) return false;
  if (option.value === undefined || option.value === '') return true;
  return !/^(0|off|false|no)$/i.test(option.value);
}

export function readMysql(file: SourceFile, lines: DirectiveLine[]): ConfigFacts {
  const options: OptionLine[] = [];
  const notices: Notice[] = [];
  let group = '';
  let mariadb = /mariadb/i.test(file.path);
  for (const line of lines) {
    const name = groupName(line, file);
    if (name !== undefined) {
      group = name;
      if (/^(mariadb|mariadbd)(-|$)|^galera$/.test(name)) mariadb = true;
      continue;
    }
    const first = line.tokens[0]!.text.toLowerCase();
    if (first === '!include' || first === '!includedir') {
      notices.push(includeNotice(file, first, line.line));
      continue;
    }
    if (!SERVER_GROUP.test(group)) continue;
    const { key, values } = keyValueOf(line);
    const option = key.toLowerCase().replace(/_/g, '-').replace(/^loose-/, '');
    options.push({ group, name: option, value: values.length ? values.map((v) => v.text).join(' ') : undefined, line });
  }
  const kind: DatastoreKind = mariadb ? 'mariadb' : 'mysql';
  const firstSetting = lines[0];
  const facts = newFacts(kind, mariadb ? 'MariaDB' : 'MySQL', firstSetting ? lineLocation(file, firstSetting) : undefined);
  pushAll(facts.notices, notices);
  const last = (name: string) => options.filter((o) => o.name === name).pop();

  facts.listenPorts = tcpPorts(last('port')?.value);
  const bind = last('bind-address');
  if (bind && !isOn(last('skip-networking'))) {
    const addresses = (bind.value ?? '').split(',').map((a) => a.trim());
    if (addresses.some((a) => a === '0.0.0.0' || a === '*' || a === '::' || a === '[::]')) {
      facts.bindings.push({ setting: directiveText(file, bind.line), location: lineLocation(file, bind.line) });
    }
  }
  const skipGrants = last('skip-grant-tables');
  if (isOn(skipGrants)) {
    facts.auth = {
      state: 'disabled',
      reason: `skip-grant-tables in [${skipGrants!.group}] lets every client in without a password, with all privileges`,
      location: lineLocation(file, skipGrants!.line),
    };
  } else {
    facts.auth = { state: 'unknown', reason: 'accounts and passwords live in the database, not in the option file' };
  }
  return facts;
}
