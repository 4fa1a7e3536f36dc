/**
 * Cheap recognition of Kubernetes manifests and Helm chart templates by name and content.
 * A manifest is YAML (or JSON) with top-level `apiVersion` and `kind`; a Helm template is such a
 * file with Go template actions that are part of the structure rather than text inside a string.
 */
import { isScalar, visit, type Node } from 'yaml';
import { isYamlFileName, type YamlParse } from '../yaml/index.js';
import type { SourceFile } from '../types.js';

const STDIN_PATH = '<stdin>';

// Column-0 keys: top-level keys of a block mapping document; quoted keys cover flow/JSON style.
const API_VERSION_KEY = /^["']?apiVersion["']?[ \t]*:/m;
const KIND_KEY = /^["']?kind["']?[ \t]*:/m;
const JSON_API_VERSION = /"apiVersion"\s*:/;
const JSON_KIND = /"kind"\s*:/;
/**
 * A document written as one flow mapping (`{apiVersion: v1, kind: Service, …}`, or `kubectl get
 * -o json` output saved as .yaml): its keys are not at column 0. A line that opens with `{` (after
 * `---` or indentation) and the keys anywhere make a candidate; parse() hands back a file whose
 * documents have no top-level kind.
 */
const FLOW_DOCUMENT = /^[ \t]*(?:---[ \t]+)?\{/m;
const ANY_API_VERSION = /(?:^|[\s{,])["']?apiVersion["']?[ \t]*:/;
const ANY_KIND = /(?:^|[\s{,])["']?kind["']?[ \t]*:/;

/**
 * Go template actions as Helm writes them: `{{ .Values.x }}`, `{{- if ... }}`, `{{ include ... }}`,
 * `{{ $var }}`, Go template comments. CloudFormation's `{{resolve:...}}` and Argo's
 * `{{inputs.parameters.x}}` do not match.
 */
const GO_ACTION =
  /\{\{-?\s*(?:\.|\$|\/\*|(?:if|else|end|range|with|define|include|template|block|toYaml|toJson|tpl|default|quote|printf|required|lookup|fail|not|and|or|eq|ne|trim|indent|nindent)\b)/g;

const HELM_TEMPLATES_DIR = /(^|\/)templates\//;

function hasGoTemplateActions(text: string): boolean {
  GO_ACTION.lastIndex = 0;
  return GO_ACTION.test(text);
}

function isJsonFileName(path: string): boolean {
  return /\.json$/i.test(path);
}

export function detectKubernetes(file: SourceFile): boolean {
  const text = file.text;
  if (isYamlFileName(file.path) || file.path === STDIN_PATH) {
    if (API_VERSION_KEY.test(text) && KIND_KEY.test(text)) return true;
    if (FLOW_DOCUMENT.test(text) && ANY_API_VERSION.test(text) && ANY_KIND.test(text)) return true;
    // A chart template whose whole body comes from `include` has no literal apiVersion.
    return HELM_TEMPLATES_DIR.test(file.path) && hasGoTemplateActions(text);
  }
  // JSON manifests (`kubectl get -o json`); parse() hands files without top-level kind back.
  return isJsonFileName(file.path) && JSON_API_VERSION.test(text) && JSON_KIND.test(text);
}

/**
 * A Helm template, not a manifest: Go actions that sit in the YAML structure. Actions inside
 * string scalars or comments (Prometheus alert texts, Alertmanager templates in a ConfigMap)
 * belong to valid manifests and do not count.
 */
/** A file under a chart's templates/ with Go template actions: a Helm template whatever its YAML says. */
export function isChartTemplate(file: SourceFile): boolean {
  return HELM_TEMPLATES_DIR.test(file.path) && hasGoTemplateActions(file.text);
}

export function isHelmTemplate(file: SourceFile, yaml: YamlParse): boolean {
  if (!hasGoTemplateActions(file.text)) return false;
  if (HELM_TEMPLATES_DIR.test(file.path)) return true;
  // Without a parse there are no string ranges: judge by what precedes each action on its line,
  // so that a broken manifest with `summary: "{{ $labels.x }}"` is still a parse error.
  if (yaml.failure) {
    return someAction(file.text, (at, lineStart) => structuralByText(file.text, at, lineStart));
  }
  const stringRanges: [number, number][] = [];
  for (const doc of yaml.documents) {
    visit(doc, {
      Scalar(_key, node: Node) {
        if (isScalar(node) && typeof node.value === 'string' && node.range) stringRanges.push([node.range[0], node.range[1]]);
      },
    });
  }
  // Sorted ranges and a per-line comment start: linear in the actions (a 1 MB line of `{{` was quadratic).
  stringRanges.sort((a, b) => a[0] - b[0]);
  const reach: number[] = [];
  for (const [i, [, end]] of stringRanges.entries()) reach.push(Math.max(end, i > 0 ? reach[i - 1]! : end));
  const inString = (at: number): boolean => {
    let lo = 0;
    let hi = stringRanges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stringRanges[mid]![0] <= at) lo = mid + 1;
      else hi = mid;
    }
    // Among ranges starting at or before `at`, does the furthest-reaching one cover it?
    return lo > 0 && reach[lo - 1]! > at;
  };
  const comments = new Map<number, number>();
  return someAction(file.text, (at, lineStart) => !inString(at) && !inComment(file.text, at, comments, lineStart));
}

/**
 * Whether `test` holds for some Go template action, given its offset and the start of its line.
 * Line starts advance with the actions (in order): no backward search per action.
 */
function someAction(text: string, test: (at: number, lineStart: number) => boolean): boolean {
  let lineStart = 0;
  let next = text.indexOf('\n');
  return actionPositions(text).some((at) => {
    while (next !== -1 && next < at) {
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    return test(at, lineStart);
  });
}

function actionPositions(text: string): number[] {
  const positions: number[] = [];
  GO_ACTION.lastIndex = 0;
  for (let match = GO_ACTION.exec(text); match; match = GO_ACTION.exec(text)) positions.push(match.index);
  return positions;
}

/**
 * An action alone at the start of a line, or as an unquoted value (`key: {{ ... }}`, `- {{ ... }}`).
 * Read backwards from the action: only whitespace, then a `:` (after a key), a `-` or the line
 * start may precede it, so most actions (after `}}` or text) are decided by the character before
 * them; the key is read at most 4 KB back. Linear in the line (a 1 MB line of actions took 25 s).
 */
function structuralByText(text: string, offset: number, lineStart: number): boolean {
  let i = offset;
  while (i > lineStart && /\s/.test(text[i - 1]!)) i--;
  if (i === lineStart) return true;
  const before = text[i - 1];
  if (before === '-') return i < offset && (i - 1 === lineStart || /^\s*$/.test(text.slice(Math.max(lineStart, i - 4097), i - 1)));
  if (before !== ':' || i === offset) return false;
  return /^\s*(?:-\s+)?[^\s"'#:][^"'#]*$/.test(text.slice(Math.max(lineStart, i - 4097), i - 1));
}

function inComment(text: string, offset: number, cache = new Map<number, number>(), knownLineStart?: number): boolean {
  const lineStart = knownLineStart ?? text.lastIndexOf('\n', offset - 1) + 1;
  let hash = cache.get(lineStart);
  if (hash === undefined) {
    // Where the line's comment starts (`#` at line start or after whitespace), once per line.
    const lineEnd = text.indexOf('\n', lineStart);
    const m = /(^|\s)#/.exec(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd));
    hash = m ? lineStart + m.index + m[1]!.length : Infinity;
    cache.set(lineStart, hash);
  }
  return hash < offset;
}
