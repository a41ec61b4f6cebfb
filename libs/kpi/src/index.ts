// @pulse/kpi — docs/kpis.md as code. Pure: no I/O, no framework, no wall clock (time is passed in).

export { type EngagementContext, type KpiRules, DEFAULT_RULES } from './context';
export { engagementContext } from './engagement-context';
export {
  BusinessCalendar,
  DEFAULT_DAY_END,
  DEFAULT_DAY_START,
  DEFAULT_WORKING_DAYS,
} from './time/business-calendar';
export {
  type Bucket,
  DEFAULT_TRAILING_DAYS,
  bucketStartDate,
  isoWeekBucket,
  isoWeekBuckets,
  isoWeekStart,
  trailingWindow,
} from './time/buckets';
export { median, p90, percentileNearestRank } from './stats';
export { type EvaluationMode, type KpiDefinition, KPI_REGISTRY, computeKpi, getKpi } from './registry';
export { computeSeries } from './series';
export {
  type HealthOptions,
  FAMILY_LABELS,
  TRAILING_WORDS,
  defaultThresholds,
  evaluateHealth,
  healthEntry,
  honestResult,
  minNFor,
  thresholdFor,
} from './health';
export { type WindowWords, STATUS_SCORE, explainValue, formatValue, rateKpi } from './rating';
export {
  type SourceFreshness,
  type SourceSyncState,
  type ConnectionSyncRow,
  sourceStates,
  SOURCE_LABELS,
  ago,
  formatInstant,
  gapReason,
  kpiDelivered,
  kpiStaleSince,
  sourceFreshness,
  staleAllowanceMs,
} from './freshness';
export { isPartial, weekOverWeek, windowDto, windowWords } from './window';
export { type DrillDownTable, drillDownTable } from './drill-down';
export { type DepartureCheck, departureChecks } from './facts/continuity';
export {
  type RatingContext,
  type StoredKpiValue,
  type ThresholdRow,
  engagementHealth,
  engagementSeries,
  rateStoredValue,
  ratingContextFrom,
  syncIntervalMs,
  toSourceDto,
  weekHealth,
  weeksOf,
} from './read-model';
export { type Block, SLACK_LIMITS, blockKitProblems } from './digest/block-kit';
export {
  type DigestAudience,
  type DigestContent,
  type DigestInput,
  DIGEST_AUDIENCES,
  attentionLine,
  buildDigest,
  isoWeekOf,
  linesWithin,
  listWithMore,
} from './digest/digest-content';
export { type DigestRows, digestFigures, digestFromRows, digestWeeks } from './digest/digest-figures';
