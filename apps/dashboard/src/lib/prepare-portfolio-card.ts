import type { ConnectionDto, KpiHealthEntry, KpiSeriesDto, RagStatus } from '@pulse/contracts';
import { formatValue, relativeTime, sourceLabel } from './format';
import { kpiLabel, type KpiMeta } from './kpi-registry';
import { thresholdText } from './kpi-status';
import { weeklyHealth, type WeekHealth } from './weekly-health';

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
  registry: ReadonlyMap<string, KpiMeta>,
  limit = 3,
): WorstKpi[] {
  const sorted = [
    ...[...health.breaches].sort((a, b) => overshoot(b) - overshoot(a)),
    ...[...health.warnings].sort((a, b) => overshoot(b) - overshoot(a)),
  ];
  return sorted.slice(0, limit).map((e) => ({
    key: e.key,
    label: kpiLabel(registry, e.key),
    status: e.status === 'breach' ? 'breach' : 'warn',
    valueText: formatValue(e.value, e.unit),
    thresholdText: thresholdText(e.threshold, e.direction, (v) => formatValue(v, e.unit)),
  }));
}

export type FreshnessTone = 'ok' | 'stale' | 'error' | 'pending';

export interface Freshness {
  kind: string;
  tone: FreshnessTone;
  text: string;
  /** True when the manager has to do something (a link to settings is shown). */
  needsAction: boolean;
}

const STALE_AFTER_MS = 24 * 3_600_000;

/** "GitHub synced 12 min ago", "Jira: token rejected — fix in settings", … */
export function connectionFreshness(c: Pick<ConnectionDto, 'kind' | 'sync'>, now: number): Freshness {
  const name = sourceLabel(c.kind);
  const s = c.sync;
  const errorIsCurrent =
    s.lastErrorClass !== null &&
    (s.lastSuccessAt === null ||
      (s.lastErrorAt !== null && Date.parse(s.lastErrorAt) >= Date.parse(s.lastSuccessAt)));
  const synced = s.lastSuccessAt ? ` (last synced ${relativeTime(s.lastSuccessAt, now)})` : '';
  if (errorIsCurrent) {
    switch (s.lastErrorClass) {
      case 'auth':
        return {
          kind: c.kind,
          tone: 'error',
          needsAction: true,
          text: `${name}: token rejected — syncing paused until the token is fixed in settings`,
        };
      case 'forbidden':
        return {
          kind: c.kind,
          tone: 'error',
          needsAction: true,
          text: `${name}: access refused — give the account access, then save the settings to resume`,
        };
      case 'unreachable':
        return {
          kind: c.kind,
          tone: 'stale',
          needsAction: false,
          text: `${name}: host unreachable, retrying with back-off — check the URL if it persists${synced}`,
        };
      case 'not_found':
        return {
          kind: c.kind,
          tone: 'error',
          needsAction: true,
          text: `${name}: repository, project or channel not found — fix in settings`,
        };
      case 'invalid_config':
        return {
          kind: c.kind,
          tone: 'error',
          needsAction: true,
          text: `${name}: settings are invalid — syncing paused until they are fixed in settings`,
        };
      case 'rate_limited':
        return {
          kind: c.kind,
          tone: 'stale',
          needsAction: false,
          text: `${name}: rate limited, retrying ${s.retryAfter ? relativeTime(s.retryAfter, now) : 'soon'}${synced}`,
        };
      default:
        return {
          kind: c.kind,
          tone: 'stale',
          needsAction: false,
          text: `${name}: temporary error, will retry${synced}`,
        };
    }
  }
  if (!s.lastSuccessAt)
    return { kind: c.kind, tone: 'pending', needsAction: false, text: `${name}: not synced yet` };
  const age = now - Date.parse(s.lastSuccessAt);
  return {
    kind: c.kind,
    tone: age > STALE_AFTER_MS ? 'stale' : 'ok',
    needsAction: false,
    text: `${name} synced ${relativeTime(s.lastSuccessAt, now)}`,
  };
}

export interface PortfolioCardModel {
  status: RagStatus;
  score: number | null;
  summary: string;
  worst: WorstKpi[];
  sparkline: (number | null)[];
  weeks: WeekHealth[];
  freshness: Freshness[];
}

export function preparePortfolioCard(input: {
  health:
    | {
        status: RagStatus;
        score: number | null;
        summary: string;
        breaches: KpiHealthEntry[];
        warnings: KpiHealthEntry[];
      }
    | undefined;
  kpis: readonly KpiSeriesDto[] | undefined;
  connections: readonly ConnectionDto[] | undefined;
  registry: ReadonlyMap<string, KpiMeta>;
  now: number;
}): PortfolioCardModel {
  const weeks = input.kpis ? weeklyHealth(input.kpis).slice(-12) : [];
  return {
    status: input.health?.status ?? 'unknown',
    score: input.health?.score ?? null,
    summary: input.health?.summary ?? '',
    worst: input.health ? worstKpis(input.health, input.registry) : [],
    sparkline: weeks.map((w) => w.score),
    weeks,
    freshness: (input.connections ?? []).map((c) => connectionFreshness(c, input.now)),
  };
}

const STATUS_ORDER: Record<RagStatus, number> = { red: 0, amber: 1, unknown: 2, green: 3 };

/** Engagements needing attention first: red, amber, unknown, green; then by name. */
export function sortByAttention<T extends { name: string; status: RagStatus }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name),
  );
}
