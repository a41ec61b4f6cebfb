import { DateTime } from 'luxon';
import { bucketStartDate, isoWeekBuckets } from './time/buckets';
import { weeksOf } from './read-model';

const zone = 'America/New_York';
const monday = (iso: string) => DateTime.fromISO(iso, { zone }).startOf('week').toMillis();
const expected = (start: number, end: number) =>
  isoWeekBuckets(start, end, zone).map((bucket) => ({ bucket, weekStart: bucketStartDate(bucket, zone) }));

describe('weeksOf (memoised ISO weeks of the KPI series)', () => {
  it('answers exactly what isoWeekBuckets does, whether the range grows, shrinks or repeats', () => {
    // Across the November DST change: one week is 169 hours long.
    const start = monday('2026-09-14');
    const ends = [
      '2026-12-02T10:00',
      '2026-11-10T00:00',
      '2027-01-20T23:59',
      '2026-11-10T00:00',
      '2026-09-14T00:01',
    ];
    for (const e of ends) {
      const end = DateTime.fromISO(e, { zone }).toMillis();
      expect(weeksOf(start, end, zone)).toEqual(expected(start, end));
    }
    const dst = weeksOf(start, DateTime.fromISO('2026-12-01', { zone }).toMillis(), zone).find(
      (w) => w.weekStart === '2026-10-26',
    );
    expect(dst && (dst.bucket.end - dst.bucket.start) / 3_600_000).toBe(169);
  });

  it('keeps zones apart', () => {
    const end = Date.UTC(2026, 11, 2);
    const startNy = monday('2026-11-02');
    const startTokyo = DateTime.fromISO('2026-11-02', { zone: 'Asia/Tokyo' }).toMillis();
    expect(weeksOf(startNy, end, zone)[0]!.bucket.start).toBe(startNy);
    expect(weeksOf(startTokyo, end, 'Asia/Tokyo')[0]!.bucket.start).toBe(startTokyo);
    expect(weeksOf(startNy, end, 'Asia/Tokyo')).toEqual(
      isoWeekBuckets(startNy, end, 'Asia/Tokyo').map((bucket) => ({
        bucket,
        weekStart: bucketStartDate(bucket, 'Asia/Tokyo'),
      })),
    );
  });
});
