import type { WorkItemDrillDownDto } from '@pulse/contracts';
import {
  drillDownFor,
  shareDrillDownFor,
  sortPullRequests,
  sortUnanswered,
  sortWorkItems,
  weekRange,
} from './prepare-drill-down';
import { aPullRequest } from './test-builders';

describe('drillDownFor', () => {
  it('maps KPIs to the items behind them', () => {
    expect(drillDownFor('delivery.pr_pickup_time')).toEqual({ kind: 'pull-requests', stage: 'pickupHours' });
    expect(drillDownFor('delivery.pr_cycle_time')).toEqual({ kind: 'pull-requests', stage: 'cycleHours' });
    expect(drillDownFor('quality.open_bugs')).toEqual({ kind: 'work-items', itemKind: 'bugs' });
    expect(drillDownFor('quality.merged_without_review')).toEqual({
      kind: 'pull-requests',
      stage: 'cycleHours',
    });
    expect(drillDownFor('responsiveness.unanswered_requests')).toEqual({ kind: 'unanswered-requests' });
    expect(drillDownFor('coverage.line')).toBeNull();
  });
  it('turns a week into an inclusive date range', () => {
    expect(weekRange('2026-03-09')).toEqual({ from: '2026-03-09', to: '2026-03-15' });
  });
});

describe('shareDrillDownFor', () => {
  const open = { allowDrillDown: true, families: ['delivery', 'quality'] };
  it('opens the PRs behind delivery KPIs when the link allows drill-down', () => {
    expect(shareDrillDownFor('delivery.pr_pickup_time', open)).toEqual({
      kind: 'pull-requests',
      stage: 'pickupHours',
    });
    expect(shareDrillDownFor('delivery.prs_merged', open)).toEqual({
      kind: 'pull-requests',
      stage: 'cycleHours',
    });
  });
  it('offers nothing the share endpoint does not serve', () => {
    // Issues and bugs have no share endpoint; PR-based KPIs of other families are not "delivery".
    expect(shareDrillDownFor('delivery.issue_cycle_time', open)).toBeNull();
    expect(shareDrillDownFor('quality.merged_without_review', open)).toBeNull();
    expect(shareDrillDownFor('coverage.line', open)).toBeNull();
  });
  it('offers nothing when the link does not allow it or does not share delivery', () => {
    expect(shareDrillDownFor('delivery.pr_cycle_time', { ...open, allowDrillDown: false })).toBeNull();
    expect(
      shareDrillDownFor('delivery.pr_cycle_time', { allowDrillDown: true, families: ['quality'] }),
    ).toBeNull();
  });
});

describe('sorting', () => {
  it('lists PRs slowest first on the measured stage, missing stages last', () => {
    const prs = [
      aPullRequest(1, { pickupHours: 5 }),
      aPullRequest(2, { pickupHours: null }),
      aPullRequest(3, { pickupHours: 50 }),
    ];
    expect(sortPullRequests(prs, 'pickupHours').map((p) => p.number)).toEqual([3, 1, 2]);
  });
  it('lists bugs breached first, then oldest', () => {
    const bug = (
      key: string,
      slaState: WorkItemDrillDownDto['slaState'],
      ageDays: number,
    ): WorkItemDrillDownDto => ({
      key,
      url: `https://jira/${key}`,
      type: 'Bug',
      priority: 'High',
      createdAt: '2026-03-01T00:00:00Z',
      resolvedAt: null,
      ageDays,
      slaState,
    });
    const sorted = sortWorkItems([bug('A', 'met', 40), bug('B', 'open_breached', 2), bug('C', 'met', 50)]);
    expect(sorted.map((b) => b.key)).toEqual(['B', 'C', 'A']);
  });
  it('lists unanswered requests longest waiting first', () => {
    const r = (m: number) => ({
      channel: 'C1',
      channelName: 'proj',
      author: 'x',
      side: 'client' as const,
      askedAt: '',
      waitingBusinessMinutes: m,
      permalink: null,
    });
    expect(sortUnanswered([r(5), r(500), r(50)]).map((x) => x.waitingBusinessMinutes)).toEqual([500, 50, 5]);
  });
});
