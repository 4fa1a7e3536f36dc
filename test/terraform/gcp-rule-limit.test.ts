/**
 * GCP firewalls: the rules of one network are judged pairwise up to 2000 rules; beyond that the
 * allows are reported unjudged (bounded work), so a deny no longer closes them. Both sides of
 * the limit, through the terraform format's parser and adapter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runFiles, sourceFile } from './helpers.js';
import { initTerraform } from '../../src/formats/terraform/index.js';

beforeAll(async () => {
  await initTerraform();
});

const deny = `resource "google_compute_firewall" "deny-db" {
  name          = "deny-db"
  network       = "default"
  priority      = 100
  source_ranges = ["0.0.0.0/0"]
  deny {
    protocol = "tcp"
    ports    = ["6379"]
  }
}
`;
const allow = (i: number) => `resource "google_compute_firewall" "allow-${i}" {
  name          = "allow-${i}"
  network       = "default"
  priority      = 200
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["6379"]
  }
}
`;
const network = (rules: number) => runFiles([sourceFile('main.tf', [deny, ...Array.from({ length: rules - 1 }, (_, i) => allow(i))].join('\n'))]);

describe('GCP rules per network', () => {
  it('2000 rules are judged together: the deny closes every allow', () => {
    const result = network(2000);
    expect(result.exposures).toEqual([]);
    expect(result.notices).toEqual([]);
  });

  it('2001 rules are not: each allow is reported as written, at its source range', () => {
    const result = network(2001);
    expect(result.exposures).toHaveLength(2000);
    expect(result.exposures.slice(0, 2).map((e) => [e.id, e.ports.ranges, e.sources.map((s) => [s.value, s.location.region.startLine])])).toEqual([
      ['tf:main.tf:google_compute_firewall.allow-0:allow[0]', [{ from: 6379, to: 6379 }], [[{ kind: 'cidr', cidr: '0.0.0.0/0' }, 16]]],
      ['tf:main.tf:google_compute_firewall.allow-1:allow[0]', [{ from: 6379, to: 6379 }], [[{ kind: 'cidr', cidr: '0.0.0.0/0' }, 27]]],
    ]);
  });
});
