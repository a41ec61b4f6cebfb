import { toKpiThreshold, type KpiDirection } from '@pulse/contracts';

/** A stored threshold row: either side may be empty. */
export type ThresholdRow = { warn: number | null; breach: number | null } | null | undefined;

/**
 * "warn > 72 h · breach > 168 h" in the KPI's unit, or "no threshold". Only words about a
 * threshold: rating a value is `rateKpi` of @pulse/kpi (the one rating).
 */
export function thresholdText(
  row: ThresholdRow,
  direction: KpiDirection,
  format: (v: number) => string,
): string {
  if (!row || direction === 'none') return 'no threshold';
  const t = toKpiThreshold(row, direction);
  if (!t) return 'no threshold';
  const op = direction === 'lower' ? '>' : '<';
  const parts: string[] = [];
  if (Number.isFinite(t.warn) && t.warn !== t.breach) parts.push(`warn ${op} ${format(t.warn)}`);
  if (Number.isFinite(t.breach)) parts.push(`breach ${op} ${format(t.breach)}`);
  return parts.length ? parts.join(' · ') : 'no threshold';
}
