import type { PullRequestDrillDownDto, SharedViewDto, WorkItemDrillDownDto } from '@pulse/contracts';
import type { UnansweredRequestDto } from '../api/types';
import { addDays } from './date-range';

export type PrStage = keyof PullRequestDrillDownDto['stages'];
export type SlaState = WorkItemDrillDownDto['slaState'];

export type DrillDown =
  | { kind: 'pull-requests'; stage: PrStage }
  | { kind: 'work-items'; itemKind: 'bugs' | 'issues' }
  | { kind: 'unanswered-requests' };

const PR_STAGE_BY_KEY: Record<string, PrStage> = {
  'delivery.pr_cycle_time': 'cycleHours',
  'delivery.pr_coding_time': 'codingHours',
  'delivery.pr_pickup_time': 'pickupHours',
  'delivery.pr_review_time': 'reviewHours',
  'delivery.prs_merged': 'cycleHours',
  'delivery.lead_time_for_changes': 'cycleHours',
  'quality.merged_without_review': 'cycleHours',
  'responsiveness.pr_first_review_vendor': 'pickupHours',
  'responsiveness.pr_first_review_client': 'pickupHours',
};

const ISSUE_KEYS = new Set([
  'delivery.issue_cycle_time',
  'delivery.throughput',
  'delivery.story_points',
  'responsiveness.issue_first_response',
]);

/** Which items sit behind a KPI, or null when it has no item list (coverage, continuity…). */
export function drillDownFor(key: string): DrillDown | null {
  const stage = PR_STAGE_BY_KEY[key];
  if (stage) return { kind: 'pull-requests', stage };
  if (key.startsWith('quality.')) return { kind: 'work-items', itemKind: 'bugs' };
  if (ISSUE_KEYS.has(key)) return { kind: 'work-items', itemKind: 'issues' };
  if (key.startsWith('responsiveness.') && key.includes('chat')) return { kind: 'unanswered-requests' };
  if (key === 'responsiveness.unanswered_requests') return { kind: 'unanswered-requests' };
  return null;
}

/**
 * What a vendor may open behind a KPI on a share link: only the PRs behind delivery KPIs, and
 * only when the link allows drill-down and shares the delivery family (the API answers 404
 * otherwise).
 */
export function shareDrillDownFor(
  key: string,
  view: Pick<SharedViewDto, 'allowDrillDown' | 'families'>,
): Extract<DrillDown, { kind: 'pull-requests' }> | null {
  if (!view.allowDrillDown || !view.families.includes('delivery') || !key.startsWith('delivery.'))
    return null;
  const drill = drillDownFor(key);
  return drill?.kind === 'pull-requests' ? drill : null;
}

/** A week's Monday → the from/to (inclusive) of that week. */
export function weekRange(weekStart: string): { from: string; to: string } {
  return { from: weekStart, to: addDays(weekStart, 6) };
}

/** Slowest first on the stage the KPI measures; PRs without that stage go last. */
export function sortPullRequests(
  prs: readonly PullRequestDrillDownDto[],
  stage: PrStage,
): PullRequestDrillDownDto[] {
  return [...prs].sort((a, b) => {
    const x = a.stages[stage];
    const y = b.stages[stage];
    if (x === null && y === null) return (b.stages.cycleHours ?? -1) - (a.stages.cycleHours ?? -1);
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  });
}

const SLA_RANK: Record<SlaState, number> = { open_breached: 0, missed: 1, open_within: 2, met: 3, none: 4 };

export const SLA_TEXT: Record<SlaState, string> = {
  open_breached: 'Open, SLA breached',
  missed: 'SLA missed',
  open_within: 'Open, within SLA',
  met: 'SLA met',
  none: 'No SLA',
};

/** The bugs a manager should chase first: breached/missed SLAs, then oldest. */
export function sortWorkItems(items: readonly WorkItemDrillDownDto[]): WorkItemDrillDownDto[] {
  return [...items].sort((a, b) => SLA_RANK[a.slaState] - SLA_RANK[b.slaState] || b.ageDays - a.ageDays);
}

export function sortUnanswered(items: readonly UnansweredRequestDto[]): UnansweredRequestDto[] {
  return [...items].sort((a, b) => b.waitingBusinessMinutes - a.waitingBusinessMinutes);
}
