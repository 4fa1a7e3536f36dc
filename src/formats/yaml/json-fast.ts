/**
 * A located JSON reader that builds the same nodes as `yaml` (YAMLMap, YAMLSeq, Pair, Scalar
 * with the same values, types and ranges), so every YAML-based format reads a JSON file
 * unchanged, at JSON speed: `yaml` takes 20-25x longer on a large CloudFormation JSON template.
 * It reads strict JSON only. What it declines (a lone surrogate escape) returns undefined and goes
 * through `yaml`. A syntax error (comments, trailing commas, unquoted keys, junk), nesting deeper
 * than MAX_DEPTH and passing the node budget are returned as such: the caller decides
 * whether the file is JSON (a `.json` file: the error is the file's PW000, found at JSON speed)
 * or YAML that merely starts with a bracket (then `yaml` reads it, with its own messages).
 * Duplicate keys are kept in order, as `yaml` does with `uniqueKeys: false`.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Node = YAMLMap | YAMLSeq | Scalar;

/** Where and why the text is not strict JSON, or `budget` when it has more nodes than allowed. */
interface JsonFailure {
  offset: number;
  message: string;
  budget?: true;
}

class NotFastJson extends Error {
  constructor(readonly failure?: JsonFailure) {
    super(failure?.message ?? 'declined');
  }
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

/** Nesting no real JSON configuration reaches (a CloudFormation template nests a dozen levels). */
export const MAX_DEPTH = 1000;

/**
 * The document; or the first syntax error (or the budget passed) when the text is not strict JSON
 * within `maxNodes`; or undefined for JSON this reader leaves to `yaml`.
 */
export function parseJsonAsYaml(text: string, maxNodes: number): Document.Parsed | { failure: JsonFailure } | undefined {
  let i = 0;
  let nodes = 0;
  const decline = (): never => {
    throw new NotFastJson();
  };
  const describe = (at = i): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));
  const fail = (message: string, at = i): never => {
    throw new NotFastJson({ offset: Math.min(at, text.length), message });
  };
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const count = () => {
    if (++nodes > maxNodes) throw new NotFastJson({ offset: 0, message: `more than ${maxNodes} nodes in one document; the limit is ${maxNodes}`, budget: true });
  };

  const readString = (): Scalar => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail('a string is not closed', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail(c === 0x0a ? 'a string is not closed on its line' : 'a control character in a string must be escaped');
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in a string', i - 2);
            const code = parseInt(hex, 16);
            // Lone surrogates are decoded differently by YAML: leave such text to it.
            if (code >= 0xd800 && code <= 0xdfff) decline();
            out += String.fromCharCode(code);
            i += 4;
            break;
          }
          default:
            fail('invalid escape in a string', i - 2);
        }
        chunk = i;
        continue;
      }
      i++;
    }
    out += text.slice(chunk, i);
    i++; // closing quote
    const scalar = new Scalar(out);
    scalar.type = 'QUOTE_DOUBLE';
    scalar.source = out;
    scalar.range = [start, i, i];
    count();
    return scalar;
  };

  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const readPlain = (): Scalar => {
    const start = i;
    let value: unknown;
    let source: string;
    if (text.startsWith('true', i)) [value, source] = [true, 'true'];
    else if (text.startsWith('false', i)) [value, source] = [false, 'false'];
    else if (text.startsWith('null', i)) [value, source] = [null, 'null'];
    else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return fail(i >= text.length ? 'expected a value, found the end of the file' : `expected a value, found ${describe()}`);
      source = m[0];
      value = Number(source);
    }
    i += source.length;
    const next = text.charCodeAt(i);
    // A plain scalar runs on to the next indicator in YAML: `1x` is one string there.
    if (i < text.length && !WS.has(next) && next !== 0x2c && next !== 0x5d && next !== 0x7d) fail(`unexpected ${describe()} after ${JSON.stringify(source)}`);
    const scalar = new Scalar(value);
    scalar.type = 'PLAIN';
    scalar.source = source;
    scalar.range = [start, i, i];
    // As YAML's core schema reads them: `1e3` is a float in exponent form, `9200.5` keeps its digits.
    if (/[eE]/.test(source)) scalar.format = 'EXP';
    else if (typeof value === 'number' && source.includes('.')) scalar.minFractionDigits = source.split('.')[1]!.length;
    count();
    return scalar;
  };

  // Iterative, so deep nesting cannot overflow the stack.
  const readValue = (): Node => {
    type Frame = { node: YAMLMap | YAMLSeq; start: number; pendingKey?: Scalar };
    const stack: Frame[] = [];
    let result: Node | undefined;
    const open = (): Node | undefined => {
      const c = text[i];
      if (c === '{' || c === '[') {
        const node = c === '{' ? new YAMLMap() : new YAMLSeq();
        node.flow = true;
        count();
        // Deeper than the formats' walks expect: the file's error, at the bracket that passes the limit.
        if (stack.length >= MAX_DEPTH) fail(`the file is nested too deeply to read (more than ${MAX_DEPTH} levels)`);
        stack.push({ node, start: i });
        i++;
        return undefined;
      }
      if (c === '"') return readString();
      return readPlain();
    };
    const attach = (child: Node) => {
      const frame = stack[stack.length - 1];
      if (!frame) {
        result = child;
        return;
      }
      if (frame.node instanceof YAMLSeq) frame.node.items.push(child);
      else {
        frame.node.items.push(new Pair(frame.pendingKey!, child));
        frame.pendingKey = undefined;
      }
    };
    skip();
    let value = open();
    if (value) return value;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      skip();
      const c = text[i];
      const closer = frame.node instanceof YAMLMap ? '}' : ']';
      if (c === closer) {
        i++;
        frame.node.range = [frame.start, i, i];
        stack.pop();
        attach(frame.node);
        continue;
      }
      if (frame.node.items.length > 0) {
        if (c !== ',') fail(`expected "," or "${closer}", found ${describe()}`);
        i++;
        skip();
      }
      if (frame.node instanceof YAMLMap) {
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        const key = readString();
        skip();
        if (text[i] !== ':') fail(`expected ":" after a property name, found ${describe()}`);
        i++;
        skip();
        frame.pendingKey = key;
      }
      if (text[i] === closer || text[i] === ',') fail(`expected a value, found ${describe()}`);
      value = open();
      if (value) attach(value);
    }
    return result!;
  };

  // A second byte order mark (the reader removed the first) is not content.
  while (text.charCodeAt(i) === 0xfeff) i++;
  try {
    const contents = readValue();
    skip();
    if (i !== text.length) fail(`unexpected ${describe()} after the JSON value`);
    const doc = new Document() as Document.Parsed;
    doc.contents = contents as never;
    doc.range = [0, text.length, text.length];
    return doc;
  } catch (error) {
    if (error instanceof NotFastJson) return error.failure ? { failure: error.failure } : undefined;
    throw error;
  }
}
