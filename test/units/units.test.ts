/** The unit layer on its own: covered files drop other formats' raw entries; shared findings merge. */
import { describe, expect, it } from 'vitest';
import type { Location } from '../../src/core/location.js';
import { emptyModel } from '../../src/model/types.js';
import { mergeUnitFindings, relatedWithHops, touchesFiles } from '../../src/units/findings.js';
import { dropCovered, unitModel } from '../../src/units/models.js';

const at = (file: string, line: number): Location => ({ file, region: { startLine: line, startColumn: 1, endLine: line, endColumn: 5, startOffset: line * 10, endOffset: line * 10 + 4 } });

describe('deployment units', () => {
  it('drops every entry located in a covered file, and keeps parse errors out of unit models', () => {
    const model = emptyModel();
    model.exposures.push({ id: 'a', via: 'k8s-node-port', subject: 'Service/a', ports: { protocol: 'tcp', ranges: [] }, sources: [], location: at('base/svc.yaml', 3), workloads: [] });
    model.exposures.push({ id: 'b', via: 'k8s-node-port', subject: 'Service/b', ports: { protocol: 'tcp', ranges: [] }, sources: [], location: at('other.yaml', 3), workloads: [] });
    model.httpListeners.push({ id: 'h', subject: 'Ingress/x', tls: false, public: true, reason: '', location: at('base/ing.yaml', 1) });
    dropCovered(model, new Set(['base/svc.yaml', 'base/ing.yaml']));
    expect(model.exposures.map((e) => e.id)).toEqual(['b']);
    expect(model.httpListeners).toEqual([]);
    const unit = unitModel({ id: 'u', name: 'unit u', kind: 'kustomize', files: ['k.yaml'], model: { parseErrors: [{ file: 'k.yaml', message: 'x', location: at('k.yaml', 1) }], exposures: [] } }, 'kustomize');
    expect(unit.model.parseErrors).toEqual([]);
  });

  it('reports a finding of several units once, naming every unit, with the related locations of both', () => {
    const f = (unit: string, related: string[]) => ({ ruleId: 'PW002', message: 'm', location: at('base/svc.yaml', 3), related: related.map((r) => ({ location: at(r, 1), message: r })), units: [unit] });
    const merged = mergeUnitFindings([f('overlay prod', ['prod/patch.yaml']), f('overlay dev', ['dev/patch.yaml']), { ...f('overlay dev', []), message: 'other' }]);
    expect(merged.map((m) => [m.message, m.units, m.related.map((r) => r.message)])).toEqual([
      ['m', ['overlay dev', 'overlay prod'], ['prod/patch.yaml', 'dev/patch.yaml']],
      ['other', ['overlay dev'], []],
    ]);
  });

  it('turns hops into related locations after the rule\'s own, skipping repeats and the primary', () => {
    const primary = at('main.tf', 8);
    const related = relatedWithHops(primary, [{ location: at('auth.tf', 2), message: 'auth' }], [
      { location: at('main.tf', 8), note: 'same as primary' },
      { location: at('variables.tf', 2), note: 'default' },
      { location: at('variables.tf', 2), note: 'again' },
    ]);
    expect(related.map((r) => r.message)).toEqual(['auth', 'default']);
    expect(touchesFiles({ location: primary, related }, new Set(['variables.tf']))).toBe(true);
    expect(touchesFiles({ location: primary, related }, new Set(['other.tf']))).toBe(false);
  });
});
