import { niceCeil, prepareKpiChart, summarizeKpi, hasAnyData } from './prepare-kpi-chart';
import { aKpi, aValue } from './test-builders';

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
  it("shows the trailing value with the API's status, window and n, and the complete-week change", () => {
    const kpi = aKpi({
      values: [50, 100, 80],
      current: aValue({ value: 90, n: 7, dropped: 1, status: 'warn' }),
      weekOverWeek: {
        previousWeekStart: '2026-01-05',
        latestWeekStart: '2026-01-12',
        previous: 50,
        latest: 100,
        change: 50,
        trend: 'worse',
      },
    });
    const s = summarizeKpi(kpi);
    expect(s).toMatchObject({
      value: 90,
      valueText: '90 h',
      status: 'warn',
      n: 7,
      nLabel: 'PRs',
      dropped: 1,
      windowLabel: 'last 28 days',
    });
    // 100 − 50 = +50 h between the weeks of Jan 12 and Jan 5, never the partial week of Jan 19.
    expect(s.weekOverWeek).toMatchObject({ text: '+50 h worse', trend: 'worse' });
    expect(s.weekOverWeek?.title).toMatch(/Jan 12 against week of Jan 5/);
    expect(s.thresholdText).toBe('warn > 72 h · breach > 168 h');
  });

  it('says "No data yet" for a gap and keeps low samples and missing thresholds unrated', () => {
    const empty = aKpi({ values: [null, null], current: aValue({ value: null }) });
    expect(summarizeKpi(empty)).toMatchObject({ valueText: 'No data yet', status: 'no_data', n: 0 });
    expect(hasAnyData(empty)).toBe(false);
    const low = summarizeKpi(aKpi({ current: aValue({ value: 400, n: 1, status: 'low_sample' }) }));
    expect(low).toMatchObject({ valueText: '400 h', status: 'low_sample', minN: 3 });
    const free = summarizeKpi(
      aKpi({
        threshold: null,
        current: aValue({ value: 3, status: 'no_threshold' }),
        weekOverWeek: {
          previousWeekStart: '2026-01-05',
          latestWeekStart: '2026-01-12',
          previous: 5,
          latest: 3,
          change: -2,
          trend: 'worse',
        },
      }),
    );
    expect(free).toMatchObject({ status: 'no_threshold', thresholdText: 'no threshold' });
    expect(free.weekOverWeek?.text).toBe('−2 h worse');
  });

  it('has no week-over-week when either complete week is a gap', () => {
    const kpi = aKpi({
      weekOverWeek: {
        previousWeekStart: '2026-01-05',
        latestWeekStart: '2026-01-12',
        previous: null,
        latest: 3,
        change: null,
        trend: null,
      },
    });
    expect(summarizeKpi(kpi).weekOverWeek).toBeNull();
  });
});

describe('partial week', () => {
  it('marks the current week "so far" and keeps its API status', () => {
    const model = prepareKpiChart(aKpi({ values: [10, 20, 30] }));
    expect(model.points.map((p) => p.partial)).toEqual([false, false, true]);
    expect(model.partialWeek).toBe('2026-01-19');
    expect(model.points[2]!.windowLabel).toMatch(/so far/);
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
