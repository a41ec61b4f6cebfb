import type { KpiDirection, KpiThreshold } from './kpi';

/**
 * A stored threshold row (either side may be empty) as the engine's pair: no warn means
 * "warn at breach"; no breach means "never breach" (±Infinity, which JSON shows as null).
 */
export function toKpiThreshold(
  row: { warn: number | null; breach: number | null },
  direction: KpiDirection,
): KpiThreshold | null {
  if (row.warn === null && row.breach === null) return null;
  const never = direction === 'higher' ? -Infinity : Infinity;
  const breach = row.breach ?? never;
  return { warn: row.warn ?? breach, breach };
}
