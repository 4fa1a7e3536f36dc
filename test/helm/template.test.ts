/** The Go text/template engine: Go semantics that charts depend on, and positions. */
import { describe, expect, it } from 'vitest';
import { Engine, type Segment } from '../../src/formats/helm/template/exec.js';
import { buildFuncs } from '../../src/formats/helm/template/funcs.js';
import { fromYaml, toJson, toYaml } from '../../src/formats/helm/template/goyaml.js';
import { parseTemplate, TemplateError } from '../../src/formats/helm/template/parse.js';
import { sprintf } from '../../src/formats/helm/template/printf.js';
import { fromPlain } from '../../src/formats/helm/template/values.js';

function engine(): Engine {
  const e: Engine = new Engine(
    buildFuncs(
      {
        include: (name, data, call) => e.execute(name, data, null, call.state.depth + 1),
        tpl: (text, data) => {
          e.addTrees(parseTemplate('tpl', text));
          return e.execute('tpl', data, null);
        },
      },
      'test',
    ),
  );
  return e;
}

function render(text: string, data: unknown = {}, segments?: Segment[]): string {
  const e = engine();
  e.addTrees(parseTemplate('t', text));
  return e.execute('t', data instanceof Map ? data : fromPlain(data), segments ?? null).replace(/<no value>/g, '');
}

describe('text/template semantics', () => {
  it('trims around trim markers and drops comments', () => {
    expect(render('a  {{- "b" -}}  c')).toBe('abc');
    expect(render('a {{/* note */}} b')).toBe('a  b');
    expect(render('a\n{{- /* note */ -}}\nb')).toBe('ab');
    expect(render('{{-3}}')).toBe('-3');
  });

  it('follows Go truthiness and if / else if / else', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
    expect(render(t, { a: 1 })).toBe('A');
    expect(render(t, { a: 0, b: 'x' })).toBe('B');
    expect(render(t, { a: '', b: [] })).toBe('C');
    expect(render(t, { a: {}, b: false })).toBe('C');
  });

  it('ranges over lists, maps in key order, ints, with $k, $v and else, break and continue', () => {
    expect(render('{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { l: ['a', 'b'] })).toBe('0=a;1=b;');
    expect(render('{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}', { m: { b: 2, a: 1, c: 3 } })).toBe('a:1 b:2 c:3 ');
    expect(render('{{ range .none }}x{{ else }}empty{{ end }}', {})).toBe('empty');
    expect(render('{{ range 3 }}{{ . }}{{ end }}')).toBe('012');
    expect(render('{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}', new Map([['l', [1n, 2n, 3n, 4n, 5n]]]))).toBe('13');
  });

  it('with rebinds dot, variables keep their scope and $ is the root', () => {
    expect(render('{{ with .a }}{{ .b }}{{ $.top }}{{ end }}', { a: { b: 'B' }, top: 'T' })).toBe('BT');
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}')).toBe('2');
    expect(render('{{ with .missing }}x{{ else }}none{{ end }}', {})).toBe('none');
  });

  it('prints nil as <no value> (removed by Helm) and errors on fields of nil', () => {
    expect(render('[{{ .missing }}]', {})).toBe('[]');
    expect(() => render('{{ .a.b }}', {})).toThrow(/nil pointer evaluating interface \{\}\.b/);
  });

  it('keeps int and float64 apart as Helm does (values are float64)', () => {
    expect(render('{{ .port }} {{ printf "%T %d" .port .port }} {{ printf "%T" 3 }}', { port: 8080 })).toBe('8080 float64 %!d(float64=8080) int');
    expect(render('{{ .big }} {{ 1e6 }} {{ 7.0 }} {{ add 1 .port }}', { big: 1234567, port: 8080 })).toBe('1.234567e+06 1e+06 7 8081');
    expect(() => render('{{ eq .port 8080 }}', { port: 8080 })).toThrow(/incompatible types for comparison/);
    expect(render('{{ eq (int .port) 8080 }}', { port: 8080 })).toBe('true');
  });

  it('formats values with printf verbs and %v of maps in key order', () => {
    expect(sprintf('%s-%d %q %5s|%-4d|%05.1f %t %x %%', ['a', 3n, 'q"', 'ab', 7n, 3.14159, true, 255n])).toBe('a-3 "q\\""    ab|7   |003.1 true ff %');
    expect(render('{{ .m }} {{ .l }}', { m: { b: 1, a: 'x' }, l: [1, 'two'] })).toBe('map[a:x b:1] [1 two]');
    expect(sprintf('%s %s', ['only'])).toBe('only %!s(MISSING)');
  });

  it('define, template, include, block and a later define overriding an earlier one', () => {
    const e = engine();
    e.addTrees(parseTemplate('helpers', '{{ define "name" }}N-{{ .x }}{{ end }}'));
    e.addTrees(parseTemplate('main', '{{ template "name" . }}|{{ include "name" . | upper }}|{{ block "b" . }}default{{ end }}'));
    expect(e.execute('main', fromPlain({ x: 'y' }), null)).toBe('N-y|N-Y|default');
  });

  it('short-circuits and/or and returns the deciding value', () => {
    expect(render('{{ and .a .b.c }}', { a: false })).toBe('false');
    expect(render('{{ or .a "fallback" }}', {})).toBe('fallback');
  });

  it('maps output to template positions', () => {
    const segments: Segment[] = [];
    const text = 'type: {{ .t }}\n';
    render(text, { t: 'LoadBalancer' }, segments);
    const value = segments.find((s) => s.kind === 'value')!;
    expect(value.text).toBe('LoadBalancer');
    expect(text.slice(value.srcStart, value.srcEnd)).toBe('{{ .t }}');
  });

  it('reports parse errors at the unclosed action', () => {
    try {
      parseTemplate('t', 'a: 1\nb: {{ if .x }}yes\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).offset).toBe(8);
    }
  });
});

describe('Helm and Sprig functions', () => {
  it('toYaml / toJson / fromYaml like sigs.k8s.io/yaml', () => {
    const v = fromPlain({ b: [1, { c: 'two words: x' }], a: { y: null, s: 'yes', m: 'l1\nl2' }, e: {} });
    expect(toYaml(v)).toBe('a:\n  m: |-\n    l1\n    l2\n  s: "yes"\n  "y": null\nb:\n- 1\n- c: \'two words: x\'\ne: {}');
    expect(toJson(fromPlain({ b: '<x>', a: 1.5 }))).toBe('{"a":1.5,"b":"\\u003cx\\u003e"}');
    expect(fromYaml('a: 1\nb: [x]').get('a')).toBe(1);
    expect(fromYaml('a: [').get('Error')).toMatch(/yaml/);
  });

  it('default, empty, coalesce, ternary, required', () => {
    expect(render('{{ .x | default "d" }} {{ empty .l }} {{ coalesce .n "" "c" }} {{ ternary "y" "n" true }}', { x: '', l: [] })).toBe('d true c y');
    expect(() => render('{{ required "x is required" .x }}', {})).toThrow(/x is required/);
  });

  it('strings, lists and dicts', () => {
    expect(render('{{ "abc" | trunc 2 }} {{ trimSuffix "-" "a-" }} {{ "a,b" | splitList "," | join "+" }} {{ list 3 1 2 | sortAlpha }} {{ dict "b" 1 "a" 2 | keys }}')).toBe('ab a a+b [1 2 3] [a b]');
    expect(render('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ toJson $d }} {{ hasKey $d "b" }} {{ omit $d "a" | toJson }}')).toBe('{"a":1,"b":2} true {"b":2}');
    expect(render('{{ nindent 2 "a\\nb" }}')).toBe('\n  a\n  b');
    expect(render('{{ regexReplaceAll "([a-z]+)-(\\\\d+)" "web-12" "${2}_$1" }}')).toBe('12_web');
  });

  it('semverCompare as Masterminds', () => {
    expect(render('{{ semverCompare ">=1.21-0" "v1.35.0" }} {{ semverCompare "<1.19-0" "v1.35.0" }} {{ semverCompare "^1.2.0" "1.9.1" }} {{ (semver "2.3.4").Major }}')).toBe('true false true 2');
  });

  it('merge keeps the destination, mergeOverwrite lets the source win', () => {
    expect(render('{{ merge (dict "a" 1) (dict "a" 2 "b" 3) | toJson }} {{ mergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}')).toBe('{"a":1,"b":3} {"a":2}');
  });
});
