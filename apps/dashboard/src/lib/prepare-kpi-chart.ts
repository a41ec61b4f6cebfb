import { toKpiThreshold, type KpiSeriesDto, type KpiStatus, type WeekOverWeekDto } from '@pulse/contracts';
import { formatDelta, formatValue, shortDate } from './format';
import { thresholdText } from './threshold-text';

export interface ChartPoint {
  weekStart: string;
  label: string;
  /** null = a gap: drawn as a break in the line, never as zero. */
  value: number | null;
  n: number;
  dropped: number;
  /** The API's rating of this week (rateKpi of @pulse/kpi). */
  status: KpiStatus;
  /** The current, incomplete week: drawn hollow and marked "so far". */
  partial: boolean;
  /** "week of 2 Nov 2026", "week of 30 Nov 2026 (so far)". */
  windowLabel: string;
}

export type BandTone = 'ok' | 'warn' | 'breach';

export interface ChartBand {
  tone: BandTone;
  y1: number;
  y2: number;
}

export interface KpiChartModel {
  key: string;
  unit: string;
  points: ChartPoint[];
  bands: ChartBand[];
  warn: number | null;
  breach: number | null;
  domain: [number, number];
  hasData: boolean;
  /** Points with a value and gaps on both sides: drawn as dots, or they would be invisible. */
  isolated: string[];
  /** The weekStart of the current, partial week (marked "so far"), or null. */
  partialWeek: string | null;
}

/** Turns one KPI of `/kpis` into what the chart draws: points, gaps, bands and a y domain. */
export function prepareKpiChart(kpi: KpiSeriesDto): KpiChartModel {
  const points: ChartPoint[] = kpi.series.map((p) => ({
    weekStart: p.weekStart,
    label: shortDate(p.weekStart),
    value: p.value !== null && Number.isFinite(p.value) ? p.value : null,
    n: p.n,
    dropped: p.dropped,
    status: p.status,
    partial: p.partial,
    windowLabel: p.window.label,
  }));
  const t = kpi.threshold && kpi.direction !== 'none' ? toKpiThreshold(kpi.threshold, kpi.direction) : null;
  const warn = t && Number.isFinite(t.warn) ? t.warn : null;
  const breach = t && Number.isFinite(t.breach) ? t.breach : null;

  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const marks = [...values, ...(warn === null ? [] : [warn]), ...(breach === null ? [] : [breach])];
  let lo = marks.length ? Math.min(...marks) : 0;
  let hi = marks.length ? Math.max(...marks) : 1;
  if (lo >= 0) lo = 0;
  if (hi === lo) hi = lo + 1;
  const headroom = (hi - lo) * 0.1;
  hi = niceCeil(hi + headroom);
  if (lo < 0) lo = -niceCeil(-lo + headroom);
  // A share cannot exceed 100 %: do not waste half the chart on headroom above it.
  if (kpi.unit === 'percent' && marks.every((m) => m <= 100)) hi = Math.min(hi, 100);

  const bands: ChartBand[] = [];
  if (kpi.direction === 'lower' && (warn !== null || breach !== null)) {
    const w = warn ?? breach!;
    const b = breach ?? hi;
    bands.push({ tone: 'ok', y1: lo, y2: Math.min(w, hi) });
    if (b > w) bands.push({ tone: 'warn', y1: w, y2: Math.min(b, hi) });
    if (breach !== null && breach < hi) bands.push({ tone: 'breach', y1: breach, y2: hi });
  } else if (kpi.direction === 'higher' && (warn !== null || breach !== null)) {
    const w = warn ?? breach!;
    const b = breach ?? lo;
    bands.push({ tone: 'ok', y1: Math.max(w, lo), y2: hi });
    if (w > b) bands.push({ tone: 'warn', y1: Math.max(b, lo), y2: w });
    if (breach !== null && breach > lo) bands.push({ tone: 'breach', y1: lo, y2: breach });
  }

  const isolated = points
    .filter(
      (p, i) =>
        p.value !== null &&
        (points[i - 1]?.value ?? null) === null &&
        (points[i + 1]?.value ?? null) === null,
    )
    .map((p) => p.weekStart);

  return {
    key: kpi.key,
    unit: kpi.unit,
    points,
    bands: bands.filter((b) => b.y2 > b.y1),
    warn,
    breach,
    domain: [lo, hi],
    hasData: values.length > 0,
    isolated,
    partialWeek: points.find((p) => p.partial)?.weekStart ?? null,
  };
}

/** Rounds up to 1, 2, 2.5 or 5 × a power of ten, so axis ticks stay readable. */
export function niceCeil(value: number): number {
  if (value <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * p) return m * p;
  return 10 * p;
}

export interface KpiSummary {
  value: number | null;
  /** "32", "41.2 h"; "No data yet" for a gap. */
  valueText: string;
  /** The API's rating of the headline value. */
  status: KpiStatus;
  n: number;
  /** What n counts ("PRs", "bugs"…). */
  nLabel: string;
  minN: number;
  dropped: number;
  /** The window of the headline value, its status and its drill-down: "last 28 days". */
  windowLabel: string;
  staleSince: string | null;
  /** The API's plain-language sentence about the value. */
  explanation: string;
  thresholdText: string;
  /** Between the last two complete weeks (never the partial one), from the API. */
  weekOverWeek: { text: string; trend: NonNullable<WeekOverWeekDto['trend']>; title: string } | null;
}

const TREND_WORDS: Record<NonNullable<WeekOverWeekDto['trend']>, string> = {
  better: 'better',
  worse: 'worse',
  flat: 'unchanged',
  up: 'up',
  down: 'down',
};

/** The card's headline: the trailing value as the API rated it, and the complete-week change. */
export function summarizeKpi(kpi: KpiSeriesDto): KpiSummary {
  const fmt = (v: number) => formatValue(v, kpi.unit);
  const c = kpi.current;
  const w = kpi.weekOverWeek;
  return {
    value: c.value,
    valueText: c.value === null ? 'No data yet' : formatValue(c.value, kpi.unit),
    status: c.status,
    n: c.n,
    nLabel: kpi.nLabel,
    minN: c.minN,
    dropped: c.dropped,
    windowLabel: c.window.label,
    staleSince: c.staleSince,
    explanation: c.explanation,
    thresholdText: thresholdText(kpi.threshold, kpi.direction, fmt),
    weekOverWeek:
      w && w.change !== null && w.trend !== null
        ? {
            text: `${formatDelta(w.change, kpi.unit)} ${TREND_WORDS[w.trend]}`,
            trend: w.trend,
            title: `Week of ${shortDate(w.latestWeekStart)} against week of ${shortDate(w.previousWeekStart)} (the last two complete weeks)`,
          }
        : null,
  };
}

/** True when the KPI has anything to show: a trailing value or a week with data. */
export function hasAnyData(kpi: KpiSeriesDto): boolean {
  return kpi.current.value !== null || kpi.series.some((p) => p.value !== null);
}
