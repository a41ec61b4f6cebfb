import { aKpi } from './test-builders';
import { weeklyHealth } from './weekly-health';

// The rating itself is @pulse/kpi's; these check the API series are handed to it faithfully.
describe('weeklyHealth', () => {
  it('scores each week like KPIS.md: family means, equal weights, rounded', () => {
    const kpis = [
      aKpi({ key: 'delivery.pr_cycle_time', values: [10, 100, 200] }), // ok, warn, breach
      aKpi({ key: 'delivery.pr_pickup_time', threshold: { warn: 24, breach: 48 }, values: [1, 1, 1] }),
      aKpi({
        key: 'coverage.line',
        family: 'coverage',
        unit: 'percent',
        direction: 'higher',
        threshold: { warn: 70, breach: 50 },
        values: [80, 60, null],
      }),
    ];
    const weeks = weeklyHealth(kpis);
    expect(weeks.map((w) => w.score)).toEqual([100, 63, 50]);
    expect(weeks.map((w) => w.status)).toEqual(['green', 'amber', 'red']);
    expect(weeks[2]!.breaches).toEqual(['delivery.pr_cycle_time']);
    expect(weeks[1]!.warnings).toEqual(['delivery.pr_cycle_time', 'coverage.line']);
  });

  it('leaves KPIs without threshold or direction out, and is unknown when nothing is scored', () => {
    const kpis = [
      aKpi({ key: 'delivery.prs_merged', unit: 'count', direction: 'higher', threshold: null, values: [3] }),
      aKpi({
        key: 'continuity.new_contributors',
        direction: 'none',
        threshold: { warn: 1, breach: 2 },
        values: [9],
      }),
    ];
    expect(weeklyHealth(kpis)).toEqual([
      { weekStart: '2026-01-05', partial: true, score: null, status: 'unknown', breaches: [], warnings: [] },
    ]);
  });

  it('does not score a week whose sample is below the minimum (low sample)', () => {
    const kpi = aKpi({ values: [500, 500] });
    kpi.series[0] = { ...kpi.series[0]!, n: 2, minN: 3 }; // 2 PRs < 3: not rated
    expect(weeklyHealth([kpi]).map((w) => w.status)).toEqual(['unknown', 'red']);
  });

  it('uses overriding thresholds when given', () => {
    const kpis = [aKpi({ values: [100] })];
    expect(weeklyHealth(kpis)[0]!.status).toBe('amber');
    expect(
      weeklyHealth(kpis, new Map([['delivery.pr_cycle_time', { warn: 24, breach: 48 }]]))[0]!.status,
    ).toBe('red');
    expect(weeklyHealth(kpis, new Map([['delivery.pr_cycle_time', null]]))[0]!.status).toBe('unknown');
  });
});
