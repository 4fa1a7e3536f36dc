/**
 * Regular expressions written in config and declarative rules. They come from a reviewed
 * file but are still data: limit their length, reject the shapes that backtrack
 * exponentially (a quantified group that itself contains an unbounded quantifier, such as
 * `(a+)+` or `(\w+\s?)*`, and quantified alternations of overlapping branches such as
 * `(a|a)*`), and cap the length of the text they run on.
 */

const MAX_PATTERN_LENGTH = 256;
/** Image references and subjects are short; a longer text is cut before matching. */
const MAX_SUBJECT_LENGTH = 256;
/** Unbounded quantifiers in one pattern: with the subject cap, at most cubic work (16M steps). */
const MAX_UNBOUNDED = 3;

type SafeRegexResult = { regex: RegExp } | { error: string };

export function compileSafeRegex(pattern: string): SafeRegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH) return { error: `is longer than ${MAX_PATTERN_LENGTH} characters` };
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return { error: `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})` };
  }
  const risk = backreferenceRisk(pattern) ?? backtrackingRisk(pattern) ?? polynomialRisk(pattern);
  if (risk) return { error: `may backtrack catastrophically (${risk}); rewrite it without nested or overlapping repetition` };
  return { regex };
}

/**
 * A backreference (`\1`, `\k<name>`) makes matching a search over what the group captured: no
 * bounded engine runs it and `^(\w+)\1+$`-like shapes backtrack polynomially at best. Refused.
 */
function backreferenceRisk(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '[') {
      // Inside a class, `\1` is a character escape, not a reference.
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch !== '\\') continue;
    const next = pattern[i + 1] ?? '';
    if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return `the backreference at character ${i + 1} repeats what a group captured`;
    i++;
  }
  return undefined;
}

export function safeTest(regex: RegExp, text: string): boolean {
  return regex.test(text.length > MAX_SUBJECT_LENGTH ? text.slice(0, MAX_SUBJECT_LENGTH) : text);
}

interface Group {
  /** An unbounded quantifier appears inside this group (directly or in a nested group). */
  hasUnbounded: boolean;
  /** The atoms repeated without bound inside; null stands for one too complex to reason about (a group). */
  unboundedAtoms: (string | null)[];
  alternatives: string[];
  current: string;
  /** The last atom read, so a following quantifier knows what it repeats. */
  lastAtom: string | null;
  /** The first atom of the group when it is a single literal character that must match. */
  leadingLiteral?: string | null;
}

function newGroup(): Group {
  return { hasUnbounded: false, unboundedAtoms: [], alternatives: [], current: '', lastAtom: null };
}

/**
 * Star height > 1 is the classic exponential shape; identical or prefix-overlapping
 * alternatives under repetition are the other common one. This is a conservative syntactic
 * check, not a proof: it may refuse a few safe patterns, which is the right side to err on.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  const stack: Group[] = [newGroup()];
  let i = 0;
  const atom = (top: Group, text: string) => {
    // The first atom of a group's only alternative, if it is one literal character, anchors each repetition.
    if (top.leadingLiteral === undefined && top.alternatives.length === 0 && top.current === '') {
      top.leadingLiteral = /^(\\[^wdsWDSbBpPux0-9]|[^\\.[(])$/.test(text) ? text.slice(-1) : null;
    }
    top.current += text;
    top.lastAtom = text;
  };
  while (i < pattern.length) {
    const ch = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (ch === '\\') {
      atom(top, pattern.slice(i, i + 2));
      i += 2;
      continue;
    }
    if (ch === '[') {
      let end = i + 1;
      if (pattern[end] === '^') end++;
      if (pattern[end] === ']') end++;
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
      atom(top, pattern.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (ch === '(') {
      if (top.leadingLiteral === undefined && top.alternatives.length === 0 && top.current === '') top.leadingLiteral = null;
      stack.push(newGroup());
      // Skip the group modifiers (?: (?= (?! (?<name> so they do not count as content.
      const modifier = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(pattern.slice(i));
      i += modifier ? modifier[0].length : 1;
      continue;
    }
    if (ch === '|') {
      top.alternatives.push(top.current);
      top.current = '';
      top.leadingLiteral = null;
      i++;
      continue;
    }
    if (ch === ')' && stack.length > 1) {
      const group = stack.pop()!;
      group.alternatives.push(group.current);
      const parent = stack[stack.length - 1]!;
      const quantifier = readQuantifier(pattern, i + 1);
      // Any repetition of a group (even {12}) multiplies the ways its unbounded parts can split the input.
      if (quantifier && quantifier.repeats) {
        if (group.hasUnbounded && !anchoredRepetition(group)) return `the group ending at character ${i + 1} repeats a part that repeats itself`;
        if (overlappingAlternatives(group.alternatives)) return `the repeated group ending at character ${i + 1} has overlapping alternatives`;
      }
      parent.hasUnbounded ||= group.hasUnbounded || !!quantifier?.unbounded;
      if (group.hasUnbounded || quantifier?.unbounded) parent.unboundedAtoms.push(null);
      if (parent.leadingLiteral === undefined && parent.alternatives.length === 0 && parent.current === '') parent.leadingLiteral = null;
      parent.current += `(${group.alternatives.join('|')})`;
      parent.lastAtom = null;
      i += 1 + (quantifier?.length ?? 0);
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (quantifier.unbounded) {
        top.hasUnbounded = true;
        top.unboundedAtoms.push(top.lastAtom);
      }
      // An optional first atom does not anchor anything.
      if (top.alternatives.length === 0 && top.current === top.lastAtom && pattern[i] !== '+') top.leadingLiteral = null;
      top.current += pattern.slice(i, i + quantifier.length);
      i += quantifier.length;
      continue;
    }
    atom(top, ch);
    i++;
  }
  return undefined;
}

/**
 * `(-[a-z]+)*` is safe: every repetition starts with "-", which the inner `[a-z]+` cannot
 * consume, so there is only one way to split the input. Anything less clear-cut is refused.
 */
function anchoredRepetition(group: Group): boolean {
  const literal = group.leadingLiteral;
  if (!literal || group.alternatives.length !== 1) return false;
  return group.unboundedAtoms.every((a) => {
    if (a === null || a === '.') return false;
    try {
      return !new RegExp(`^(?:${a})$`).test(literal);
    } catch {
      return false;
    }
  });
}

function readQuantifier(pattern: string, at: number): { length: number; unbounded: boolean; repeats: boolean } | undefined {
  const ch = pattern[at];
  let length = 0;
  let unbounded = false;
  let repeats = false;
  if (ch === '*' || ch === '+') {
    length = 1;
    unbounded = true;
    repeats = true;
  } else if (ch === '?') {
    length = 1;
  } else if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (!m) return undefined;
    length = m[0].length;
    // {n,} is unbounded; a large finite bound repeats enough to blow up as well.
    unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 16);
    repeats = Number(m[1]) > 1 || (m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1));
  } else {
    return undefined;
  }
  if (pattern[at + length] === '?') length++; // lazy variants backtrack the same way
  return { length, unbounded, repeats };
}

/** More unbounded quantifiers than MAX_UNBOUNDED: polynomial backtracking (`a*a*a*a*b`). */
function polynomialRisk(pattern: string): string | undefined {
  let count = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === '*' || ch === '+' || (ch === '{' && /^\{\d+,(\d*)\}/.exec(pattern.slice(i))?.[1] === '')) count++;
  }
  return count > MAX_UNBOUNDED ? `it has ${count} unbounded repetitions (at most ${MAX_UNBOUNDED})` : undefined;
}

/** The ASCII characters (and "other") an atom can start with, or undefined when unknown. */
function firstChars(alternative: string): Set<string> | undefined {
  const m = /^(\\.|\[(?:\\.|[^\]])*\]|\.|[^\\[(|)*+?{])/.exec(alternative);
  if (!m) return undefined;
  const atom = m[0];
  // An optional first atom: the next one matters too; do not reason about it.
  if (/^[*?]|^\{0/.test(alternative.slice(atom.length))) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${atom})$`);
  } catch {
    return undefined;
  }
  const set = new Set<string>();
  for (let c = 0; c < 128; c++) if (re.test(String.fromCharCode(c))) set.add(String.fromCharCode(c));
  if (re.test('\u00e9') || re.test('\u4e00')) set.add('other');
  return set;
}

function overlappingAlternatives(alternatives: string[]): boolean {
  if (alternatives.length < 2) return false;
  for (let a = 0; a < alternatives.length; a++) {
    for (let b = a + 1; b < alternatives.length; b++) {
      const x = alternatives[a]!;
      const y = alternatives[b]!;
      if (x === '' || y === '') return true;
      // Same literal start: both branches can consume the same input (a|ab, \d|\d+).
      if (x.startsWith(y) || y.startsWith(x) || (isBroad(x) && isBroad(y))) return true;
      // Branches that can start with the same character (a|[a], \w|x): conservative on anything unclear.
      const fx = firstChars(x);
      const fy = firstChars(y);
      if (!fx || !fy) return true;
      for (const c of fx) if (fy.has(c)) return true;
    }
  }
  return false;
}

/** Branches that start with a class or wildcard overlap with almost anything. */
function isBroad(alternative: string): boolean {
  return /^(\.|\\[wdsWDS]|\[)/.test(alternative);
}
