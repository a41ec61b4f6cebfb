import { toKpiThreshold, type KpiSeriesDto, type KpiStatus, type RagStatus } from '@pulse/contracts';
import { rateKpi } from '@pulse/kpi';
import type { ThresholdRow } from './threshold-text';
import { weeklyHealth } from './weekly-health';

const pair = (row: ThresholdRow, direction: KpiSeriesDto['direction']) =>
  row ? toKpiThreshold(row, direction) : null;

export interface ThresholdDraft {
  warn: string;
  breach: string;
}

/** Parses an input box: blank = no value (null); anything else must be a finite number. */
export function parseThresholdInput(
  text: string,
): { ok: true; value: number | null } | { ok: false; message: string } {
  const trimmed = text.trim().replace('−', '-').replace(',', '.');
  if (trimmed === '') return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: 'enter a number, or leave empty' };
  return { ok: true, value };
}

/** Checks a pair is ordered the way the direction needs (lower: warn ≤ breach). */
export function validateDraft(
  draft: ThresholdDraft,
  direction: string,
): { row: ThresholdRow; error: string | null } {
  const warn = parseThresholdInput(draft.warn);
  const breach = parseThresholdInput(draft.breach);
  if (!warn.ok) return { row: null, error: `warn: ${warn.message}` };
  if (!breach.ok) return { row: null, error: `breach: ${breach.message}` };
  const row = { warn: warn.value, breach: breach.value };
  if (warn.value !== null && breach.value !== null) {
    if (direction === 'lower' && warn.value > breach.value)
      return { row, error: 'warn must not be above breach (lower is better)' };
    if (direction === 'higher' && warn.value < breach.value)
      return { row, error: 'warn must not be below breach (higher is better)' };
  }
  return { row, error: null };
}

export interface PreviewWeek {
  weekStart: string;
  before: RagStatus;
  after: RagStatus;
  scoreBefore: number | null;
  scoreAfter: number | null;
}

export interface KpiPreviewWeek {
  weekStart: string;
  value: number | null;
  before: KpiStatus;
  after: KpiStatus;
}

/**
 * How the last `weeks` weeks would have been rated with the drafted thresholds: the
 * engagement's status and score per week, before and after, and each changed KPI's own rating.
 */
export function previewThresholds(
  kpis: readonly KpiSeriesDto[],
  drafts: ReadonlyMap<string, ThresholdRow>,
  weeks = 12,
): { weeks: PreviewWeek[]; perKpi: Map<string, KpiPreviewWeek[]>; changedWeeks: number } {
  const before = weeklyHealth(kpis).slice(-weeks);
  const after = weeklyHealth(kpis, drafts).slice(-weeks);
  const rows: PreviewWeek[] = before.map((b, i) => ({
    weekStart: b.weekStart,
    before: b.status,
    after: after[i]?.status ?? 'unknown',
    scoreBefore: b.score,
    scoreAfter: after[i]?.score ?? null,
  }));
  const perKpi = new Map<string, KpiPreviewWeek[]>();
  for (const kpi of kpis) {
    if (!drafts.has(kpi.key)) continue;
    perKpi.set(
      kpi.key,
      kpi.series.slice(-weeks).map((p) => ({
        weekStart: p.weekStart,
        value: p.value,
        before: rateKpi(p, pair(kpi.threshold, kpi.direction), kpi.direction, p.minN),
        after: rateKpi(p, pair(drafts.get(kpi.key), kpi.direction), kpi.direction, p.minN),
      })),
    );
  }
  return { weeks: rows, perKpi, changedWeeks: rows.filter((r) => r.before !== r.after).length };
}
