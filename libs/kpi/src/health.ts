import {
  DEFAULT_FAMILY_WEIGHTS,
  KPI_DEFINITIONS,
  KPI_FAMILIES,
  type FamilyHealth,
  type HealthExplanation,
  type KpiDirection,
  type KpiFamily,
  type KpiHealthEntry,
  type KpiKey,
  type KpiResult,
  type KpiStatus,
  type KpiThreshold,
  type KpiThresholds,
  type RagStatus,
} from '@pulse/contracts';

/** The default threshold table of KPIS.md, keyed by KPI. */
export function defaultThresholds(): Record<KpiKey, KpiThreshold | null> {
  return Object.fromEntries(KPI_DEFINITIONS.map((d) => [d.key, d.defaultThreshold])) as Record<
    KpiKey,
    KpiThreshold | null
  >;
}

/**
 * Status of one value against its thresholds. `lower` is better: `> breach` is breach,
 * `> warn` is warn. `higher` is better: `< breach` is breach, `< warn` is warn. Equal to a
 * threshold is not past it. No value → `no_data`; no threshold (or direction `none`) → `ok`
 * (shown, never scored).
 */
export function kpiStatus(
  value: number | null,
  threshold: KpiThreshold | null | undefined,
  direction: KpiDirection,
): KpiStatus {
  if (value === null) return 'no_data';
  if (!threshold || direction === 'none') return 'ok';
  if (direction === 'lower') {
    if (value > threshold.breach) return 'breach';
    if (value > threshold.warn) return 'warn';
    return 'ok';
  }
  if (value < threshold.breach) return 'breach';
  if (value < threshold.warn) return 'warn';
  return 'ok';
}

const SCORE: Record<KpiStatus, number | null> = { ok: 1, warn: 0.5, breach: 0, no_data: null };

function formatEntry(e: KpiHealthEntry): string {
  const op = e.direction === 'lower' ? '>' : '<';
  const limit = e.status === 'breach' ? e.threshold?.breach : e.threshold?.warn;
  const value = e.value === null ? 'no data' : `${Math.round(e.value * 100) / 100} ${e.unit}`;
  return `${e.key} ${value} ${op} ${limit}`;
}

/**
 * Health of one bucket from its KPI results.
 *
 * - `thresholds`: the engagement's table; a key that is absent falls back to the KPIS.md
 *   default, an explicit `null` means "no threshold".
 * - A KPI is scored (ok = 1, warn = 0.5, breach = 0) when it has a value and a threshold;
 *   a family's score is the mean of its scored KPIs; families with no scored KPI are left
 *   out of the engagement score and listed in `familiesWithoutData`.
 * - Engagement score = weighted mean of family scores × 100, rounded; null when no family
 *   has data. Status: red if any breach, else amber if any warn, else green; `unknown`
 *   when no KPI was scored.
 */
export function evaluateHealth(
  results: Partial<Record<KpiKey, KpiResult>>,
  thresholds: KpiThresholds = {},
  weights: Partial<Record<KpiFamily, number>> = {},
): HealthExplanation {
  const entries: KpiHealthEntry[] = [];
  for (const def of KPI_DEFINITIONS) {
    const result = results[def.key];
    if (!result) continue;
    const threshold = def.key in thresholds ? (thresholds[def.key] ?? null) : def.defaultThreshold;
    const status = kpiStatus(result.value, threshold, def.direction);
    const scored = threshold !== null && def.direction !== 'none' && result.value !== null;
    entries.push({
      key: def.key,
      family: def.family,
      unit: def.unit,
      direction: def.direction,
      value: result.value,
      n: result.n,
      threshold,
      status,
      score: scored ? SCORE[status] : null,
    });
  }

  const families: FamilyHealth[] = KPI_FAMILIES.map((family) => {
    const scored = entries.filter((e) => e.family === family && e.score !== null);
    const score = scored.length === 0 ? null : scored.reduce((s, e) => s + (e.score ?? 0), 0) / scored.length;
    return {
      family,
      score,
      weight: weights[family] ?? DEFAULT_FAMILY_WEIGHTS[family],
      scoredKeys: scored.map((e) => e.key),
    };
  });
  const withData = families.filter((f) => f.score !== null && f.weight > 0);
  const totalWeight = withData.reduce((s, f) => s + f.weight, 0);
  const score =
    totalWeight === 0
      ? null
      : Math.round((100 * withData.reduce((s, f) => s + f.weight * (f.score ?? 0), 0)) / totalWeight);

  const breaches = entries.filter((e) => e.score !== null && e.status === 'breach');
  const warnings = entries.filter((e) => e.score !== null && e.status === 'warn');
  const anyScored = entries.some((e) => e.score !== null);
  const status: RagStatus = !anyScored
    ? 'unknown'
    : breaches.length > 0
      ? 'red'
      : warnings.length > 0
        ? 'amber'
        : 'green';

  const familiesWithoutData = families.filter((f) => f.score === null).map((f) => f.family);
  let summary: string;
  if (status === 'unknown') summary = 'unknown: no KPI with a threshold has data';
  else if (status === 'green')
    summary = `green: all ${entries.filter((e) => e.score !== null).length} scored KPIs within thresholds`;
  else {
    const shown = status === 'red' ? breaches : warnings;
    const what = status === 'red' ? 'in breach' : 'in warn';
    summary = `${status}: ${shown.length} KPI${shown.length === 1 ? '' : 's'} ${what} (${shown.map(formatEntry).join('; ')})`;
  }
  if (familiesWithoutData.length > 0 && status !== 'unknown')
    summary += `; no data for ${familiesWithoutData.join(', ')}`;

  return { status, score, families, familiesWithoutData, breaches, warnings, entries, summary };
}
