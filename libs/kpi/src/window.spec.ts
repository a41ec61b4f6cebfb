import { DateTime } from 'luxon';
import { isoWeekBucket, trailingWindow } from './time/buckets';
import { isPartial, weekOverWeek, windowDto, windowWords } from './window';

const zone = 'America/Chicago';
const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
// Tuesday 1 Dec 2026 10:00 in Chicago: the week of 30 Nov is under way.
const NOW = local('2026-12-01T10:00');

describe('windows', () => {
  it('marks the current week partial ("so far") and ends it at now', () => {
    const current = isoWeekBucket(NOW, zone);
    const last = isoWeekBucket(local('2026-11-25T12:00'), zone);
    expect(isPartial(current, NOW)).toBe(true);
    expect(isPartial(last, NOW)).toBe(false);
    expect(windowWords('week', current, zone, NOW).label).toBe('the week of 30 Nov 2026 (so far)');
    expect(windowDto('week', current, zone, NOW)).toEqual({
      kind: 'week',
      from: '2026-11-30T06:00:00.000Z',
      to: '2026-12-01T16:00:00.000Z',
      label: 'week of 30 Nov 2026 (so far)',
      lookbackDays: null,
    });
    expect(windowDto('week', last, zone, NOW)).toMatchObject({
      from: '2026-11-23T06:00:00.000Z',
      to: '2026-11-30T06:00:00.000Z',
      label: 'week of 23 Nov 2026',
    });
  });

  it('the headline is the trailing 28 days, and says how far a KPI looks back', () => {
    expect(windowDto('trailing', trailingWindow(NOW, zone), zone, NOW, { lookbackDays: 90 })).toEqual({
      kind: 'trailing',
      from: '2026-11-03T16:00:00.000Z', // 28 calendar days, across the DST change of 1 Nov
      to: '2026-12-01T16:00:00.000Z',
      label: 'last 28 days',
      lookbackDays: 90,
    });
  });

  it('week-over-week compares the last two complete weeks, never the partial one', () => {
    const series = [
      { weekStart: '2026-11-16', value: 14, partial: false },
      { weekStart: '2026-11-23', value: 11, partial: false },
      // Tuesday's 2 merged PRs would read "−9, worse" against a full week.
      { weekStart: '2026-11-30', value: 2, partial: true },
    ];
    expect(weekOverWeek({ direction: 'higher' }, series)).toEqual({
      previousWeekStart: '2026-11-16',
      latestWeekStart: '2026-11-23',
      previous: 14,
      latest: 11,
      change: -3,
      trend: 'worse',
    });
    expect(weekOverWeek({ direction: 'lower' }, series)?.trend).toBe('better');
    expect(weekOverWeek({ direction: 'none' }, series)?.trend).toBe('down');
    expect(
      weekOverWeek({ direction: 'higher' }, [series[0], { ...series[1], value: null }, series[2]]),
    ).toMatchObject({
      change: null,
      trend: null,
    });
    expect(weekOverWeek({ direction: 'higher' }, series.slice(1))).toBeNull();
  });
});
