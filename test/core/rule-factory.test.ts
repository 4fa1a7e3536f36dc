import { describe, expect, it } from 'vitest';
import { defineRule, reportMessage, type Placeholders, type ReportDescriptor } from '../../src/core/rule.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import type { Model } from '../../src/model/types.js';

const META = {
  id: 'T001',
  name: 'typed',
  level: 'warning' as const,
  securitySeverity: 1,
  precision: 'high' as const,
  tags: [],
  formats: [],
  shortDescription: 'x',
  fullDescription: 'x',
  help: 'x',
};
const location = { file: 'a.yml', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2, startOffset: 0, endOffset: 1 } };

describe('defineRule with message ids', () => {
  it('fills a template from typed data', () => {
    const rule = defineRule({
      meta: { ...META, messages: { open: '{{subject}} opens {{ports}}', plain: 'no data' } },
      check(_model, context) {
        context.report({ location, messageId: 'open', data: { subject: 'svc', ports: 'port 22/tcp' }, subjects: ['s'] });
        context.report({ location, messageId: 'plain', subjects: ['s'] });
        // @ts-expect-error: a message id the rule does not have
        context.report({ location, messageId: 'nope', subjects: ['s'] });
        // @ts-expect-error: data missing a placeholder of the template
        context.report({ location, messageId: 'open', data: { subject: 'svc' }, subjects: ['s'] });
      },
    });
    const reported: ReportDescriptor[] = [];
    rule.check({} as Model, { policy: {} as never, options: {}, report: (d) => reported.push(d) });
    expect(reported.slice(0, 2).map((d) => reportMessage(rule.meta, d))).toEqual(['svc opens port 22/tcp', 'no data']);
    expect(rule.meta.helpUri).toContain('T001-typed');
  });

  it('keeps the literal message path for custom JS and declarative rules', () => {
    const rule = defineRule({ meta: META, check() {} });
    expect(reportMessage(rule.meta, { message: 'literal {{x}}' })).toBe('literal {{x}}');
  });

  it('throws on an unknown id or a missing placeholder (the engine makes it an internal error)', () => {
    expect(() => reportMessage({ id: 'T', messages: { a: '{{x}}' } }, { messageId: 'b' })).toThrow("rule T has no message 'b'");
    expect(() => reportMessage({ id: 'T', messages: { a: '{{x}}' } }, { messageId: 'a', data: {} })).toThrow("message 'a' needs data.x");
  });

  it('types the placeholders of a template', () => {
    const names: Placeholders<'{{a}} and {{b}}'>[] = ['a', 'b'];
    expect(names).toHaveLength(2);
  });

  it('every built-in rule reports through its message table', () => {
    for (const rule of BUILTIN_RULES) expect(Object.keys(rule.meta.messages ?? {}).length, rule.meta.id).toBeGreaterThan(0);
  });
});
