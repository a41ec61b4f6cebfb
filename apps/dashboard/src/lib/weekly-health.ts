import {
  isKpiKey,
  toKpiThreshold,
  type KpiKey,
  type KpiMinSamples,
  type KpiResult,
  type KpiSeriesDto,
  type KpiThresholds,
  type RagStatus,
} from '@pulse/contracts';
import { evaluateHealth } from '@pulse/kpi';
import type { ThresholdRow } from './threshold-text';

export interface WeekHealth {
  weekStart: string;
  /** True for the current, incomplete week. */
  partial: boolean;
  /** 0..100, or null when nothing was rated that week. */
  score: number | null;
  status: RagStatus;
  breaches: string[];
  warnings: string[];
}

type SeriesInput = Pick<KpiSeriesDto, 'key' | 'direction' | 'threshold' | 'series'>;

/**
 * The health of every week of the API's series, rated by @pulse/kpi's `evaluateHealth`
 * (the one rating) with the thresholds and minimum samples in force — or with
 * `thresholds` overriding them (the settings preview). The values are the API's, which has
 * already turned undelivered sources into gaps.
 */
export function weeklyHealth(
  kpis: readonly SeriesInput[],
  thresholds?: ReadonlyMap<string, ThresholdRow>,
): WeekHealth[] {
  const table: KpiThresholds = {};
  for (const kpi of kpis) {
    if (!isKpiKey(kpi.key)) continue;
    const row = thresholds?.has(kpi.key) ? thresholds.get(kpi.key) : kpi.threshold;
    // An explicit null is "no threshold" for evaluateHealth; absent would mean the default.
    table[kpi.key] = row ? toKpiThreshold(row, kpi.direction) : null;
  }
  const weeks = kpis[0]?.series ?? [];
  return weeks.map((week, i) => {
    const results: Partial<Record<KpiKey, KpiResult>> = {};
    const minSamples: KpiMinSamples = {};
    for (const kpi of kpis) {
      const point = kpi.series[i];
      if (!point || point.weekStart !== week.weekStart || !isKpiKey(kpi.key)) continue;
      results[kpi.key] = { value: point.value, n: point.n, dropped: point.dropped };
      minSamples[kpi.key] = point.minN;
    }
    const h = evaluateHealth(results, table, { minSamples });
    return {
      weekStart: week.weekStart,
      partial: week.partial,
      score: h.score,
      status: h.status,
      breaches: h.breaches.map((e) => e.key),
      warnings: h.warnings.map((e) => e.key),
    };
  });
}
