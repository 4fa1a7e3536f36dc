/**
 * `gcloud compute firewall-rules list --format json`: a list of one rule is a list (not one rule
 * object), a rule without `direction` is INGRESS, an EGRESS rule reaches nothing from the
 * internet. (Survivors of the mutation run in src/formats/cloud-json/gcloud.ts.)
 */
import { describe, expect, it } from 'vitest';
import { lintTree, view } from '../helpers/index.js';

const one = [{ name: 'allow-redis', network: 'projects/p/global/networks/default', priority: 1000, sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['6379'] }] }];
const egress = [
  { name: 'egress-mysql', direction: 'EGRESS', network: 'projects/p/global/networks/default', priority: 1000, destinationRanges: ['0.0.0.0/0'], sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['3306'] }] },
  { name: 'ingress-web', direction: 'INGRESS', network: 'projects/p/global/networks/default', priority: 1000, sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }] },
];
describe('gcloud firewall-rules lists', () => {
  it('judges a one-rule list without direction as ingress, and skips EGRESS rules', async () => {
    const result = await lintTree({ 'one-rule.json': JSON.stringify(one, null, 2), 'egress.json': JSON.stringify(egress, null, 2) });
    expect(result.findings.map((f) => ({ ...view(f), message: f.message, related: f.related }))).toEqual([
      {
        ruleId: 'PW001', file: 'egress.json', line: 28, column: 7, endLine: 28, endColumn: 18,
        message: 'firewall rule ingress-web exposes port 8080/tcp to the internet (source: 0.0.0.0/0); only 443 may be public', related: [],
      },
      {
        ruleId: 'PW002', file: 'one-rule.json', line: 7, column: 7, endLine: 7, endColumn: 18,
        message: 'firewall rule allow-redis exposes Redis 6379 on port 6379/tcp to the internet (source: 0.0.0.0/0)', related: [],
      },
    ]);
    expect(result.files.map((f) => [f.path, f.format])).toEqual([['egress.json', 'cloud-json'], ['one-rule.json', 'cloud-json']]);
    expect(result.notifications).toEqual([]);
  });
});
