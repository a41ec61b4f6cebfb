import { Injectable } from '@nestjs/common';
import { CronExpressionParser } from 'cron-parser';
import { DataSource, Between } from 'typeorm';
import { DateTime } from 'luxon';
import {
  ConnectionEntity,
  CoverageSampleEntity,
  KpiValueEntity,
  ThresholdEntity,
  type EngagementEntity,
} from '@pulse/db';
import {
  DEFAULT_SYNC_CRON,
  KPI_DEFINITIONS,
  toKpiThreshold,
  type EngagementHealthDto,
  type EngagementKpisDto,
  type KpiDefinitionMeta,
  type KpiKey,
  type KpiMinSamples,
  type KpiPointDto,
  type KpiResult,
  type KpiSource,
  type KpiThreshold,
  type KpiThresholds,
  type KpiValueDto,
  type SourceFreshnessDto,
} from '@pulse/contracts';
import {
  TRAILING_WORDS,
  evaluateHealth,
  explainValue,
  gapReason,
  honestResult,
  bucketStartDate,
  isoWeekBuckets,
  kpiStaleSince,
  minNFor,
  rateKpi,
  sourceFreshness,
  sourceStates,
  thresholdFor,
  trailingWindow,
  weekOverWeek,
  windowDto,
  windowWords,
  type Bucket,
  type SourceFreshness,
} from '@pulse/kpi';
import { badRequest, parseDateParam } from '../common/validation';

const DEFAULT_WEEKS = 12;
const MAX_WEEKS = 156;
const HOUR = 3_600_000;

/** Milliseconds between two scheduled syncs (the staleness allowance is two of them, ≥ 24 h). */
export function syncIntervalMs(cron: string, zone: string, now: number): number {
  try {
    const it = CronExpressionParser.parse(cron || DEFAULT_SYNC_CRON, {
      tz: zone,
      currentDate: new Date(now),
    });
    const a = it.next().getTime();
    const b = it.next().getTime();
    return Math.max(0, b - a);
  } catch {
    return 24 * HOUR; // an unparsable schedule is refused on write; never stale earlier than a day
  }
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function toSourceDto(f: SourceFreshness): SourceFreshnessDto {
  return {
    source: f.source,
    label: f.label,
    connected: f.connected,
    neverSynced: f.neverSynced,
    lastSuccessAt: iso(f.lastSuccessAt),
    lastAttemptAt: iso(f.lastAttemptAt),
    lastError: f.lastError
      ? { class: f.lastError.class, message: f.lastError.message, at: iso(f.lastError.at) }
      : null,
    staleSince: iso(f.staleSince),
    summary: f.summary,
  };
}

/** What rating an engagement's values needs: thresholds, minimum samples, source freshness. */
export interface RatingContext {
  now: number;
  zone: string;
  thresholds: KpiThresholds;
  minSamples: KpiMinSamples;
  sources: Map<KpiSource, SourceFreshness>;
}

/**
 * Reads kpi_values and rates them on read with `@pulse/kpi` (the one rating), with the
 * engagement's current thresholds, minimum samples and source freshness.
 */
@Injectable()
export class KpisService {
  constructor(private readonly dataSource: DataSource) {}

  async ratingContext(engagement: EngagementEntity, now = Date.now()): Promise<RatingContext> {
    const zone = engagement.reportingTimeZone;
    const [rows, connections, latest] = await Promise.all([
      this.dataSource.getRepository(ThresholdEntity).findBy({ engagementId: engagement.id }),
      this.dataSource.getRepository(ConnectionEntity).findBy({ engagementId: engagement.id }),
      this.dataSource
        .getRepository(CoverageSampleEntity)
        .findOne({ where: { engagementId: engagement.id }, order: { committedAt: 'DESC' } }),
    ]);
    const thresholds: KpiThresholds = {};
    const minSamples: KpiMinSamples = {};
    const byKey = new Map(rows.map((r) => [r.kpiKey, r]));
    for (const def of KPI_DEFINITIONS) {
      const stored = byKey.get(def.key);
      if (!stored) continue;
      thresholds[def.key] = toKpiThreshold(stored, def.direction);
      if (stored.minN !== null && stored.minN !== undefined) minSamples[def.key] = stored.minN;
    }
    const interval = syncIntervalMs(engagement.syncCron, zone, now);
    const sources = new Map(
      sourceStates(connections, latest?.committedAt ?? null).map((s) => [
        s.source,
        sourceFreshness(s, now, interval, zone),
      ]),
    );
    return { now, zone, thresholds, minSamples, sources };
  }

  /** One value rated and explained; `weekBucket` set for a chart point, else the trailing window. */
  rate(
    def: KpiDefinitionMeta,
    raw: KpiResult | null,
    kind: 'trailing' | 'week',
    bucket: Bucket,
    rc: RatingContext,
  ): KpiValueDto {
    const result = honestResult(def, raw ?? { value: null, n: 0, dropped: 0 }, rc.sources);
    const threshold: KpiThreshold | null = thresholdFor(def, rc.thresholds);
    const minN = minNFor(def, rc.minSamples);
    const status = rateKpi(result, threshold, def.direction, minN);
    const stale = kpiStaleSince(def, rc.sources);
    // A week that ended before its source went stale was complete when collected.
    const staleSince = stale !== null && (kind === 'trailing' || bucket.end > stale) ? iso(stale) : null;
    const words = kind === 'trailing' ? TRAILING_WORDS : windowWords('week', bucket, rc.zone, rc.now);
    const reason = result.value === null ? gapReason(def, rc.sources) : null;
    return {
      value: result.value,
      n: result.n,
      dropped: result.dropped,
      minN,
      status,
      window: windowDto(kind, bucket, rc.zone, rc.now, def),
      staleSince,
      explanation: explainValue(def, result, status, threshold, words, minN, reason),
    };
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
    const zone = engagement.reportingTimeZone;
    const { start, end } = this.range(engagement, from, to, now);
    const buckets = isoWeekBuckets(start, end, zone);
    // Once per week, not per KPI × week: zone-aware date formatting was most of this route's CPU.
    const weekStarts = buckets.map((b) => bucketStartDate(b, zone));
    const repo = this.dataSource.getRepository(KpiValueEntity);
    const [weekly, trailing, rc] = await Promise.all([
      repo.find({ where: { engagementId: engagement.id, period: 'week', bucketStart: Between(start, end) } }),
      repo.findBy({ engagementId: engagement.id, period: 'trailing' }),
      this.ratingContext(engagement, now),
    ]);
    const byKey = new Map<string, Map<number, KpiValueEntity>>();
    for (const row of weekly) {
      if (!byKey.has(row.kpiKey)) byKey.set(row.kpiKey, new Map());
      byKey.get(row.kpiKey)!.set(row.bucketStart, row);
    }
    const current = new Map(trailing.map((r) => [r.kpiKey, r]));
    const computedAt = [...weekly, ...trailing].reduce((m, r) => Math.max(m, r.computedAt), 0);
    const fallbackTrailing = trailingWindow(now, zone);
    return {
      engagementId: engagement.id,
      reportingTimeZone: zone,
      from: DateTime.fromMillis(start, { zone }).toISODate()!,
      to: DateTime.fromMillis(end, { zone }).toISODate()!,
      computedAt: computedAt ? new Date(computedAt).toISOString() : null,
      sources: [...rc.sources.values()].map(toSourceDto),
      kpis: KPI_DEFINITIONS.filter((def) => !families || families.includes(def.family)).map((def) => {
        const series: KpiPointDto[] = buckets.map((b, i) => {
          const row = byKey.get(def.key)?.get(b.start);
          return {
            ...this.rate(def, row ?? null, 'week', b, rc),
            weekStart: weekStarts[i]!,
            bucketStart: b.start,
            bucketEnd: b.end,
            partial: b.end > now,
          };
        });
        const stored = current.get(def.key);
        const trailingBucket = stored
          ? { start: stored.bucketStart, end: stored.bucketEnd }
          : fallbackTrailing;
        const threshold = thresholdFor(def, rc.thresholds);
        return {
          key: def.key,
          label: def.label,
          family: def.family,
          unit: def.unit,
          direction: def.direction,
          description: def.description,
          sources: def.sources,
          nLabel: def.nLabel,
          drillDown: def.drillDown,
          threshold: threshold
            ? {
                warn: Number.isFinite(threshold.warn) ? threshold.warn : null,
                breach: Number.isFinite(threshold.breach) ? threshold.breach : null,
              }
            : null,
          current: this.rate(def, stored ?? null, 'trailing', trailingBucket, rc),
          series,
          weekOverWeek: weekOverWeek(def, series),
        };
      }),
    };
  }

  async health(
    engagement: EngagementEntity,
    families?: string[],
    now = Date.now(),
  ): Promise<EngagementHealthDto> {
    const [trailing, rc] = await Promise.all([
      this.dataSource
        .getRepository(KpiValueEntity)
        .findBy({ engagementId: engagement.id, period: 'trailing' }),
      this.ratingContext(engagement, now),
    ]);
    const results: Partial<Record<KpiKey, KpiResult>> = {};
    const familyOf = new Map(KPI_DEFINITIONS.map((d) => [d.key as string, d.family as string]));
    for (const row of trailing) {
      if (families && !families.includes(familyOf.get(row.kpiKey) ?? '')) continue;
      results[row.kpiKey as KpiKey] = { value: row.value, n: row.n, dropped: row.dropped };
    }
    const computedAt = trailing.reduce((m, r) => Math.max(m, r.computedAt), 0);
    const bucket = trailing[0]
      ? { start: trailing[0].bucketStart, end: trailing[0].bucketEnd }
      : trailingWindow(now, rc.zone);
    return {
      engagementId: engagement.id,
      computedAt: computedAt ? new Date(computedAt).toISOString() : null,
      window: windowDto('trailing', bucket, rc.zone, now),
      sources: [...rc.sources.values()].map(toSourceDto),
      ...evaluateHealth(results, rc.thresholds, {
        minSamples: rc.minSamples,
        sources: [...rc.sources.values()],
        zone: rc.zone,
        window: TRAILING_WORDS,
      }),
    };
  }
}
