/**
 * The contract between the engine and a format (compose, kubernetes, terraform...).
 * A format detects its files, parses them with positions, and adapts them into the model.
 * Formats depend on core/ and model/ only; never on rules/.
 */
import type { LineIndex, Location } from '../core/location.js';
import type { Policy } from '../core/policy.js';
import type { ProblemKind } from '../core/problem.js';
import type { Model, Notice } from '../model/types.js';

/** A file of the scan, read once. */
export interface SourceFile {
  /** Path relative to the scan root, forward slashes ("-" style stdin gets "<stdin>"). */
  path: string;
  /** Absolute path on disk, or undefined for stdin. */
  absolutePath?: string;
  text: string;
  index: LineIndex;
  /** Parse results shared between formats (the YAML documents are parsed once). */
  cache: Map<string, unknown>;
}

/** A parse failure of one file: becomes a PW000 finding, and the scan goes on. */
export interface ParseFailure {
  file: string;
  message: string;
  location?: Location;
  /** `parse` (default) or `internal` when the parser itself failed (exit 2). */
  kind?: ProblemKind;
}

export interface AdaptContext {
  policy: Policy;
  /**
   * Read a file beside the scanned ones (a compose `.env`, terraform.tfvars), by path relative
   * to the scan root. Returns undefined when it does not exist or lies outside the scan root.
   * Never follows into the network, never executes anything.
   */
  readFile(relativePath: string): SourceFile | undefined;
  /** Paths (relative) of every file discovered in this scan, for formats that look for siblings. */
  allFiles: readonly string[];
  /**
   * Names of the files in a folder (relative to the scan root), for units that read files the
   * scan did not discover (a called module outside the named files, `.terraform/modules`).
   * Same boundary as readFile; undefined or [] when the folder is absent or outside it.
   */
  listDirectory?(relativeDir: string): string[];
  /** Every file under a folder (relative to the scan root, recursive), for formats that read a whole tree (Helm charts). */
  listFiles?(relativeDir: string): string[];
  /** The bytes of a file beside the scanned ones (chart archives), under the same rules as readFile. */
  readBytes?(relativePath: string): Uint8Array | undefined;
  /** Format settings from the config (`helm: { valueFiles }`). */
  helm?: HelmSettings;
}

export interface HelmSettings {
  /** Extra values files per chart folder (relative to the scan root), each a values set of its own. */
  valueFiles?: Record<string, string[]>;
}

/**
 * A deployment unit a format evaluated as a whole: a compose project, a Terraform root
 * module with its module tree, a CloudFormation template, a chart with one values file.
 * Rules run once per unit model; findings equal in several units are reported once.
 */
export interface UnitResult {
  /** Stable, e.g. "helm:charts/es#values-prod.yaml". */
  id: string;
  /** Display, e.g. "chart charts/es with values-prod.yaml". */
  name: string;
  kind: 'compose' | 'terraform' | 'cloudformation' | 'kubernetes' | 'helm' | 'kustomize' | string;
  /** Files (relative to the scan root) the unit reads. */
  files: string[];
  model: Partial<Model>;
  failures?: ParseFailure[];
  notices?: Notice[];
}

export interface AdaptResult {
  /** Entries judged outside any unit (files on their own). */
  model: Partial<Model>;
  failures?: ParseFailure[];
  notices?: Notice[];
  /** Rules run per unit model; findings equal by fingerprint are reported once, naming every unit. */
  units?: UnitResult[];
  /** Files whose own raw entries from other formats must be dropped because a unit built them (kustomize bases). */
  covers?: string[];
}

export interface Format<Parsed = unknown> {
  id: string;
  /** Display name: "docker-compose". */
  name: string;
  /**
   * Cheap check on name and content. `true` claims the file for this format (first claim wins);
   * the engine tries formats in registry order.
   */
  detect(file: SourceFile): boolean;
  /**
   * Parse with positions. Throw nothing: return a failure for files that cannot be parsed,
   * or `null` when on closer look the file is not of this format after all (it is then offered
   * to the next format).
   */
  parse(file: SourceFile): { parsed: Parsed } | { failure: ParseFailure } | null;
  /** Turn every parsed file of this format into the model (files see each other: overrides, selectors). */
  adapt(files: { file: SourceFile; parsed: Parsed }[], context: AdaptContext): AdaptResult;
  /**
   * No file of this format sees another: adapting a list is adapting each file in turn and
   * joining the results in order. The engine then adapts each file right after its parse and drops
   * its parse at once, so one file's trees are alive at a time, not the whole format's.
   */
  adaptsEachFile?: boolean;
  /**
   * Files that never see each other's parse, in groups (Terraform: folders joined by module
   * calls; Helm: a chart with its subcharts), from their paths and text alone. The engine parses
   * a group, adapts it and drops its trees before the next one, so one group's trees are alive at
   * a time. Adapting the groups in turn must give what one adapt of all the files gives: a unit's
   * files lie in one group.
   */
  groupFiles?(files: SourceFile[]): SourceFile[][];
  /**
   * What `adapt` needs of one file's parse, made right after that parse (in file order, before the
   * next file is parsed) under the run's context: a format whose files all see each other
   * (Kubernetes: a Service selects Pods of any file) then holds one file's trees at a time and
   * the small records its join reads, not every file's trees. `adapt` reads both forms: the engine
   * keeps the parse as it was when this throws. State a run's compactions share is keyed by the
   * context, which `adapt` then receives.
   */
  compact?(file: SourceFile, parsed: Parsed, context: AdaptContext): Parsed;
  /**
   * Its adapt may return `covers` (files it rebuilt, whose entries other formats' models drop).
   * Units are judged, and their models dropped, as soon as every format that may cover has been
   * adapted; a format without this flag that returns covers is an internal error.
   */
  mayCover?: boolean;
}
