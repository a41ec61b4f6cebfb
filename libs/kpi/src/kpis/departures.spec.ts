import { computeKpi } from '../registry';
import { drillDownTable } from '../drill-down';
import { DAY_MS, aContext, aMessage, aPullRequest, aWorkItem, at, someRecords } from '../testing/builders';

// The value's end: Mon 3 Jun 2024 00:00Z. "Last 4 weeks" = [6 May, 3 Jun); the 12 weeks
// before = [12 Feb, 6 May). Week k (1 = most recent) is [e − 7k days, e − 7(k−1) days).
const E = at('2024-06-03T00:00:00Z');
const inWeek = (k: number, hour = 0): number => E - 7 * k * DAY_MS + DAY_MS + hour * 3_600_000;
const iso = (t: number): string => new Date(t).toISOString();
const bucket = { start: E - 28 * DAY_MS, end: E };
const weeks = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const records = someRecords({
  pullRequests: [
    // vince: one merged PR in each of the 12 earlier weeks (avg 1/week), none in the last 4 → departed.
    ...weeks(5, 16).map((k) =>
      aPullRequest({ authorLogin: 'vince', createdAt: inWeek(k) - 3_600_000, mergedAt: inWeek(k) }),
    ),
    // carol (client) is never counted, however her activity changes.
    ...weeks(5, 16).map((k) =>
      aPullRequest({ authorLogin: 'carol', createdAt: inWeek(k), mergedAt: inWeek(k, 1) }),
    ),
  ],
  workItems: [
    // vera: two resolved issues in each earlier week (avg 2/week) and two in the last 4 weeks:
    // 2 / 4 = 0.5 per week, exactly 25 % of 2 — not *below* it → stays.
    ...weeks(5, 16).flatMap((k) =>
      [0, 1].map((h) =>
        aWorkItem({
          key: `V-${k}-${h}`,
          assigneeId: 'vera',
          createdAt: inWeek(k) - DAY_MS,
          resolvedAt: inWeek(k, h),
        }),
      ),
    ),
    aWorkItem({ key: 'V-r1', assigneeId: 'vera', createdAt: inWeek(3) - DAY_MS, resolvedAt: inWeek(3) }),
    aWorkItem({ key: 'V-r2', assigneeId: 'vera', createdAt: inWeek(2) - DAY_MS, resolvedAt: inWeek(2) }),
  ],
  chatMessages: [
    // val: chat in 4 earlier weeks (eligible: ≥ 4 active weeks), one message recently
    // (0.25/week ≥ 25 % of 4/12) — but left the channel 2 weeks ago → departed.
    ...[5, 7, 9, 11].map((k) => aMessage(iso(inWeek(k)), 'val')),
    aMessage(iso(inWeek(4)), 'val'),
    aMessage(iso(inWeek(2)), 'val', { subtype: 'channel_leave' }),
  ],
});

describe('continuity.contributor_departures', () => {
  const ctx = aContext();

  it('counts regular vendor contributors whose activity fell below 25 % or who left a channel', () => {
    // Regular contributors: vince, vera, val (n = 3). Departed: vince (activity), val (left).
    expect(computeKpi('continuity.contributor_departures', records, bucket, ctx)).toEqual({
      value: 2,
      n: 3,
      dropped: 0,
    });
  });

  it('someone with only 3 active weeks before is not a regular contributor', () => {
    const fewer = someRecords({
      pullRequests: [6, 8, 10].map((k) =>
        aPullRequest({ authorLogin: 'vince', createdAt: inWeek(k), mergedAt: inWeek(k, 1) }),
      ),
    });
    expect(computeKpi('continuity.contributor_departures', fewer, bucket, ctx)).toEqual({
      value: 0,
      n: 0,
      dropped: 0,
    });
  });

  it('lists the people behind the number: one row per regular contributor, departed first', () => {
    const table = drillDownTable('continuity.contributor_departures', records, ctx, bucket);
    expect(table?.kind).toBe('people');
    expect(
      table?.rows.map((r) => [
        r.id,
        r.cells.departed,
        r.cells.activeWeeks,
        r.cells.weeklyBefore,
        r.cells.recent,
      ]),
    ).toEqual([
      ['vince', true, 12, 1, 0],
      ['val', true, 4, 0.3, 1],
      ['vera', false, 12, 2, 2],
    ]);
    expect(table?.rows.find((r) => r.id === 'val')?.cells.leftChannelAt).toBe(iso(inWeek(2)));
  });
});
