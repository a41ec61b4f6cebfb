import { computeKpi } from '../registry';
import { drillDownTable } from '../drill-down';
import {
  DAY_MS,
  aContext,
  aMessage,
  aPerson,
  aPullRequest,
  aRoster,
  aWorkItem,
  at,
  someRecords,
} from '../testing/builders';

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

  it('a channel leave is a departure only in the last 4 weeks, for a vendor on the roster; private channels too', () => {
    const valChat = records.chatMessages.filter((m) => m.subtype === null);
    const withLeave = (extra: typeof records.chatMessages) => ({
      ...records,
      chatMessages: [...valChat, ...extra],
    });
    const departures = (r: typeof records) => computeKpi('continuity.contributor_departures', r, bucket, ctx);
    // val's leave six weeks ago is older than the last 4 weeks: val stays (1 message recently).
    expect(departures(withLeave([aMessage(iso(inWeek(6)), 'val', { subtype: 'channel_leave' })]))).toEqual({
      value: 1,
      n: 3,
      dropped: 0,
    });
    // leaving a private channel (group_leave) counts as a channel_leave does
    expect(departures(withLeave([aMessage(iso(inWeek(2)), 'val', { subtype: 'group_leave' })]))).toEqual({
      value: 2,
      n: 3,
      dropped: 0,
    });
    // a client's leave, and a leave by someone not on the roster, are not vendor departures
    const others = withLeave([
      ...[5, 7, 9, 11].map((k) => aMessage(iso(inWeek(k)), 'carol')),
      aMessage(iso(inWeek(2)), 'carol', { subtype: 'channel_leave' }),
      aMessage(iso(inWeek(2)), 'stranger', { subtype: 'channel_leave' }),
    ]);
    expect(departures(others)).toEqual({ value: 1, n: 3, dropped: 0 });
  });

  describe('people who left the roster (tombstones with leftAt)', () => {
    const leftAt = inWeek(2); // Tue 21 May 2024 00:00Z, inside the last 4 weeks [6 May, 3 Jun).
    const withLeavers = (left: Record<string, number>, extra: typeof records.people = []) => ({
      ...records,
      people: [
        ...aRoster().map((p) => (left[p.id] === undefined ? p : { ...p, leftAt: left[p.id] })),
        ...extra,
      ],
    });

    it('counts each leaver once, whatever their activity or channels say', () => {
      // vince (activity drop) and val (left a channel) also left the roster: still one each.
      // vera (steady, 2 in the last 4 weeks) left the roster: now departed too → 3 of 3.
      const r = withLeavers({ vince: leftAt, val: leftAt, vera: leftAt });
      expect(computeKpi('continuity.contributor_departures', r, bucket, ctx)).toEqual({
        value: 3,
        n: 3,
        dropped: 0,
      });
      const table = drillDownTable('continuity.contributor_departures', r, ctx, bucket);
      expect(table?.rows.map((row) => [row.id, row.cells.departed, row.cells.reason])).toEqual([
        ['vince', true, 'left the roster on 2024-05-21'],
        ['val', true, 'left the roster on 2024-05-21'],
        ['vera', true, 'left the roster on 2024-05-21'],
      ]);
      expect(table?.rows[0].cells.leftRosterAt).toBe(iso(leftAt));
    });

    it('counts a leaver with some earlier activity even under 4 active weeks', () => {
      // vic: merged PRs in 2 of the 12 earlier weeks (not regular), removed 21 May → counted.
      const r = withLeavers({}, [aPerson({ id: 'vic', leftAt })]);
      r.pullRequests = [
        ...r.pullRequests,
        ...[6, 9].map((k) =>
          aPullRequest({ authorLogin: 'vic', createdAt: inWeek(k), mergedAt: inWeek(k, 1) }),
        ),
      ];
      // Before: vince + val departed of 3; now vic too: 3 of 4.
      expect(computeKpi('continuity.contributor_departures', r, bucket, ctx)).toEqual({
        value: 3,
        n: 4,
        dropped: 0,
      });
      const vic = drillDownTable('continuity.contributor_departures', r, ctx, bucket)?.rows.find(
        (row) => row.id === 'vic',
      );
      expect([vic?.cells.activeWeeks, vic?.cells.reason]).toEqual([2, 'left the roster on 2024-05-21']);
    });

    it('does not count them again once the removal is older than the last 4 weeks', () => {
      // Five weeks later (end 8 Jul): the 12 earlier weeks are [18 Mar, 10 Jun), where vince
      // still has 7 active weeks (k = 5..11) and nothing since — an activity drop, were he on
      // the roster. He left on 21 May, before 10 Jun, so he is out of the check.
      const later = { start: E + 7 * DAY_MS, end: E + 35 * DAY_MS };
      const vinceOnly = (people: typeof records.people) => ({
        ...records,
        workItems: [],
        chatMessages: [],
        people,
      });
      const stays = vinceOnly(aRoster());
      const left = vinceOnly(withLeavers({ vince: leftAt }).people);
      expect(computeKpi('continuity.contributor_departures', stays, later, ctx)).toEqual({
        value: 1,
        n: 1,
        dropped: 0,
      });
      expect(computeKpi('continuity.contributor_departures', left, later, ctx)).toEqual({
        value: 0,
        n: 0,
        dropped: 0,
      });
    });

    it('is an ordinary roster person in values that end before they left', () => {
      // vera leaves the day after the value's end: her steady activity keeps her "stayed".
      const r = withLeavers({ vera: E + DAY_MS });
      expect(computeKpi('continuity.contributor_departures', r, bucket, ctx)).toEqual({
        value: 2,
        n: 3,
        dropped: 0,
      });
    });
  });
});
