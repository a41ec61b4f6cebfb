import {
  KPI_DEFINITIONS,
  KPI_KEYS,
  type ChatMessageRecord,
  type EngagementRecords,
  type StatusCategory,
  type WorkItemRecord,
} from '@pulse/contracts';
import { KPI_REGISTRY, computeKpi } from './registry';
import { computeSeries } from './series';
import { isoWeekBuckets, trailingWindow } from './time/buckets';
import {
  DAY_MS,
  HOUR_MS,
  aContext,
  aCoverageSample,
  aDeployment,
  aMessage,
  aPullRequest,
  aReview,
  aSprint,
  aWorkItem,
  at,
  someRecords,
} from './testing/builders';

/** A small seeded PRNG so the mixed data set is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A messy engagement: every record kind, bots, skewed times, reopenings, threads. */
function mixedRecords(): EngagementRecords {
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const start = at('2024-01-01T00:00:00Z');
  const span = 120 * DAY_MS;
  const when = (): number => start + Math.floor(rnd() * span);
  const people = ['carol', 'cid', 'vince', 'vera', 'val', 'ci-helper', 'stranger'];
  const r = someRecords();
  for (let i = 0; i < 300; i++) {
    const createdAt = when();
    const pr = aPullRequest({
      authorLogin: rnd() < 0.05 ? 'dependabot[bot]' : pick(people),
      createdAt,
      firstCommitAt:
        rnd() < 0.8 ? createdAt - Math.floor(rnd() * 2 * DAY_MS) + (rnd() < 0.1 ? 3 * DAY_MS : 0) : null,
      readyAt: rnd() < 0.2 ? createdAt + Math.floor(rnd() * DAY_MS) : null,
      mergedAt: rnd() < 0.8 ? createdAt + Math.floor(rnd() * 6 * DAY_MS) : null,
      mergeCommitSha: `m${i}`,
      additions: Math.floor(rnd() * 300),
      deletions: Math.floor(rnd() * 100),
    });
    r.pullRequests.push(pr);
    for (let k = Math.floor(rnd() * 3); k > 0; k--) {
      r.reviews.push(
        aReview(pr, {
          reviewerLogin: pick(people),
          submittedAt: createdAt + Math.floor((rnd() - 0.1) * 3 * DAY_MS),
        }),
      );
    }
  }
  for (let i = 0; i < 80; i++) {
    const t = when();
    r.deployments.push(
      aDeployment({
        createdAt: t,
        finishedAt: t + HOUR_MS,
        commitShas: rnd() < 0.5 ? [`m${Math.floor(rnd() * 300)}`] : undefined,
      }),
    );
  }
  for (const repo of ['acme/a', 'acme/b', 'acme/c']) {
    for (let i = 0; i < 40; i++) {
      const valid = 500 + Math.floor(rnd() * 500);
      r.coverageSamples.push(
        aCoverageSample({
          repo,
          committedAt: when(),
          isDefaultBranch: rnd() < 0.9,
          linesValid: valid,
          linesCovered: Math.floor(valid * rnd()),
          branchesCovered: rnd() < 0.5 ? 10 : null,
          branchesValid: 20,
        }),
      );
    }
  }
  const cats: StatusCategory[] = ['todo', 'in_progress', 'done'];
  const items: WorkItemRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const createdAt = when();
    let t = createdAt;
    let cat: StatusCategory = 'todo';
    const transitions = [];
    for (let s = Math.floor(rnd() * 6); s > 0; s--) {
      t += Math.floor((rnd() - 0.05) * 5 * DAY_MS);
      const next = pick(cats.filter((c) => c !== cat));
      transitions.push({ at: t, from: cat, to: next, authorId: pick(people) });
      cat = next;
    }
    items.push(
      aWorkItem({
        key: `K${i}`,
        type: rnd() < 0.4 ? 'Bug' : 'Story',
        isSubtask: rnd() < 0.1,
        priority: pick(['Highest', 'High', 'Medium', 'Low', null]),
        statusCategory: cat,
        createdAt,
        resolvedAt: cat === 'done' ? t : null,
        resolution: cat === 'done' ? pick(['Done', "Won't Do"]) : null,
        reporterId: pick(people),
        assigneeId: pick(people),
        storyPoints: rnd() < 0.5 ? pick([1, 2, 3, 5]) : null,
        labels: rnd() < 0.2 ? ['production'] : [],
        transitions: rnd() < 0.9 ? transitions : [],
        comments: [{ authorId: pick(people), at: createdAt + Math.floor(rnd() * 3 * DAY_MS) }],
      }),
    );
  }
  r.workItems = items;
  for (let s = 0; s < 8; s++) {
    const startAt = start + s * 14 * DAY_MS;
    r.sprints.push(
      aSprint({
        startAt,
        endAt: startAt + 14 * DAY_MS,
        completedAt: startAt + 14 * DAY_MS,
        issueKeysAtStart: Array.from({ length: 6 }, () => `K${Math.floor(rnd() * 220)}`),
        issueKeysAddedAfterStart: Array.from({ length: 2 }, () => `K${Math.floor(rnd() * 220)}`),
      }),
    );
  }
  const msgs: ChatMessageRecord[] = [];
  const tops: ChatMessageRecord[] = [];
  for (let i = 0; i < 1500; i++) {
    const t = when();
    const reply = tops.length > 0 && rnd() < 0.35;
    const m = aMessage(new Date(t).toISOString(), pick(people), {
      channel: pick(['C1', 'C2', 'C3']),
      ts: `${t / 1000}.${i}`,
      subtype: rnd() < 0.03 ? 'channel_join' : null,
    });
    if (reply) {
      const parent = pick(tops);
      m.channel = parent.channel;
      m.threadTs = parent.ts;
    } else tops.push(m);
    msgs.push(m);
  }
  r.chatMessages = msgs;
  return r;
}

describe('the KPI registry', () => {
  it('implements every KPI key of the catalogue, with its metadata', () => {
    expect(KPI_REGISTRY.map((d) => d.key)).toEqual([...KPI_KEYS]);
    for (const d of KPI_REGISTRY) expect(typeof d.compute).toBe('function');
  });

  it('carries the default thresholds of KPIS.md', () => {
    const t = Object.fromEntries(
      KPI_DEFINITIONS.filter((d) => d.defaultThreshold).map((d) => [d.key, d.defaultThreshold]),
    );
    expect(t).toEqual({
      'delivery.pr_cycle_time': { warn: 72, breach: 168 },
      'delivery.pr_pickup_time': { warn: 24, breach: 48 },
      'delivery.issue_cycle_time': { warn: 7, breach: 14 },
      'delivery.deploy_frequency': { warn: 1, breach: 0.25 },
      'quality.open_bugs': { warn: 20, breach: 40 },
      'quality.bug_resolution_time': { warn: 7, breach: 21 },
      'quality.bug_sla_compliance': { warn: 90, breach: 75 },
      'quality.bug_reopen_rate': { warn: 10, breach: 20 },
      'coverage.line': { warn: 70, breach: 50 },
      'coverage.delta': { warn: -1, breach: -5 },
      'responsiveness.chat_first_response': { warn: 60, breach: 240 },
      'responsiveness.unanswered_requests': { warn: 3, breach: 10 },
      'responsiveness.pr_first_review_client': { warn: 16, breach: 40 },
      'responsiveness.issue_first_response': { warn: 8, breach: 24 },
      'continuity.contributor_retention': { warn: 80, breach: 60 },
      'continuity.knowledge_concentration': { warn: 2, breach: 1 },
      'scope.sprint_scope_change': { warn: 20, breach: 40 },
    });
  });
});

describe('computeSeries', () => {
  const NY = 'America/New_York';
  const records = mixedRecords();
  // `now` inside the range, so the current week and the trailing window are cut at now.
  const context = aContext({ now: at('2024-04-10T15:30:12.345Z') });
  const buckets = [
    ...isoWeekBuckets(at('2023-12-20T00:00:00Z'), at('2024-05-15T00:00:00Z'), NY),
    trailingWindow(context.now, NY),
  ];
  const rows = computeSeries(records, context, buckets);

  it('returns one row per KPI and bucket', () => {
    expect(rows).toHaveLength(KPI_KEYS.length * buckets.length);
  });

  it('agrees with the single-bucket compute for every KPI and bucket', () => {
    let compared = 0;
    let withValue = 0;
    for (const row of rows) {
      const bucket = { start: row.bucketStart, end: row.bucketEnd };
      // A fresh copy of the records so the single-bucket path prepares its own facts.
      const single = computeKpi(row.key, { ...records }, bucket, context);
      const batch = { value: row.value, n: row.n, dropped: row.dropped };
      if (batch.value !== null && single.value !== null) expect(batch.value).toBeCloseTo(single.value, 9);
      expect({ ...batch, value: batch.value === null }).toEqual({ ...single, value: single.value === null });
      compared++;
      if (row.value !== null && row.n > 0) withValue++;
    }
    expect(compared).toBe(rows.length);
    // The data set is rich enough that most rows have data (the comparison is not vacuous).
    expect(withValue).toBeGreaterThan(rows.length / 2);
  });

  it('can be limited to some keys', () => {
    const some = computeSeries(records, context, buckets, ['delivery.prs_merged']);
    expect(new Set(some.map((r) => r.key))).toEqual(new Set(['delivery.prs_merged']));
  });

  it('counts dropped samples somewhere in the messy data (skewed clocks are not silently clamped)', () => {
    expect(rows.some((r) => r.dropped > 0)).toBe(true);
  });
});
