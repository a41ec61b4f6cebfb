import { DateTime } from 'luxon';
import { type KpiDefinitionMeta, type KpiSource } from '@pulse/contracts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What a person calls each source. */
export const SOURCE_LABELS: Readonly<Record<KpiSource, string>> = {
  github: 'GitHub',
  jira: 'Jira',
  slack: 'Slack',
  coverage: 'Coverage',
};

/** The sync state of one source as stored (connection row, or coverage samples). */
export interface SourceSyncState {
  source: KpiSource;
  connected: boolean;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: { class: string; message: string; at: number | null } | null;
}

/** A source's freshness at one instant: whether its KPIs have data, and whether it is stale. */
export interface SourceFreshness extends SourceSyncState {
  label: string;
  /** Never synced successfully: its KPIs are gaps, counts included. */
  neverSynced: boolean;
  /** The instant the source became stale (last success + allowance), or null when fresh. */
  staleSince: number | null;
  /** "GitHub sync failed 2 h ago: host not found", "GitHub synced 3 h ago", "Slack not connected". */
  summary: string;
}

/** A source is stale once its last success is older than max(2 sync intervals, 24 h). */
export function staleAllowanceMs(syncIntervalMs: number): number {
  return Math.max(2 * syncIntervalMs, DAY);
}

/** "just now", "5 min ago", "2 h ago", "3 days ago". */
export function ago(ms: number): string {
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} days ago`;
}

/** An instant as a person reads it in the reporting zone, labelled: "1 Dec 2026, 14:05 (America/Chicago)". */
export function formatInstant(t: number, zone: string): string {
  return `${DateTime.fromMillis(t, { zone }).toFormat('d LLL yyyy, HH:mm')} (${zone})`;
}

export function sourceFreshness(
  state: SourceSyncState,
  now: number,
  syncIntervalMs: number,
  zone: string,
): SourceFreshness {
  const label = SOURCE_LABELS[state.source];
  const neverSynced = state.lastSuccessAt === null;
  // Coverage arrives with commits, not on a schedule: a quiet repo is not a stale one.
  const stale =
    state.source !== 'coverage' &&
    state.connected &&
    state.lastSuccessAt !== null &&
    now - state.lastSuccessAt > staleAllowanceMs(syncIntervalMs);
  const staleSince = stale ? (state.lastSuccessAt ?? 0) + staleAllowanceMs(syncIntervalMs) : null;
  const err = state.lastError;
  const failed =
    err !== null && (state.lastSuccessAt === null || (err.at !== null && err.at > state.lastSuccessAt));
  const failure =
    failed && err
      ? `${label} sync failed${err.at === null ? '' : ` ${ago(now - err.at)}`}: ${err.message}`
      : null;
  let summary: string;
  if (!state.connected)
    summary = state.source === 'coverage' ? 'No coverage report yet' : `${label} not connected`;
  else if (neverSynced) summary = failure ?? `${label} has not synced yet`;
  else if (staleSince !== null)
    summary = `${label} data is stale since ${formatInstant(staleSince, zone)} (last synced ${ago(now - (state.lastSuccessAt ?? 0))})${failure ? `; ${failure}` : ''}`;
  else
    summary =
      state.source === 'coverage'
        ? `Coverage reported ${ago(now - (state.lastSuccessAt ?? 0))}`
        : `${label} synced ${ago(now - (state.lastSuccessAt ?? 0))}${failure ? `; ${failure}` : ''}`;
  return { ...state, label, neverSynced, staleSince, summary };
}

/** Whether a KPI's sources have delivered data (so a count of 0 is a real 0). */
export function kpiDelivered(
  def: Pick<KpiDefinitionMeta, 'sources' | 'sourcesMode'>,
  sources: ReadonlyMap<KpiSource, SourceFreshness>,
): boolean {
  const delivered = (s: KpiSource): boolean => {
    const f = sources.get(s);
    return f !== undefined && f.connected && !f.neverSynced;
  };
  return def.sourcesMode === 'all' ? def.sources.every(delivered) : def.sources.some(delivered);
}

/** Why a KPI has no data, from its sources: the first connected source's summary, or "not connected". */
export function gapReason(
  def: Pick<KpiDefinitionMeta, 'sources'>,
  sources: ReadonlyMap<KpiSource, SourceFreshness>,
): string | null {
  const mine = def.sources.map((s) => sources.get(s)).filter((f): f is SourceFreshness => !!f);
  const connected = mine.filter((f) => f.connected);
  if (connected.length === 0) {
    return `${def.sources.map((s) => SOURCE_LABELS[s]).join(' or ')} not connected`;
  }
  const broken = connected.find((f) => f.neverSynced);
  return broken && connected.every((f) => f.neverSynced) ? broken.summary : null;
}

/** The earliest stale-since instant among a KPI's delivering sources, or null. */
export function kpiStaleSince(
  def: Pick<KpiDefinitionMeta, 'sources'>,
  sources: ReadonlyMap<KpiSource, SourceFreshness>,
): number | null {
  let min: number | null = null;
  for (const s of def.sources) {
    const f = sources.get(s);
    if (f?.staleSince != null && (min === null || f.staleSince < min)) min = f.staleSince;
  }
  return min;
}

/** A connection row's sync state, as stored (see ConnectionEntity). */
export interface ConnectionSyncRow {
  kind: string;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastErrorClass: string | null;
  lastErrorMessage: string | null;
  lastErrorAt: number | null;
}

/**
 * The sync state of every source of an engagement from its connection rows and its latest
 * coverage sample: github, jira and slack from their connections (absent = not
 * connected); coverage has "synced" when any sample exists.
 */
export function sourceStates(
  connections: readonly ConnectionSyncRow[],
  latestCoverageAt: number | null,
): SourceSyncState[] {
  const out: SourceSyncState[] = (['github', 'jira', 'slack'] as const).map((source) => {
    const c = connections.find((x) => x.kind === source);
    if (!c) return { source, connected: false, lastSuccessAt: null, lastAttemptAt: null, lastError: null };
    return {
      source,
      connected: true,
      lastSuccessAt: c.lastSuccessAt,
      lastAttemptAt: c.lastAttemptAt,
      lastError:
        c.lastErrorClass === null && c.lastErrorMessage === null
          ? null
          : {
              class: c.lastErrorClass ?? 'temporary',
              message: c.lastErrorMessage ?? 'unknown error',
              at: c.lastErrorAt,
            },
    };
  });
  out.push({
    source: 'coverage',
    connected: latestCoverageAt !== null || connections.some((c) => c.kind === 'github'),
    lastSuccessAt: latestCoverageAt,
    lastAttemptAt: latestCoverageAt,
    lastError: null,
  });
  return out;
}
