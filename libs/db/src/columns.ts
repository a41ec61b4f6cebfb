import { type ValueTransformer } from 'typeorm';

/**
 * Time columns hold UTC epoch milliseconds in a BIGINT. SQLite has no timestamp type and
 * PostgreSQL's `timestamp` silently depends on the session zone; an integer instant is
 * exact, sorts and compares identically on both, and is what the KPI engine consumes.
 * PostgreSQL returns BIGINT as a string, SQLite as a number: normalise to number.
 */
export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => (value === undefined ? undefined : value),
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** Same normalisation for counters read back from aggregate queries or BIGINT columns. */
export const bigintNumber: ValueTransformer = epochMs;
