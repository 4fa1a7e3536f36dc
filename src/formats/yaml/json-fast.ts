/**
 * A located JSON reader that builds the same nodes as `yaml` (YAMLMap, YAMLSeq, Pair, Scalar
 * with the same values, types and ranges), so every YAML-based format reads a JSON file
 * unchanged, at JSON speed: `yaml` takes 20-25x longer on a large CloudFormation JSON template.
 * It accepts strict JSON only; anything else (comments, duplicate keys, trailing commas, a
 * syntax error, more nodes than the budget) returns undefined and the file goes through `yaml`,
 * so error messages and budgets stay exactly those of the YAML path.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Node = YAMLMap | YAMLSeq | Scalar;

class NotFastJson extends Error {}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

/** The document, or undefined when the text is not plain JSON within `maxNodes`. */
export function parseJsonAsYaml(text: string, maxNodes: number): Document.Parsed | undefined {
  let i = 0;
  let nodes = 0;
  const fail = (): never => {
    throw new NotFastJson();
  };
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const count = () => {
    if (++nodes > maxNodes) fail();
  };

  const readString = (): Scalar => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail();
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
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
            const code = parseInt(hex, 16);
            // Lone surrogates are decoded differently by YAML: leave such text to it.
            if (code >= 0xd800 && code <= 0xdfff) fail();
            out += String.fromCharCode(code);
            i += 4;
            break;
          }
          default:
            fail();
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
      if (!m) return fail();
      source = m[0];
      // Only the shapes YAML's core schema reads the same way as JSON: plain integers and decimals.
      if (/[eE]/.test(source) || /^-?0[0-9]/.test(source)) fail();
      value = Number(source);
      if (!source.includes('.') && !Number.isSafeInteger(value as number)) fail();
    }
    i += source.length;
    const next = text.charCodeAt(i);
    // A plain scalar runs on to the next indicator in YAML: `1x` is one string there.
    if (i < text.length && !WS.has(next) && next !== 0x2c && next !== 0x5d && next !== 0x7d) fail();
    const scalar = new Scalar(value);
    scalar.type = 'PLAIN';
    scalar.source = source;
    scalar.range = [start, i, i];
    if (typeof value === 'number' && source.includes('.')) scalar.minFractionDigits = source.split('.')[1]!.length;
    count();
    return scalar;
  };

  // Iterative, so deep nesting cannot overflow the stack.
  const readValue = (): Node => {
    type Frame = { node: YAMLMap | YAMLSeq; start: number; keys?: Set<string>; pendingKey?: Scalar };
    const stack: Frame[] = [];
    let result: Node | undefined;
    const open = (): Node | undefined => {
      const c = text[i];
      if (c === '{' || c === '[') {
        const node = c === '{' ? new YAMLMap() : new YAMLSeq();
        node.flow = true;
        count();
        stack.push({ node, start: i, ...(c === '{' ? { keys: new Set<string>() } : {}) });
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
        if (c !== ',') fail();
        i++;
        skip();
      }
      if (frame.node instanceof YAMLMap) {
        if (text[i] !== '"') fail();
        const key = readString();
        if (frame.keys!.has(key.value as string)) fail();
        frame.keys!.add(key.value as string);
        skip();
        if (text[i] !== ':') fail();
        i++;
        skip();
        frame.pendingKey = key;
      }
      if (text[i] === closer || text[i] === ',') fail();
      value = open();
      if (value) attach(value);
    }
    return result!;
  };

  try {
    const contents = readValue();
    skip();
    if (i !== text.length) return undefined;
    const doc = new Document() as Document.Parsed;
    doc.contents = contents as never;
    doc.range = [0, text.length, text.length];
    return doc;
  } catch (error) {
    if (error instanceof NotFastJson) return undefined;
    throw error;
  }
}
