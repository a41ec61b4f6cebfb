import { type KpiKey } from '@pulse/contracts';
import { computeKpi } from '../registry';
import { isoWeekBucket } from '../time/buckets';
import {
  aContext,
  aPullRequest,
  aReview,
  aSprint,
  aTransition,
  aWorkItem,
  at,
  someRecords,
} from '../testing/builders';

const NY = 'America/New_York';
const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY); // ends Mon 11 Mar 00:00 EDT = 04:00Z
// 90-day window: [Tue 12 Dec 2023 00:00 EST, 11 Mar) ; the 90 days before: [13 Sep 2023 00:00 EDT, 12 Dec).

describe('continuity', () => {
  const oldPr = aPullRequest({
    authorLogin: 'vince',
    createdAt: at('2023-09-30T10:00:00Z'),
    mergedAt: at('2023-10-01T10:00:00Z'),
  });
  const reviewedPr = aPullRequest({ authorLogin: 'carol', createdAt: at('2024-01-31T10:00:00Z') });
  const records = someRecords({
    pullRequests: [
      oldPr,
      reviewedPr,
      // in the 90-day window: vince 2 × 300 lines, vera 300, val 100, carol (client) 5 000, a bot 10 000
      aPullRequest({
        authorLogin: 'vince',
        createdAt: at('2024-01-10T10:00:00Z'),
        mergedAt: at('2024-01-10T12:00:00Z'),
        additions: 200,
        deletions: 100,
      }),
      aPullRequest({
        authorLogin: 'vince',
        createdAt: at('2024-02-10T10:00:00Z'),
        mergedAt: at('2024-02-10T12:00:00Z'),
        additions: 300,
        deletions: 0,
      }),
      aPullRequest({
        authorLogin: 'vera',
        createdAt: at('2024-02-11T10:00:00Z'),
        mergedAt: at('2024-02-11T12:00:00Z'),
        additions: 300,
        deletions: 0,
      }),
      aPullRequest({
        authorLogin: 'val',
        createdAt: at('2024-03-05T10:00:00Z'),
        mergedAt: at('2024-03-06T12:00:00Z'),
        additions: 50,
        deletions: 50,
      }),
      aPullRequest({
        authorLogin: 'carol',
        createdAt: at('2024-02-12T10:00:00Z'),
        mergedAt: at('2024-02-12T12:00:00Z'),
        additions: 5000,
      }),
      aPullRequest({
        authorLogin: 'renovate[bot]',
        authorIsBot: true,
        createdAt: at('2024-02-12T10:00:00Z'),
        mergedAt: at('2024-02-12T12:00:00Z'),
        additions: 10000,
      }),
    ],
    reviews: [aReview(reviewedPr, { reviewerLogin: 'vince', submittedAt: at('2024-02-01T10:00:00Z') })],
    workItems: [
      // vera resolved an issue in the earlier window
      aWorkItem({
        assigneeId: 'vera',
        createdAt: at('2023-10-20T10:00:00Z'),
        resolvedAt: at('2023-11-01T10:00:00Z'),
        resolution: 'Done',
      }),
    ],
  });
  const kpi = (key: KpiKey, r = records, bucket = week) => computeKpi(key, r, bucket, aContext());

  it('contributor_retention: share of the earlier window’s vendor people still active', () => {
    // Earlier window: vince (merged PR 1 Oct), vera (resolved issue 1 Nov). In the window: vince
    // (PRs, review), vera (PR 11 Feb) → both stay: 100 %. Without vera's February PR she is gone.
    expect(kpi('continuity.contributor_retention')).toEqual({ value: 100, n: 2, dropped: 0 });
    const withoutVeraPr = {
      ...records,
      pullRequests: records.pullRequests.filter((p) => p.authorLogin !== 'vera'),
    };
    // vince kept, vera lost → 1 / 2 = 50 %; val (new) is not in the denominator; carol is client.
    expect(kpi('continuity.contributor_retention', withoutVeraPr)).toEqual({ value: 50, n: 2, dropped: 0 });
  });

  it('knowledge_concentration: fewest vendor authors covering half of the vendor lines changed', () => {
    // vince 600, vera 300, val 100 = 1 000 (client and bot lines are not vendor knowledge).
    // vince alone has 600 ≥ 500 → 1 person.
    expect(kpi('continuity.knowledge_concentration')).toEqual({ value: 1, n: 3, dropped: 0 });
    const balanced = someRecords({
      pullRequests: [
        aPullRequest({ authorLogin: 'vince', mergedAt: at('2024-03-05T12:00:00Z'), additions: 400 }),
        aPullRequest({ authorLogin: 'vera', mergedAt: at('2024-03-05T12:00:00Z'), additions: 350 }),
        aPullRequest({ authorLogin: 'val', mergedAt: at('2024-03-05T12:00:00Z'), additions: 250 }),
      ],
    });
    // 400 < 500; 400 + 350 = 750 ≥ 500 → 2 people.
    expect(kpi('continuity.knowledge_concentration', balanced).value).toBe(2);
  });

  it('knowledge_concentration is a gap when no vendor PR was merged in 90 days', () => {
    expect(kpi('continuity.knowledge_concentration', someRecords()).value).toBeNull();
  });

  it('new_contributors: vendor people whose first activity is in the bucket', () => {
    // val's first activity is the PR opened Tue 5 Mar; vince and vera started in 2023.
    expect(kpi('continuity.new_contributors')).toEqual({ value: 1, n: 1, dropped: 0 });
    expect(
      kpi('continuity.new_contributors', records, isoWeekBucket(at('2024-02-14T12:00:00Z'), NY)).value,
    ).toBe(0);
  });
});

describe('scope', () => {
  const done = (key: string, iso: string) =>
    aWorkItem({
      key,
      transitions: [aTransition(iso, 'in_progress', 'done')],
      resolvedAt: at(iso),
      resolution: 'Done',
    });
  const records = someRecords({
    workItems: [
      done('K1', '2024-03-06T10:00:00Z'),
      done('K2', '2024-03-09T10:00:00Z'), // after the sprint closed
      done('K3', '2024-03-07T10:00:00Z'),
      done('K5', '2024-03-07T10:00:00Z'),
      aWorkItem({ key: 'K6' }),
      aWorkItem({ key: 'K7' }),
    ],
    sprints: [
      // closed Fri 8 Mar 17:00Z: 4 committed (K4 unknown to us), 1 added
      aSprint({
        completedAt: at('2024-03-08T17:00:00Z'),
        issueKeysAtStart: ['K1', 'K2', 'K3', 'K4'],
        issueKeysAddedAfterStart: ['K5'],
      }),
      // closed the same week: 2 committed, 3 added
      aSprint({
        completedAt: at('2024-03-07T17:00:00Z'),
        issueKeysAtStart: ['K6', 'K7'],
        issueKeysAddedAfterStart: ['K8', 'K9', 'K10'],
      }),
      // still active: ignored
      aSprint({ completedAt: null, issueKeysAtStart: ['K1'], issueKeysAddedAfterStart: ['K2', 'K3'] }),
    ],
  });
  const kpi = (key: KpiKey, r = records) => computeKpi(key, r, week, aContext());

  it('sprint_scope_change: issues added after start ÷ issues at start, pooled over the sprints closed in the bucket', () => {
    // (1 + 3) / (4 + 2) = 66.67 %.
    expect(kpi('scope.sprint_scope_change').value).toBeCloseTo((100 * 4) / 6, 10);
    expect(kpi('scope.sprint_scope_change').n).toBe(2);
  });

  it('sprint_completion: committed issues done by sprint end ÷ committed issues', () => {
    // Sprint 1: K1, K3 done by Fri 17:00 (K2 only on Sat); K4 unknown → left out → 2 / 3.
    // Sprint 2: K6, K7 not done → 0 / 2. Pooled: 2 / 5 = 40 %.
    expect(kpi('scope.sprint_completion')).toEqual({ value: 40, n: 2, dropped: 0 });
  });

  it('no sprint closed in the bucket: a gap', () => {
    const other = isoWeekBucket(at('2024-02-14T12:00:00Z'), NY);
    expect(computeKpi('scope.sprint_scope_change', records, other, aContext())).toEqual({
      value: null,
      n: 0,
      dropped: 0,
    });
  });
});
