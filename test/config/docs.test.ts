/** The examples in docs/configuration.md and docs/custom-rules.md are real: they validate and load. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_ID, parseLocatedDocument, validateWithSchema } from '../../src/engine/config-document.js';
import { ROOT } from '../helpers/index.js';
import { load, project } from './helpers.js';

function yamlBlocks(doc: string): string[] {
  const text = readFileSync(path.join(ROOT, 'docs', doc), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('documentation examples', () => {
  it('the settings example of docs/configuration.md validates against the schema', () => {
    const settings = yamlBlocks('configuration.md').find((b) => b.startsWith('allowedPublicPorts'))!;
    expect(validateWithSchema(CONFIG_SCHEMA_ID, parseLocatedDocument(settings, '/x/portwall.config.yml', 'portwall.config.yml'))).toEqual([]);
  });

  it('the inline declarative rule of docs/custom-rules.md loads', async () => {
    const inline = yamlBlocks('custom-rules.md').find((b) => b.startsWith('customRules:'))!;
    const config = await load(project({ 'portwall.config.yml': inline }));
    expect(config.rules.at(-1)!.meta.id).toBe('ACME003');
  });

  it('docs/custom-rules.md shows the example rule files as they are', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/custom-rules.md'), 'utf8');
    const yamlRule = readFileSync(path.join(ROOT, 'examples/policy/policy/no-public-debug-ports.yml'), 'utf8');
    expect(doc).toContain(yamlRule.trimEnd());
  });
});
