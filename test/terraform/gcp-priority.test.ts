import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform } from '../../src/formats/terraform/index.js';
import { denyReaches } from '../../src/formats/terraform/adapters/gcp.js';
import { at, describeExposure, run } from './helpers.js';

beforeAll(async () => {
  await initTerraform();
});

function exposures(folder: string): string[] {
  const result = run(folder);
  expect(result.parseFailures).toEqual([]);
  expect(result.notices ?? []).toEqual([]);
  return result.exposures.map((e) => `${describeExposure(e)} | at ${at(e.location)}`);
}

describe('GCP firewall priorities', () => {
  it('removes what earlier denies of the same network and targets cover; unknowns never shadow', () => {
    // allow_search (9200) is closed whole by deny_datastores (priority 100 < the default 1000).
    // allow_ops loses 6379; allow_mongo_early (50) is judged before the deny; deny_ssh_web
    // wins its tie with allow_web and covers its only tag, but not allow_ssh_everywhere, which
    // applies to every instance; deny_partner closes only its own /24 of allow_8080; the deny
    // with unresolved target tags, the allow with an unresolved priority and the rule of
    // another network are not judged against denies.
    expect(exposures('gcp-priority')).toEqual([
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_ops:allow[0] tcp:22,6380 <- 0.0.0.0/0@gcp-priority/firewall.tf:46:20-46:31 | at gcp-priority/firewall.tf:49:3-49:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_mongo_early:allow[0] tcp:27017 <- 0.0.0.0/0@gcp-priority/firewall.tf:59:20-59:31 | at gcp-priority/firewall.tf:61:3-61:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_web:allow[0] tcp:80 <- 0.0.0.0/0@gcp-priority/firewall.tf:84:20-84:31 | at gcp-priority/firewall.tf:87:3-87:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_ssh_everywhere:allow[0] tcp:22 <- 0.0.0.0/0@gcp-priority/firewall.tf:97:20-97:31 | at gcp-priority/firewall.tf:99:3-99:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_8080:allow[0] tcp:8080 <- 0.0.0.0/0@gcp-priority/firewall.tf:120:39-120:50 | at gcp-priority/firewall.tf:122:3-122:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_postgres:allow[0] tcp:5432 <- 0.0.0.0/0@gcp-priority/firewall.tf:144:20-144:31 | at gcp-priority/firewall.tf:147:3-147:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.allow_search_late:allow[0] tcp:9300 <- 0.0.0.0/0@gcp-priority/firewall.tf:157:20-157:31 | at gcp-priority/firewall.tf:159:3-159:8',
      'tf:gcp-priority/firewall.tf:google_compute_firewall.sandbox_search:allow[0] tcp:9200 <- 0.0.0.0/0@gcp-priority/firewall.tf:168:20-168:31 | at gcp-priority/firewall.tf:170:3-170:8',
    ]);
  });

  it('decides whether a deny reaches an allow by target tags and service accounts', () => {
    const tags = (...names: string[]) => ({ kind: 'tags' as const, names: new Set(names) });
    expect(denyReaches({ all: true }, tags('web'))).toBe(true);
    expect(denyReaches(tags('web', 'api'), tags('web'))).toBe(true);
    expect(denyReaches(tags('web'), tags('web', 'api'))).toBe(false);
    expect(denyReaches(tags('web'), { all: true })).toBe(false);
    expect(denyReaches({ unknown: true }, tags('web'))).toBe(false);
    expect(denyReaches({ kind: 'accounts', names: new Set(['web']) }, tags('web'))).toBe(false);
  });
});
