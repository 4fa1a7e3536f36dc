/**
 * Secret hygiene for anything that leaves the machine (reports, SARIF, PR comments):
 * a line of source shown as context has its secret-looking values masked, and a message
 * that quotes source text (a parser's "unexpected ..." error) has the secret values of the
 * lines it points at masked. Depends on nothing.
 */

/** Words that make a key, flag or env var name secret-looking. `pass` alone also catches `passwd`, `passphrase`. */
const SECRET_WORD = String.raw`(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key|access[_-]?key|requirepass|masterauth|pwd|_pw)`;
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*${SECRET_WORD}[A-Za-z0-9_.-]*`;
const SECRET_KEY = new RegExp(`${SECRET_WORD}|://[^\\s:/@]+:[^\\s@/]+@|AKIA[0-9A-Z]{16}`, 'i');
/** A value: quoted (with escapes), or a run up to whitespace, a comment, a separator or a closing bracket. */
const VALUE = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'|\$\{[^}\s]*\}[^\s#,}\]"']*|[^\s#,}\]"']+`;

/**
 * Where secret values are on a line: each pattern captures the text before the value (group 1)
 * and the value (group 2).
 */
const PATTERNS: RegExp[] = [
  // KEY=value, KEY: value, "key": "value", key = "value" (env, YAML, JSON, HCL, my.cnf)
  new RegExp(`(${SECRET_NAME}["']?\\s*[:=]\\s*)(${VALUE})`, 'gi'),
  // --requirepass value, --password=value, "--requirepass", "value" (command lines, args lists)
  new RegExp(`(-{1,2}${SECRET_NAME}(?:["']\\s*,\\s*|=|\\s+))(${VALUE})`, 'gi'),
  // requirepass value, masterauth value (redis.conf), password "value" (HCL missing its "=")
  new RegExp(`^(\\s*${SECRET_NAME}\\s+)(?![:=])(${VALUE})`, 'gi'),
  // { name: DB_PASSWORD, value: s3cret } (Kubernetes / ECS env entries written on one line)
  new RegExp(`(name["']?\\s*[:=]\\s*["']?${SECRET_NAME}["']?\\s*,\\s*["']?value["']?\\s*[:=]\\s*)(${VALUE})`, 'gi'),
  // scheme://user:password@host (connection strings under any key)
  /([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)([^\s@/"']+)(?=@)/gi,
  // AWS access key ids
  /()(AKIA[0-9A-Z]{16})/g,
];

/** `- name: DB_PASSWORD` / `name = "DB_PASSWORD"` on the line before `value: s3cret`. */
const NAME_LINE = new RegExp(`(?:^|[\\s{,-])name["']?\\s*[:=]\\s*["']?${SECRET_NAME}["']?\\s*,?\\s*$`, 'i');
const VALUE_LINE = new RegExp(`^(\\s*["']?value["']?\\s*[:=]\\s*)(${VALUE})`, 'i');

interface Span {
  start: number;
  end: number;
  value: string;
}

/** The secret values of a line (the previous line gives the env var name of a `value:` line). */
export function secretSpans(line: string, previousLine?: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, value: string) => {
    if (value === '' || isReference(value)) return;
    spans.push({ start, end: start + value.length, value });
  };
  if (SECRET_KEY.test(line)) {
    for (const pattern of PATTERNS) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        add(m.index + m[1]!.length, m[2]!);
        if (m[0].length === 0) pattern.lastIndex++;
      }
    }
  }
  if (previousLine !== undefined && NAME_LINE.test(previousLine)) {
    const m = VALUE_LINE.exec(line);
    if (m) add(m.index + m[1]!.length, m[2]!);
  }
  return mergeSpans(spans);
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { start: last.start, end: s.end, value: `${last.value}${s.value.slice(last.end - s.start)}` };
    } else {
      out.push(s);
    }
  }
  return out;
}

/** A variable reference is not a secret: `${DB_PASSWORD}`, `$DB_PASSWORD`, `"${var.x}"`. */
function isReference(value: string): boolean {
  return /^["']?(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)["']?$/.test(value);
}

function mask(value: string): string {
  return /^["']/.test(value) ? `${value[0]}****${value[0]}` : '****';
}

/**
 * The line with its secret-looking values masked, and where an original 1-based column is
 * in the masked text (so a code frame's caret still points at the right place).
 */
export function redactLineMapped(line: string, previousLine?: string): { text: string; column: (original: number) => number } {
  const spans = secretSpans(line, previousLine);
  if (spans.length === 0) return { text: line, column: (c) => c };
  let text = '';
  let from = 0;
  const shifts: { start: number; end: number; delta: number; maskedLength: number }[] = [];
  for (const s of spans) {
    text += line.slice(from, s.start);
    const masked = mask(s.value);
    shifts.push({ start: s.start, end: s.end, delta: masked.length - (s.end - s.start), maskedLength: masked.length });
    text += masked;
    from = s.end;
  }
  text += line.slice(from);
  const column = (original: number): number => {
    const offset = original - 1;
    let shift = 0;
    for (const s of shifts) {
      if (offset >= s.end) shift += s.delta;
      // Inside a masked value: clamp to the mask.
      else if (offset > s.start) return s.start + shift + Math.min(offset - s.start, s.maskedLength) + 1;
    }
    return offset + shift + 1;
  };
  return { text, column };
}

/** Mask values of secret-looking keys: `KEY=value`, `KEY: value`, `--requirepass value`, `"key": "value"`, `requirepass value`. */
export function redactLine(line: string, previousLine?: string): string {
  return redactLineMapped(line, previousLine).text;
}

/** Values too common to be secrets: masking them in a message would only garble it. */
const NOT_SECRET = /^(yes|no|true|false|on|off|none|null|trust|enabled|disabled|[0-9]{1,5})$/i;

/** The secret values found on some lines of a file, unquoted, for scrubbing messages. */
export function secretValues(lines: string[]): string[] {
  const values = new Set<string>();
  lines.forEach((line, i) => {
    for (const span of secretSpans(line, i > 0 ? lines[i - 1] : undefined)) {
      const bare = span.value.replace(/^(["'])([\s\S]*)\1$/, '$2');
      if (bare.length >= 3 && !NOT_SECRET.test(bare)) values.add(bare);
    }
  });
  return [...values].sort((a, b) => b.length - a.length);
}

/** A message with every occurrence of the given secret values masked. */
export function redactMessage(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('****');
  }
  return out;
}
