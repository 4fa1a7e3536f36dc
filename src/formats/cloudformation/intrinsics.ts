/**
 * Evaluation of CloudFormation values with their intrinsic functions, in both spellings
 * (`!Ref X` tagged nodes and `{"Ref": "X"}` maps). A value keeps the location it comes from:
 * `!Ref Param` becomes the parameter's Default, located in the Parameters section.
 * What cannot be known before deployment becomes `unknown` with a reason; `!If` keeps both
 * branches (`choice`) so the caller decides whether they agree. Work is bounded per template.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Hop, Location } from '../../core/location.js';
import type { SourceFile } from '../types.js';
import { deref, getEntry, mapEntries, nodeLocation, seqItems, type YamlDocument } from '../yaml/index.js';
import type { CfnTemplate } from './template.js';

/** Places a value passed through before `loc` (a parameter Default, a mapping entry, a condition), from `loc` outward. */
type Trail = { trail?: Hop[] };

export type CfnValue = (
  | { kind: 'scalar'; value: string | number | boolean | null; loc: Location }
  | { kind: 'list'; items: CfnValue[]; loc: Location }
  /** Mappings are evaluated lazily, key by key (see `property`). */
  | { kind: 'map'; node: Node; loc: Location }
  /** `Ref` to a resource of the template (a security group, a network ACL...), or its GetAtt. */
  | { kind: 'resource'; logicalId: string; type: string; attribute?: string; loc: Location }
  /** `!If`: one of the options, decided at deployment. */
  | { kind: 'choice'; reason: string; options: CfnValue[]; loc: Location }
  /** AWS::NoValue: the property is absent. */
  | { kind: 'novalue'; loc: Location }
  | { kind: 'unknown'; reason: string; label: string; loc: Location }
) &
  Trail;

function sameSpan(a: Location, b: Location): boolean {
  return a.file === b.file && a.region.startOffset === b.region.startOffset && a.region.endOffset === b.region.endOffset;
}

/** A short rendering of a scalar for hop notes ("0.0.0.0/0", "22"); never long text. */
function shown(value: CfnValue): string {
  const s = value.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
  // Addresses, CIDRs, ports, booleans and wildcards only: anything else may be a secret.
  return s !== undefined && s.length <= 45 && (/^[0-9a-fA-F.:/]*\d[0-9a-fA-F.:/]*$/.test(s) || /^(\*|-1|true|false|tcp|udp)$/i.test(s)) ? s : 'the value';
}

/**
 * The value as seen where it is referenced (`!Ref AdminCidr`): located there, with where it was
 * written as the first hop ("0.0.0.0/0 comes from the default of parameter AdminCidr").
 * Maps are read lazily from their node and keep their own locations.
 */
function rehome(value: CfnValue, loc: Location, note: string, depth = 0): CfnValue {
  if (depth > 16 || value.kind === 'map' || sameSpan(value.loc, loc)) return value;
  const trail = [{ location: value.loc, note: `${shown(value)} ${note}` }, ...(value.trail ?? [])];
  if (value.kind === 'list') return { ...value, loc, trail, items: value.items.map((i) => rehome(i, loc, note, depth + 1)) };
  if (value.kind === 'choice') return { ...value, loc, trail, options: value.options.map((o) => rehome(o, loc, note, depth + 1)) };
  return { ...value, loc, trail };
}

/** A hop appended after the value's own (a condition that decides an `!If` branch). */
function withHop(value: CfnValue, hop: Hop | undefined): CfnValue {
  return hop ? { ...value, trail: [...(value.trail ?? []), hop] } : value;
}

const MAX_STEPS = 50_000;
const MAX_DEPTH = 24;
const MAX_CHOICES = 64;
/** Pseudo parameters are known only when a stack is deployed. */
const PSEUDO = /^AWS::(AccountId|NotificationARNs|Partition|Region|StackId|StackName|URLSuffix)$/;

export class Evaluator {
  private steps = 0;
  /** Resources (or parts) that could not be judged and contribute nothing: reported as `unknown` notices. */
  readonly dropped: { what: string; reason: string }[] = [];

  constructor(readonly file: SourceFile, readonly template: CfnTemplate) {}

  get doc(): YamlDocument {
    return this.template.doc;
  }

  /** Where a node is written, including a short-form tag in front of it. */
  location(node: Node): Location {
    const loc = nodeLocation(this.file, node);
    const tag = (node as { tag?: string }).tag;
    const start = loc.region.startOffset;
    if (tag && tag.startsWith('!')) {
      const tagStart = this.file.text.lastIndexOf(tag, start);
      if (tagStart >= 0 && /^\s*$/.test(this.file.text.slice(tagStart + tag.length, start))) {
        return { file: this.file.path, region: this.file.index.region(tagStart, loc.region.endOffset) };
      }
    }
    return loc;
  }

  evaluate(raw: unknown, depth = 0): CfnValue | undefined {
    const node = deref(raw, this.doc);
    if (!node) return undefined;
    const loc = this.location(node);
    if (++this.steps > MAX_STEPS || depth > MAX_DEPTH) return unknown('the template is too deeply nested to evaluate', '?', loc);
    const tag = (node as { tag?: string }).tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
      const name = tag === '!Ref' ? 'Ref' : tag === '!Condition' ? 'Condition' : `Fn::${tag.slice(1)}`;
      return this.intrinsic(name, node, loc, depth);
    }
    if (isMap(node)) {
      const entries = mapEntries(node, this.doc);
      const only = entries.length === 1 ? entries[0]! : undefined;
      if (only && (only.key === 'Ref' || only.key.startsWith('Fn::'))) return this.intrinsic(only.key, only.value, loc, depth);
      return { kind: 'map', node, loc };
    }
    if (isSeq(node)) {
      const items: CfnValue[] = [];
      for (const item of seqItems(node, this.doc)) {
        const v = this.evaluate(item, depth + 1);
        if (v && v.kind !== 'novalue') items.push(v);
      }
      return { kind: 'list', items, loc };
    }
    if (isScalar(node)) {
      const v = node.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      return { kind: 'scalar', value, loc };
    }
    return unknown('an unsupported YAML node', '?', loc);
  }

  /** A key of a map value, evaluated; undefined when absent or AWS::NoValue. */
  property(map: CfnValue | undefined, key: string, depth = 0): CfnValue | undefined {
    if (!map || map.kind !== 'map') return undefined;
    const entry = getEntry(map.node, key, this.doc);
    if (!entry) return undefined;
    const value = this.evaluate(entry.value, depth + 1) ?? { kind: 'scalar', value: null, loc: nodeLocation(this.file, entry.keyNode) };
    return value.kind === 'novalue' ? undefined : value;
  }

  /** The keys of a map value. */
  keys(map: CfnValue | undefined): string[] {
    return map?.kind === 'map' ? mapEntries(map.node, this.doc).map((e) => e.key) : [];
  }

  private intrinsic(name: string, argNode: unknown, loc: Location, depth: number): CfnValue {
    const arg = deref(argNode, this.doc);
    switch (name) {
      case 'Ref':
        return this.ref(text(arg) ?? '', loc, depth);
      case 'Fn::GetAtt':
        return this.getAtt(arg, loc, depth);
      case 'Fn::If':
        return this.fnIf(arg, loc, depth);
      case 'Fn::Sub':
        return this.sub(arg, loc, depth);
      case 'Fn::FindInMap':
        return this.findInMap(arg, loc, depth);
      case 'Fn::Join':
        return this.join(arg, loc, depth);
      case 'Fn::Select':
        return this.select(arg, loc, depth);
      case 'Fn::Split': {
        const [delimiter, source] = seqItems(arg, this.doc).map((n) => this.evaluate(n, depth + 1));
        const s = scalarString(source);
        const d = scalarString(delimiter);
        if (s === undefined || d === undefined || d === '') return unknown('Fn::Split of a value known only at deployment', 'Fn::Split', loc);
        return { kind: 'list', items: s.split(d).map((part) => ({ kind: 'scalar', value: part, loc })), loc };
      }
      default:
        return unknown(`${name} is evaluated only at deployment`, name, loc);
    }
  }

  private ref(name: string, loc: Location, depth: number): CfnValue {
    if (name === 'AWS::NoValue') return { kind: 'novalue', loc };
    if (PSEUDO.test(name)) return unknown(`${name} is known only at deployment`, name, loc);
    const parameter = this.template.parameters.get(name);
    if (parameter) {
      const type = text(getEntry(parameter.value, 'Type', this.doc)?.value) ?? 'String';
      if (type.startsWith('AWS::SSM::Parameter::Value')) return unknown(`parameter ${name} is read from the SSM parameter store`, name, loc);
      const defaultEntry = getEntry(parameter.value, 'Default', this.doc);
      if (!defaultEntry) return unknown(`parameter ${name} has no default`, name, loc);
      const value = this.evaluate(defaultEntry.value, depth + 1);
      if (!value) return unknown(`parameter ${name} has an empty default`, name, loc);
      const note = `comes from the default of parameter ${name}`;
      // List parameters take "a,b" defaults: each item keeps the default's location.
      if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && value.kind === 'scalar' && typeof value.value === 'string') {
        return rehome({ kind: 'list', items: value.value.split(',').map((part) => ({ kind: 'scalar', value: part.trim(), loc: value.loc })), loc: value.loc }, loc, note);
      }
      return rehome(value, loc, note);
    }
    const resource = this.template.resourceTypes.get(name);
    if (resource) return { kind: 'resource', logicalId: name, type: resource.type, loc };
    return unknown(`${name} is neither a parameter nor a resource of this template`, name, loc);
  }

  private getAtt(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    let logicalId: string | undefined;
    let attribute: string | undefined;
    if (isSeq(arg)) [logicalId, attribute] = seqItems(arg, this.doc).map((n) => text(n));
    else {
      const t = text(arg);
      const dot = t?.indexOf('.') ?? -1;
      if (t && dot > 0) [logicalId, attribute] = [t.slice(0, dot), t.slice(dot + 1)];
    }
    return this.attribute(logicalId, attribute, loc, depth);
  }

  private attribute(logicalId: string | undefined, attribute: string | undefined, loc: Location, depth: number): CfnValue {
    const resource = logicalId ? this.template.resourceTypes.get(logicalId) : undefined;
    if (!resource || !attribute) return unknown(`Fn::GetAtt ${logicalId ?? '?'}.${attribute ?? '?'} is known only at deployment`, `${logicalId}.${attribute}`, loc);
    // A VPC's or subnet's CIDR is written in the template: follow it, so rules "from the VPC" are not unknowns.
    if (attribute === 'CidrBlock' && (resource.type === 'AWS::EC2::VPC' || resource.type === 'AWS::EC2::Subnet')) {
      const cidr = getEntry(resource.properties, 'CidrBlock', this.doc);
      const value = cidr ? this.evaluate(cidr.value, depth + 1) : undefined;
      if (value) return value;
    }
    return { kind: 'resource', logicalId: resource.logicalId, type: resource.type, attribute, loc };
  }

  private fnIf(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    const [condition, whenTrue, whenFalse] = seqItems(arg, this.doc);
    const name = text(condition) ?? '?';
    const defined = this.template.conditions?.get(name);
    const conditionLoc = defined ? nodeLocation(this.file, defined.keyNode) : undefined;
    const options = [whenTrue, whenFalse].map((n, i) =>
      withHop(this.evaluate(n, depth + 1) ?? ({ kind: 'novalue', loc } as CfnValue), conditionLoc && { location: conditionLoc, note: `applies when condition ${name} is ${i === 0 ? 'true' : 'false'}` }),
    );
    return { kind: 'choice', reason: `depends on condition ${name}`, options, loc };
  }

  private sub(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    const items = isSeq(arg) ? seqItems(arg, this.doc) : [arg];
    const template = text(items[0]);
    if (template === undefined) return unknown('Fn::Sub of a value that is not a string', 'Fn::Sub', loc);
    const vars = items[1];
    let failure: CfnValue | undefined;
    const result = template.replace(/\$\{(!?)([^}]*)\}/g, (whole, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (failure) return whole;
      const own = vars ? getEntry(vars, name.trim(), this.doc) : undefined;
      const value = own
        ? this.evaluate(own.value, depth + 1)
        : name.includes('.') ? this.attribute(name.slice(0, name.indexOf('.')).trim(), name.slice(name.indexOf('.') + 1).trim(), loc, depth) : this.ref(name.trim(), loc, depth);
      const s = value ? scalarString(value) : undefined;
      if (s === undefined) failure = value?.kind === 'unknown' ? value : unknown(`\${${name}} ${value?.kind === 'choice' ? value.reason : 'is known only at deployment'}`, name, loc);
      return s ?? whole;
    });
    if (failure && failure.kind === 'unknown') return { ...failure, loc };
    return { kind: 'scalar', value: result, loc };
  }

  private findInMap(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    const [mapName, topKey, secondKey] = seqItems(arg, this.doc).map((n) => this.evaluate(n, depth + 1));
    const map = getEntry(this.template.mappings, scalarString(mapName) ?? '', this.doc)?.value;
    const second = scalarString(secondKey);
    if (!map || second === undefined) return unknown('Fn::FindInMap of a mapping or key that cannot be resolved', 'Fn::FindInMap', loc);
    const top = scalarString(topKey);
    if (top !== undefined) {
      const value = getEntry(getEntry(map, top, this.doc)?.value, second, this.doc);
      const found = value && this.evaluate(value.value, depth + 1);
      return found ? rehome(found, loc, `comes from mapping ${scalarString(mapName)} (${top}.${second})`) : unknown(`mapping ${scalarString(mapName)} has no ${top}.${second}`, 'Fn::FindInMap', loc);
    }
    // The top key is known only at deployment (often AWS::Region): every row is possible.
    const options: CfnValue[] = [];
    for (const row of mapEntries(map, this.doc).slice(0, MAX_CHOICES)) {
      const value = getEntry(row.value, second, this.doc);
      const evaluated = value ? this.evaluate(value.value, depth + 1) : undefined;
      if (evaluated) options.push(rehome(evaluated, loc, `comes from mapping ${scalarString(mapName)} (${row.key}.${second})`));
    }
    const why = topKey?.kind === 'unknown' ? topKey.label : 'a key known only at deployment';
    return options.length > 0 ? { kind: 'choice', reason: `depends on ${why}`, options, loc } : unknown(`mapping ${scalarString(mapName)} has no ${second}`, 'Fn::FindInMap', loc);
  }

  private join(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    const [delimiter, list] = seqItems(arg, this.doc).map((n) => this.evaluate(n, depth + 1));
    const d = scalarString(delimiter);
    if (d === undefined || list?.kind !== 'list') return unknown('Fn::Join of a list known only at deployment', 'Fn::Join', loc);
    const parts = list.items.map(scalarString);
    if (parts.some((p) => p === undefined)) {
      const bad = list.items.find((i) => scalarString(i) === undefined)!;
      return bad.kind === 'unknown' ? { ...bad, loc } : unknown(`Fn::Join of a value that ${bad.kind === 'choice' ? bad.reason : 'is known only at deployment'}`, 'Fn::Join', loc);
    }
    return { kind: 'scalar', value: parts.join(d), loc };
  }

  private select(arg: Node | undefined, loc: Location, depth: number): CfnValue {
    const [index, list] = seqItems(arg, this.doc).map((n) => this.evaluate(n, depth + 1));
    const i = Number(scalarString(index));
    if (list?.kind === 'list' && Number.isInteger(i) && i >= 0 && i < list.items.length) return list.items[i]!;
    return unknown('Fn::Select from a list known only at deployment', 'Fn::Select', loc);
  }
}

function unknown(reason: string, label: string, loc: Location): CfnValue {
  return { kind: 'unknown', reason, label, loc };
}

function text(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** A scalar value as text (numbers and booleans included); undefined for anything else. */
export function scalarString(value: CfnValue | undefined): string | undefined {
  return value?.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
}
