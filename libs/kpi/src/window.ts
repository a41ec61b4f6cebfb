import { DateTime } from 'luxon';
import { type KpiDefinitionMeta, type KpiWindowDto } from '@pulse/contracts';
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
