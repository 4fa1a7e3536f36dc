/**
 * Reads the services of one compose file into located facts (image, ports, env, command,
 * network_mode), interpolated with the project's .env. Merging of override files happens
 * on these facts (merge.ts), so each fact keeps the file and line it came from.
 */
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Hop, Located, Location } from '../../core/location.js';
import type { EnvEntry } from '../../model/auth.js';
import type { AdaptContext, SourceFile } from '../types.js';
import { AliasBudget, getEntry, mapEntries, nodeLocation, scalarText, seqItems, type YamlDocument } from '../yaml/index.js';
import { hasSentinel, interpolate, parseDotEnv, sentinelNames, sentinelVars } from './interpolate.js';
import { parseLongPort, parseShortPort, splitShortPort, type ParsedPort } from './ports.js';
import { parsePortText } from '../../model/ports.js';
import { pushAll } from '../../core/arrays.js';

export interface ComposePortEntry {
  /** The whole sequence item (short string or long-syntax mapping). */
  location: Location;
  /** The source text as written (with quotes), for fixes. */
  text: string;
  /** The value as written, before interpolation, for messages ("${ES_PORT:-9200}:9200"). */
  display: string;
  parsed?: ParsedPort;
  /** Why the entry could not be understood: variables without a value. */
  unknown?: string;
  /** A syntax error Compose itself would reject: reported as a parse error. */
  invalid?: string;
  /** For the autofix: offsets of a plain or quoted short-syntax scalar. */
  shortScalar?: { start: number; end: number; quote: string };
  /** Where its values came from: the .env lines of its variables, the service it extends, the file it overrides. */
  via?: Hop[];
  /** For the autofix of long syntax: the `host_ip` value as written, when it is in this mapping itself. */
  hostIpScalar?: { start: number; end: number; text: string };
  /** For the autofix of long syntax without `host_ip`: where a new first entry goes. */
  firstKey?: { offset: number; indent: number; flow: boolean };
}

export interface ComposeService {
  name: string;
  file: SourceFile;
  location: Location;
  image?: Located<string>;
  ports: ComposePortEntry[];
  expose: ParsedPort[];
  env: EnvEntry[];
  envOpaque: boolean;
  command?: Located<string>[];
  entrypoint?: Located<string>[];
  networkMode?: Located<string>;
  profiles: string[];
  /** `extends: {service, file}`: resolved by resolveExtends() before the model is built. */
  extends?: { service: string; file?: string; location: Location };
  /**
   * The project directory that relative paths (env_file, extends.file) are resolved against:
   * the file's folder, or an include's `project_directory`.
   */
  projectDir: string;
}

/** Variables for interpolation: the .env beside the compose file. */
export function loadProjectVars(file: SourceFile, context: AdaptContext): Map<string, string> {
  const vars = new Map<string, string>();
  const dir = path.posix.dirname(file.path);
  const envFile = context.readFile(dir === '.' ? '.env' : `${dir}/.env`);
  if (envFile) {
    const where = new Map<string, Location>();
    for (const e of parseDotEnv(envFile)) {
      vars.set(e.name, e.value);
      where.set(e.name, { file: envFile.path, region: envFile.index.region(e.start, e.end) });
    }
    VAR_LOCATIONS.set(vars, where);
  }
  return vars;
}

/** Where each .env variable is written, per variable map (provenance of interpolated values). */
const VAR_LOCATIONS = new WeakMap<Map<string, string>, Map<string, Location>>();

/** Hops for the .env variables a raw compose value uses: "ES_PORT comes from .env". Values are not quoted (they may be secrets). */
function envHops(raw: string, vars: Map<string, string>): Hop[] {
  const where = VAR_LOCATIONS.get(vars);
  if (!where || !raw.includes('$')) return [];
  const hops: Hop[] = [];
  for (const m of raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const loc = where.get(m[1]!);
    if (loc && !hops.some((h) => h.location === loc)) hops.push({ location: loc, note: `${m[1]} comes from ${path.posix.basename(loc.file)}` });
  }
  return hops;
}

/** A path written in a compose file, relative to the scan root ("." for the root itself). */
export function joinPath(dir: string, relative: string): string {
  return path.posix.normalize(path.posix.join(dir, relative));
}

export function readServices(
  file: SourceFile,
  doc: YamlDocument,
  vars: Map<string, string>,
  context: AdaptContext,
  servicesNode: Node | undefined,
  projectDir = path.posix.dirname(file.path),
): ComposeService[] {
  const budget = new AliasBudget();
  const services: ComposeService[] = [];
  for (const entry of mapEntries(servicesNode, doc, budget)) {
    if (!isMap(entry.value)) continue;
    const svc = entry.value;
    const service: ComposeService = {
      name: entry.key,
      file,
      location: nodeLocation(file, entry.keyNode),
      ports: [],
      expose: [],
      env: [],
      envOpaque: false,
      profiles: [],
      projectDir,
    };
    const str = (node: unknown): Located<string> | undefined => {
      const raw = scalarText(node, file);
      if (raw === undefined) return undefined;
      const value = interpolate(raw, vars).value;
      if (value === undefined) return undefined;
      return { value, location: nodeLocation(file, node as Node) };
    };
    const image = getEntry(svc, 'image', doc, budget);
    if (image) {
      const raw = scalarText(image.value, file);
      if (raw !== undefined) {
        const v = interpolate(raw, vars).value;
        // An unresolved image stays visible as its raw text so that identification fails safely.
        service.image = { value: v ?? raw, location: nodeLocation(file, image.value) };
      }
    }
    const ports = getEntry(svc, 'ports', doc, budget);
    if (ports) for (const item of seqItems(ports.value, doc, budget)) service.ports.push(readPort(file, doc, item, vars, budget));
    const expose = getEntry(svc, 'expose', doc, budget);
    if (expose) {
      for (const item of seqItems(expose.value, doc, budget)) {
        const raw = scalarText(item, file);
        const v = raw === undefined ? undefined : interpolate(raw, vars).value;
        if (v === undefined) continue;
        const p = parseShortPort(v);
        if (p.ok) service.expose.push(p.port);
      }
    }
    const environment = getEntry(svc, 'environment', doc, budget);
    if (environment) pushAll(service.env, readEnvironment(file, doc, environment.value, vars, budget));
    const envFile = getEntry(svc, 'env_file', doc, budget);
    if (envFile) {
      const files = isSeq(envFile.value) ? seqItems(envFile.value, doc, budget) : [envFile.value];
      const fromFiles: EnvEntry[] = [];
      for (const item of files) {
        const rawPath = isMap(item) ? scalarText(getEntry(item, 'path', doc, budget)?.value, file) : scalarText(item, file);
        const required = isMap(item) ? scalarText(getEntry(item, 'required', doc, budget)?.value, file) !== 'false' : true;
        const resolved = rawPath === undefined ? undefined : interpolate(rawPath, vars).value;
        const envSource = resolved === undefined ? undefined : context.readFile(joinPath(projectDir, resolved));
        if (!envSource) {
          if (required) service.envOpaque = true;
          continue;
        }
        const loadedBy: Hop = { location: nodeLocation(file, item as Node), note: `${envSource.path} is loaded by service '${entry.key}' through env_file` };
        for (const e of parseDotEnv(envSource)) {
          fromFiles.push({ name: e.name, value: interpolate(e.value, vars).value, location: { file: envSource.path, region: envSource.index.region(e.start, e.end) }, via: [loadedBy] });
        }
      }
      // `environment` wins over env_file.
      service.env = [...fromFiles, ...service.env];
    }
    const command = getEntry(svc, 'command', doc, budget);
    if (command) service.command = readCommand(file, doc, command.value, vars, budget);
    const entrypoint = getEntry(svc, 'entrypoint', doc, budget);
    if (entrypoint) service.entrypoint = readCommand(file, doc, entrypoint.value, vars, budget);
    const networkMode = getEntry(svc, 'network_mode', doc, budget);
    if (networkMode) {
      const nm = str(networkMode.value);
      if (nm) service.networkMode = nm;
    }
    const extendsEntry = getEntry(svc, 'extends', doc, budget);
    if (extendsEntry) {
      const target = isMap(extendsEntry.value)
        ? { service: scalarText(getEntry(extendsEntry.value, 'service', doc, budget)?.value, file), file: scalarText(getEntry(extendsEntry.value, 'file', doc, budget)?.value, file) }
        : { service: scalarText(extendsEntry.value, file), file: undefined };
      const serviceName = target.service === undefined ? undefined : interpolate(target.service, vars).value;
      const fromFile = target.file === undefined ? undefined : interpolate(target.file, vars).value;
      if (serviceName) service.extends = { service: serviceName, ...(fromFile ? { file: fromFile } : {}), location: nodeLocation(file, extendsEntry.pair) };
    }
    const profiles = getEntry(svc, 'profiles', doc, budget);
    if (profiles) service.profiles = seqItems(profiles.value, doc, budget).map((p) => scalarText(p, file) ?? '').filter(Boolean);
    services.push(service);
  }
  return services;
}

function readPortEntry(file: SourceFile, doc: YamlDocument, item: Node, vars: Map<string, string>, budget: AliasBudget): ComposePortEntry {
  const location = nodeLocation(file, item);
  const text = file.text.slice(location.region.startOffset, location.region.endOffset);
  if (isScalar(item)) {
    const raw = scalarText(item, file) ?? '';
    const value = interpolate(raw, vars);
    const quote = text.startsWith('"') ? '"' : text.startsWith("'") ? "'" : '';
    const shortScalar = item.type === 'PLAIN' || item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE'
      ? { start: location.region.startOffset, end: location.region.endOffset, quote }
      : undefined;
    const base = { location, text, display: raw, ...(shortScalar ? { shortScalar } : {}) };
    if (value.value === undefined) return { ...base, ...partialShortPort(raw, vars) };
    const parsed = parseShortPort(value.value);
    if (!parsed.ok) return { ...base, invalid: parsed.reason };
    return { ...base, parsed: parsed.port };
  }
  if (isMap(item)) {
    const field = (key: string): { value?: string; unresolved?: string } => {
      const e = getEntry(item, key, doc, budget);
      if (!e) return {};
      const raw = scalarText(e.value, file);
      if (raw === undefined) return {};
      const r = interpolate(raw, vars);
      return r.value === undefined ? { unresolved: r.unresolved.join(', ') } : { value: r.value };
    };
    const target = field('target');
    const published = field('published');
    const hostIp = field('host_ip');
    const protocol = field('protocol');
    const display = text;
    if (target.unresolved || protocol.unresolved) {
      return { location, text, display, unknown: `${target.unresolved ?? protocol.unresolved} is not set and has no default` };
    }
    const unresolved = {
      ...(hostIp.unresolved ? { hostIp: `${hostIp.unresolved} is not set and has no default` } : {}),
      ...(published.unresolved ? { published: `${published.unresolved} is not set and has no default` } : {}),
    };
    const parsed = parseLongPort({
      ...(target.value !== undefined ? { target: target.value } : {}),
      ...(published.value !== undefined ? { published: published.value } : {}),
      ...(hostIp.value !== undefined ? { hostIp: hostIp.value } : {}),
      ...(protocol.value !== undefined ? { protocol: protocol.value } : {}),
    });
    if (!parsed.ok) return { location, text, display, invalid: parsed.reason };
    const port = Object.keys(unresolved).length ? { ...parsed.port, unresolved } : parsed.port;
    return { location, text, display, parsed: port, ...longSyntaxFixPoints(file, item, doc, budget) };
  }
  return { location, text, display: text, invalid: 'a port entry must be a string, a number or a mapping' };
}

function readPort(file: SourceFile, doc: YamlDocument, item: Node, vars: Map<string, string>, budget: AliasBudget): ComposePortEntry {
  const entry = readPortEntry(file, doc, item, vars, budget);
  const hops = envHops(file.text.slice(entry.location.region.startOffset, entry.location.region.endOffset), vars);
  return hops.length ? { ...entry, via: hops } : entry;
}

/** Offsets the long-syntax autofix edits: only entries of this mapping itself (not merged from an anchor). */
function longSyntaxFixPoints(file: SourceFile, item: YAMLMap, doc: YamlDocument, budget: AliasBudget): Pick<ComposePortEntry, 'hostIpScalar' | 'firstKey'> {
  const own = (pair: unknown) => item.items.includes(pair as (typeof item.items)[number]);
  const hostIp = getEntry(item, 'host_ip', doc, budget);
  if (hostIp) {
    const node = hostIp.value as Node | null;
    if (!own(hostIp.pair) || !isScalar(node) || !node.range) return {};
    return { hostIpScalar: { start: node.range[0], end: node.range[1], text: file.text.slice(node.range[0], node.range[1]) } };
  }
  const first = item.items[0]?.key as Node | null | undefined;
  if (!first || !isScalar(first) || !first.range) return {};
  const offset = first.range[0];
  const lineStart = file.text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = file.text.slice(lineStart, offset);
  // Block mappings whose first key follows "- " or spaces only: the new line gets the same column.
  if (!item.flow && !/^[ -]*$/.test(prefix)) return {};
  return { firstKey: { offset, indent: offset - lineStart, flow: !!item.flow } };
}

/**
 * A short mapping with variables that have no value: read it with placeholders to learn which
 * part is unknown ("${BIND}:9200:9200" is a known port on an unknown host address).
 */
function partialShortPort(raw: string, vars: Map<string, string>): Pick<ComposePortEntry, 'parsed' | 'unknown'> {
  const withSentinels = interpolate(raw, sentinelVars(vars)).value ?? raw;
  const parts = splitShortPort(withSentinels);
  const names = (t: string) => `${sentinelNames(t).join(', ')} is not set and has no default`;
  if ('error' in parts || hasSentinel(parts.target) || hasSentinel(parts.protocol)) return { unknown: names(withSentinels) };
  const target = parsePortText(parts.target);
  const protocol = (parts.protocol ?? 'tcp').toLowerCase();
  if (!target || !['tcp', 'udp', 'sctp'].includes(protocol)) return { unknown: names(withSentinels) };
  const unresolved: NonNullable<ParsedPort['unresolved']> = {};
  let published = parts.published === undefined || parts.published === '' ? undefined : parsePortText(parts.published);
  if (hasSentinel(parts.published)) {
    unresolved.published = names(parts.published!);
    published = undefined;
  } else if (parts.published && !published) return { unknown: `"${parts.published}" is not a host port` };
  if (hasSentinel(parts.hostIp)) unresolved.hostIp = names(parts.hostIp!);
  return {
    parsed: {
      ...(parts.hostIp !== undefined && !hasSentinel(parts.hostIp) && parts.hostIp !== '' ? { hostIp: parts.hostIp } : {}),
      ...(published ? { published } : {}),
      target,
      protocol: protocol as ParsedPort['protocol'],
      unresolved,
    },
  };
}

function readEnvironment(file: SourceFile, doc: YamlDocument, node: unknown, vars: Map<string, string>, budget: AliasBudget): EnvEntry[] {
  const out: EnvEntry[] = [];
  if (isSeq(node)) {
    for (const item of seqItems(node, doc, budget)) {
      const raw = scalarText(item, file);
      if (raw === undefined) continue;
      const eq = raw.indexOf('=');
      const name = eq === -1 ? raw : raw.slice(0, eq);
      // `- KEY` without a value takes it from the shell: unknown here.
      const value = eq === -1 ? undefined : interpolate(raw.slice(eq + 1), vars).value;
      out.push({ name: name.trim(), value, location: nodeLocation(file, item) });
    }
    return out;
  }
  for (const entry of mapEntries(node, doc, budget)) {
    const raw = entry.value === undefined || (isScalar(entry.value) && entry.value.value === null) ? undefined : scalarText(entry.value, file);
    const value = raw === undefined ? undefined : interpolate(raw, vars).value;
    out.push({ name: entry.key, value, location: nodeLocation(file, entry.pair) });
  }
  return out;
}

/** A command as tokens, each located as precisely as the YAML allows. */
function readCommand(file: SourceFile, doc: YamlDocument, node: unknown, vars: Map<string, string>, budget: AliasBudget): Located<string>[] {
  if (isSeq(node)) {
    return seqItems(node, doc, budget)
      .map((item) => {
        const raw = scalarText(item, file);
        if (raw === undefined) return undefined;
        return { value: interpolate(raw, vars).value ?? raw, location: nodeLocation(file, item) };
      })
      .filter((x): x is Located<string> => !!x);
  }
  if (!isScalar(node)) return [];
  const raw = scalarText(node, file) ?? '';
  const location = nodeLocation(file, node);
  const sourceText = file.text.slice(location.region.startOffset, location.region.endOffset);
  const quote = sourceText.startsWith('"') || sourceText.startsWith("'") ? 1 : 0;
  // When the scalar is written on one line as is, each word gets its own columns.
  const exact = node.type === 'PLAIN' || ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && sourceText.slice(quote, sourceText.length - quote) === raw);
  // Decided once: asked per word, a megabyte-long command made it quadratic.
  const perWord = exact && !raw.includes('\n');
  const tokens: Located<string>[] = [];
  const re = /(?:[^\s"']+|"[^"]*"|'[^']*')+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const value = interpolate(m[0].replace(/^["']|["']$/g, ''), vars).value ?? m[0];
    if (perWord) {
      const start = location.region.startOffset + quote + m.index;
      tokens.push({ value, location: { file: file.path, region: file.index.region(start, start + m[0].length) } });
    } else {
      tokens.push({ value, location });
    }
  }
  return tokens;
}
