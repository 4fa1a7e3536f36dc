/**
 * SARIF as GitHub code scanning reads it, from the built CLI: PW000 and PW010 are not scored as
 * security alerts, the SARIF multitool's GitHub (Ghas) rules pass on a log that has results of
 * both, and every rule's help.markdown renders in the alert view as written (GitHub shows single
 * newlines as line breaks there, so paragraphs must be one line each).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, useTempProjects } from '../helpers/index.js';

const require = createRequire(import.meta.url);
const project = useTempProjects('portwall-sarif-cs-');

const TREE = {
  'docker-compose.yml': 'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports:\n      - "9200:9200"\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD_FILE=/run/secrets/pg\n    ports:\n      - "${PG_BIND}:5432:5432"\n',
  'broken.yml': 'services:\n  a: [\n',
};

interface SarifRule { id: string; help: { text: string; markdown: string }; helpUri: string; properties: Record<string, unknown> }

function sarif(dir: string) {
  const r = runBin(dir, ['--format', 'sarif']);
  return { text: r.stdout, log: JSON.parse(r.stdout) };
}

describe('SARIF for GitHub code scanning', () => {
  it('PW000 and PW010 carry no security-severity; their tags and precision say what they are', () => {
    const { log } = sarif(project(TREE));
    const rules = log.runs[0].tool.driver.rules as SarifRule[];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId.PW000!.properties).toEqual({ tags: ['correctness', 'parse-error'], precision: 'very-high', 'problem.severity': 'error' });
    expect(byId.PW010!.properties).toEqual({ tags: ['review-needed', 'unresolved', 'network', 'exposure'], precision: 'low', 'problem.severity': 'recommendation' });
    expect(byId.PW002!.properties).toMatchObject({ tags: expect.arrayContaining(['security']), 'security-severity': '9.1' });
    const ids = log.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['PW000', 'PW010', 'PW002']));
  });

  it("passes the multitool's SARIF and GitHub (Ghas) rules with results of PW000 and PW010", () => {
    const binary = path.join(path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
    expect(existsSync(binary)).toBe(true);
    const dir = project(TREE);
    const input = path.join(dir, 'portwall.sarif');
    const output = path.join(dir, 'validation.sarif');
    writeFileSync(input, sarif(dir).text);
    // Called directly: "Sarif;Ghas" must reach the tool as one argument (no shell splits it at ";").
    execFileSync(binary, ['validate', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning', '--log', 'ForceOverwrite', '-o', output, input], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: 'pipe',
      timeout: 60_000,
    });
    const validation = JSON.parse(readFileSync(output, 'utf8'));
    const problems = validation.runs[0].results.map((r: { ruleId: string; message: { arguments?: string[] } }) => `${r.ruleId} ${r.message.arguments?.join(' ')}`);
    expect(problems).toEqual([]);
  }, 90_000);

  it('rule help renders in the alert view: one line per paragraph, headings below the alert title, balanced code blocks, a link to the rule page', () => {
    const { log } = sarif(project({}));
    for (const rule of log.runs[0].tool.driver.rules as SarifRule[]) {
      const md = rule.help.markdown;
      const lines = md.split('\n');
      let fence = false;
      lines.forEach((line, i) => {
        if (/^\s*```/.test(line)) fence = !fence;
        if (fence || /^\s*```/.test(line)) return;
        const next = lines[i + 1];
        // Outside code, a text line is followed by a blank line or a new block: no hard wraps.
        const block = (l: string) => /^\s*$/.test(l) || /^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||```)/.test(l);
        if (next !== undefined && !block(line) && !/^#/.test(line)) expect(block(next), `${rule.id}: "${line}" / "${next}"`).toBe(true);
        if (/^#/.test(line)) expect(line, rule.id).toMatch(/^#{3,6} \S/);
      });
      expect(fence, `${rule.id}: unbalanced code fence`).toBe(false);
      expect(lines[lines.length - 1]).toBe(`[Full documentation of this rule](${rule.helpUri})`);
      // Only absolute links: the alert view has no base for relative ones.
      for (const m of md.matchAll(/\]\(([^)]+)\)/g)) expect(m[1]).toMatch(/^https:\/\//);
      expect(rule.help.text).not.toMatch(/^#/m);
      expect(rule.help.text).not.toContain('```');
    }
  });
});
