import {
  DEFAULT_FAMILY_WEIGHTS,
  KPI_DEFINITIONS,
  KPI_FAMILIES,
  type FamilyHealth,
  type HealthExplanation,
  type KpiDefinitionMeta,
  type KpiFamily,
  type KpiHealthEntry,
  type KpiKey,
  type KpiMinSamples,
  type KpiResult,
  type KpiSource,
  type KpiThreshold,
  type KpiThresholds,
  type RagStatus,
} from '@pulse/contracts';
import { type SourceFreshness, formatInstant, gapReason, kpiDelivered, kpiStaleSince } from './freshness';
import { STATUS_SCORE, type WindowWords, explainValue, rateKpi } from './rating';

/** The default threshold table of docs/kpis.md, keyed by KPI. */
export function defaultThresholds(): Record<KpiKey, KpiThreshold | null> {
  return Object.fromEntries(KPI_DEFINITIONS.map((d) => [d.key, d.defaultThreshold])) as Record<
    KpiKey,
    KpiThreshold | null
  >;
}

/** The threshold in force: the engagement's (explicit null = none), else the default. */
export function thresholdFor(def: KpiDefinitionMeta, thresholds: KpiThresholds): KpiThreshold | null {
  return def.key in thresholds ? (thresholds[def.key] ?? null) : def.defaultThreshold;
}

/** The minimum sample in force: the engagement's, else the catalogue default. */
export function minNFor(def: KpiDefinitionMeta, minSamples: KpiMinSamples): number {
  return minSamples[def.key] ?? def.minN;
}

export const TRAILING_WORDS: WindowWords = { kind: 'trailing', label: 'the last 28 days' };

export const FAMILY_LABELS: Readonly<Record<KpiFamily, string>> = {
  delivery: 'Delivery',
  quality: 'Quality',
  coverage: 'Coverage',
  responsiveness: 'Responsiveness',
  continuity: 'Continuity',
  scope: 'Scope',
};

export interface HealthOptions {
  weights?: Partial<Record<KpiFamily, number>>;
  minSamples?: KpiMinSamples;
  /**
   * Freshness of the engagement's sources. When given, KPIs whose sources have not
   * delivered are gaps (counts included), stale sources qualify the status, and the
   * vendor-activity rule (quiet) applies. Absent: every value is taken as delivered.
   */
  sources?: readonly SourceFreshness[];
  /** Reporting zone, for "stale since …" instants. */
  zone?: string;
  window?: WindowWords;
}

/** A KPI result with the honest-status rules applied: a gap when its sources have not delivered. */
export function honestResult(
  def: KpiDefinitionMeta,
  result: KpiResult,
  sources: ReadonlyMap<KpiSource, SourceFreshness> | null,
): KpiResult {
  if (sources === null || kpiDelivered(def, sources)) return result;
  return { value: null, n: 0, dropped: 0 };
}

/** One rated KPI entry: status, score and its plain-language sentence. */
export function healthEntry(
  def: KpiDefinitionMeta,
  raw: KpiResult,
  thresholds: KpiThresholds,
  options: Pick<HealthOptions, 'minSamples' | 'zone'> & {
    window: WindowWords;
    sources: ReadonlyMap<KpiSource, SourceFreshness> | null;
  },
): KpiHealthEntry {
  const result = honestResult(def, raw, options.sources);
  const threshold = thresholdFor(def, thresholds);
  const minN = minNFor(def, options.minSamples ?? {});
  const status = rateKpi(result, threshold, def.direction, minN);
  const stale = options.sources ? kpiStaleSince(def, options.sources) : null;
  const reason = options.sources && result.value === null ? gapReason(def, options.sources) : null;
  return {
    key: def.key,
    label: def.label,
    family: def.family,
    unit: def.unit,
    direction: def.direction,
    value: result.value,
    n: result.n,
    minN,
    threshold,
    status,
    score: STATUS_SCORE[status],
    staleSince: stale === null ? null : new Date(stale).toISOString(),
    explanation: explainValue(def, result, status, threshold, options.window, minN, reason),
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Health of one window from its KPI results (docs/kpis.md "Thresholds, status and the
 * health score" and "Honest status").
 *
 * - `thresholds`: the engagement's table; an absent key falls back to the default, an
 *   explicit `null` means "no threshold".
 * - A KPI is scored (ok 1, warn 0.5, breach 0) when it has a value, enough sample and a
 *   threshold; a family's score is the mean of its scored KPIs; families with none are
 *   left out and listed in `familiesWithoutData`.
 * - Score = weighted mean of family scores × 100, rounded. Status: red if any breach,
 *   else amber if any warn, else green; `unknown` (no score) when nothing was scored.
 * - Quiet (vendor activity 0 over the window, its connected sources fresh): amber at best.
 */
export function evaluateHealth(
  results: Partial<Record<KpiKey, KpiResult>>,
  thresholds: KpiThresholds = {},
  options: HealthOptions = {},
): HealthExplanation {
  const window = options.window ?? TRAILING_WORDS;
  const sources = options.sources ? new Map(options.sources.map((s) => [s.source, s])) : null;
  const entries: KpiHealthEntry[] = [];
  for (const def of KPI_DEFINITIONS) {
    const result = results[def.key];
    if (!result) continue;
    entries.push(healthEntry(def, result, thresholds, { ...options, window, sources }));
  }

  const families: FamilyHealth[] = KPI_FAMILIES.map((family) => {
    const scored = entries.filter((e) => e.family === family && e.score !== null);
    const score = scored.length === 0 ? null : scored.reduce((s, e) => s + (e.score ?? 0), 0) / scored.length;
    return {
      family,
      score,
      weight: options.weights?.[family] ?? DEFAULT_FAMILY_WEIGHTS[family],
      scoredKeys: scored.map((e) => e.key),
    };
  });
  const withData = families.filter((f) => f.score !== null && f.weight > 0);
  const totalWeight = withData.reduce((s, f) => s + f.weight, 0);
  const anyScored = entries.some((e) => e.score !== null);
  const score =
    !anyScored || totalWeight === 0
      ? null
      : Math.round((100 * withData.reduce((s, f) => s + f.weight * (f.score ?? 0), 0)) / totalWeight);

  const breaches = entries.filter((e) => e.status === 'breach');
  const warnings = entries.filter((e) => e.status === 'warn');

  // Quiet: the vendor did nothing visible while every connected source is fresh.
  const activity = entries.find((e) => e.key === 'delivery.vendor_activity');
  const watched = (['github', 'jira', 'slack'] as const)
    .map((s) => sources?.get(s))
    .filter((f): f is SourceFreshness => f !== undefined && f.connected);
  const quiet =
    activity !== undefined &&
    activity.value === 0 &&
    watched.length > 0 &&
    watched.every((f) => !f.neverSynced && f.staleSince === null);

  let status: RagStatus = !anyScored
    ? 'unknown'
    : breaches.length > 0
      ? 'red'
      : warnings.length > 0
        ? 'amber'
        : 'green';
  if (quiet && status === 'green') status = 'amber';

  const stale = [...(sources?.values() ?? [])].filter((f) => f.staleSince !== null);
  const staleSince = stale.length ? Math.min(...stale.map((f) => f.staleSince ?? Infinity)) : null;
  const zone = options.zone ?? 'UTC';

  const lines: string[] = [];
  if (status === 'unknown') {
    const connected = [...(sources?.values() ?? [])].filter((f) => f.connected && f.source !== 'coverage');
    if (sources && connected.length === 0) lines.push('No source is connected yet.');
    for (const f of connected) if (f.neverSynced || f.lastError) lines.push(`${f.summary}.`);
    if (entries.some((e) => e.status === 'low_sample'))
      lines.push('Some KPIs have values, but too few items to rate yet.');
    if (lines.length === 0) lines.push('No KPI with a threshold has data yet.');
  }
  for (const e of breaches) lines.push(e.explanation);
  for (const e of warnings) lines.push(e.explanation);
  if (quiet)
    lines.push(
      `Quiet: the vendor merged no PR, resolved no issue and answered no chat request over ${window.label}.`,
    );
  for (const f of stale) lines.push(`${f.summary}.`);
  if (status !== 'unknown') {
    for (const f of sources?.values() ?? [])
      if (f.connected && f.staleSince === null && f.lastError && f.summary.includes('failed'))
        lines.push(`${f.summary}.`);
  }
  const familiesWithoutData = families.filter((f) => f.score === null).map((f) => f.family);
  if (status !== 'unknown' && familiesWithoutData.length > 0)
    lines.push(`Not rated (no data): ${familiesWithoutData.map((f) => FAMILY_LABELS[f]).join(', ')}.`);

  const scoredCount = entries.filter((e) => e.score !== null).length;
  let summary: string;
  if (status === 'unknown') summary = 'No data yet';
  else if (status === 'red') summary = `Red: ${plural(breaches.length, 'KPI')} in breach`;
  else if (status === 'amber')
    summary =
      warnings.length > 0
        ? `Amber: ${plural(warnings.length, 'KPI')} in warn${quiet ? ', and quiet' : ''}`
        : 'Amber: quiet — no vendor activity';
  else summary = `Green: all ${plural(scoredCount, 'rated KPI')} within thresholds`;
  if (staleSince !== null) summary += ` · stale since ${formatInstant(staleSince, zone)}`;

  return {
    status,
    score: status === 'unknown' ? null : score,
    qualifiers: {
      staleSince: staleSince === null ? null : new Date(staleSince).toISOString(),
      staleSources: stale.map((f) => f.label),
      quiet,
    },
    families,
    familiesWithoutData,
    breaches,
    warnings,
    entries,
    summary,
    lines,
  };
}
