/**
 * JUnit XML (Jenkins, GitLab `artifacts:reports:junit`, Azure DevOps, CircleCI): one
 * <testsuite> per checked file; each unsuppressed finding is a failing <testcase>, each
 * suppressed one a skipped test, and a file without findings one passing test. Internal and
 * read errors are <error> test cases of a "portwall" suite.
 */
import type { Finding } from '../core/finding.js';
import type { Formatter } from './types.js';

function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped; markup characters are escaped.
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attrs = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');

export const formatJunit: Formatter = (result, context) => {
  const helpUri = new Map(context.rules.map((r) => [r.meta.id, r.meta.helpUri]));
  const byFile = new Map<string, Finding[]>();
  for (const f of result.files) byFile.set(f.path, []);
  for (const f of result.findings) {
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalErrors = 0;
  let totalSkipped = 0;
  for (const [file, findings] of [...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const f of findings) {
      const r = f.location.region;
      const name = `${f.ruleId} ${f.ruleName} at ${file}:${r.startLine}:${r.startColumn}`;
      const head = `    <testcase${attrs({ name, classname: `portwall.${f.ruleId}`, file, line: r.startLine, time: 0 })}>`;
      if (f.suppressions.length > 0) {
        skipped++;
        cases.push(`${head}\n      <skipped${attrs({ message: f.suppressions.map((s) => s.justification).join('; ') })}/>\n    </testcase>`);
        continue;
      }
      failures++;
      const help = helpUri.get(f.ruleId);
      const body = `${file}:${r.startLine}:${r.startColumn}: ${f.level}: ${f.message} (${f.ruleId} ${f.ruleName})${help ? `\n${help}` : ''}`;
      cases.push(`${head}\n      <failure${attrs({ message: f.message, type: f.level })}>${escapeXml(body)}</failure>\n    </testcase>`);
    }
    if (findings.length === 0) cases.push(`    <testcase${attrs({ name: `no problems in ${file}`, classname: 'portwall', file, time: 0 })}/>`);
    const tests = Math.max(1, findings.length);
    totalTests += tests;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(`  <testsuite${attrs({ name: file, tests, failures, errors: 0, skipped, time: 0 })}>\n${cases.join('\n')}\n  </testsuite>`);
  }
  const errors = result.notifications.filter((n) => n.level === 'error');
  if (errors.length > 0) {
    totalTests += errors.length;
    totalErrors += errors.length;
    const cases = errors.map((n, i) => `    <testcase${attrs({ name: `portwall error ${i + 1}${n.file ? ` in ${n.file}` : ''}`, classname: 'portwall', time: 0 })}>\n      <error${attrs({ message: n.message, type: 'error' })}>${escapeXml(n.message)}</error>\n    </testcase>`);
    suites.push(`  <testsuite${attrs({ name: 'portwall', tests: errors.length, failures: 0, errors: errors.length, skipped: 0, time: 0 })}>\n${cases.join('\n')}\n  </testsuite>`);
  }
  const open = `<testsuites${attrs({ name: 'portwall', tests: totalTests, failures: totalFailures, errors: totalErrors, skipped: totalSkipped, time: 0 })}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${suites.length ? `${open}>\n${suites.join('\n')}\n</testsuites>` : `${open}/>`}\n`;
};
