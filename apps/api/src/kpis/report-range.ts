import { DateTime } from 'luxon';
import { badRequest, parseDateParam } from '../common/validation';

/** Weeks shown when no `from` is given (the dashboard's default view). */
export const DEFAULT_WEEKS = 12;
/** The longest range one request may ask for. */
export const MAX_WEEKS = 156;
/** Ranges remembered (a handful of zones × ranges × the current second is the usual set). */
const KEPT_RANGES = 512;

/** The reporting range asked for, in epoch ms: `start` a week's start, `end` inclusive. */
export interface ReportRange {
  start: number;
  end: number;
}

/**
 * The weeks an answer covers in the engagement's zone: `from`'s week (default: 12 weeks
 * ending with the current one) to the end of `to`'s day (default: `now`). A bad or reversed
 * range, or one over MAX_WEEKS weeks, is a 400.
 */
export function reportRange(
  zone: string,
  from: string | undefined,
  to: string | undefined,
  now: number,
): ReportRange {
  const end = to ? parseDateParam(to, 'to', zone).endOf('day') : DateTime.fromMillis(now, { zone });
  const start = from
    ? parseDateParam(from, 'from', zone)
    : end.minus({ weeks: DEFAULT_WEEKS - 1 }).startOf('week');
  if (start > end) throw badRequest([{ field: 'from', message: 'must not be after to' }]);
  if (end.diff(start, 'weeks').weeks > MAX_WEEKS) {
    throw badRequest([{ field: 'from', message: `at most ${MAX_WEEKS} weeks per request` }]);
  }
  return { start: start.startOf('week').toMillis(), end: end.toMillis() };
}

/**
 * `reportRange`, remembered per zone, range and instant. Every `/kpis` request works out its
 * range before it can tell whether its kept answer still holds, and with a time zone that
 * costs luxon ~50 µs — a few percent of the API's CPU under load, for a value that changes
 * once a second. Bad ranges are not remembered (they throw each time).
 */
export class ReportRanges {
  private readonly kept = new Map<string, ReportRange>();

  get(zone: string, from: string | undefined, to: string | undefined, now: number): ReportRange {
    // \u0000 cannot occur in a zone name or a validated date, so keys cannot collide.
    const key = `${zone}\u0000${from ?? ''}\u0000${to ?? ''}\u0000${now}`;
    const hit = this.kept.get(key);
    if (hit) return hit;
    const range = reportRange(zone, from, to, now);
    if (this.kept.size >= KEPT_RANGES) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, range);
    return range;
  }

  /** How many ranges are remembered (for tests). */
  get size(): number {
    return this.kept.size;
  }
}
