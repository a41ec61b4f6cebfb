import { z } from 'zod';
import { checkSyncSchedule } from '../sync/sync-schedule';
import { isTimeZone } from './validation';

// Building blocks of the request schemas. Strings and lists are bounded; NUL bytes, lone
// surrogates and over-deep nesting are refused for every request by `inspectInput` first.

/** Text of 1..max characters. */
export const text = (max: number) => z.string().min(1).max(max);

/** A list of at most `max` short labels/names. */
export const names = (max: number, length = 200) => z.array(text(length)).max(max);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const uuid = z
  .string()
  .regex(UUID_V4, 'must be an id (a UUID such as 3f1c2e4a-9b7d-4c1e-8f00-1a2b3c4d5e6f)');

export const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as America/Chicago');

/**
 * A sync schedule BullMQ can register, checked by the one schedule check the service also
 * runs (here in UTC; the service checks it again in the engagement's own zone).
 */
export const cron = z
  .string()
  .max(64)
  .superRefine((value, ctx) => {
    const problem = checkSyncSchedule(value, 'UTC');
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  });

/** A `yyyy-mm-dd` query date; the service resolves it in the engagement's zone. */
export const dateQuery = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date yyyy-mm-dd such as 2026-11-30')
  .optional();

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant with a zone, re-checked after parsing: the format alone lets
 * through values (week dates, month 13, year 275760+) that become NaN or overflow later.
 */
export const isoInstant = z
  .string()
  .max(40)
  .refine((v) => {
    if (!ISO_INSTANT.test(v)) return false;
    const ms = Date.parse(v);
    return Number.isFinite(ms) && ms >= Date.UTC(1970, 0, 1) && ms < Date.UTC(10000, 0, 1);
  }, 'must be an ISO 8601 instant between 1970 and 9999 with a zone, such as 2027-01-31T00:00:00Z');

/** A whole number in [min, max] (kept far from integer-column limits). */
export const int = (min: number, max: number) => z.number().int().min(min).max(max);
