import { KPI_DEFINITIONS, kpiDefinition } from '@pulse/contracts';
import { drillDownTable } from './drill-down';
import { computeSeries } from './series';
import { isoWeekBuckets, trailingWindow } from './time/buckets';
import { aContext, aPullRequest, aReview, at, someRecords } from './testing/builders';
import { mixedRecords } from './testing/mixed-records';

describe('drill-down tables', () => {
  const NY = 'America/New_York';
  const records = mixedRecords();
  const context = aContext({ now: at('2024-04-10T15:30:12.345Z') });
  const buckets = [
    ...isoWeekBuckets(at('2023-12-20T00:00:00Z'), at('2024-04-15T00:00:00Z'), NY),
    trailingWindow(context.now, NY),
  ];
  const rows = computeSeries(records, context, buckets);

  it('every drill-down-able KPI lists exactly n items for every week and the trailing window', () => {
    let nonEmpty = 0;
    const keys = new Set<string>();
    for (const row of rows) {
      if (!kpiDefinition(row.key).drillDown) continue;
      const table = drillDownTable(row.key, records, context, { start: row.bucketStart, end: row.bucketEnd });
      expect({ key: row.key, start: row.bucketStart, rows: table?.rows.length }).toEqual({
        key: row.key,
        start: row.bucketStart,
        rows: row.n,
      });
      if (row.n > 0) {
        nonEmpty++;
        keys.add(row.key);
      }
    }
    // Not vacuous: most drill-down KPIs have items somewhere in the messy data.
    expect(nonEmpty).toBeGreaterThan(100);
    expect(keys.size).toBeGreaterThan(20);
  });

  it('every column a row fills is declared, and every KPI but context ones has a table', () => {
    for (const def of KPI_DEFINITIONS) {
      const table = drillDownTable(def.key, records, context, buckets[buckets.length - 1]);
      if (!def.drillDown) {
        expect(table).toBeNull();
        continue;
      }
      expect(table).not.toBeNull();
      const declared = new Set(table?.columns.map((c) => c.field));
      for (const r of table?.rows ?? [])
        for (const field of Object.keys(r.cells)) expect(declared).toContain(field);
    }
  });

  it('PRs say whether they were reviewed, by which side, with the same bot and self-review rules as the KPI', () => {
    const week = { start: at('2024-03-04T05:00:00Z'), end: at('2024-03-11T04:00:00Z') };
    const reviewed = aPullRequest({
      authorLogin: 'vince',
      createdAt: at('2024-03-05T10:00:00Z'),
      mergedAt: at('2024-03-06T10:00:00Z'),
    });
    const selfReviewed = aPullRequest({
      authorLogin: 'vera',
      createdAt: at('2024-03-05T10:00:00Z'),
      mergedAt: at('2024-03-06T10:00:00Z'),
    });
    const botPr = aPullRequest({
      authorLogin: 'dependabot[bot]',
      authorIsBot: true,
      createdAt: at('2024-03-05T10:00:00Z'),
      mergedAt: at('2024-03-05T11:00:00Z'),
    });
    const recs = someRecords({
      pullRequests: [reviewed, selfReviewed, botPr],
      reviews: [
        aReview(reviewed, { reviewerLogin: 'carol', submittedAt: at('2024-03-05T15:00:00Z') }),
        aReview(selfReviewed, { reviewerLogin: 'vera', submittedAt: at('2024-03-05T15:00:00Z') }),
        aReview(selfReviewed, { reviewerLogin: 'renovate[bot]', submittedAt: at('2024-03-05T16:00:00Z') }),
      ],
    });
    const table = drillDownTable('quality.merged_without_review', recs, aContext(), week);
    expect(table?.rows.map((r) => [r.title, r.cells.reviewed])).toEqual([
      [selfReviewed.repo + '#' + selfReviewed.number, false],
    ]);
    const merged = drillDownTable('delivery.prs_merged', recs, aContext(), week);
    expect(merged?.rows.map((r) => [r.cells.author, r.cells.reviewed, r.cells.reviewerSide])).toEqual([
      ['vince', true, 'client'],
      ['vera', false, null],
    ]);
  });
});
