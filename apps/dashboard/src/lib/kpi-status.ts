import { toKpiThreshold, type KpiDirection, type KpiStatus, type KpiThreshold } from '@pulse/contracts';

export type ThresholdRow = { warn: number | null; breach: number | null } | null | undefined;

/** The pair used for rating; mirrors the API's `toKpiThreshold` (missing warn = warn at breach). */
export function effectiveThreshold(row: ThresholdRow, direction: KpiDirection): KpiThreshold | null {
  if (!row || direction === 'none') return null;
  return toKpiThreshold(row, direction);
}

/** KPIS.md: lower is better → value > warn is warn, > breach is breach; mirrored for higher. */
export function rateValue(value: number | null, row: ThresholdRow, direction: KpiDirection): KpiStatus {
  if (value === null || !Number.isFinite(value)) return 'no_data';
  const t = effectiveThreshold(row, direction);
  if (!t) return 'ok';
  if (direction === 'lower') return value > t.breach ? 'breach' : value > t.warn ? 'warn' : 'ok';
  return value < t.breach ? 'breach' : value < t.warn ? 'warn' : 'ok';
}

/** Whether a value with this threshold counts towards the health score. */
export function isScored(value: number | null, row: ThresholdRow, direction: KpiDirection): boolean {
  return value !== null && Number.isFinite(value) && effectiveThreshold(row, direction) !== null;
}

export const STATUS_SCORE: Record<KpiStatus, number | null> = { ok: 1, warn: 0.5, breach: 0, no_data: null };

/** "warn > 72 h · breach > 168 h" in the KPI's unit, or "no threshold". */
export function thresholdText(
  row: ThresholdRow,
  direction: KpiDirection,
  format: (v: number) => string,
): string {
  const t = effectiveThreshold(row, direction);
  if (!t) return 'no threshold';
  const op = direction === 'lower' ? '>' : '<';
  const parts: string[] = [];
  if (Number.isFinite(t.warn) && t.warn !== t.breach) parts.push(`warn ${op} ${format(t.warn)}`);
  if (Number.isFinite(t.breach)) parts.push(`breach ${op} ${format(t.breach)}`);
  return parts.length ? parts.join(' · ') : 'no threshold';
}
