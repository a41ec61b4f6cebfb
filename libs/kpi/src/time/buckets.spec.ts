import { at } from '../testing/builders';
import { bucketStartDate, isoWeekBucket, isoWeekBuckets, trailingWindow } from './buckets';

const NY = 'America/New_York';

describe('buckets', () => {
  it('a week across the spring DST change is 167 hours (Monday 00:00 to Monday 00:00 local)', () => {
    const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY);
    expect(week.start).toBe(at('2024-03-04T05:00:00Z')); // Mon 00:00 EST
    expect(week.end).toBe(at('2024-03-11T04:00:00Z')); // Mon 00:00 EDT
    expect((week.end - week.start) / 3_600_000).toBe(167);
  });

  it('a Sunday late evening belongs to the week that started the Monday before', () => {
    // Sun 10 Mar 23:30 EDT = Mon 11 Mar 03:30Z.
    expect(isoWeekBucket(at('2024-03-11T03:30:00Z'), NY).start).toBe(at('2024-03-04T05:00:00Z'));
  });

  it('lists consecutive weeks overlapping a range', () => {
    const weeks = isoWeekBuckets(at('2024-03-06T00:00:00Z'), at('2024-03-19T00:00:00Z'), NY);
    expect(weeks.map((w) => bucketStartDate(w, NY))).toEqual(['2024-03-04', '2024-03-11', '2024-03-18']);
    expect(weeks[0].end).toBe(weeks[1].start);
  });

  it('the trailing window is 28 calendar days ending now', () => {
    const w = trailingWindow(at('2024-03-20T12:00:00Z'), NY);
    expect(w.end).toBe(at('2024-03-20T12:00:00Z'));
    // 28 local days back crosses the DST change: 08:00 EDT → 07:00 EST = 12:00Z same wall time… minus 1 h in UTC.
    expect(w.start).toBe(at('2024-02-21T13:00:00Z'));
  });
});
