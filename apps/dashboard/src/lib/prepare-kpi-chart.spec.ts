import { niceCeil, prepareKpiChart, summarizeKpi, hasAnyData } from './prepare-kpi-chart';
import { aKpi } from './test-builders';

describe('prepareKpiChart', () => {
  it('keeps gaps as null (never zero) and marks isolated points', () => {
    const model = prepareKpiChart(aKpi({ values: [10, null, 30, null, 50, 60] }));
    expect(model.points.map((p) => p.value)).toEqual([10, null, 30, null, 50, 60]);
    expect(model.isolated).toEqual(['2026-01-05', '2026-01-19']);
    expect(model.points[0]!.label).toBe('Jan 5');
  });

  it('draws lower-is-better bands: ok below warn, warn between, breach above breach', () => {
    const model = prepareKpiChart(aKpi({ values: [10, 200] }));
    expect(model.domain).toEqual([0, 250]);
    expect(model.bands).toEqual([
      { tone: 'ok', y1: 0, y2: 72 },
      { tone: 'warn', y1: 72, y2: 168 },
      { tone: 'breach', y1: 168, y2: 250 },
    ]);
  });

  it('draws higher-is-better bands the other way up', () => {
    const model = prepareKpiChart(
      aKpi({ unit: 'percent', direction: 'higher', threshold: { warn: 70, breach: 50 }, values: [80, 85] }),
    );
    expect(model.bands).toEqual([
      { tone: 'ok', y1: 70, y2: 100 },
      { tone: 'warn', y1: 50, y2: 70 },
      { tone: 'breach', y1: 0, y2: 50 },
    ]);
  });

  it('makes room for negative values (coverage delta)', () => {
    const model = prepareKpiChart(
      aKpi({ unit: 'pp', direction: 'higher', threshold: { warn: -1, breach: -5 }, values: [0.5, -3] }),
    );
    expect(model.domain[0]).toBeLessThan(-5);
    expect(model.bands.find((b) => b.tone === 'breach')).toEqual({
      tone: 'breach',
      y1: model.domain[0],
      y2: -5,
    });
  });

  it('has no bands without a threshold and a sane domain without data', () => {
    const model = prepareKpiChart(aKpi({ threshold: null, values: [null, null] }));
    expect(model.bands).toEqual([]);
    expect(model.hasData).toBe(false);
    expect(model.domain).toEqual([0, 2]);
  });
});

describe('niceCeil', () => {
  it('rounds up to readable axis maxima', () => {
    expect(niceCeil(184.8)).toBe(200);
    expect(niceCeil(220)).toBe(250);
    expect(niceCeil(0.7)).toBe(1);
  });
});

describe('summarizeKpi', () => {
  it('prefers the trailing value and computes week-over-week change with its meaning', () => {
    const kpi = aKpi({
      values: [50, 100, 80],
      current: { bucketStart: 0, bucketEnd: 0, value: 90, n: 7, dropped: 1, status: 'warn' },
    });
    const s = summarizeKpi(kpi);
    expect(s).toMatchObject({
      value: 90,
      valueText: '90 h',
      status: 'warn',
      n: 7,
      dropped: 1,
      basis: 'trailing',
    });
    expect(s.weekOverWeek).toEqual({ delta: -20, text: '−20 h', trend: 'better' });
    expect(s.thresholdText).toBe('warn > 72 h · breach > 168 h');
  });

  it('falls back to the latest week with data and skips the change across a gap', () => {
    const s = summarizeKpi(aKpi({ values: [200, 30, null] }));
    expect(s).toMatchObject({ value: 30, basis: 'latest week', status: 'ok' });
    expect(s.weekOverWeek).toBeNull();
  });

  it('says "worse" when a higher-is-better KPI drops, and "no data" when empty', () => {
    const up = aKpi({ direction: 'higher', unit: 'count', threshold: null, values: [5, 3] });
    expect(summarizeKpi(up).weekOverWeek?.trend).toBe('worse');
    const empty = aKpi({ values: [null, null] });
    expect(summarizeKpi(empty)).toMatchObject({ valueText: 'no data', status: 'no_data', basis: 'none' });
    expect(hasAnyData(empty)).toBe(false);
  });
});

describe('percent charts', () => {
  it('stop at 100 %', () => {
    const model = prepareKpiChart(
      aKpi({ unit: 'percent', direction: 'higher', threshold: { warn: 90, breach: 75 }, values: [100, 95] }),
    );
    expect(model.domain).toEqual([0, 100]);
  });
});
