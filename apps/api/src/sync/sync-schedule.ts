import { CronExpressionParser } from 'cron-parser';

/** No engagement may be synced more often than this: each sync costs upstream API quota. */
export const MIN_SYNC_INTERVAL_MINUTES = 5;

export interface ScheduleProblem {
  field: 'syncCron' | 'reportingTimeZone';
  message: string;
}

const EXAMPLE = 'for example "*/30 * * * *" (every 30 minutes) or "0 6 * * 1-5" (06:00 on weekdays)';

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Shortest gap, in minutes, between two firings of a day's schedule. Minute × hour give the
 * firings of one day; the gap across midnight is counted too (conservatively: as if the next
 * day also fires), so "59 23 * * *" with "0 0 * * *" can never slip below the limit.
 */
function shortestGapMinutes(minutes: readonly number[], hours: readonly number[]): number {
  const firings = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  if (firings.length <= 1) return 24 * 60;
  let gap = 24 * 60 - firings[firings.length - 1]! + firings[0]!;
  for (let i = 1; i < firings.length; i++) gap = Math.min(gap, firings[i]! - firings[i - 1]!);
  return gap;
}

/**
 * Checks a sync schedule with cron-parser, the parser BullMQ's job scheduler itself uses, so
 * whatever passes here BullMQ accepts: it must parse, fire at least once, and not fire more
 * often than every {@link MIN_SYNC_INTERVAL_MINUTES} minutes. Returns null when it is fine.
 */
export function checkSyncSchedule(cron: string, timeZone: string, now = Date.now()): ScheduleProblem | null {
  if (!isIanaZone(timeZone))
    return {
      field: 'reportingTimeZone',
      message: `"${timeZone}" is not an IANA time zone; use a name such as America/Chicago or UTC`,
    };
  if (typeof cron !== 'string' || !cron.trim())
    return { field: 'syncCron', message: `give a cron pattern, ${EXAMPLE}` };
  let expression: ReturnType<typeof CronExpressionParser.parse>;
  try {
    expression = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(now) });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      field: 'syncCron',
      message: `"${cron}" is not a valid cron pattern (${reason}); use ${EXAMPLE}`,
    };
  }
  try {
    expression.next();
  } catch {
    return {
      field: 'syncCron',
      message: `"${cron}" never fires (no date matches it, e.g. the 31st of a short month); use ${EXAMPLE}`,
    };
  }
  const { second, minute, hour } = expression.fields;
  const gap = second.values.length > 1 ? 0 : shortestGapMinutes(minute.values, hour.values);
  if (gap < MIN_SYNC_INTERVAL_MINUTES)
    return {
      field: 'syncCron',
      message:
        `"${cron}" would sync ${gap < 1 ? 'more than once a minute' : `${gap} minute(s) apart`}; ` +
        `syncs may run at most every ${MIN_SYNC_INTERVAL_MINUTES} minutes, ${EXAMPLE}`,
    };
  return null;
}
