/**
 * A small JSON parser that keeps the offset of every value and key (JSON.parse forgets
 * them). Used for .tf.json, .tfvars.json, plan JSON and access policies in heredocs.
 * Bounded nesting; errors are returned, never thrown.
 */

export type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: JsonEntry[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  /** `escaped` tells that decoded characters do not map 1:1 onto the raw text. */
  | { kind: 'string'; start: number; end: number; value: string; escaped: boolean }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'bool'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

interface JsonEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

interface JsonError {
  offset: number;
  message: string;
}

const MAX_DEPTH = 256;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses `text` from `from` to `to` (default: whole text). Offsets are absolute in `text`. */
export function parseJsonLocated(text: string, from = 0, to = text.length): { node: JsonNode } | { error: JsonError } {
  let pos = from;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(at, message);
  };
  const skipSpace = (): void => {
    while (pos < to) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) pos++;
      else break;
    }
  };
  const describe = (): string => (pos >= to ? 'end of input' : JSON.stringify(text[pos]));

  const parseString = (): { value: string; escaped: boolean; start: number; end: number } => {
    const start = pos;
    pos++; // opening quote
    let value = '';
    let escaped = false;
    let chunkStart = pos;
    while (pos < to) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        value += text.slice(chunkStart, pos);
        pos++;
        return { value, escaped, start, end: pos };
      }
      if (c === 92) {
        escaped = true;
        value += text.slice(chunkStart, pos);
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          value += simple[e];
          pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          fail('invalid escape in string');
        }
        chunkStart = pos;
        continue;
      }
      if (c < 32) fail('control character in string');
      pos++;
    }
    return fail('unterminated string', start);
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, end: pos, entries };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a property name, found ${describe()}`);
        const key = parseString();
        skipSpace();
        if (text[pos] !== ':') fail(`expected ":", found ${describe()}`);
        pos++;
        const value = parseValue(depth + 1);
        entries.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', start, end: pos, entries };
        }
        fail(`expected "," or "}", found ${describe()}`);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, end: pos, items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', start, end: pos, items };
        }
        fail(`expected "," or "]", found ${describe()}`);
      }
    }
    if (c === '"') {
      const s = parseString();
      return { kind: 'string', start, end: s.end, value: s.value, escaped: s.escaped };
    }
    const rest = text.slice(pos, Math.min(to, pos + 5));
    if (rest.startsWith('true')) return (pos += 4), { kind: 'bool', start, end: pos, value: true };
    if (rest.startsWith('false')) return (pos += 5), { kind: 'bool', start, end: pos, value: false };
    if (rest.startsWith('null')) return (pos += 4), { kind: 'null', start, end: pos };
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos, Math.min(to, pos + 400)));
    if (match) {
      pos += match[0].length;
      return { kind: 'number', start, end: pos, value: Number(match[0]) };
    }
    return fail(`unexpected ${describe()}`);
  };

  try {
    const node = parseValue(0);
    skipSpace();
    if (pos < to) fail(`unexpected ${describe()} after the JSON value`);
    return { node };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: { offset: Math.min(error.offset, to), message: error.message } };
    return { error: { offset: from, message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * Raw offset of the decoded character `index` of a JSON string node (for locating
 * interpolations in .tf.json strings). Walks the escapes only when there are some.
 */
export function jsonStringOffset(text: string, node: { start: number; end: number; escaped: boolean }, index: number): number {
  if (!node.escaped) return node.start + 1 + index;
  let raw = node.start + 1;
  let decoded = 0;
  while (raw < node.end - 1 && decoded < index) {
    if (text[raw] === '\\') raw += text[raw + 1] === 'u' ? 6 : 2;
    else raw++;
    decoded++;
  }
  return raw;
}

export function jsonEntry(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (!node || node.kind !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key === key) return node.entries[i]!.value;
  return undefined;
}
