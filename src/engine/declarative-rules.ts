/**
 * Declarative rules (schemas/rule.schema.json): data that matches the normalized model and
 * becomes a real Rule, so SARIF metadata, `portwall rules` and `explain` treat it like a
 * built-in. Nothing here executes user text: conditions are compared, regexes are checked
 * by safe-regex.ts, and messages are filled by plain placeholder substitution.
 */
import type { Precision, Rule } from '../core/rule.js';
import { analyzeExposure, describeDatastores, type ExposureAnalysis } from '../model/exposure.js';
import { formatRanges, intersectRanges, parsePortText } from '../model/ports.js';
import type { AuthStateValue, DatastoreKind, Exposure, ExposureVia, PortRange, Protocol, Workload, WorkloadKind } from '../model/types.js';
import type { Reach } from '../model/net.js';
import { problemAt, type ConfigProblem, type LocatedDocument, type Segment } from './config-document.js';
import { compileSafeRegex, safeTest } from './safe-regex.js';

/** The shape rule.schema.json guarantees once validation passed. */
export interface DeclarativeRuleSpec {
  id: string;
  name: string;
  level: 'error' | 'warning' | 'note';
  securitySeverity?: number;
  precision?: Precision;
  tags?: string[];
  shortDescription: string;
  fullDescription?: string;
  help: string;
  helpUri?: string;
  supersedes?: string[];
  message: string;
  match: { exposure?: ExposureMatchSpec; workload?: WorkloadMatchSpec };
}

interface ExposureMatchSpec {
  ports?: (number | string)[];
  protocol?: Protocol[];
  reach?: Reach[];
  via?: ExposureVia[];
  subject?: string;
  image?: string;
  datastore?: boolean | string[];
}

interface WorkloadMatchSpec {
  name?: string;
  image?: string;
  datastore?: boolean | string[];
  auth?: AuthStateValue[];
  hostNetwork?: boolean;
  kind?: WorkloadKind[];
}

/** Kinds a declarative rule may name; kept in step with DatastoreKind by the `satisfies` below. */
const DATASTORE_KINDS = [
  'elasticsearch', 'opensearch', 'kibana', 'mongodb', 'redis', 'postgres', 'mysql', 'mariadb', 'memcached',
  'cassandra', 'couchdb', 'influxdb', 'etcd', 'docker', 'mssql', 'oracle', 'neo4j', 'kafka', 'zookeeper',
  'rabbitmq', 'clickhouse', 'ssh', 'rdp', 'couchbase', 'solr', 'minio', 'prometheus', 'other',
] as const satisfies readonly DatastoreKind[];

const EXPOSURE_PLACEHOLDERS = ['subject', 'ports', 'matchedPorts', 'source', 'via', 'workloads', 'images', 'datastores'];
const WORKLOAD_PLACEHOLDERS = ['workload', 'image', 'datastore', 'auth', 'authReason'];

/** Default GitHub security-severity when a rule does not give one: in the band of its level. */
const SEVERITY_BY_LEVEL = { error: 7.5, warning: 5.0, note: 2.0 } as const;

export function buildDeclarativeRule(spec: DeclarativeRuleSpec, located: LocatedDocument, base: Segment[]): { rule?: Rule; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const at = (segments: Segment[], message: string) => problems.push(problemAt(located, [...base, ...segments], message));
  const regex = (segments: Segment[], pattern: string | undefined): RegExp | undefined => {
    if (pattern === undefined) return undefined;
    const compiled = compileSafeRegex(pattern);
    if ('error' in compiled) {
      at(segments, compiled.error);
      return undefined;
    }
    return compiled.regex;
  };
  const kinds = (segments: Segment[], value: boolean | string[] | undefined) => {
    if (!Array.isArray(value)) return;
    value.forEach((k, i) => {
      if (!(DATASTORE_KINDS as readonly string[]).includes(k)) at([...segments, i], `unknown datastore kind "${k}" (expected one of ${DATASTORE_KINDS.join(', ')})`);
    });
  };

  const placeholders = spec.match.exposure ? EXPOSURE_PLACEHOLDERS : WORKLOAD_PLACEHOLDERS;
  for (const m of spec.message.matchAll(/\{([^{}]*)\}/g)) {
    if (!placeholders.includes(m[1]!)) at(['message'], `unknown placeholder {${m[1]}} (available: ${placeholders.map((p) => `{${p}}`).join(' ')})`);
  }
  if (/^PW\d+$/.test(spec.id)) at(['id'], 'ids of the form PW<digits> are reserved for built-in rules');

  let check: Rule['check'];
  if (spec.match.exposure) {
    const m = spec.match.exposure;
    const ports: PortRange[] = [];
    (m.ports ?? []).forEach((p, i) => {
      const range = typeof p === 'number' ? { from: p, to: p } : parsePortText(p);
      if (!range) at(['match', 'exposure', 'ports', i], 'must be a port number (0-65535) or a range "from-to" such as "8000-8010"');
      else ports.push(range);
    });
    kinds(['match', 'exposure', 'datastore'], m.datastore);
    const matcher: ExposureMatcher = {
      ...(m.ports ? { ports } : {}),
      ...(m.protocol ? { protocol: m.protocol } : {}),
      reach: m.reach ?? ['internet'],
      ...(m.via ? { via: m.via } : {}),
      ...(m.datastore !== undefined ? { datastore: m.datastore } : {}),
      subject: regex(['match', 'exposure', 'subject'], m.subject),
      image: regex(['match', 'exposure', 'image'], m.image),
    };
    check = (model, context) => {
      for (const exposure of model.exposures) {
        const analysis = analyzeExposure(exposure, context.policy);
        const matchedPorts = matchExposure(exposure, analysis, matcher);
        if (!matchedPorts) continue;
        context.report({
          location: analysis.location,
          message: fill(spec.message, exposureValues(exposure, analysis, matchedPorts)),
          // The exposure's own id, so `supersedes` can replace a built-in finding on it.
          subjects: [exposure.id],
        });
      }
    };
  } else {
    const m = spec.match.workload!;
    kinds(['match', 'workload', 'datastore'], m.datastore);
    const name = regex(['match', 'workload', 'name'], m.name);
    const image = regex(['match', 'workload', 'image'], m.image);
    check = (model, context) => {
      for (const workload of model.workloads) {
        if (!matchWorkload(workload, m, name, image)) continue;
        const location =
          (m.hostNetwork && workload.hostNetwork?.location) ||
          (m.auth && (workload.auth?.location ?? workload.image?.location)) ||
          (image && workload.image?.location) ||
          workload.location;
        context.report({ location, message: fill(spec.message, workloadValues(workload)), subjects: [workload.id] });
      }
    };
  }
  if (problems.length > 0) return { problems };
  const rule: Rule = {
    meta: {
      id: spec.id,
      name: spec.name,
      level: spec.level,
      securitySeverity: spec.securitySeverity ?? SEVERITY_BY_LEVEL[spec.level],
      precision: spec.precision ?? 'medium',
      tags: spec.tags ?? ['security', 'custom'],
      shortDescription: spec.shortDescription,
      fullDescription: spec.fullDescription ?? spec.shortDescription,
      help: spec.help,
      formats: [],
      ...(spec.supersedes ? { supersedes: spec.supersedes } : {}),
      // No portwall URL for a rule portwall does not ship: a wrong link is worse than none.
      ...(spec.helpUri ? { helpUri: spec.helpUri } : {}),
    },
    check,
  };
  return { rule, problems };
}

interface ExposureMatcher {
  ports?: PortRange[];
  protocol?: Protocol[];
  reach: Reach[];
  via?: ExposureVia[];
  datastore?: boolean | string[];
  subject: RegExp | undefined;
  image: RegExp | undefined;
}

/** The ports that make the exposure match (all of its ports when the rule names none), or undefined. */
function matchExposure(exposure: Exposure, analysis: ExposureAnalysis, m: ExposureMatcher): PortRange[] | undefined {
  if (!m.reach.includes(analysis.verdict.reach)) return undefined;
  if (m.via && !m.via.includes(exposure.via)) return undefined;
  if (m.protocol) {
    const p = exposure.ports.protocol;
    // "all" carries every protocol; an unresolved protocol cannot be ruled out.
    if (p !== 'all' && p !== 'unknown' && !m.protocol.includes(p) && !m.protocol.includes('all')) return undefined;
  }
  if (m.subject && !safeTest(m.subject, exposure.subject)) return undefined;
  if (m.image && !exposure.workloads.some((w) => w.image && safeTest(m.image!, w.image.value))) return undefined;
  if (m.datastore !== undefined) {
    const kinds = new Set<string>([...analysis.datastoreWorkloads.map((w) => w.datastore!.kind), ...analysis.datastorePorts.map((p) => p.kind)]);
    if (m.datastore === true && kinds.size === 0) return undefined;
    if (m.datastore === false && kinds.size > 0) return undefined;
    if (Array.isArray(m.datastore) && !m.datastore.some((k) => kinds.has(k))) return undefined;
  }
  if (!m.ports) return exposure.ports.ranges;
  if (exposure.ports.unknown) return undefined; // PW010 reports unresolved ports; never guess a match
  const hit = intersectRanges(exposure.ports.ranges, m.ports);
  return hit.length > 0 ? hit : undefined;
}

function matchWorkload(w: Workload, m: WorkloadMatchSpec, name: RegExp | undefined, image: RegExp | undefined): boolean {
  if (m.kind && !m.kind.includes(w.kind)) return false;
  if (name && !safeTest(name, w.name)) return false;
  if (image && !(w.image && safeTest(image, w.image.value))) return false;
  if (m.hostNetwork !== undefined && !!w.hostNetwork !== m.hostNetwork) return false;
  if (m.auth && !(w.auth && m.auth.includes(w.auth.state))) return false;
  if (m.datastore === true && !w.datastore) return false;
  if (m.datastore === false && w.datastore) return false;
  if (Array.isArray(m.datastore) && !(w.datastore && m.datastore.includes(w.datastore.kind))) return false;
  return true;
}

function exposureValues(exposure: Exposure, analysis: ExposureAnalysis, matched: PortRange[]): Record<string, string> {
  const images = [...new Set(exposure.workloads.map((w) => w.image?.value).filter((i): i is string => !!i))];
  return {
    subject: exposure.subject,
    ports: analysis.portsText,
    matchedPorts: formatRanges(matched),
    source: analysis.verdict.label,
    via: exposure.via,
    workloads: exposure.workloads.map((w) => w.name).join(', ') || 'none',
    images: images.join(', ') || 'none',
    datastores: describeDatastores(analysis) || 'none',
  };
}

function workloadValues(w: Workload): Record<string, string> {
  return {
    workload: w.name,
    image: w.image?.value ?? 'no image',
    datastore: w.datastore?.label ?? 'none',
    auth: w.auth?.state ?? 'unknown',
    authReason: w.auth?.reason ?? 'not assessed',
  };
}

/** Plain substitution: a template can only pick from values the rule computed. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => values[key] ?? whole);
}
