// A messy, seeded engagement shared by the batch-vs-single and drill-down specs.
import {
  type ChatMessageRecord,
  type EngagementRecords,
  type StatusCategory,
  type WorkItemRecord,
} from '@pulse/contracts';
import {
  DAY_MS,
  HOUR_MS,
  aCoverageSample,
  aDeployment,
  aMessage,
  aPullRequest,
  aReview,
  aSprint,
  aWorkItem,
  at,
  someRecords,
} from './builders';

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
export function mixedRecords(): EngagementRecords {
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
