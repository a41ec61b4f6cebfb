import type { DataSource } from 'typeorm';
import { ConnectionEntity } from './entities/connection.entity';
import { CoverageSampleEntity, KpiValueEntity } from './entities/records.entity';
import { ThresholdEntity } from './entities/threshold.entity';

/**
 * The rows the rating of an engagement's values reads (thresholds, connection sync state,
 * latest coverage sample) — loaded the same way for the API and the digest worker, which
 * then hand them to `@pulse/kpi`'s read model.
 */
export async function loadRatingRows(dataSource: DataSource, engagementId: string) {
  const [thresholds, connections, latest] = await Promise.all([
    dataSource.getRepository(ThresholdEntity).find({
      where: { engagementId },
      select: { kpiKey: true, warn: true, breach: true, minN: true },
      order: { kpiKey: 'ASC' },
    }),
    // Only the sync state: a connection's cursor (a Slack one holds every thread) and settings
    // are not the rating's business and would be read on every dashboard request.
    dataSource.getRepository(ConnectionEntity).find({
      where: { engagementId },
      select: {
        kind: true,
        lastSuccessAt: true,
        lastAttemptAt: true,
        lastErrorClass: true,
        lastErrorMessage: true,
        lastErrorAt: true,
      },
      order: { kind: 'ASC' },
    }),
    dataSource
      .getRepository(CoverageSampleEntity)
      .findOne({ where: { engagementId }, order: { committedAt: 'DESC' }, select: { committedAt: true } }),
  ]);
  return { thresholds, connections, latestCoverageAt: latest?.committedAt ?? null };
}

/**
 * One string that changes whenever anything the rating of an engagement's stored values
 * reads does: the values themselves, the thresholds, the connections' sync state and the
 * latest coverage sample — exactly the inputs of `loadRatingRows` and `loadKpiValues`. One
 * query of indexed aggregates, so a read path can tell cheaply whether an answer it built
 * still holds. Rows aggregated in another order give another string: a needless rebuild,
 * never a stale one.
 *
 * Values change in two ways only: a rollup replaces them and stamps every value it writes
 * (the newest `computed_at` moves; it always writes the trailing window), and retention
 * deletes the oldest weeks (the first week moves). Both are index lookups, where counting
 * the rows visited each of them and made PostgreSQL the bottleneck of `/kpis`.
 */
export async function ratingInputsVersion(dataSource: DataSource, engagementId: string): Promise<string> {
  const postgres = dataSource.options.type === 'postgres';
  const p = postgres ? '$1' : '?';
  const agg = (expr: string) => (postgres ? `string_agg(${expr}, ';')` : `group_concat(${expr}, ';')`);
  const text = (column: string) => `COALESCE(CAST(${column} AS VARCHAR), '~')`;
  const sql = `SELECT
    (SELECT MIN(bucket_start) FROM kpi_values WHERE engagement_id = ${p} AND period = 'week') AS first_week,
    (SELECT MAX(computed_at) FROM kpi_values WHERE engagement_id = ${p}) AS latest,
    (SELECT MAX(committed_at) FROM coverage_samples WHERE engagement_id = ${p}) AS coverage,
    (SELECT ${agg(`kpi_key || '=' || ${text('warn')} || '/' || ${text('breach')} || '/' || ${text('min_n')}`)}
       FROM thresholds WHERE engagement_id = ${p}) AS thresholds,
    (SELECT ${agg(
      `kind || '=' || ${text('last_success_at')} || '/' || ${text('last_attempt_at')} || '/' || ` +
        `${text('last_error_class')} || '/' || ${text('last_error_at')} || '/' || ${text('last_error_message')}`,
    )} FROM connections WHERE engagement_id = ${p}) AS connections`;
  const rows = (await dataSource.query(
    sql,
    postgres ? [engagementId] : Array(5).fill(engagementId),
  )) as Record<string, unknown>[];
  const r = rows[0] ?? {};
  return JSON.stringify(
    [r['first_week'], r['latest'], r['coverage'], r['thresholds'], r['connections']].map(String),
  );
}

/** A stored KPI value as the read path needs it (a `kpi_values` row without its ids). */
export interface KpiValueRow {
  kpiKey: string;
  bucketStart: number;
  bucketEnd: number;
  value: number | null;
  n: number;
  dropped: number;
  computedAt: number;
}

/** The stored values of an engagement in one period, as plain numbers. */
async function kpiValueRows(
  dataSource: DataSource,
  engagementId: string,
  period: 'week' | 'trailing',
  range?: { start: number; end: number },
): Promise<KpiValueRow[]> {
  // Raw rows of the columns the answer needs: hydrating ~400 TypeORM entities per request
  // cost ~5× the query itself.
  const q = dataSource
    .getRepository(KpiValueEntity)
    .createQueryBuilder('v')
    .select('v.kpiKey', 'kpiKey')
    .addSelect('v.bucketStart', 'bucketStart')
    .addSelect('v.bucketEnd', 'bucketEnd')
    .addSelect('v.value', 'value')
    .addSelect('v.n', 'n')
    .addSelect('v.dropped', 'dropped')
    .addSelect('v.computedAt', 'computedAt')
    .where('v.engagementId = :engagementId', { engagementId })
    .andWhere('v.period = :period', { period });
  if (range) q.andWhere('v.bucketStart BETWEEN :start AND :end', range);
  const rows = await q.getRawMany<Record<keyof KpiValueRow, string | number | null>>();
  // PostgreSQL answers bigint columns as strings; both drivers may for numeric ones.
  return rows.map((r) => ({
    kpiKey: String(r.kpiKey),
    bucketStart: Number(r.bucketStart),
    bucketEnd: Number(r.bucketEnd),
    value: r.value === null ? null : Number(r.value),
    n: Number(r.n),
    dropped: Number(r.dropped),
    computedAt: Number(r.computedAt),
  }));
}

/** Stored KPI values: the trailing ones, and the weekly ones in [start, end] when asked. */
export async function loadKpiValues(
  dataSource: DataSource,
  engagementId: string,
  weeks?: { start: number; end: number },
): Promise<{ weekly: KpiValueRow[]; trailing: KpiValueRow[] }> {
  const [weekly, trailing] = await Promise.all([
    weeks ? kpiValueRows(dataSource, engagementId, 'week', weeks) : Promise.resolve([]),
    kpiValueRows(dataSource, engagementId, 'trailing'),
  ]);
  return { weekly, trailing };
}
