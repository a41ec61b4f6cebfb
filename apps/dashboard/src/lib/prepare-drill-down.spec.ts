import type { WorkItemDto } from '../api/types';
import {
  drillDownFor,
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
    const bug = (key: string, slaState: WorkItemDto['slaState'], ageDays: number): WorkItemDto => ({
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
