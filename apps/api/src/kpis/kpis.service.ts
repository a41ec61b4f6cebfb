import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { loadKpiValues, loadRatingRows, type EngagementEntity } from '@pulse/db';
import {
  type EngagementHealthDto,
  type EngagementKpisDto,
  type KpiDefinitionMeta,
  type KpiResult,
  type KpiValueDto,
} from '@pulse/contracts';
import {
  engagementHealth,
  engagementSeries,
  rateStoredValue,
  ratingContextFrom,
  type Bucket,
  type RatingContext,
} from '@pulse/kpi';
import { badRequest, parseDateParam } from '../common/validation';

export { syncIntervalMs, type RatingContext } from '@pulse/kpi';

const DEFAULT_WEEKS = 12;
const MAX_WEEKS = 156;

/**
 * Reads kpi_values and rates them on read with `@pulse/kpi` (the one rating, and its read
 * model shared with the digest worker), with the engagement's current thresholds, minimum
 * samples and source freshness.
 */
@Injectable()
export class KpisService {
  constructor(private readonly dataSource: DataSource) {}

  async ratingContext(engagement: EngagementEntity, now = Date.now()): Promise<RatingContext> {
    const rows = await loadRatingRows(this.dataSource, engagement.id);
    return ratingContextFrom({
      ...rows,
      zone: engagement.reportingTimeZone,
      syncCron: engagement.syncCron,
      now,
    });
  }

  /** One value rated and explained; `weekBucket` set for a chart point, else the trailing window. */
  rate(
    def: KpiDefinitionMeta,
    raw: KpiResult | null,
    kind: 'trailing' | 'week',
    bucket: Bucket,
    rc: RatingContext,
  ): KpiValueDto {
    return rateStoredValue(def, raw, kind, bucket, rc);
  }

  private range(
    engagement: EngagementEntity,
    from: string | undefined,
    to: string | undefined,
    now: number,
  ): { start: number; end: number } {
    const zone = engagement.reportingTimeZone;
    const end = to ? parseDateParam(to, 'to', zone).endOf('day') : DateTime.fromMillis(now, { zone });
    const start = from
      ? parseDateParam(from, 'from', zone)
      : end.minus({ weeks: DEFAULT_WEEKS - 1 }).startOf('week');
    if (start > end) throw badRequest([{ field: 'from', message: 'must not be after to' }]);
    if (end.diff(start, 'weeks').weeks > MAX_WEEKS) {
      throw badRequest([{ field: 'from', message: `at most ${MAX_WEEKS} weeks per request` }]);
    }
    return { start: start.startOf('week').toMillis(), end: end.toMillis() };
  }

  async series(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
  ): Promise<EngagementKpisDto> {
    const { start, end } = this.range(engagement, from, to, now);
    const [{ weekly, trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id, { start, end }),
      this.ratingContext(engagement, now),
    ]);
    return engagementSeries({ engagementId: engagement.id, start, end, weekly, trailing, rc, families });
  }

  /**
   * Health and series together (the share view): the trailing values and the rating context
   * are read once for both.
   */
  async healthAndSeries(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
  ): Promise<{ health: EngagementHealthDto; kpis: EngagementKpisDto }> {
    const { start, end } = this.range(engagement, from, to, now);
    const [{ weekly, trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id, { start, end }),
      this.ratingContext(engagement, now),
    ]);
    return {
      health: engagementHealth({ engagementId: engagement.id, trailing, rc, families }),
      kpis: engagementSeries({ engagementId: engagement.id, start, end, weekly, trailing, rc, families }),
    };
  }

  async health(
    engagement: EngagementEntity,
    families?: string[],
    now = Date.now(),
  ): Promise<EngagementHealthDto> {
    const [{ trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id),
      this.ratingContext(engagement, now),
    ]);
    return engagementHealth({ engagementId: engagement.id, trailing, rc, families });
  }
}
