// @pulse/kpi — KPIS.md as code. Pure: no I/O, no framework, no wall clock (time is passed in).

export { type EngagementContext, type KpiRules, DEFAULT_RULES } from './context';
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
export { defaultThresholds, evaluateHealth, kpiStatus } from './health';
