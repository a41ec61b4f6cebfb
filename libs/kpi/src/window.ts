import { DateTime } from 'luxon';
import {
  type KpiDefinitionMeta,
  type KpiPointDto,
  type KpiWindowDto,
  type WeekOverWeekDto,
} from '@pulse/contracts';
import { type WindowWords } from './rating';
import { type Bucket, DEFAULT_TRAILING_DAYS } from './time/buckets';

/** True when the week is not over at `now` (the current, partial week). */
export const isPartial = (bucket: Bucket, now: number): boolean => bucket.end > now;

/** Words for a window: "the last 28 days", "the week of 2 Nov 2026", "… (so far)". */
export function windowWords(
  kind: 'trailing' | 'week',
  bucket: Bucket,
  zone: string,
  now: number,
): WindowWords {
  if (kind === 'trailing') return { kind, label: `the last ${DEFAULT_TRAILING_DAYS} days` };
  const start = DateTime.fromMillis(bucket.start, { zone }).toFormat('d LLL yyyy');
  return { kind, label: `the week of ${start}${isPartial(bucket, now) ? ' (so far)' : ''}` };
}

/** The contract's window of a value: instants, the label a person reads, the look-back. */
export function windowDto(
  kind: 'trailing' | 'week',
  bucket: Bucket,
  zone: string,
  now: number,
  def?: Pick<KpiDefinitionMeta, 'lookbackDays'>,
): KpiWindowDto {
  const words = windowWords(kind, bucket, zone, now);
  return {
    kind,
    from: new Date(bucket.start).toISOString(),
    to: new Date(Math.min(bucket.end, Math.max(now, bucket.start))).toISOString(),
    label: words.label.replace(/^the /, ''),
    lookbackDays: def?.lookbackDays ?? null,
  };
}

/** Week-over-week of the last two complete weeks of a series (never the partial one). */
export function weekOverWeek(
  def: Pick<KpiDefinitionMeta, 'direction'>,
  series: readonly Pick<KpiPointDto, 'partial' | 'value' | 'weekStart'>[],
): WeekOverWeekDto | null {
  const complete = series.filter((p) => !p.partial);
  if (complete.length < 2) return null;
  const prev = complete[complete.length - 2]!;
  const last = complete[complete.length - 1]!;
  const change = prev.value === null || last.value === null ? null : last.value - prev.value;
  let trend: WeekOverWeekDto['trend'] = null;
  if (change !== null) {
    if (change === 0) trend = 'flat';
    else if (def.direction === 'none') trend = change > 0 ? 'up' : 'down';
    else trend = change > 0 === (def.direction === 'higher') ? 'better' : 'worse';
  }
  return {
    previousWeekStart: prev.weekStart,
    latestWeekStart: last.weekStart,
    previous: prev.value,
    latest: last.value,
    change,
    trend,
  };
}
