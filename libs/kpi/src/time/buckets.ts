import { DateTime } from 'luxon';
import { type EpochMs } from '@pulse/contracts';
import { assertValidZone } from './zone-days';

/** A half-open interval `[start, end)` of instants: an ISO week or a trailing window. */
export interface Bucket {
  start: EpochMs;
  end: EpochMs;
}

export const DEFAULT_TRAILING_DAYS = 28;

/** Monday 00:00 (in `zone`) of the ISO week containing `t`. */
export function isoWeekStart(t: EpochMs, zone: string): EpochMs {
  return DateTime.fromMillis(t, { zone }).startOf('week').toMillis();
}

/** The ISO week (Monday 00:00 → next Monday 00:00 in `zone`) containing `t`. */
export function isoWeekBucket(t: EpochMs, zone: string): Bucket {
  const start = DateTime.fromMillis(t, { zone }).startOf('week');
  return { start: start.toMillis(), end: start.plus({ weeks: 1 }).toMillis() };
}

/**
 * Every ISO week in `zone` that overlaps `[from, to)`, oldest first. Weeks are stepped with
 * calendar arithmetic, so a week containing a DST change is 167 or 169 hours long.
 */
export function isoWeekBuckets(from: EpochMs, to: EpochMs, zone: string): Bucket[] {
  assertValidZone(zone);
  const out: Bucket[] = [];
  let cur = DateTime.fromMillis(from, { zone }).startOf('week');
  while (cur.toMillis() < to) {
    const next = cur.plus({ weeks: 1 });
    out.push({ start: cur.toMillis(), end: next.toMillis() });
    cur = next;
  }
  return out;
}

/** The trailing window of `days` calendar days (in `zone`) ending at `now`. */
export function trailingWindow(now: EpochMs, zone: string, days = DEFAULT_TRAILING_DAYS): Bucket {
  return { start: DateTime.fromMillis(now, { zone }).minus({ days }).toMillis(), end: now };
}

/** `yyyy-mm-dd` of a bucket's start in `zone` (the `week_start` column of `kpi_values`). */
export function bucketStartDate(bucket: Bucket, zone: string): string {
  return DateTime.fromMillis(bucket.start, { zone }).toISODate() ?? '';
}

/** Calendar days (in `zone`) before `t`, DST-aware. */
export function minusDays(t: EpochMs, days: number, zone: string): EpochMs {
  return DateTime.fromMillis(t, { zone }).minus({ days }).toMillis();
}
