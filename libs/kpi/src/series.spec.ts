import { KPI_DEFINITIONS, KPI_KEYS } from '@pulse/contracts';
import { KPI_REGISTRY, computeKpi } from './registry';
import { computeSeries } from './series';
import { isoWeekBuckets, trailingWindow } from './time/buckets';
import { aContext, at } from './testing/builders';
import { mixedRecords } from './testing/mixed-records';

describe('the KPI registry', () => {
  it('implements every KPI key of the catalogue, with its metadata', () => {
    expect(KPI_REGISTRY.map((d) => d.key)).toEqual([...KPI_KEYS]);
    for (const d of KPI_REGISTRY) expect(typeof d.compute).toBe('function');
  });

  it('carries the default thresholds of docs/kpis.md', () => {
    const t = Object.fromEntries(
      KPI_DEFINITIONS.filter((d) => d.defaultThreshold).map((d) => [d.key, d.defaultThreshold]),
    );
    expect(t).toEqual({
      'delivery.pr_cycle_time': { warn: 72, breach: 168 },
      'delivery.pr_pickup_time': { warn: 24, breach: 48 },
      'delivery.issue_cycle_time': { warn: 7, breach: 14 },
      'delivery.deploy_frequency': { warn: 1, breach: 0.25 },
      'quality.open_bugs': { warn: 20, breach: 40 },
      'quality.bug_resolution_time': { warn: 7, breach: 21 },
      'quality.bug_sla_compliance': { warn: 90, breach: 75 },
      'quality.bug_reopen_rate': { warn: 10, breach: 20 },
      'coverage.line': { warn: 70, breach: 50 },
      'coverage.delta': { warn: -1, breach: -5 },
      'responsiveness.chat_first_response': { warn: 60, breach: 240 },
      'responsiveness.unanswered_requests': { warn: 3, breach: 10 },
      'responsiveness.pr_first_review_client': { warn: 16, breach: 40 },
      'responsiveness.issue_first_response': { warn: 8, breach: 24 },
      'continuity.contributor_retention': { warn: 80, breach: 60 },
      'continuity.knowledge_concentration': { warn: 3, breach: 2 },
      'continuity.contributor_departures': { warn: 0, breach: 1 },
      'scope.sprint_scope_change': { warn: 20, breach: 40 },
    });
  });
});

describe('computeSeries', () => {
  const NY = 'America/New_York';
  const records = mixedRecords();
  // `now` inside the range, so the current week and the trailing window are cut at now.
  const context = aContext({ now: at('2024-04-10T15:30:12.345Z') });
  const buckets = [
    ...isoWeekBuckets(at('2023-12-20T00:00:00Z'), at('2024-05-15T00:00:00Z'), NY),
    trailingWindow(context.now, NY),
  ];
  const rows = computeSeries(records, context, buckets);

  it('returns one row per KPI and bucket', () => {
    expect(rows).toHaveLength(KPI_KEYS.length * buckets.length);
  });

  it('agrees with the single-bucket compute for every KPI and bucket', () => {
    let compared = 0;
    let withValue = 0;
    for (const row of rows) {
      const bucket = { start: row.bucketStart, end: row.bucketEnd };
      // A fresh copy of the records so the single-bucket path prepares its own facts.
      const single = computeKpi(row.key, { ...records }, bucket, context);
      const batch = { value: row.value, n: row.n, dropped: row.dropped };
      if (batch.value !== null && single.value !== null) expect(batch.value).toBeCloseTo(single.value, 9);
      expect({ ...batch, value: batch.value === null }).toEqual({ ...single, value: single.value === null });
      compared++;
      if (row.value !== null && row.n > 0) withValue++;
    }
    expect(compared).toBe(rows.length);
    // The data set is rich enough that most rows have data (the comparison is not vacuous).
    expect(withValue).toBeGreaterThan(rows.length / 2);
  });

  it('can be limited to some keys', () => {
    const some = computeSeries(records, context, buckets, ['delivery.prs_merged']);
    expect(new Set(some.map((r) => r.key))).toEqual(new Set(['delivery.prs_merged']));
  });

  it('counts dropped samples somewhere in the messy data (skewed clocks are not silently clamped)', () => {
    expect(rows.some((r) => r.dropped > 0)).toBe(true);
  });
});
