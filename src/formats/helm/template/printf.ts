/** fmt.Sprintf for the verbs charts use: %v %s %d %q %t %f %e %g %x %X %o %b %c %T %%, flags, width, precision. */
import { formatFloat, formatValue, goQuote, GoStruct, sortedKeys, typeName } from './values.js';

function bad(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function pad(s: string, width: number | undefined, minus: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (minus) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    const body = sign ? s.slice(1) : s;
    return sign + '0'.repeat(width - s.length) + body;
  }
  return ' '.repeat(width - s.length) + s;
}

function formatOne(verb: string, v: unknown, flags: string, precision: number | undefined): string {
  const plus = flags.includes('+');
  const sharp = flags.includes('#');
  switch (verb) {
    case 'v':
      if (typeof v === 'number' && precision !== undefined) return v.toPrecision(precision);
      if (plus && typeof v === 'bigint' && v >= 0n) return `+${v}`;
      if (sharp && typeof v === 'string') return goQuote(v);
      return formatValue(v);
    case 's':
      if (typeof v === 'string') return precision !== undefined ? [...v].slice(0, precision).join('') : v;
      if (v instanceof GoStruct && v.stringer) return v.stringer();
      if (v instanceof Map) return `map[${sortedKeys(v).map((k) => `${k}:${formatOne('s', v.get(k), '', undefined)}`).join(' ')}]`;
      if (Array.isArray(v)) return `[${v.map((x) => formatOne('s', x, '', undefined)).join(' ')}]`;
      if (v instanceof Error) return v.message;
      return bad('s', v);
    case 'q':
      if (typeof v === 'string') return goQuote(v);
      if (typeof v === 'bigint') return `'${String.fromCodePoint(Number(v))}'`;
      if (Array.isArray(v)) return `[${v.map((x) => formatOne('q', x, '', undefined)).join(' ')}]`;
      return bad('q', v);
    case 'd':
      if (typeof v === 'bigint') return plus && v >= 0n ? `+${v}` : v.toString();
      if (Array.isArray(v)) return `[${v.map((x) => formatOne('d', x, flags, precision)).join(' ')}]`;
      return bad('d', v);
    case 't':
      return typeof v === 'boolean' ? String(v) : bad('t', v);
    case 'f':
    case 'F':
      if (typeof v === 'number') return (plus && v >= 0 ? '+' : '') + v.toFixed(precision ?? 6);
      return bad(verb, v);
    case 'e':
    case 'E': {
      if (typeof v !== 'number') return bad(verb, v);
      const [m, e] = v.toExponential(precision ?? 6).split('e') as [string, string];
      const n = Number(e);
      const s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
      return verb === 'E' ? s.toUpperCase() : s;
    }
    case 'g':
    case 'G':
      if (typeof v !== 'number') return bad(verb, v);
      return precision !== undefined ? String(Number(v.toPrecision(precision))) : formatFloat(v);
    case 'x':
    case 'X': {
      let s: string;
      if (typeof v === 'bigint') s = (v < 0n ? '-' : '') + (v < 0n ? -v : v).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else if (typeof v === 'number') return bad(verb, v);
      else return bad(verb, v);
      if (sharp) s = `0x${s}`;
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'o':
      return typeof v === 'bigint' ? (sharp ? '0' : '') + v.toString(8) : bad('o', v);
    case 'b':
      return typeof v === 'bigint' ? v.toString(2) : bad('b', v);
    case 'c':
      return typeof v === 'bigint' ? String.fromCodePoint(Number(v)) : bad('c', v);
    case 'U':
      return typeof v === 'bigint' ? `U+${v.toString(16).toUpperCase().padStart(4, '0')}` : bad('U', v);
    case 'T':
      return typeName(v);
    default:
      return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
  }
}

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    let flags = '';
    while (i < format.length && '+-# 0'.includes(format[i]!)) flags += format[i++];
    let width: number | undefined;
    if (format[i] === '*') {
      width = Number(args[argi++] ?? 0);
      i++;
    } else {
      const w = /^\d+/.exec(format.slice(i));
      if (w) {
        width = Number(w[0]);
        i += w[0].length;
      }
    }
    let precision: number | undefined;
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        precision = Number(args[argi++] ?? 0);
        i++;
      } else {
        const p = /^\d*/.exec(format.slice(i))!;
        precision = p[0] === '' ? 0 : Number(p[0]);
        i += p[0].length;
      }
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[argi++];
    const s = formatOne(verb, v, flags, precision);
    out += pad(s, width, flags.includes('-'), flags.includes('0') && verb !== 's' && verb !== 'v' && verb !== 'q');
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

export function sprintln(args: unknown[]): string {
  return `${args.map((a) => formatValue(a)).join(' ')}\n`;
}
