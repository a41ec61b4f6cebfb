import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
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
  type ConnectionSyncRow,
  type SourceFreshness,
  gapReason,
  kpiStaleSince,
  sourceFreshness,
  sourceStates,
} from './freshness';
import { TRAILING_WORDS, evaluateHealth, honestResult, minNFor, thresholdFor } from './health';
import { type WindowWords, explainValue, rateKpi } from './rating';
import { type Bucket, bucketStartDate, isoWeekBuckets, trailingWindow } from './time/buckets';
import { weekOverWeek, windowDto, windowWords } from './window';

// The read side of the one rating: stored values (value, n) plus the engagement's current
// thresholds and source freshness → the rated, explained DTOs of GET /health and /kpis.
// The API and the digest worker both call these, so a Slack message and a screen can never
// disagree. Pure: the callers load the rows.

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

export function toSourceDto(f: SourceFreshness): SourceFreshnessDto {
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

/** A stored threshold row (kpi_thresholds). */
export interface ThresholdRow {
  kpiKey: string;
  warn: number | null;
  breach: number | null;
  minN?: number | null;
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

/** A stored KPI value (kpi_values): value and n only, never a status. */
export interface StoredKpiValue {
  kpiKey: string;
  bucketStart: number;
  bucketEnd: number;
  value: number | null;
  n: number;
  dropped: number;
  computedAt: number;
}

export function ratingContextFrom(input: {
  zone: string;
  syncCron: string;
  thresholds: readonly ThresholdRow[];
  connections: readonly ConnectionSyncRow[];
  latestCoverageAt: number | null;
  now: number;
}): RatingContext {
  const { zone, now } = input;
  const thresholds: KpiThresholds = {};
  const minSamples: KpiMinSamples = {};
  const byKey = new Map(input.thresholds.map((r) => [r.kpiKey, r]));
  for (const def of KPI_DEFINITIONS) {
    const stored = byKey.get(def.key);
    if (!stored) continue;
    thresholds[def.key] = toKpiThreshold(stored, def.direction);
    if (stored.minN !== null && stored.minN !== undefined) minSamples[def.key] = stored.minN;
  }
  const interval = syncIntervalMs(input.syncCron, zone, now);
  const sources = new Map(
    sourceStates(input.connections, input.latestCoverageAt).map((s) => [
      s.source,
      sourceFreshness(s, now, interval, zone),
    ]),
  );
  return { now, zone, thresholds, minSamples, sources };
}

/** One value rated and explained; `kind` week for a chart point, else the trailing window. */
export function rateStoredValue(
  def: KpiDefinitionMeta,
  raw: KpiResult | null,
  kind: 'trailing' | 'week',
  bucket: Bucket,
  rc: RatingContext,
): KpiValueDto {
  const words = kind === 'trailing' ? TRAILING_WORDS : windowWords('week', bucket, rc.zone, rc.now);
  return rateIn(def, raw, kind, bucket, words, windowDto(kind, bucket, rc.zone, rc.now, def), rc);
}

/**
 * `rateStoredValue` with the bucket's words and window already computed: they depend only on
 * the bucket, so the series computes them once per week, not per KPI × week (luxon's
 * zone-aware formatting was most of GET /kpis's CPU).
 */
function rateIn(
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

/** GET /kpis from stored rows: weekly values within [start, end] and the trailing ones. */
export function engagementSeries(input: {
  engagementId: string;
  start: number;
  end: number;
  weekly: readonly StoredKpiValue[];
  trailing: readonly StoredKpiValue[];
  rc: RatingContext;
  families?: readonly string[];
}): EngagementKpisDto {
  const { rc, start, end, families } = input;
  const { zone, now } = rc;
  // Once per week, not per KPI × week: zone-aware date formatting was most of this route's CPU.
  const weeks = weeksOf(start, end, zone).map((w) => ({
    ...w,
    words: windowWords('week', w.bucket, zone, now),
    window: windowDto('week', w.bucket, zone, now),
  }));
  const byKey = new Map<string, Map<number, StoredKpiValue>>();
  for (const row of input.weekly) {
    if (!byKey.has(row.kpiKey)) byKey.set(row.kpiKey, new Map());
    byKey.get(row.kpiKey)!.set(row.bucketStart, row);
  }
  const current = new Map(input.trailing.map((r) => [r.kpiKey, r]));
  const computedAt = [...input.weekly, ...input.trailing].reduce((m, r) => Math.max(m, r.computedAt), 0);
  const fallbackTrailing = trailingWindow(now, zone);
  return {
    engagementId: input.engagementId,
    reportingTimeZone: zone,
    from: DateTime.fromMillis(start, { zone }).toISODate()!,
    to: DateTime.fromMillis(end, { zone }).toISODate()!,
    computedAt: computedAt ? new Date(computedAt).toISOString() : null,
    sources: [...rc.sources.values()].map(toSourceDto),
    kpis: KPI_DEFINITIONS.filter((def) => !families || families.includes(def.family)).map((def) => {
      const rows = byKey.get(def.key);
      const lookbackDays = def.lookbackDays ?? null;
      const series: KpiPointDto[] = weeks.map((w) => {
        const b = w.bucket;
        const window = { ...w.window, lookbackDays };
        return {
          ...rateIn(def, rows?.get(b.start) ?? null, 'week', b, w.words, window, rc),
          weekStart: w.weekStart,
          bucketStart: b.start,
          bucketEnd: b.end,
          partial: b.end > now,
        };
      });
      const stored = current.get(def.key);
      const trailingBucket = stored ? { start: stored.bucketStart, end: stored.bucketEnd } : fallbackTrailing;
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
        current: rateStoredValue(def, stored ?? null, 'trailing', trailingBucket, rc),
        series,
        weekOverWeek: weekOverWeek(def, series),
      };
    }),
  };
}

/** GET /health from the stored trailing values. */
export function engagementHealth(input: {
  engagementId: string;
  trailing: readonly StoredKpiValue[];
  rc: RatingContext;
  families?: readonly string[];
}): EngagementHealthDto {
  const { rc, trailing, families } = input;
  const results: Partial<Record<KpiKey, KpiResult>> = {};
  const familyOf = new Map(KPI_DEFINITIONS.map((d) => [d.key as string, d.family as string]));
  for (const row of trailing) {
    if (families && !families.includes(familyOf.get(row.kpiKey) ?? '')) continue;
    results[row.kpiKey as KpiKey] = { value: row.value, n: row.n, dropped: row.dropped };
  }
  const computedAt = trailing.reduce((m, r) => Math.max(m, r.computedAt), 0);
  const bucket = trailing[0]
    ? { start: trailing[0].bucketStart, end: trailing[0].bucketEnd }
    : trailingWindow(rc.now, rc.zone);
  return {
    engagementId: input.engagementId,
    computedAt: computedAt ? new Date(computedAt).toISOString() : null,
    window: windowDto('trailing', bucket, rc.zone, rc.now),
    sources: [...rc.sources.values()].map(toSourceDto),
    ...evaluateHealth(results, rc.thresholds, {
      minSamples: rc.minSamples,
      sources: [...rc.sources.values()],
      zone: rc.zone,
      window: TRAILING_WORDS,
    }),
  };
}

/** Health of one ISO week from its stored weekly values (the digest's week-over-week score). */
export function weekHealth(input: {
  weekly: readonly StoredKpiValue[];
  bucket: Bucket;
  rc: RatingContext;
  families?: readonly string[];
}): { status: EngagementHealthDto['status']; score: number | null } {
  const { rc, bucket, families } = input;
  const results: Partial<Record<KpiKey, KpiResult>> = {};
  const familyOf = new Map(KPI_DEFINITIONS.map((d) => [d.key as string, d.family as string]));
  for (const row of input.weekly) {
    if (row.bucketStart !== bucket.start) continue;
    if (families && !families.includes(familyOf.get(row.kpiKey) ?? '')) continue;
    results[row.kpiKey as KpiKey] = { value: row.value, n: row.n, dropped: row.dropped };
  }
  const h = evaluateHealth(results, rc.thresholds, {
    minSamples: rc.minSamples,
    sources: [...rc.sources.values()],
    zone: rc.zone,
    window: windowWords('week', bucket, rc.zone, rc.now),
  });
  return { status: h.status, score: h.score };
}
