import { Injectable } from '@nestjs/common';
import { badRequest, parseDateParam } from '../common/validation';
import { DataSource, Between } from 'typeorm';
import { DateTime } from 'luxon';
import { KpiValueEntity, ThresholdEntity, type EngagementEntity } from '@pulse/db';
import {
  KPI_DEFINITIONS,
  toKpiThreshold,
  type EngagementKpisDto,
  type HealthExplanation,
  type KpiKey,
  type KpiPointDto,
  type KpiResult,
  type KpiThresholds,
} from '@pulse/contracts';
import { evaluateHealth, isoWeekBuckets, kpiStatus } from '@pulse/kpi';

const DEFAULT_WEEKS = 12;
const MAX_WEEKS = 156;

export interface EngagementHealthDto extends HealthExplanation {
  engagementId: string;
  computedAt: string | null;
}

/** Reads kpi_values; statuses are re-rated with the current thresholds on every read. */
@Injectable()
export class KpisService {
  constructor(private readonly dataSource: DataSource) {}

  private async thresholds(engagementId: string): Promise<Map<string, ThresholdEntity>> {
    const rows = await this.dataSource.getRepository(ThresholdEntity).findBy({ engagementId });
    return new Map(rows.map((t) => [t.kpiKey, t]));
  }

  private range(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    now = Date.now(),
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
  ): Promise<EngagementKpisDto> {
    const zone = engagement.reportingTimeZone;
    const { start, end } = this.range(engagement, from, to);
    const buckets = isoWeekBuckets(start, end, zone);
    const repo = this.dataSource.getRepository(KpiValueEntity);
    const [weekly, trailing, thresholds] = await Promise.all([
      repo.find({ where: { engagementId: engagement.id, period: 'week', bucketStart: Between(start, end) } }),
      repo.findBy({ engagementId: engagement.id, period: 'trailing' }),
      this.thresholds(engagement.id),
    ]);
    const byKey = new Map<string, Map<number, KpiValueEntity>>();
    for (const row of weekly) {
      if (!byKey.has(row.kpiKey)) byKey.set(row.kpiKey, new Map());
      byKey.get(row.kpiKey)!.set(row.bucketStart, row);
    }
    const current = new Map(trailing.map((r) => [r.kpiKey, r]));
    const computedAt = [...weekly, ...trailing].reduce((m, r) => Math.max(m, r.computedAt), 0);
    return {
      engagementId: engagement.id,
      reportingTimeZone: zone,
      from: DateTime.fromMillis(start, { zone }).toISODate()!,
      to: DateTime.fromMillis(end, { zone }).toISODate()!,
      computedAt: computedAt ? new Date(computedAt).toISOString() : null,
      kpis: KPI_DEFINITIONS.filter((def) => !families || families.includes(def.family)).map((def) => {
        const stored = thresholds.get(def.key);
        const threshold = stored ? toKpiThreshold(stored, def.direction) : def.defaultThreshold;
        const rate = (value: number | null) => kpiStatus(value, threshold, def.direction);
        const series: KpiPointDto[] = buckets.map((b) => {
          const row = byKey.get(def.key)?.get(b.start);
          return {
            weekStart: DateTime.fromMillis(b.start, { zone }).toISODate()!,
            bucketStart: b.start,
            bucketEnd: b.end,
            value: row?.value ?? null,
            n: row?.n ?? 0,
            dropped: row?.dropped ?? 0,
            status: rate(row?.value ?? null),
          };
        });
        const now = current.get(def.key);
        return {
          key: def.key,
          family: def.family,
          unit: def.unit,
          direction: def.direction,
          description: def.description,
          threshold: stored ? { warn: stored.warn, breach: stored.breach } : def.defaultThreshold,
          current: now
            ? {
                bucketStart: now.bucketStart,
                bucketEnd: now.bucketEnd,
                value: now.value,
                n: now.n,
                dropped: now.dropped,
                status: rate(now.value),
              }
            : null,
          series,
        };
      }),
    };
  }

  async health(engagement: EngagementEntity, families?: string[]): Promise<EngagementHealthDto> {
    const [trailing, thresholds] = await Promise.all([
      this.dataSource
        .getRepository(KpiValueEntity)
        .findBy({ engagementId: engagement.id, period: 'trailing' }),
      this.thresholds(engagement.id),
    ]);
    const results: Partial<Record<KpiKey, KpiResult>> = {};
    const familyOf = new Map(KPI_DEFINITIONS.map((d) => [d.key as string, d.family as string]));
    for (const row of trailing) {
      if (families && !families.includes(familyOf.get(row.kpiKey) ?? '')) continue;
      results[row.kpiKey as KpiKey] = { value: row.value, n: row.n, dropped: row.dropped };
    }
    const rated: KpiThresholds = {};
    for (const def of KPI_DEFINITIONS) {
      const stored = thresholds.get(def.key);
      if (stored) rated[def.key] = toKpiThreshold(stored, def.direction);
    }
    const computedAt = trailing.reduce((m, r) => Math.max(m, r.computedAt), 0);
    return {
      engagementId: engagement.id,
      computedAt: computedAt ? new Date(computedAt).toISOString() : null,
      ...evaluateHealth(results, rated),
    };
  }
}
