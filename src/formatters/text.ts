/** Human output: findings grouped by file with a code frame, and a summary line. */
import { Chalk } from 'chalk';
import { redactLineMapped } from '../core/redact.js';
import type { Finding } from '../core/finding.js';
import type { Formatter } from './types.js';
import { summarize } from './summary.js';

export const formatText: Formatter = (result, context) => {
  const c = new Chalk({ level: context.color ? 1 : 0 });
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.suppressions.length > 0) continue;
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  const levelText = { error: c.red('error'), warning: c.yellow('warning'), note: c.blue('note') };
  for (const [file, findings] of byFile) {
    out.push(c.underline(file));
    for (const f of findings) {
      const r = f.location.region;
      out.push(`  ${c.dim(`${r.startLine}:${r.startColumn}`)}  ${levelText[f.level]}  ${f.message}  ${c.dim(`${f.ruleId} ${f.ruleName}`)}`);
      const line = context.lineText?.(file, r.startLine);
      if (line !== undefined) {
        // Masking secrets changes the line's length: the caret follows the masked text.
        const redacted = redactLineMapped(line, r.startLine > 1 ? context.lineText?.(file, r.startLine - 1) : undefined);
        const shown = redacted.text.replace(/\t/g, ' ');
        const gutter = `${r.startLine} | `;
        out.push(`    ${c.dim(gutter)}${shown}`);
        const start = redacted.column(r.startColumn);
        const end = r.endLine === r.startLine ? redacted.column(r.endColumn) : shown.length + 1;
        const width = Math.max(1, end - start);
        out.push(`    ${' '.repeat(gutter.length)}${' '.repeat(Math.max(0, start - 1))}${c.red('^'.repeat(Math.min(width, 200)))}`);
      }
      for (const rel of f.related) {
        out.push(`      ${c.dim('related:')} ${rel.location.file}:${rel.location.region.startLine}:${rel.location.region.startColumn} ${rel.message}`);
      }
      if (f.units && f.units.length > 1) out.push(`      ${c.dim('units:')} ${f.units.join(', ')}`);
      if (f.fix) out.push(`      ${c.green('fixable:')} ${f.fix.description} (run with --fix)`);
    }
    out.push('');
  }
  for (const n of result.notifications) {
    const tag = n.level === 'error' ? c.red('error') : n.level === 'warning' ? c.yellow('warning') : c.blue('note');
    out.push(`${tag}: ${n.message}`);
  }
  const s = summarize(result);
  const total = s.errors + s.warnings + s.notes;
  const stale = result.staleBaselineEntries ? `; ${result.staleBaselineEntries} baseline entr${result.staleBaselineEntries === 1 ? 'y' : 'ies'} no longer match` : '';
  if (result.files.length === 0) {
    out.push(c.yellow('No supported files found: nothing was checked (docker-compose, Kubernetes, Terraform, CloudFormation, cloud CLI JSON, datastore config files).'));
  } else if (total === 0) {
    out.push(c.green(`✔ No problems found in ${s.files} file${s.files === 1 ? '' : 's'}${s.suppressed ? ` (${s.suppressed} suppressed)` : ''}${stale}.`));
  } else {
    const parts = [`${s.errors} error${s.errors === 1 ? '' : 's'}`, `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`, `${s.notes} note${s.notes === 1 ? '' : 's'}`];
    const mark = s.errors ? c.red('✖') : c.yellow('⚠');
    out.push(`${mark} ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${s.files} checked file${s.files === 1 ? '' : 's'}${s.suppressed ? `, ${s.suppressed} suppressed` : ''}${s.fixable ? `; ${s.fixable} fixable with --fix` : ''}${stale}`);
  }
  return `${out.join('\n')}\n`;
};
