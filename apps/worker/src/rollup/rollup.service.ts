import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { DateTime } from 'luxon';
import { EngagementEntity, KpiValueEntity, ThresholdEntity } from '@pulse/db';
import {
  kpiDefinition,
  toKpiThreshold,
  type EngagementRecords,
  type KpiKey,
  type KpiSeriesRow,
} from '@pulse/contracts';
import { computeSeries, isoWeekBuckets, kpiStatus, trailingWindow, type Bucket } from '@pulse/kpi';
import { engagementContext } from './engagement-context';
import { earliestRecordAt, loadEngagementRecords } from './records-loader';

/** How far back a full rollup goes. */
export const MAX_HISTORY_WEEKS = 104;

export class RollupEngagementGoneError extends Error {}

/**
 * Count KPIs read "0" in a bucket without samples (KPIS.md). When their source has never
 * delivered a single record (not connected, or not collected yet), that zero would claim
 * "no unanswered requests" without ever having looked: those become gaps instead.
 */
const COUNTS_NEEDING_SOURCE: Partial<Record<KpiKey, (r: EngagementRecords) => boolean>> = {
  'responsiveness.unanswered_requests': (r) => r.chatMessages.length > 0,
  'delivery.throughput': (r) => r.workItems.some((w) => w.source === 'jira'),
  'delivery.story_points': (r) => r.workItems.some((w) => w.source === 'jira'),
};

export interface RollupSummary {
  weeks: number;
  rows: number;
  from: string | null;
  engineMs: number;
}

/**
 * Recomputes kpi_values from the normalized records. Given the weeks a sync touched, it
 * recomputes from the earliest of them through the current week: "at bucket end" KPIs
 * (open bugs, coverage, continuity windows) of later weeks depend on earlier records.
 */
@Injectable()
export class RollupService {
  constructor(private readonly dataSource: DataSource) {}

  async run(engagementId: string, touchedWeeks: string[], now = Date.now()): Promise<RollupSummary> {
    const engagement = await this.dataSource.getRepository(EngagementEntity).findOneBy({ id: engagementId });
    if (!engagement) throw new RollupEngagementGoneError(`engagement ${engagementId} no longer exists`);
    const zone = engagement.reportingTimeZone;
    const records = await loadEngagementRecords(this.dataSource, engagementId);

    const oldest = DateTime.fromMillis(now, { zone }).minus({ weeks: MAX_HISTORY_WEEKS }).toMillis();
    const touched = touchedWeeks
      .map((d) => DateTime.fromISO(d, { zone }).toMillis())
      .filter((t) => Number.isFinite(t));
    const from = touched.length ? Math.min(...touched) : earliestRecordAt(records);
    const buckets: Bucket[] = from === null ? [] : isoWeekBuckets(Math.max(from, oldest), now + 1, zone);

    const context = engagementContext(engagement, now);
    const started = performance.now();
    const weekly = buckets.length ? computeSeries(records, context, buckets) : [];
    const trailing = computeSeries(records, context, [trailingWindow(now, zone)]);
    const engineMs = performance.now() - started;

    const thresholds = new Map(
      (await this.dataSource.getRepository(ThresholdEntity).findBy({ engagementId })).map((t) => [
        t.kpiKey,
        t,
      ]),
    );
    const toEntity = (row: KpiSeriesRow, period: 'week' | 'trailing'): KpiValueEntity => {
      const def = kpiDefinition(row.key);
      const stored = thresholds.get(row.key);
      const threshold = stored ? toKpiThreshold(stored, def.direction) : def.defaultThreshold;
      return {
        id: randomUUID(),
        engagementId,
        period,
        kpiKey: row.key,
        bucketStart: row.bucketStart,
        bucketEnd: row.bucketEnd,
        value: row.value,
        n: row.n,
        dropped: row.dropped,
        status: kpiStatus(row.value, threshold, def.direction),
        computedAt: now,
      };
    };
    const unsourced = new Set(
      Object.entries(COUNTS_NEEDING_SOURCE)
        .filter(([, hasSource]) => !hasSource(records))
        .map(([key]) => key),
    );
    const honest = (row: KpiSeriesRow): KpiSeriesRow =>
      unsourced.has(row.key) ? { ...row, value: null, n: 0 } : row;
    const rows = [
      ...weekly.map((r) => toEntity(honest(r), 'week')),
      ...trailing.map((r) => toEntity(honest(r), 'trailing')),
    ];

    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(KpiValueEntity);
      const starts = buckets.map((b) => b.start);
      for (let i = 0; i < starts.length; i += 500) {
        await repo.delete({ engagementId, period: 'week', bucketStart: In(starts.slice(i, i + 500)) });
      }
      await repo.delete({ engagementId, period: 'trailing' });
      // Chunked: SQLite caps the number of bound parameters per statement.
      for (let i = 0; i < rows.length; i += 400) await repo.insert(rows.slice(i, i + 400));
    });
    return {
      weeks: buckets.length,
      rows: rows.length,
      from: buckets.length ? DateTime.fromMillis(buckets[0]!.start, { zone }).toISODate() : null,
      engineMs: Math.round(engineMs),
    };
  }
}
