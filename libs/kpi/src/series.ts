import { type EngagementRecords, type KpiKey, type KpiSeriesRow } from '@pulse/contracts';
import { type EngagementContext } from './context';
import { prepare } from './prepare';
import { KPI_REGISTRY } from './registry';
import { type Bucket } from './time/buckets';

/**
 * The batch entry point for the rollup: every requested KPI (default: all) for every bucket.
 * Records are indexed and sorted once (per domain, lazily); each bucket is then a handful
 * of binary searches plus the aggregation of its own samples, so the cost is
 * O(n log n + buckets · log n + Σ samples per bucket) — never records × buckets.
 *
 * Rows come out grouped by KPI (catalogue order), then in the order of `buckets`.
 * Agrees exactly with `computeKpi` for each (key, bucket).
 */
export function computeSeries(
  records: EngagementRecords,
  context: EngagementContext,
  buckets: readonly Bucket[],
  keys?: readonly KpiKey[],
): KpiSeriesRow[] {
  const p = prepare(records, context);
  const wanted = keys ? new Set(keys) : null;
  const rows: KpiSeriesRow[] = [];
  for (const def of KPI_REGISTRY) {
    if (wanted && !wanted.has(def.key)) continue;
    const results = def.evaluateMany
      ? def.evaluateMany(p, buckets)
      : buckets.map((b) => def.evaluate(p, b, 'sorted'));
    for (let i = 0; i < buckets.length; i++) {
      rows.push({ key: def.key, bucketStart: buckets[i].start, bucketEnd: buckets[i].end, ...results[i] });
    }
  }
  return rows;
}
