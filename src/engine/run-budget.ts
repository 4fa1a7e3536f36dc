/**
 * The run's budget (issue 14 item 3): per-file limits (the 8 MiB read cap, the YAML node budget,
 * the Terraform value budget) bound one file, not a repository of many files each just under
 * them (forty 2.4 MB ConfigMaps held 2.6 GB at once). The run counts what it has read and
 * parsed: the characters of every file it read (counted once, never given back), and the YAML/JSON
 * nodes its reader counted (yaml `NodeBudget`, about 0.3 KB of memory each once composed,
 * measured on those ConfigMaps) while their parse is held: the engine drops each format's parses
 * once its model is built, and those nodes are given back (eight copies of the corpus hold
 * 5.4 million nodes in all, never 3 million at once; forty 2.4 MB ConfigMaps are one format and
 * hold 8.3 million together).
 *
 * Files are charged in the order the engine parses them: format by format (the engine's format
 * order), in sorted path order within a format (discovery sorts), each after its parse; files no
 * format takes are charged last. Once a limit is passed, every later file a format claims ends in
 * one PW000 ("the run's budget is spent") instead of being parsed. Counted, never timed: the same
 * files give the same result on any machine and under any load.
 */
import type { SourceFile } from '../formats/types.js';
import { yamlNodesOf } from '../formats/yaml/index.js';

/** YAML/JSON nodes held by one run (the whole corpus, 2,685 YAML/JSON files, has 0.67 million; at about 0.4 KB each this is ~1.2 GB). */
export const MAX_RUN_NODES = 3_000_000;
/** Characters of scanned files parsed by one run. */
const MAX_RUN_CHARS = 256 * 1024 * 1024;

export class RunBudget {
  /** YAML/JSON nodes of the parses still held (each file's share in `held`). */
  private nodes = 0;
  private readonly held = new Map<SourceFile, number>();
  private chars = 0;
  private reason: string | undefined;

  constructor(
    private readonly maxNodes = MAX_RUN_NODES,
    private readonly maxChars = MAX_RUN_CHARS,
  ) {}

  /** Why the budget is spent, once it is. */
  get spent(): string | undefined {
    return this.reason;
  }

  /** Charges a file after it was parsed (or declined by every format). */
  charge(file: SourceFile): void {
    this.chars += file.index.length;
    const nodes = yamlNodesOf(file);
    this.held.set(file, (this.held.get(file) ?? 0) + nodes);
    this.nodes += nodes;
    if (this.reason) return;
    if (this.nodes > this.maxNodes) this.reason = `more than ${this.maxNodes.toLocaleString('en-US')} YAML/JSON nodes were held at once before this file`;
    else if (this.chars > this.maxChars) this.reason = `more than ${Math.round(this.maxChars / 1024 / 1024)} MiB were read before this file`;
  }

  /**
   * The engine dropped this file's parse (its format's model is built): its nodes are no longer
   * held. Characters read are never given back. Deterministic: the
   * engine releases at fixed points of its order (after each format's adapt, or after each file's
   * for a format that adapts each file on its own: Format.adaptsEachFile).
   */
  release(file: SourceFile): void {
    const nodes = this.held.get(file);
    if (!nodes) return;
    this.nodes -= nodes;
    this.held.delete(file);
  }

  failureFor(file: SourceFile): { file: string; message: string; kind: 'skipped' } {
    return { file: file.path, kind: 'skipped', message: `the run's budget is spent (${this.reason}, in parse order: by format, then path); this file is not checked` };
  }
}
