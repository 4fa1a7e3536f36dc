import { describe, expect, it } from 'vitest';
import { terraformFormat } from '../../src/formats/terraform/index.js';
import { at, sourceFile } from './helpers.js';

// Runs in its own process (vitest isolates test files): initTerraform() is never awaited here.
describe('terraform format without initTerraform()', () => {
  it('reports HCL files as a failure that names the engine bug, and still reads JSON', () => {
    const result = terraformFormat.parse(sourceFile('main.tf', 'resource "aws_security_group" "a" {}\n'));
    expect(result && 'failure' in result && `${result.failure.message} @ ${at(result.failure.location!)}`).toBe(
      'the Terraform grammar is not loaded (initTerraform() was not awaited) @ main.tf:1:1-1:2',
    );
    const json = terraformFormat.parse(sourceFile('main.tf.json', '{"resource": {}}'));
    expect(json && 'parsed' in json).toBe(true);
  });
});
