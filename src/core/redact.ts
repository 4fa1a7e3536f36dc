/**
 * Secret hygiene for anything that leaves the machine (reports, SARIF, PR comments):
 * a line of source shown as context has its secret-looking values masked.
 */
const SECRET_KEY = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key|access[_-]?key|requirepass|masterauth|_pw\b|pwd)/i;

/** Mask values of secret-looking keys: `KEY=value`, `KEY: value`, `--requirepass value`, `"key": "value"`. */
export function redactLine(line: string): string {
  if (!SECRET_KEY.test(line)) return line;
  return line
    .replace(/([A-Za-z0-9_.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key|access[_-]?key|pwd|_pw)[A-Za-z0-9_.-]*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s#,}]+)/gi, (_m, key: string, value: string) => `${key}${mask(value)}`)
    .replace(/(--(?:requirepass|masterauth|password)[=\s]+)("[^"]*"|'[^']*'|\S+)/gi, (_m, key: string, value: string) => `${key}${mask(value)}`);
}

function mask(value: string): string {
  if (/^["']/.test(value)) return `${value[0]}****${value[0]}`;
  if (/^\$\{?[A-Za-z_]/.test(value)) return value; // a variable reference is not a secret
  return '****';
}
