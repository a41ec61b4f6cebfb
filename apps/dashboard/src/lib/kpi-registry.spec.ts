import type { KpiKey } from '@pulse/contracts';
import { buildRegistry, groupByFamily, kpiLabel } from './kpi-registry';
import { aKpi } from './test-builders';

describe('kpi registry', () => {
  it('falls back to the bundled catalogue and accepts KPIs the API adds', () => {
    const reg = buildRegistry([
      { key: 'delivery.pr_cycle_time', family: 'delivery', description: 'from API' },
    ]);
    expect(reg.get('delivery.pr_cycle_time')?.description).toBe('from API');
    expect(kpiLabel(reg, 'quality.open_bugs')).toBe('Open bugs');
    expect(kpiLabel(reg, 'security.cve_age')).toBe('Cve age');
  });
  it('groups KPIs by family in catalogue order, unknown families last', () => {
    const groups = groupByFamily([
      // A KPI a newer API may add: not in this bundle's catalogue yet.
      aKpi({ key: 'security.x' as KpiKey, family: 'security' }),
      aKpi({ key: 'quality.open_bugs', family: 'quality' }),
      aKpi({ key: 'delivery.pr_cycle_time', family: 'delivery' }),
    ]);
    expect(groups.map((g) => g.family)).toEqual(['delivery', 'quality', 'security']);
  });
});
