/**
 * Which files start a Helm chart: a Chart.yaml with a name. Kept apart from the format (index.ts)
 * so that the registry can tell whether a scan needs the renderer before loading it.
 */
import type { SourceFile } from '../types.js';

export const HELM = { id: 'helm', name: 'Helm chart', mayCover: true } as const;

const CHART_FILE = /(^|\/)Chart\.ya?ml$/;

export function detectHelm(file: SourceFile): boolean {
  return CHART_FILE.test(file.path) && /^\s*name\s*:/m.test(file.text);
}
