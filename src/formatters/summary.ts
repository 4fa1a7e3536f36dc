import type { LintResult } from '../core/finding.js';

interface Summary {
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  suppressed: number;
  fixable: number;
}

export function summarize(result: LintResult): Summary {
  const s: Summary = { files: result.files.length, errors: 0, warnings: 0, notes: 0, suppressed: 0, fixable: 0 };
  for (const f of result.findings) {
    if (f.suppressions.length > 0) {
      s.suppressed++;
      continue;
    }
    if (f.level === 'error') s.errors++;
    else if (f.level === 'warning') s.warnings++;
    else s.notes++;
    if (f.fix) s.fixable++;
  }
  return s;
}
