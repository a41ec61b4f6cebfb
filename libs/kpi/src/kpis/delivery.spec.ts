import { type KpiKey } from '@pulse/contracts';
import { computeKpi } from '../registry';
import { isoWeekBucket, trailingWindow } from '../time/buckets';
import {
  aContext,
  aDeployment,
  aPullRequest,
  aRelease,
  aReview,
  aTransition,
  aWorkItem,
  at,
  someRecords,
} from '../testing/builders';

// The week under test: Mon 4 Mar 2024 00:00 EST (05:00Z) → Mon 11 Mar 00:00 EDT (04:00Z), New York.
const NY = 'America/New_York';
const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY);
const nextWeek = isoWeekBucket(at('2024-03-13T12:00:00Z'), NY);
const context = aContext();

// PR fixture shared by the PR KPIs (all authored by vince, vendor, unless stated).
const pr1 = aPullRequest({
  // first commit 10:00, opened 12:00, reviewed by vera 14:00, merged next day 12:00
  firstCommitAt: at('2024-03-04T10:00:00Z'),
  createdAt: at('2024-03-04T12:00:00Z'),
  mergedAt: at('2024-03-05T12:00:00Z'),
  mergeCommitSha: 'm1',
});
const pr2 = aPullRequest({
  // opened as a draft at 00:00, ready for review 10:00, review comment by carol (client) 16:00
  createdAt: at('2024-03-05T00:00:00Z'),
  draft: false,
  readyAt: at('2024-03-05T10:00:00Z'),
  mergedAt: at('2024-03-06T10:00:00Z'),
  mergeCommitSha: 'm2',
});
const pr3 = aPullRequest({
  // no review by anyone but the author (a self-review and a bot review do not count)
  createdAt: at('2024-03-06T00:00:00Z'),
  mergedAt: at('2024-03-06T04:00:00Z'),
});
const pr4Bot = aPullRequest({
  authorLogin: 'dependabot[bot]',
  authorIsBot: true,
  createdAt: at('2024-03-05T00:00:00Z'),
  mergedAt: at('2024-03-05T01:00:00Z'),
});
const pr5 = aPullRequest({
  // first commit *after* the PR was opened (rebased/edited data): coding time is negative
  firstCommitAt: at('2024-03-07T12:00:00Z'),
  createdAt: at('2024-03-07T10:00:00Z'),
  mergedAt: at('2024-03-07T20:00:00Z'),
});
const pr6NextWeek = aPullRequest({
  createdAt: at('2024-03-11T10:00:00Z'),
  mergedAt: at('2024-03-12T10:00:00Z'),
});
const pr7ByClient = aPullRequest({
  // carol (client) opens Thu 16:00Z (Berlin 17:00); vera (vendor) reviews Fri 09:00Z (Berlin 10:00); not merged
  authorLogin: 'carol',
  createdAt: at('2024-03-07T16:00:00Z'),
});

const prRecords = someRecords({
  pullRequests: [pr1, pr2, pr3, pr4Bot, pr5, pr6NextWeek, pr7ByClient],
  reviews: [
    aReview(pr1, { reviewerLogin: 'vera', submittedAt: at('2024-03-04T14:00:00Z') }),
    aReview(pr1, { reviewerLogin: 'val', submittedAt: at('2024-03-04T20:00:00Z') }),
    aReview(pr2, {
      reviewerLogin: 'carol',
      kind: 'review_comment',
      state: 'commented',
      submittedAt: at('2024-03-05T16:00:00Z'),
    }),
    aReview(pr3, { reviewerLogin: 'vince', submittedAt: at('2024-03-06T01:00:00Z') }), // the author
    aReview(pr3, { reviewerLogin: 'renovate[bot]', submittedAt: at('2024-03-06T02:00:00Z') }), // a bot
    aReview(pr3, { reviewerLogin: 'ci-helper', submittedAt: at('2024-03-06T02:30:00Z') }), // a roster bot
    aReview(pr4Bot, { reviewerLogin: 'vera', submittedAt: at('2024-03-05T00:30:00Z') }),
    aReview(pr5, { reviewerLogin: 'vera', submittedAt: at('2024-03-07T11:00:00Z') }),
    aReview(pr7ByClient, { reviewerLogin: 'vera', submittedAt: at('2024-03-08T09:00:00Z') }),
  ],
});

const kpi = (key: KpiKey, records = prRecords, bucket = week) => computeKpi(key, records, bucket, context);

describe('delivery: pull requests', () => {
  it('pr_cycle_time: median of merged − min(first commit, created), bots excluded', () => {
    // pr1: 12:00 Tue − 10:00 Mon = 26 h; pr2: 10:00 Wed − 00:00 Tue = 34 h; pr3: 4 h;
    // pr5: start = min(12:00, 10:00) = 10:00 → 20:00 = 10 h. Sorted 4, 10, 26, 34 → (10 + 26) / 2 = 18.
    expect(kpi('delivery.pr_cycle_time')).toEqual({ value: 18, n: 4, dropped: 0 });
  });

  it('pr_coding_time: created − first commit; negative spans dropped and counted', () => {
    // pr1: 12:00 − 10:00 = 2 h; pr2, pr3: no commit time; pr5: 10:00 − 12:00 < 0 → dropped.
    expect(kpi('delivery.pr_coding_time')).toEqual({ value: 2, n: 1, dropped: 1 });
  });

  it('pr_pickup_time: first non-author non-bot review − ready_at (drafts use ready_for_review)', () => {
    // pr1: 14:00 − 12:00 = 2 h; pr2: 16:00 − 10:00 (ready, not created at 00:00) = 6 h;
    // pr5: 11:00 − 10:00 = 1 h; pr3 has no review → excluded. Sorted 1, 2, 6 → 2.
    expect(kpi('delivery.pr_pickup_time')).toEqual({ value: 2, n: 3, dropped: 0 });
  });

  it('pr_review_time: merged − first review', () => {
    // pr1: Tue 12:00 − Mon 14:00 = 22 h; pr2: Wed 10:00 − Tue 16:00 = 18 h; pr5: 20:00 − 11:00 = 9 h → 18.
    expect(kpi('delivery.pr_review_time')).toEqual({ value: 18, n: 3, dropped: 0 });
  });

  it('prs_merged counts non-bot PRs merged in the bucket', () => {
    // pr1, pr2, pr3, pr5 (pr4 is a bot's, pr6 merged next week, pr7 open).
    expect(kpi('delivery.prs_merged')).toEqual({ value: 4, n: 4, dropped: 0 });
    expect(kpi('delivery.prs_merged', prRecords, nextWeek).value).toBe(1);
  });

  it('quality.merged_without_review: self and bot reviews do not count', () => {
    // Only pr3; pr4 is a bot's PR and bots open nothing.
    expect(kpi('quality.merged_without_review')).toEqual({ value: 1, n: 1, dropped: 0 });
  });

  it('a bucket with no merged PR is a gap for durations and zero for counts', () => {
    const empty = isoWeekBucket(at('2024-02-14T12:00:00Z'), NY);
    expect(kpi('delivery.pr_cycle_time', prRecords, empty)).toEqual({ value: null, n: 0, dropped: 0 });
    expect(kpi('delivery.prs_merged', prRecords, empty)).toEqual({ value: 0, n: 0, dropped: 0 });
  });

  it('responsiveness.pr_first_review_client: vendor PRs first reviewed by the client, client business hours', () => {
    // pr2: ready Tue 10:00Z = 05:00 EST, carol's comment 16:00Z = 11:00 EST → 09:00–11:00 = 2 business hours.
    // pr1/pr5 were first reviewed by vendor people: not in this KPI.
    expect(kpi('responsiveness.pr_first_review_client')).toEqual({ value: 2, n: 1, dropped: 0 });
  });

  it('responsiveness.pr_first_review_vendor: client PRs first reviewed by the vendor, vendor business hours', () => {
    // pr7: Thu 17:00–18:00 Berlin (1 h) + Fri 09:00–10:00 (1 h) = 2 h; it is not merged, bucketed by the review.
    expect(kpi('responsiveness.pr_first_review_vendor')).toEqual({ value: 2, n: 1, dropped: 0 });
  });
});

describe('delivery: deployments', () => {
  const deployments = [
    aDeployment({ createdAt: at('2024-03-04T15:00:00Z') }), // Mon 10:00 EST
    aDeployment({ createdAt: at('2024-03-04T20:00:00Z') }), // Mon 15:00 EST: same day
    aDeployment({ createdAt: at('2024-03-06T18:00:00Z') }), // Wed
    aDeployment({ createdAt: at('2024-03-07T18:00:00Z'), state: 'failure' }), // not successful
    aDeployment({ createdAt: at('2024-03-08T18:00:00Z'), environment: 'staging' }), // not production
    aDeployment({ createdAt: at('2024-03-11T03:00:00Z'), commitShas: ['m1'] }), // Sun 10 Mar 23:00 EDT
  ];

  it('deploy_frequency: distinct local days with a successful production deployment', () => {
    // Mon, Wed, Sun → 3 days in a 7-day week.
    expect(kpi('delivery.deploy_frequency', someRecords({ deployments }))).toEqual({
      value: 3,
      n: 3,
      dropped: 0,
    });
  });

  it('deploy_frequency over the 28-day trailing window is per week', () => {
    // 3 deploy days in 28 days = 3 / 4 weeks = 0.75.
    const window = trailingWindow(at('2024-03-20T12:00:00Z'), NY);
    expect(kpi('delivery.deploy_frequency', someRecords({ deployments }), window).value).toBe(0.75);
  });

  it('deploy_frequency falls back to published, non-draft, non-prerelease releases', () => {
    const releases = [
      aRelease({ publishedAt: at('2024-03-05T15:00:00Z') }),
      aRelease({ publishedAt: at('2024-03-07T15:00:00Z') }),
      aRelease({ publishedAt: at('2024-03-08T15:00:00Z'), prerelease: true }),
      aRelease({ publishedAt: null, draft: true }),
    ];
    expect(kpi('delivery.deploy_frequency', someRecords({ releases })).value).toBe(2);
  });

  it('deploy_frequency: a week without deployments is 0, no deployment data at all is a gap', () => {
    const quiet = isoWeekBucket(at('2024-02-14T12:00:00Z'), NY);
    expect(kpi('delivery.deploy_frequency', someRecords({ deployments }), quiet).value).toBe(0);
    expect(kpi('delivery.deploy_frequency', someRecords()).value).toBeNull();
  });

  it('lead_time_for_changes: by commit ancestry, else the first deployment created after the merge', () => {
    const records = { ...prRecords, deployments };
    // pr1 (m1) is shipped by the Sunday deployment that lists it: Sun 03:00Z − Mon 10:00Z = 6 d 17 h = 161 h.
    // pr2 (no ancestry match): next deployment after Wed 10:00Z is Wed 18:00Z: − Tue 00:00Z = 42 h.
    // pr3: merged Wed 04:00Z → Wed 18:00Z − Wed 00:00Z = 18 h.
    // pr5: merged Thu 20:00Z → the Sunday one (failure/staging skipped): Mon 11 03:00Z − Thu 10:00Z = 89 h.
    // Sorted 18, 42, 89, 161 → (42 + 89) / 2 = 65.5.
    expect(kpi('delivery.lead_time_for_changes', records)).toEqual({ value: 65.5, n: 4, dropped: 0 });
  });
});

describe('delivery: issues', () => {
  const records = someRecords({
    workItems: [
      aWorkItem({
        // into In Progress Fri 1 Mar, back to To Do, in again, done Wed 6 Mar: 5 days from the *first* entry
        transitions: [
          aTransition('2024-03-01T10:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-02T10:00:00Z', 'in_progress', 'todo'),
          aTransition('2024-03-03T10:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-06T10:00:00Z', 'in_progress', 'done'),
        ],
        resolvedAt: at('2024-03-06T10:00:00Z'),
        resolution: 'Done',
        storyPoints: 5,
      }),
      aWorkItem({
        type: 'Bug',
        transitions: [
          aTransition('2024-03-05T10:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-07T22:00:00Z', 'in_progress', 'done'),
        ],
        resolvedAt: at('2024-03-07T22:00:00Z'),
        resolution: 'Done',
        storyPoints: 3,
      }),
      aWorkItem({
        // never in progress, resolved Won't Do: neither cycle time nor throughput
        transitions: [aTransition('2024-03-06T10:00:00Z', 'todo', 'done')],
        resolvedAt: at('2024-03-06T10:00:00Z'),
        resolution: "Won't Do",
        storyPoints: 8,
      }),
      aWorkItem({
        isSubtask: true,
        transitions: [
          aTransition('2024-03-05T10:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-06T10:00:00Z', 'in_progress', 'done'),
        ],
        resolvedAt: at('2024-03-06T10:00:00Z'),
        resolution: 'Done',
        storyPoints: 1,
      }),
      aWorkItem({
        transitions: [
          aTransition('2024-03-04T12:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-08T12:00:00Z', 'in_progress', 'done'),
        ],
        resolvedAt: at('2024-03-08T12:00:00Z'),
        resolution: 'Done',
        storyPoints: null,
      }),
      aWorkItem({ resolvedAt: at('2024-03-12T12:00:00Z'), resolution: 'Done', storyPoints: 13 }), // next week
      aWorkItem({
        // a GitHub issue closed this week: a bug candidate, never a delivery item
        key: 'acme/api#12',
        source: 'github',
        type: 'issue',
        transitions: [
          aTransition('2024-03-05T10:00:00Z', 'todo', 'in_progress'),
          aTransition('2024-03-06T10:00:00Z', 'in_progress', 'done'),
        ],
        resolvedAt: at('2024-03-06T10:00:00Z'),
        storyPoints: 2,
      }),
    ],
  });

  it('issue_cycle_time: resolved − first entry into In Progress, sub-tasks and never-started excluded', () => {
    // 5 d, 2.5 d (Tue 10:00 → Thu 22:00), 4 d → median 4.
    expect(kpi('delivery.issue_cycle_time', records)).toEqual({ value: 4, n: 3, dropped: 0 });
  });

  it('throughput: resolved Jira issues with a done resolution, sub-tasks and GitHub issues excluded', () => {
    expect(kpi('delivery.throughput', records)).toEqual({ value: 3, n: 3, dropped: 0 });
  });

  it('story_points: sum over the throughput issues (missing points count 0)', () => {
    // 5 + 3 + 0; the Won't Do (8) and the sub-task (1) are not in throughput.
    expect(kpi('delivery.story_points', records)).toEqual({ value: 8, n: 3, dropped: 0 });
  });
});
