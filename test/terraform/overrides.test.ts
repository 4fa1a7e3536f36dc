import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { isOverrideFile } from '../../src/formats/terraform/overrides.js';
import { at, describeExposure, run, textAt } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
});

describe('override files', () => {
  it('recognises override.tf, *_override.tf and their JSON forms only', () => {
    expect(['override.tf', 'a/debug_override.tf', 'override.tf.json', 'x_override.tf.json'].every(isOverrideFile)).toBe(true);
    expect(['main.tf', 'overrides.tf', '_override.tf', 'override.tfvars', 'my-override.tf'].some(isOverrideFile)).toBe(false);
  });

  it('merges attributes, nested blocks, variables and locals, and locates values in the override file', () => {
    const result = run('overrides');
    expect(result.parseFailures).toEqual([]);
    expect(result.notices ?? []).toEqual([]);
    // override.tf changes a local, a variable default and one attribute; debug_override.tf
    // replaces the dynamic ingress of "search" with a block of its own and overrides no
    // "ghost"; z_override.tf.json (merged last) turns publicly_accessible on.
    expect(result.exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`)).toEqual([
      'tf:overrides/main.tf:aws_security_group.api:ingress[0] tcp:443 <- 198.51.100.0/24@overrides/main.tf:24:20-24:32 << overrides/override.tf:7:12-7:29 | at overrides/main.tf:19:3-19:10',
      'tf:overrides/main.tf:aws_security_group.api:ingress[1] tcp:22 <- 0.0.0.0/0@overrides/main.tf:32:19-32:34 << overrides/override.tf:3:14-3:25 | at overrides/main.tf:27:3-27:10',
      'tf:overrides/main.tf:aws_security_group_rule.postgres tcp:5432 <- 0.0.0.0/0@overrides/override.tf:11:18-11:29 | at overrides/main.tf:36:1-36:46',
      'tf:overrides/main.tf:aws_security_group.search:ingress[0] tcp:9200 <- 0.0.0.0/0@overrides/debug_override.tf:7:20-7:31 | at overrides/debug_override.tf:3:3-3:10',
    ]);
    const [reports] = result.datastores;
    expect(result.datastores.map((d) => `${d.id} ${d.public} ${at(d.location)}`)).toEqual([
      'tf:overrides/main.tf:aws_db_instance.reports:public yes overrides/z_override.tf.json:5:9-5:36',
    ]);
    expect(textAt(reports!.location)).toBe('"publicly_accessible": true');
  });
});
