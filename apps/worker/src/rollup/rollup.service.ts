import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { DateTime } from 'luxon';
import {
  ConnectionEntity,
  EngagementEntity,
  KpiValueEntity,
  earliestRecordAt,
  loadEngagementRecords,
} from '@pulse/db';
import { kpiDefinition, type KpiSeriesRow } from '@pulse/contracts';
import {
  computeSeries,
  engagementContext,
  honestResult,
  isoWeekBuckets,
  sourceFreshness,
  sourceStates,
  trailingWindow,
  type Bucket,
} from '@pulse/kpi';

/** How far back a full rollup goes. */
export const MAX_HISTORY_WEEKS = 104;

export class RollupEngagementGoneError extends Error {}

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

    // Honest status (docs/kpis.md): a KPI whose sources never synced successfully is a gap,
    // counts included — "0 open bugs" must mean someone looked. Staleness is judged on read.
    const connections = await this.dataSource.getRepository(ConnectionEntity).findBy({ engagementId });
    const latestCoverage = records.coverageSamples.reduce<number | null>(
      (m, c) => (m === null || c.committedAt > m ? c.committedAt : m),
      null,
    );
    const sources = new Map(
      sourceStates(connections, latestCoverage).map((state) => [
        state.source,
        sourceFreshness(state, now, 0, zone),
      ]),
    );
    const toEntity = (row: KpiSeriesRow, period: 'week' | 'trailing'): KpiValueEntity => {
      const result = honestResult(kpiDefinition(row.key), row, sources);
      return {
        id: randomUUID(),
        engagementId,
        period,
        kpiKey: row.key,
        bucketStart: row.bucketStart,
        bucketEnd: row.bucketEnd,
        value: result.value,
        n: result.n,
        dropped: result.dropped,
        computedAt: now,
      };
    };
    const rows = [...weekly.map((r) => toEntity(r, 'week')), ...trailing.map((r) => toEntity(r, 'trailing'))];

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
