import { DateTime } from 'luxon';
import { BadRequestException } from '@nestjs/common';
import type { ApiErrorBody } from '@pulse/contracts';

export type FieldProblem = NonNullable<ApiErrorBody['details']>[number];

export function badRequest(details: FieldProblem[]): BadRequestException {
  const body: ApiErrorBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
    details,
  };
  return new BadRequestException(body);
}

export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || !value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A `yyyy-mm-dd` query parameter as the start of that day in `zone`, or a 400 naming it. */
export function parseDateParam(value: string, field: string, zone: string): DateTime {
  const t = typeof value === 'string' ? DateTime.fromISO(value, { zone }) : null;
  if (!t || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !t.isValid || t.year < 1970 || t.year > 9999)
    throw badRequest([{ field, message: 'must be a date yyyy-mm-dd' }]);
  return t;
}

/** Largest value of an `integer` column on PostgreSQL (SQLite would store more). */
export const MAX_INTEGER_COLUMN = 2_147_483_647;

/** A 400 naming `field` when a count computed from the input cannot be stored. */
export function assertStorableCounts(field: string, counts: Record<string, number | null>): void {
  for (const [name, value] of Object.entries(counts)) {
    if (value !== null && (!Number.isSafeInteger(value) || value < 0 || value > MAX_INTEGER_COLUMN))
      throw badRequest([
        {
          field,
          message: `${name} is ${value}, beyond the 0 … ${MAX_INTEGER_COLUMN} that can be stored: check the report`,
        },
      ]);
  }
}
