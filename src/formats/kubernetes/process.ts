/**
 * Whether a container runs its image's server at all. `command`/`args` replace the image's
 * entrypoint/cmd: a `redis` image started as `sleep 3600` or `redis-cli ...` is a client pod,
 * and must not be reported as a Redis without a password.
 */
import type { Located } from '../../core/location.js';

const NOT_A_SERVER = new Set([
  'sleep', 'tail', 'true', 'cat', 'echo', 'pause', 'curl', 'wget',
  'redis-cli', 'redis-benchmark', 'mongo', 'mongosh', 'mongodump', 'mongorestore', 'mongoexport', 'mongoimport',
  'psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_basebackup', 'pg_isready', 'mysql', 'mysqldump', 'mysqladmin',
  'mariadb', 'mariadb-dump', 'mariadb-admin', 'cqlsh', 'nodetool', 'etcdctl', 'influx', 'elasticdump',
  'kafka-topics', 'kafka-topics.sh', 'kafka-console-consumer', 'kafka-console-consumer.sh',
  'kafka-console-producer', 'kafka-console-producer.sh',
]);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
// Words that start a shell segment without being the program it runs (`until x; do sleep 1; done`).
const SKIPPED_WORDS = new Set(['exec', 'until', 'while', 'do', 'done', 'if', 'then', 'else', 'fi', '!', '{', '}', '(', ')']);

function program(word: string | undefined): string {
  return (word ?? '').split('/').pop() ?? '';
}

/** First word of each command of a shell script, skipping keywords and VAR=value prefixes. */
function scriptPrograms(script: string): string[] {
  return script
    .split(/&&|\|\||[;|\n]/)
    .map((segment) => segment.trim().split(/\s+/).find((w) => !SKIPPED_WORDS.has(w) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)))
    .filter((w): w is string => !!w)
    .map(program);
}

/** False when the command line only runs clients or idles; true otherwise (including no command). */
export function runsImageServer(commandLine: Located<string>[]): boolean {
  const tokens = commandLine.map((t) => t.value);
  const first = program(tokens[0]?.trim().split(/\s+/)[0]);
  if (!first) return true;
  if (SHELLS.has(first) && tokens[1] === '-c' && tokens[2] !== undefined) {
    const programs = scriptPrograms(tokens[2]);
    return programs.length === 0 || !programs.every((p) => NOT_A_SERVER.has(p));
  }
  return !NOT_A_SERVER.has(first);
}
