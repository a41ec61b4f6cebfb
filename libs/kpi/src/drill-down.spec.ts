import { KPI_DEFINITIONS, kpiDefinition } from '@pulse/contracts';
import { drillDownTable } from './drill-down';
import { computeSeries } from './series';
import { isoWeekBuckets, trailingWindow } from './time/buckets';
import { aContext, aMessage, aPullRequest, aReply, aReview, at, someRecords } from './testing/builders';
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

  it('chat requests say who asked on which side and who answered, never any text; a deleted request stops counting', () => {
    const week = { start: at('2024-03-04T05:00:00Z'), end: at('2024-03-11T04:00:00Z') };
    const asked = aMessage('2024-03-05T14:00:00Z', 'carol');
    const answer = aReply(asked, '2024-03-05T15:00:00Z', 'vince');
    // an edit of the request is the same row (same ts), never a second message or an answer
    const edited = aMessage('2024-03-06T14:00:00Z', 'cid', { edited: true });
    const deleted = aMessage('2024-03-07T14:00:00Z', 'carol', { channel: 'C2', deleted: true });
    const ctx = aContext({ now: at('2024-03-20T00:00:00Z') });
    const records = someRecords({ chatMessages: [asked, answer, edited, deleted] });
    const table = drillDownTable('responsiveness.chat_first_response', records, ctx, week)!;
    expect(table.rows).toEqual([
      expect.objectContaining({
        id: `C1/${asked.ts}`,
        cells: expect.objectContaining({
          askedSide: 'client',
          askedBy: 'carol',
          answered: true,
          answeredBy: 'vince',
          answeredSide: 'vendor',
          waitingMinutes: 60,
        }),
      }),
    ]);
    const [value] = computeSeries(records, ctx, [week], ['responsiveness.chat_first_response']);
    expect(value?.n).toBe(1);
    // the edited request waits unanswered; the deleted one is not a request at all
    const unanswered = drillDownTable('responsiveness.unanswered_requests', records, ctx, {
      start: at('2024-03-11T04:00:00Z'),
      end: at('2024-03-18T04:00:00Z'),
    })!;
    expect(unanswered.rows.map((r) => r.id)).toEqual([`C1/${edited.ts}`]);
  });
});
