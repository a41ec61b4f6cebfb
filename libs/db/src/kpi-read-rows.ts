import { Between, type DataSource } from 'typeorm';
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
    dataSource.getRepository(ThresholdEntity).findBy({ engagementId }),
    dataSource.getRepository(ConnectionEntity).findBy({ engagementId }),
    dataSource
      .getRepository(CoverageSampleEntity)
      .findOne({ where: { engagementId }, order: { committedAt: 'DESC' } }),
  ]);
  return { thresholds, connections, latestCoverageAt: latest?.committedAt ?? null };
}

/** Stored KPI values: the trailing ones, and the weekly ones in [start, end] when asked. */
export async function loadKpiValues(
  dataSource: DataSource,
  engagementId: string,
  weeks?: { start: number; end: number },
) {
  const repo = dataSource.getRepository(KpiValueEntity);
  const [weekly, trailing] = await Promise.all([
    weeks
      ? repo.find({ where: { engagementId, period: 'week', bucketStart: Between(weeks.start, weeks.end) } })
      : Promise.resolve([] as KpiValueEntity[]),
    repo.findBy({ engagementId, period: 'trailing' }),
  ]);
  return { weekly, trailing };
}
