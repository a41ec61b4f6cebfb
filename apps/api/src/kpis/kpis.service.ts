import { Injectable } from '@nestjs/common';
import { CronExpressionParser } from 'cron-parser';
import { DataSource } from 'typeorm';
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
  type KpiWindowDto,
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
  type WindowWords,
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

/** A stored KPI value as the read path needs it (a `kpi_values` row without its ids). */
export interface StoredValue {
  kpiKey: string;
  bucketStart: number;
  bucketEnd: number;
  value: number | null;
  n: number;
  dropped: number;
  computedAt: number;
}

interface Week {
  bucket: Bucket;
  /** `yyyy-mm-dd` of its Monday in the reporting zone. */
  weekStart: string;
}

/**
 * The ISO weeks from `start` (a Monday 00:00 in `zone`) that begin before `end`, memoised:
 * weeks are pure calendar arithmetic, and the default range asks for the same twelve weeks on
 * every request (only its `end`, now, moves). Bounded, oldest entry evicted first.
 */
const WEEKS_CACHE_MAX = 500;
const weeksCache = new Map<string, Week[]>();
export function weeksOf(start: number, end: number, zone: string): Week[] {
  const key = `${zone}|${start}`;
  const known = weeksCache.get(key);
  // Buckets from one start are the same whatever the end, so a longer list serves a shorter range.
  if (known && known.length > 0 && known[known.length - 1]!.bucket.end >= end) {
    return known.filter((w) => w.bucket.start < end);
  }
  const weeks = isoWeekBuckets(start, end, zone).map((bucket) => ({
    bucket,
    weekStart: bucketStartDate(bucket, zone),
  }));
  weeksCache.delete(key);
  if (weeksCache.size >= WEEKS_CACHE_MAX) weeksCache.delete(weeksCache.keys().next().value!);
  weeksCache.set(key, weeks);
  return weeks;
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
    const words = kind === 'trailing' ? TRAILING_WORDS : windowWords('week', bucket, rc.zone, rc.now);
    const window = windowDto(kind, bucket, rc.zone, rc.now, def);
    return this.rateIn(def, raw, kind, bucket, words, window, rc);
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

  /**
   * One KPI's values rated with the words and window of their bucket. `words` and `window`
   * depend only on the bucket, so `series()` computes them once per week, not per KPI × week
   * (luxon's zone-aware formatting was most of the route's CPU).
   */
  private rateIn(
    def: KpiDefinitionMeta,
    raw: KpiResult | null,
    kind: 'trailing' | 'week',
    bucket: Bucket,
    words: WindowWords,
    window: KpiWindowDto,
    rc: RatingContext,
  ): KpiValueDto {
    const result = honestResult(def, raw ?? { value: null, n: 0, dropped: 0 }, rc.sources);
    const threshold: KpiThreshold | null = thresholdFor(def, rc.thresholds);
    const minN = minNFor(def, rc.minSamples);
    const status = rateKpi(result, threshold, def.direction, minN);
    const stale = kpiStaleSince(def, rc.sources);
    // A week that ended before its source went stale was complete when collected.
    const staleSince = stale !== null && (kind === 'trailing' || bucket.end > stale) ? iso(stale) : null;
    const reason = result.value === null ? gapReason(def, rc.sources) : null;
    return {
      value: result.value,
      n: result.n,
      dropped: result.dropped,
      minN,
      status,
      window,
      staleSince,
      explanation: explainValue(def, result, status, threshold, words, minN, reason),
    };
  }

  /** The stored values of an engagement in one period, as plain numbers. */
  private async values(
    engagementId: string,
    period: 'week' | 'trailing',
    range?: { start: number; end: number },
  ): Promise<StoredValue[]> {
    // Raw rows of the columns the answer needs: hydrating ~400 TypeORM entities per request
    // cost ~5× the query itself.
    const q = this.dataSource
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
    const rows = await q.getRawMany<Record<keyof StoredValue, string | number | null>>();
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

  /** The trailing values and rating context both the series and the health need. */
  private async trailingAndContext(
    engagement: EngagementEntity,
    now: number,
  ): Promise<{ trailing: StoredValue[]; rc: RatingContext }> {
    const [trailing, rc] = await Promise.all([
      this.values(engagement.id, 'trailing'),
      this.ratingContext(engagement, now),
    ]);
    return { trailing, rc };
  }

  async series(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
    shared?: { trailing: StoredValue[]; rc: RatingContext },
  ): Promise<EngagementKpisDto> {
    const zone = engagement.reportingTimeZone;
    const { start, end } = this.range(engagement, from, to, now);
    const weeks = weeksOf(start, end, zone);
    const [weekly, { trailing, rc }] = await Promise.all([
      this.values(engagement.id, 'week', { start, end }),
      shared ?? this.trailingAndContext(engagement, now),
    ]);
    const byKey = new Map<string, Map<number, StoredValue>>();
    for (const row of weekly) {
      let rows = byKey.get(row.kpiKey);
      if (!rows) byKey.set(row.kpiKey, (rows = new Map()));
      rows.set(row.bucketStart, row);
    }
    const current = new Map(trailing.map((r) => [r.kpiKey, r]));
    let computedAt = 0;
    for (const r of weekly) computedAt = Math.max(computedAt, r.computedAt);
    for (const r of trailing) computedAt = Math.max(computedAt, r.computedAt);
    const fallbackTrailing = trailingWindow(now, zone);
    // Once per week, not per KPI × week: the week's words and window depend on nothing else.
    const weekViews = weeks.map((w) => ({
      ...w,
      words: windowWords('week', w.bucket, zone, now),
      window: windowDto('week', w.bucket, zone, now),
    }));
    return {
      engagementId: engagement.id,
      reportingTimeZone: zone,
      from: DateTime.fromMillis(start, { zone }).toISODate()!,
      to: DateTime.fromMillis(end, { zone }).toISODate()!,
      computedAt: computedAt ? new Date(computedAt).toISOString() : null,
      sources: [...rc.sources.values()].map(toSourceDto),
      kpis: KPI_DEFINITIONS.filter((def) => !families || families.includes(def.family)).map((def) => {
        const rows = byKey.get(def.key);
        const lookbackDays = def.lookbackDays ?? null;
        const series: KpiPointDto[] = weekViews.map((w) => {
          const window = { ...w.window, lookbackDays };
          return {
            ...this.rateIn(def, rows?.get(w.bucket.start) ?? null, 'week', w.bucket, w.words, window, rc),
            weekStart: w.weekStart,
            bucketStart: w.bucket.start,
            bucketEnd: w.bucket.end,
            partial: w.bucket.end > now,
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
    shared?: { trailing: StoredValue[]; rc: RatingContext },
  ): Promise<EngagementHealthDto> {
    const { trailing, rc } = shared ?? (await this.trailingAndContext(engagement, now));
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

  /**
   * Health and series together, as the vendor's shared view shows them: the trailing values,
   * thresholds and source states are read once for both, not once each.
   */
  async healthAndSeries(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
  ): Promise<{ health: EngagementHealthDto; kpis: EngagementKpisDto }> {
    // Validate the range before reading anything, as series() alone would.
    this.range(engagement, from, to, now);
    const shared = await this.trailingAndContext(engagement, now);
    const [health, kpis] = await Promise.all([
      this.health(engagement, families, now, shared),
      this.series(engagement, from, to, families, now, shared),
    ]);
    return { health, kpis };
  }
}
