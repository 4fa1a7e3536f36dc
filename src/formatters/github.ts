/** GitHub workflow commands (::error file=...::message): annotations in the Actions log and PR. */
import type { Formatter } from './types.js';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

export const formatGithub: Formatter = (result) => {
  const lines: string[] = [];
  for (const f of result.findings) {
    if (f.suppressions.length > 0) continue;
    const r = f.location.region;
    const props = [
      `file=${escapeProperty(f.location.file)}`,
      `line=${r.startLine}`,
      `col=${r.startColumn}`,
      `endLine=${r.endLine}`,
      `endColumn=${r.endColumn}`,
      `title=${escapeProperty(`${f.ruleId} ${f.ruleName}`)}`,
    ];
    lines.push(`::${COMMAND[f.level]} ${props.join(',')}::${escapeData(f.message)}`);
  }
  for (const n of result.notifications) {
    if (n.level === 'note') continue;
    lines.push(`::${n.level === 'error' ? 'error' : 'warning'} ${n.file ? `file=${escapeProperty(n.file)},` : ''}title=portwall::${escapeData(n.message)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
};
