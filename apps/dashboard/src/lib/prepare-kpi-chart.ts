import type { KpiSeriesDto, KpiStatus } from '@pulse/contracts';
import { formatDelta, formatValue, roundForDisplay, shortDate } from './format';
import { effectiveThreshold, rateValue, thresholdText } from './kpi-status';

export interface ChartPoint {
  weekStart: string;
  label: string;
  /** null = a gap: drawn as a break in the line, never as zero. */
  value: number | null;
  n: number;
  dropped: number;
  status: KpiStatus;
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
  }));
  const t = effectiveThreshold(kpi.threshold, kpi.direction);
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
  valueText: string;
  status: KpiStatus;
  n: number;
  dropped: number;
  /** Where the headline value comes from: the trailing window, or the latest week with data. */
  basis: 'trailing' | 'latest week' | 'none';
  thresholdText: string;
  /** Change between the last two weeks that both have data, or null. */
  weekOverWeek: { delta: number; text: string; trend: 'better' | 'worse' | 'same' | 'neutral' } | null;
}

export function summarizeKpi(kpi: KpiSeriesDto): KpiSummary {
  const fmt = (v: number) => formatValue(v, kpi.unit);
  const latest = [...kpi.series].reverse().find((p) => p.value !== null) ?? null;
  const fromCurrent = kpi.current && kpi.current.value !== null ? kpi.current : null;
  const head = fromCurrent ?? latest;
  const value = head?.value ?? null;

  const last = kpi.series.at(-1);
  const prev = kpi.series.at(-2);
  let weekOverWeek: KpiSummary['weekOverWeek'] = null;
  if (last && prev && last.value !== null && prev.value !== null) {
    const delta = last.value - prev.value;
    const rounded = roundForDisplay(delta);
    const trend =
      kpi.direction === 'none'
        ? 'neutral'
        : rounded === 0
          ? 'same'
          : delta < 0 === (kpi.direction === 'lower')
            ? 'better'
            : 'worse';
    weekOverWeek = { delta, text: formatDelta(delta, kpi.unit), trend };
  }

  return {
    value,
    valueText: formatValue(value, kpi.unit),
    status: rateValue(value, kpi.threshold, kpi.direction),
    n: head?.n ?? 0,
    dropped: head?.dropped ?? 0,
    basis: fromCurrent ? 'trailing' : latest ? 'latest week' : 'none',
    thresholdText: thresholdText(kpi.threshold, kpi.direction, fmt),
    weekOverWeek,
  };
}

/** True when the KPI has anything to show: a trailing value or a week with data. */
export function hasAnyData(kpi: KpiSeriesDto): boolean {
  return (kpi.current?.value ?? null) !== null || kpi.series.some((p) => p.value !== null);
}
