import type { EngagementHealthDto, KpiHealthEntry, RagStatus, SourceFreshnessDto } from '@pulse/contracts';
import { formatValue, instant } from './format';
import { thresholdText } from './threshold-text';
import type { WeekHealth } from './weekly-health';

export interface WorstKpi {
  key: string;
  label: string;
  status: 'breach' | 'warn';
  valueText: string;
  thresholdText: string;
}

/** How far past its threshold an entry is, relative to the threshold, for ordering. */
function overshoot(e: KpiHealthEntry): number {
  if (e.value === null || !e.threshold) return 0;
  const limit = e.status === 'breach' ? e.threshold.breach : e.threshold.warn;
  if (limit === null || !Number.isFinite(limit)) return 0;
  const diff = e.direction === 'higher' ? limit - e.value : e.value - limit;
  return diff / (Math.abs(limit) || 1);
}

/** Breaches first, then warnings, each the furthest past its threshold first. */
export function worstKpis(
  health: { breaches: KpiHealthEntry[]; warnings: KpiHealthEntry[] },
  limit = 3,
): WorstKpi[] {
  const sorted = [
    ...[...health.breaches].sort((a, b) => overshoot(b) - overshoot(a)),
    ...[...health.warnings].sort((a, b) => overshoot(b) - overshoot(a)),
  ];
  return sorted.slice(0, limit).map((e) => ({
    key: e.key,
    label: e.label,
    status: e.status === 'breach' ? 'breach' : 'warn',
    valueText: formatValue(e.value, e.unit),
    thresholdText: thresholdText(e.threshold, e.direction, (v) => formatValue(v, e.unit)),
  }));
}

export type FreshnessTone = 'ok' | 'stale' | 'error' | 'pending';

export interface Freshness {
  kind: string;
  tone: FreshnessTone;
  /** The API's plain-language summary: "GitHub sync failed 2 h ago: host not found". */
  text: string;
  /** True when the manager has to do something (a link to settings is shown). */
  needsAction: boolean;
}

const ACTION_CLASSES = new Set(['auth', 'forbidden', 'not_found', 'invalid_config', 'unreachable']);

/** One connected source's freshness as a line of the card; sources not connected are left out. */
export function sourceFreshness(s: SourceFreshnessDto): Freshness | null {
  if (!s.connected) return null;
  const failing =
    s.lastError !== null &&
    (s.lastSuccessAt === null || (s.lastError.at !== null && s.lastError.at > s.lastSuccessAt));
  const tone: FreshnessTone =
    failing && s.neverSynced
      ? 'error'
      : s.staleSince
        ? 'stale'
        : s.neverSynced
          ? 'pending'
          : failing
            ? 'stale'
            : 'ok';
  return {
    kind: s.source,
    tone,
    text: s.summary,
    needsAction: failing && s.lastError !== null && ACTION_CLASSES.has(s.lastError.class),
  };
}

export interface PortfolioCardModel {
  status: RagStatus;
  /** null = no score to show ("No data yet"), never a made-up 0 or 100. */
  score: number | null;
  summary: string;
  /** The API's plain-language lines; for "No data yet" they start with the reason. */
  lines: string[];
  /** "stale since 1 Dec 2026, 14:05 (Europe/Berlin)", or null when every source is fresh. */
  staleText: string | null;
  quiet: boolean;
  worst: WorstKpi[];
  sparkline: (number | null)[];
  weeks: WeekHealth[];
  freshness: Freshness[];
}

export function preparePortfolioCard(input: {
  health: EngagementHealthDto | undefined;
  /** `weeklyHealth` of the engagement's series (loaded lazily: it brings the rating engine). */
  weeks: readonly WeekHealth[] | undefined;
  zone: string;
}): PortfolioCardModel {
  const h = input.health;
  // Complete weeks only: a partial week's score would swing with every day of the week.
  const weeks = (input.weeks ?? []).filter((w) => !w.partial).slice(-12);
  const status = h?.status ?? 'unknown';
  return {
    status,
    score: status === 'unknown' ? null : (h?.score ?? null),
    summary: h?.summary ?? '',
    lines: h?.lines ?? [],
    staleText: h?.qualifiers.staleSince
      ? `stale since ${instant(h.qualifiers.staleSince, input.zone)}`
      : null,
    quiet: h?.qualifiers.quiet ?? false,
    worst: h ? worstKpis(h) : [],
    sparkline: weeks.map((w) => w.score),
    weeks,
    freshness: (h?.sources ?? []).flatMap((s) => sourceFreshness(s) ?? []),
  };
}

const STATUS_ORDER: Record<RagStatus, number> = { red: 0, amber: 1, unknown: 2, green: 3 };

/** Engagements needing attention first: red, amber, unknown, green; then by name. */
export function sortByAttention<T extends { name: string; status: RagStatus }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name),
  );
}
