/**
 * Secret hygiene for anything that leaves the machine (reports, SARIF, PR comments):
 * a line of source shown as context has its secret-looking values masked, and a message
 * that quotes source text (a parser's "unexpected ..." error) has the secret values of the
 * lines it points at masked. Depends on nothing.
 */

/** Words that make a key, flag or env var name secret-looking. `pass` alone also catches `passwd`, `passphrase`. */
const SECRET_WORD = String.raw`(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key|access[_-]?key|requirepass|masterauth|pwd|_pw)`;
/** A value: quoted (with escapes), or a run up to whitespace, a comment, a separator or a closing bracket. */
const VALUE = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'|\$\{[^}\s]*\}[^\s#,}\]"']*|[^\s#,}\]"']+`;

/** The secret words, tested on one name token at a time (never scanned across a whole line). */
const SECRET_WORD_RE = new RegExp(SECRET_WORD, 'i');
/** Name tokens: keys, flags, env var names; values are skipped once read. */
const TOKEN = /[A-Za-z0-9_.-]+/g;
const VALUE_AT = new RegExp(`(?:${VALUE})`, 'y');
/** After a secret key: `: value`, `= value`, `": "value"` (env, YAML, JSON, HCL, my.cnf). */
const AFTER_KEY = /["']?[ \t]*[:=][ \t]*/y;
/** After a secret flag: `--requirepass value`, `--password=value`, `"--requirepass", "value"`. */
const AFTER_FLAG = /["'][ \t]*,[ \t]*|=|[ \t]+/y;
/** After a secret word at line start: `requirepass value`, `password "value"` (HCL missing its "="). */
const AFTER_WORD = /[ \t]+(?![:=])/y;
/** After an env var / tag name on one line: `{ name: DB_PASSWORD, value: x }`, `{"Key": "token", "Value": "x"}`. */
const AFTER_NAME = /["']?[ \t]*,[ \t]*["']?value["']?[ \t]*[:=][ \t]*/iy;
const BEARER = /^(?:bearer|basic)$/i;
/**
 * A secret-word key that names or points at a secret rather than holding it: Kubernetes'
 * `secretName: db-credentials`, `secretKeyRef`, Bitnami's `existingSecret`, `passwordFile: /run/secrets/db`,
 * `--password-file`. Their values are object names and paths, and masking them as secrets garbled
 * every path and unit name that shares them (`secretName: hello-app` made
 * `quickstarts/hello-app/` print as `quickstarts/****` in every report).
 */
const REFERENCE_KEY = /(?:name|ref|path|file|dir)s?$|existing/i;
/** Words (`Basic authentication`, `Bearer token-based`): prose after the word, not credentials. */
const PROSE = /^[A-Za-z][a-z]*(?:-[A-Za-z][a-z]*)*$/;
/** Basic credentials: base64 of `user:password`, padded as HTTP sends it. */
const BASE64_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const WHITESPACE = /[ \t]+/y;
/** Token-shaped credentials, recognized by their whole token. */
const TOKEN_SECRET = /^(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{16,})$/;
/** A line of a PEM body or another long opaque base64 blob. */
const BASE64_LINE = /^([ \t"']*)([A-Za-z0-9+/]{40,}={0,2})["',]*[ \t]*$/;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** After `://`: the user (possibly empty), a colon, the password up to `@`. Anchored: linear. */
const URL_CREDENTIALS = /([^\s:/@"']*:)([^\s@/"']+)(?=@)/y;

/** `- name: DB_PASSWORD` / `name = "DB_PASSWORD"` / `- Key: db_token` on the line before `value: s3cret` (the name is tested for a secret word). */
const NAME_LINE = /(?:^|[\s{,-])(?:name|key)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9_.-]+)["']?[\s,]*$/i;
const VALUE_LINE = new RegExp(`^([ \\t]*["']?value["']?[ \\t]*[:=][ \\t]*)(${VALUE})`, 'i');

interface Span {
  start: number;
  end: number;
  value: string;
}

/**
 * The secret values of a line (the previous line gives the env var name of a `value:` line).
 * Linear in the line length: one pass over name tokens, each followed by anchored (sticky)
 * reads; a value once read is skipped, so no text is scanned twice by the same rule.
 */
function secretSpans(line: string, previousLine?: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, value: string) => {
    if (value === '' || isReference(value)) return;
    spans.push({ start, end: start + value.length, value });
  };
  const valueAt = (at: number): string | undefined => {
    VALUE_AT.lastIndex = at;
    const m = VALUE_AT.exec(line);
    return m ? m[0] : undefined;
  };
  const after = (re: RegExp, at: number): number | undefined => {
    re.lastIndex = at;
    const m = re.exec(line);
    return m ? at + m[0].length : undefined;
  };
  const lineStart = line.length - line.trimStart().length;
  const isRedisCli = line.includes('redis-cli');
  TOKEN.lastIndex = 0;
  for (let t = TOKEN.exec(line); t; t = TOKEN.exec(line)) {
    const token = t[0];
    const end = t.index + token.length;
    let valueEnd = -1;
    const take = (at: number | undefined): boolean => {
      if (at === undefined) return false;
      const v = valueAt(at);
      if (v === undefined) return false;
      add(at, v);
      valueEnd = Math.max(valueEnd, at + v.length);
      return true;
    };
    if (TOKEN_SECRET.test(token)) {
      add(t.index, token);
      continue;
    }
    if (SECRET_WORD_RE.test(token)) {
      // A path segment (`./secrets:/secrets`) or a key that names a secret holds no secret.
      if (line.charCodeAt(t.index - 1) === SLASH || REFERENCE_KEY.test(token)) continue;
      if (token.startsWith('-')) take(after(AFTER_FLAG, end));
      else if (!take(after(AFTER_KEY, end)) && !take(after(AFTER_NAME, end)) && t.index === lineStart) take(after(AFTER_WORD, end));
    } else if (BEARER.test(token)) {
      // Authorization: Bearer <token> / Basic <credentials>
      const at = after(WHITESPACE, end);
      const v = at === undefined ? undefined : valueAt(at);
      if (v && isCredential(token, v.replace(/^["']|["']$/g, ''))) take(at);
    } else if (token === '-u' || token === '--user') {
      // curl -u user:password
      const at = after(AFTER_FLAG, end);
      const v = at === undefined ? undefined : valueAt(at);
      if (at !== undefined && v && v.includes(':')) {
        const colon = v.indexOf(':');
        add(at + colon + 1, v.slice(colon + 1).replace(/["']$/, ''));
        valueEnd = at + v.length;
      }
    } else if (isRedisCli && (token === '-a' || token === '--pass')) {
      take(after(AFTER_FLAG, end));
    }
    if (valueEnd > TOKEN.lastIndex) TOKEN.lastIndex = valueEnd;
  }
  // scheme://user:password@host and scheme://:password@host (connection strings under any key)
  for (let at = line.indexOf('://'); at !== -1; at = line.indexOf('://', at + 3)) {
    URL_CREDENTIALS.lastIndex = at + 3;
    const m = URL_CREDENTIALS.exec(line);
    if (m) add(at + 3 + m[1]!.length, m[2]!);
  }
  // A private key: everything after the BEGIN marker on this line; a base64 body line as a whole.
  const pem = PEM_BEGIN.exec(line);
  if (pem) {
    const from = pem.index + pem[0].length;
    const endMarker = line.indexOf('-----END', from);
    const body = line.slice(from, endMarker === -1 ? line.length : endMarker);
    if (body.trim() !== '') add(from, body);
  }
  const blob = BASE64_LINE.exec(line);
  if (blob) add(blob[1]!.length, blob[2]!);
  if (previousLine !== undefined && namesSecret(previousLine)) {
    const m = VALUE_LINE.exec(line);
    if (m) add(m.index + m[1]!.length, m[2]!);
  }
  return mergeSpans(spans);
}

/**
 * Whether a line names a secret env var or tag for the `value:` line after it (`- name: DB_PASSWORD`).
 * The only way a line's secrets depend on the line before: where it does not, they are the line's own.
 */
export function namesSecret(previousLine: string): boolean {
  const name = NAME_LINE.exec(previousLine);
  return !!name && SECRET_WORD_RE.test(name[1]!) && !REFERENCE_KEY.test(name[1]!);
}

const SLASH = 0x2f;

/**
 * What follows `Bearer` or `Basic` is a credential: a token of 8 characters or more that is not a
 * word or words (`Bearer token-based auth` in a comment); for Basic, `user:password` in base64 (or
 * in the clear), so `Basic hello-app deployment` is prose.
 */
function isCredential(scheme: string, value: string): boolean {
  if (value.length < 8 || PROSE.test(value)) return false;
  if (scheme.toLowerCase() === 'bearer' || value.includes(':')) return true;
  if (!BASE64_PADDED.test(value)) return false;
  try {
    return atob(value).includes(':');
  } catch {
    return false;
  }
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
  lines.forEach((line, i) => addLineSecrets(values, line, i > 0 ? lines[i - 1] : undefined));
  return [...values].sort((a, b) => b.length - a.length);
}

/** Adds the secret values of one line (read with the line before it, for a `value:` under its `name:`), unquoted, in order. */
export function addLineSecrets(values: Set<string>, line: string, previousLine?: string): void {
  for (const span of secretSpans(line, previousLine)) {
    const bare = span.value.replace(/^(["'])([\s\S]*)\1$/, '$2');
    if (bare.length >= 3 && !NOT_SECRET.test(bare)) values.add(bare);
  }
}

/** A message with every occurrence of the given secret values masked. */
export function redactMessage(message: string, secrets: readonly string[]): string {
  const candidates = mayOccur(message, secrets);
  // A whole report is masked piece by piece (pieces end at line breaks): each secret's pass
  // would otherwise copy the whole text, and those copies pile up until a full GC. The same
  // result, since no occurrence of a one-line secret spans a line break.
  if (message.length >= INDEX_FROM && !candidates.some((s) => s === '' || s.includes('\n'))) {
    const pieces: string[] = [];
    for (let start = 0; start < message.length; ) {
      const cut = message.indexOf('\n', start + PIECE);
      const end = cut === -1 ? message.length : cut + 1;
      pieces.push(maskAll(message.slice(start, end), candidates));
      start = end;
    }
    return pieces.join('');
  }
  return maskAll(message, candidates);
}

/** Past this length a text is masked in pieces of about this many characters. */
const PIECE = 16 * 1024;

function maskAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('****');
  }
  return out;
}

/** Past this length a text (a whole report) is indexed once instead of searched once per secret. */
const INDEX_FROM = 64 * 1024;

/**
 * The secrets, in order, that may occur in `text` or in it once masked: those found in it, and
 * those the search cannot rule out (shorter than three characters, or with a `*`: masking only
 * adds `****`, so a secret without one cannot appear by masking). Found in one pass over the
 * text: at each position, the secrets whose first three characters hash as the text's there are
 * compared (a 20 MB report: 0.6 s of searching every piece for every secret became 0.15 s). A
 * pass that compares more than WORK_PER_CHAR characters per character of the text (long secrets
 * sharing their start, a text made of it) stops and keeps every secret: the search is then the
 * per-piece one, as before.
 * Short texts keep every secret.
 */
function mayOccur(text: string, secrets: readonly string[]): readonly string[] {
  if (text.length < INDEX_FROM || secrets.length < 16) return secrets;
  const index = secretIndex(secrets);
  const found = new Set<string>();
  let budget = text.length * WORK_PER_CHAR;
  let c1 = text.charCodeAt(0);
  let c2 = text.charCodeAt(1);
  for (let i = 0; i + 2 < text.length; i++) {
    const c0 = c1;
    c1 = c2;
    c2 = text.charCodeAt(i + 2);
    const starting = index.buckets[startHash(c0, c1, c2)];
    if (starting === undefined) continue;
    for (const secret of starting) {
      if (found.has(secret)) continue;
      // A comparison costs up to the secret's length.
      budget -= secret.length;
      if (budget < 0) return secrets;
      if (text.startsWith(secret, i)) found.add(secret);
    }
  }
  return secrets.filter((secret) => found.has(secret) || index.unsearched.has(secret));
}

/** Characters mayOccur may compare per character of the text before it keeps every secret (the corpus report: 3). */
const WORK_PER_CHAR = 16;
const BUCKETS = 1 << 16;

function startHash(c0: number, c1: number, c2: number): number {
  return ((Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca77) ^ Math.imul(c2, 0xc2b2ae3d)) >>> 16) & (BUCKETS - 1);
}

interface SecretIndex {
  /** The secrets by the hash of their first three characters. */
  buckets: (string[] | undefined)[];
  /** Secrets the pass cannot find: kept whatever the text. */
  unsearched: Set<string>;
}

/** The secrets by their start (built per call: a list's index is small beside the long text it searches). */
function secretIndex(secrets: readonly string[]): SecretIndex {
  const index: SecretIndex = { buckets: new Array(BUCKETS), unsearched: new Set() };
  for (const secret of secrets) {
    if (secret.length < 3 || secret.includes('*')) index.unsearched.add(secret);
    else (index.buckets[startHash(secret.charCodeAt(0), secret.charCodeAt(1), secret.charCodeAt(2))] ??= []).push(secret);
  }
  return index;
}
