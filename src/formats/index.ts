/**
 * The format registry, in detection order (first claim wins). Formats depend on core/ and
 * model/ only; the engine depends on this registry.
 *
 * Terraform, Helm and Kustomize (about a third of the bundle) load only when a file of the scan
 * is theirs: their detection lives in a small module of its own, the rest is imported by
 * the FormatDetector on the first file that may be theirs, so a compose-only run never compiles them.
 */
import type { Format, SourceFile } from './types.js';
import { composeFormat } from './compose/index.js';
import { kubernetesFormat } from './kubernetes/index.js';
import { datastoreConfigFormat } from './datastore-config/index.js';
import { cloudformationFormat } from './cloudformation/index.js';
import { cloudJsonFormat } from './cloud-json/index.js';
import { detectHelm, HELM } from './helm/detect.js';
import { detectKustomize, KUSTOMIZE } from './kustomize/detect.js';
import { detectTerraform, TERRAFORM } from './terraform/detect.js';

/** A format known by its detection until a file of the scan needs the rest. */
interface LazyFormat {
  id: string;
  name: string;
  detect(file: SourceFile): boolean;
  load(): Promise<Format>;
}

const REGISTRY: (Format | LazyFormat)[] = [
  composeFormat as Format,
  { ...HELM, detect: detectHelm, load: async () => (await import('./helm/index.js')).helmFormat as Format },
  // Before Kubernetes: a kustomization.yaml has apiVersion and kind too.
  { ...KUSTOMIZE, detect: detectKustomize, load: async () => (await import('./kustomize/index.js')).kustomizeFormat as Format },
  kubernetesFormat as Format,
  datastoreConfigFormat as Format,
  cloudformationFormat as Format,
  cloudJsonFormat as Format,
  {
    ...TERRAFORM,
    detect: detectTerraform,
    load: async () => {
      const terraform = await import('./terraform/index.js');
      // The HCL grammar is WASM: loaded once, with the format.
      await terraform.initTerraform();
      return terraform.terraformFormat as Format;
    },
  },
];

function isLazy(entry: Format | LazyFormat): entry is LazyFormat {
  return 'load' in entry;
}

/** How many formats there are (the engine orders what a file reported by file, then format). */
export const FORMAT_COUNT = REGISTRY.length;

/**
 * The formats for these files, in detection order, each loaded (and set up: WASM grammars) if a
 * file may be its. A format no file is for stays a stand-in that detects and takes nothing.
 */
export async function prepareFormats(files: readonly SourceFile[]): Promise<Format[]> {
  const detector = new FormatDetector();
  for (const file of files) await detector.detect(file);
  return detector.formats();
}

/**
 * What detection said of one file: the registry index of the first format whose detect takes it
 * (FORMAT_COUNT: none), and the errors of the detects before it that threw. The formats after it
 * are asked only if it declines the file at its parse, as the engine would have asked them.
 */
export interface Detection {
  first: number;
  threw?: Map<number, unknown>;
}

/**
 * Each file's detection as the engine reads it (so that a file's text is needed again only by the
 * format that parses it), loading a lazy format on the first file its detection may take.
 * `formats()` gives the registry, with a stand-in that takes nothing for a format no file loaded.
 */
export class FormatDetector {
  private readonly loaded: (Format | undefined)[] = REGISTRY.map((entry) => (isLazy(entry) ? undefined : entry));

  detect(file: SourceFile): Detection | Promise<Detection> {
    let loading: Promise<unknown>[] | undefined;
    for (const [i, entry] of REGISTRY.entries()) {
      if (isLazy(entry) && !this.loaded[i] && mayTake(entry, file)) (loading ??= []).push(entry.load().then((format) => (this.loaded[i] = format)));
    }
    return loading ? Promise.all(loading).then(() => this.detectLoaded(file)) : this.detectLoaded(file);
  }

  private detectLoaded(file: SourceFile): Detection {
    let threw: Map<number, unknown> | undefined;
    let first = 0;
    // A format not loaded by now takes nothing here: its detection (the same function) declined this file.
    for (; first < this.loaded.length; first++) {
      const format = this.loaded[first];
      if (!format) continue;
      try {
        if (format.detect(file)) break;
      } catch (error) {
        (threw ??= new Map()).set(first, error);
      }
    }
    return threw ? { first, threw } : { first };
  }

  formats(): Format[] {
    return REGISTRY.map((entry, i) => this.loaded[i] ?? unused(entry as LazyFormat));
  }
}

/** Whether a format may take a file: a detect that throws counts, so that the parse pass (which runs detect again) reports it. */
function mayTake(format: Pick<Format, 'detect'>, file: SourceFile): boolean {
  try {
    return format.detect(file);
  } catch {
    return true;
  }
}

function unused(entry: LazyFormat): Format {
  const notLoaded = (): never => {
    throw new Error(`the ${entry.name} format was not loaded (no file of the scan is for it)`);
  };
  return { id: entry.id, name: entry.name, detect: () => false, parse: notLoaded, adapt: notLoaded };
}
