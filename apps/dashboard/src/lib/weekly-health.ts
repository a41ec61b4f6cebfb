import type { KpiSeriesDto, KpiStatus, RagStatus } from '@pulse/contracts';
import { isScored, rateValue, STATUS_SCORE, type ThresholdRow } from './kpi-status';

export interface WeekHealth {
  weekStart: string;
  /** 0..100 rounded, or null when no KPI with a threshold had a value that week. */
  score: number | null;
  status: RagStatus;
  breaches: string[];
  warnings: string[];
}

type SeriesInput = Pick<KpiSeriesDto, 'key' | 'family' | 'direction' | 'threshold' | 'series'>;

/**
 * The health score of every week in the series, as KPIS.md defines it: ok 1, warn 0.5,
 * breach 0; family = mean of its scored KPIs; engagement = equal-weight mean of families
 * with data × 100, rounded. `thresholds` overrides the stored ones (the settings preview).
 */
export function weeklyHealth(
  kpis: readonly SeriesInput[],
  thresholds?: ReadonlyMap<string, ThresholdRow>,
): WeekHealth[] {
  const weeks = kpis[0]?.series.map((p) => p.weekStart) ?? [];
  return weeks.map((weekStart, i) => {
    const familyScores = new Map<string, number[]>();
    const breaches: string[] = [];
    const warnings: string[] = [];
    for (const kpi of kpis) {
      const point = kpi.series[i];
      if (!point || point.weekStart !== weekStart) continue;
      const row = thresholds?.has(kpi.key) ? thresholds.get(kpi.key) : kpi.threshold;
      if (!isScored(point.value, row, kpi.direction)) continue;
      const status: KpiStatus = rateValue(point.value, row, kpi.direction);
      const score = STATUS_SCORE[status];
      if (score === null) continue;
      const list = familyScores.get(kpi.family) ?? [];
      list.push(score);
      familyScores.set(kpi.family, list);
      if (status === 'breach') breaches.push(kpi.key);
      if (status === 'warn') warnings.push(kpi.key);
    }
    const families = [...familyScores.values()].map((s) => s.reduce((a, b) => a + b, 0) / s.length);
    const score = families.length
      ? Math.round((100 * families.reduce((a, b) => a + b, 0)) / families.length)
      : null;
    const status: RagStatus =
      score === null ? 'unknown' : breaches.length ? 'red' : warnings.length ? 'amber' : 'green';
    return { weekStart, score, status, breaches, warnings };
  });
}
