/** Types for scripts/build-action.mjs, used by test/action to build the bundle it runs. */
export function buildAction(outdir: string, entry?: string): Promise<{ outdir: string; assets: string[]; milliseconds: number; bytes: number }>;
