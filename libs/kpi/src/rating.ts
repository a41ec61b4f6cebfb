import {
  type KpiDefinitionMeta,
  type KpiDirection,
  type KpiStatus,
  type KpiThreshold,
  type KpiUnit,
} from '@pulse/contracts';

/**
 * The one rating of a KPI value (docs/kpis.md "Thresholds, status and the health score"),
 * used by the rollup, the API, the dashboard and the digest:
 * - no value → `no_data` (a gap);
 * - n below the minimum sample → `low_sample` (shown, never rated or scored);
 * - no threshold, or a context KPI (direction none) → `no_threshold` (neutral, never "ok");
 * - otherwise `lower` is better: `> breach` is breach, `> warn` is warn; `higher` is better:
 *   `< breach` is breach, `< warn` is warn. Equal to a threshold is not past it.
 */
export function rateKpi(
  result: { value: number | null; n: number },
  threshold: KpiThreshold | null | undefined,
  direction: KpiDirection,
  minN = 0,
): KpiStatus {
  const { value } = result;
  if (value === null) return 'no_data';
  if (result.n < minN) return 'low_sample';
  if (!threshold || direction === 'none') return 'no_threshold';
  if (direction === 'lower') {
    if (value > threshold.breach) return 'breach';
    if (value > threshold.warn) return 'warn';
    return 'ok';
  }
  if (value < threshold.breach) return 'breach';
  if (value < threshold.warn) return 'warn';
  return 'ok';
}

/** Score of a rated status: ok 1, warn 0.5, breach 0; everything else is not scored. */
export const STATUS_SCORE: Readonly<Record<KpiStatus, number | null>> = {
  ok: 1,
  warn: 0.5,
  breach: 0,
  no_data: null,
  low_sample: null,
  no_threshold: null,
};

const MINUS = '\u2212';

function trim(x: number, decimals: number): string {
  const s = (Math.round(x * 10 ** decimals) / 10 ** decimals).toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A value as a person reads it: "40.7 %", "12.5 h", "−3.1 pp", "2 people". */
export function formatValue(value: number, unit: KpiUnit): string {
  const sign = value < 0 ? MINUS : '';
  const abs = Math.abs(value);
  switch (unit) {
    case 'percent':
      return `${sign}${trim(abs, 1)} %`;
    case 'pp':
      return `${value > 0 ? '+' : sign}${trim(abs, 1)} pp`;
    case 'hours':
      return `${sign}${trim(abs, 1)} h`;
    case 'days':
      return `${sign}${trim(abs, 1)} days`;
    case 'minutes':
      return `${sign}${trim(abs, 0)} min`;
    case 'days_per_week':
      return `${sign}${trim(abs, 2)} days/week`;
    case 'people':
      return `${sign}${trim(abs, 1)} ${abs === 1 ? 'person' : 'people'}`;
    case 'points':
      return `${sign}${trim(abs, 1)} points`;
    case 'count':
      return `${sign}${trim(abs, 1)}`;
  }
}

/** The window a value covers, as words: "the last 28 days" or "the week of 2 Nov 2026 (so far)". */
export interface WindowWords {
  kind: 'trailing' | 'week';
  /** "the last 28 days" / "the week of 2 Nov 2026" / "the week of 30 Nov 2026 (so far)". */
  label: string;
}

function span(def: KpiDefinitionMeta, w: WindowWords): string {
  const end = w.kind === 'trailing' ? 'now' : `the end of ${w.label}`;
  if (def.lookbackDays !== null) return `over the ${def.lookbackDays} days to ${end}`;
  if (def.aggregation === 'state') return w.kind === 'trailing' ? 'now' : `at ${end}`;
  return w.kind === 'trailing' ? `over ${w.label}` : `in ${w.label}`;
}

/**
 * One plain-language sentence about a value, e.g. "Bug reopen rate is 40.7 % over the last
 * 28 days (27 bugs), above the 20 % breach line." `gapReason` explains a gap ("GitHub has
 * not synced yet"). Never a KPI key.
 */
export function explainValue(
  def: KpiDefinitionMeta,
  result: { value: number | null; n: number },
  status: KpiStatus,
  threshold: KpiThreshold | null,
  window: WindowWords,
  minN: number,
  gapReason?: string | null,
): string {
  const when = span(def, window);
  if (result.value === null || status === 'no_data') {
    return `${def.label} has no data ${when}${gapReason ? `: ${gapReason}` : ''}.`;
  }
  const value = formatValue(result.value, def.unit);
  const sample = def.unit === 'count' && result.value === result.n ? '' : ` (${result.n} ${def.nLabel})`;
  const head = `${def.label} is ${value} ${when}${sample}`;
  const side = def.direction === 'higher' ? 'below' : 'above';
  switch (status) {
    case 'low_sample':
      return `${head}: too few ${def.nLabel} to rate (at least ${minN} needed).`;
    case 'no_threshold':
      return def.direction === 'none' ? `${head}; shown for context.` : `${head}; no threshold is set.`;
    case 'breach':
      return `${head}, ${side} the ${formatValue(threshold?.breach ?? 0, def.unit)} breach line.`;
    case 'warn':
      return `${head}, ${side} the ${formatValue(threshold?.warn ?? 0, def.unit)} warn line.`;
    case 'ok':
      return `${head}, within the ${formatValue(threshold?.warn ?? 0, def.unit)} warn line.`;
  }
}
