// Benchmark of the KPI engine: recompute 2 years of weekly KPIs (every key) for one
// engagement from synthetic records at three scales. Deterministic (seeded PRNG).
// Run: see scripts/bench/README.md.
import {
  type ChatMessageRecord,
  type CoverageSampleRecord,
  type DeploymentRecord,
  type EngagementRecords,
  type PersonRecord,
  type PullRequestRecord,
  type ReviewRecord,
  type SprintRecord,
  type StatusCategory,
  type StatusTransitionRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { type EngagementContext, computeSeries, isoWeekBuckets, trailingWindow } from '@pulse/kpi';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2023-01-02T00:00:00Z');
const END = START + 730 * DAY;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scale {
  name: string;
  chat: number;
  prs: number;
  workItems: number;
}

function generate(scale: Scale, seed = 42): EngagementRecords {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const people: PersonRecord[] = [];
  const clients: string[] = [];
  const vendors: string[] = [];
  for (let i = 0; i < 15; i++) clients.push(`client${i}`);
  for (let i = 0; i < 45; i++) vendors.push(`vendor${i}`);
  for (const [ids, side] of [
    [clients, 'client'],
    [vendors, 'vendor'],
  ] as const) {
    for (const id of ids) {
      people.push({
        id,
        side,
        isBot: false,
        identities: [
          { source: 'github', externalId: id },
          { source: 'jira', externalId: `jira-${id}` },
          { source: 'slack', externalId: `U${id}` },
        ],
      });
    }
  }
  const everyone = [...clients, ...vendors];
  const repos = Array.from({ length: 12 }, (_, i) => `acme/repo${i}`);

  const pullRequests: PullRequestRecord[] = [];
  const reviews: ReviewRecord[] = [];
  for (let i = 0; i < scale.prs; i++) {
    const repo = pick(repos);
    const bot = rnd() < 0.05;
    const author = bot ? 'dependabot[bot]' : rnd() < 0.8 ? pick(vendors) : pick(clients);
    const createdAt = START + Math.floor(rnd() * (END - START));
    const merged = rnd() < 0.85;
    const mergedAt = merged ? createdAt + Math.floor(rnd() * 5 * DAY) : null;
    const pr: PullRequestRecord = {
      id: `${repo}#${i}`,
      repo,
      number: i,
      authorLogin: author,
      authorIsBot: bot,
      createdAt,
      firstCommitAt: createdAt - Math.floor(rnd() * 2 * DAY) + (rnd() < 0.01 ? 3 * DAY : 0),
      readyAt: rnd() < 0.2 ? createdAt + Math.floor(rnd() * DAY) : null,
      mergedAt,
      closedAt: mergedAt,
      draft: false,
      additions: Math.floor(rnd() * 500),
      deletions: Math.floor(rnd() * 200),
      mergeCommitSha: merged ? `m${i}` : null,
      url: '',
    };
    pullRequests.push(pr);
    const nReviews = Math.floor(rnd() * 4);
    for (let r = 0; r < nReviews; r++) {
      reviews.push({
        pullRequestId: pr.id,
        kind: rnd() < 0.5 ? 'review' : 'review_comment',
        reviewerLogin: pick(everyone),
        reviewerIsBot: false,
        submittedAt: createdAt + Math.floor(rnd() * 3 * DAY),
        state: pick(['approved', 'commented', 'changes_requested'] as const),
      });
    }
  }

  const deployments: DeploymentRecord[] = [];
  for (let d = 0; d < 730 * 2; d++) {
    const createdAt = START + d * 12 * HOUR + Math.floor(rnd() * 6 * HOUR);
    deployments.push({
      id: `dep${d}`,
      repo: pick(repos),
      environment: rnd() < 0.7 ? 'production' : 'staging',
      sha: `d${d}`,
      createdAt,
      state: rnd() < 0.9 ? 'success' : 'failure',
      finishedAt: createdAt + 10 * 60_000,
    });
  }

  const coverageSamples: CoverageSampleRecord[] = [];
  for (const repo of repos) {
    for (let d = 0; d < 730; d++) {
      const valid = 10_000 + Math.floor(rnd() * 5000);
      coverageSamples.push({
        repo,
        branch: 'main',
        isDefaultBranch: rnd() < 0.8,
        sha: `${repo}-${d}`,
        committedAt: START + d * DAY + Math.floor(rnd() * DAY),
        linesCovered: Math.floor(valid * (0.5 + rnd() * 0.4)),
        linesValid: valid,
        branchesCovered: rnd() < 0.5 ? 100 : null,
        branchesValid: 200,
      });
    }
  }

  const workItems: WorkItemRecord[] = [];
  for (let i = 0; i < scale.workItems; i++) {
    const createdAt = START + Math.floor(rnd() * (END - START));
    const transitions: StatusTransitionRecord[] = [];
    let t = createdAt;
    let cat: StatusCategory = 'todo';
    const steps = Math.floor(rnd() * 5);
    for (let s = 0; s < steps; s++) {
      t += Math.floor(rnd() * 4 * DAY);
      const next: StatusCategory =
        cat === 'todo'
          ? 'in_progress'
          : cat === 'in_progress'
            ? 'done'
            : rnd() < 0.5
              ? 'in_progress'
              : 'done';
      if (next === cat) continue;
      transitions.push({ at: t, from: cat, to: next, authorId: `jira-${pick(everyone)}` });
      cat = next;
    }
    const resolvedAt = cat === 'done' ? transitions[transitions.length - 1].at : null;
    const comments = Array.from({ length: Math.floor(rnd() * 3) }, () => ({
      authorId: `jira-${pick(everyone)}`,
      at: createdAt + Math.floor(rnd() * 5 * DAY),
    }));
    workItems.push({
      key: `PAY-${i}`,
      source: 'jira',
      type: rnd() < 0.3 ? 'Bug' : 'Story',
      isSubtask: rnd() < 0.1,
      priority: pick(['Highest', 'High', 'Medium', 'Low']),
      statusCategory: cat,
      createdAt,
      resolvedAt,
      resolution: resolvedAt === null ? null : rnd() < 0.9 ? 'Done' : "Won't Do",
      reporterId: `jira-${pick(everyone)}`,
      assigneeId: `jira-${pick(vendors)}`,
      storyPoints: rnd() < 0.7 ? pick([1, 2, 3, 5, 8]) : null,
      labels: rnd() < 0.1 ? ['production'] : [],
      transitions,
      comments,
    });
  }

  const sprints: SprintRecord[] = [];
  for (let s = 0; s < 52; s++) {
    const startAt = START + s * 14 * DAY;
    const keys = Array.from({ length: 30 }, () => `PAY-${Math.floor(rnd() * scale.workItems)}`);
    sprints.push({
      id: `s${s}`,
      startAt,
      endAt: startAt + 14 * DAY,
      completedAt: startAt + 14 * DAY,
      issueKeysAtStart: keys.slice(0, 25),
      issueKeysAddedAfterStart: keys.slice(25),
    });
  }

  // Chat: sorted by time (as the loader will read it, ORDER BY ts), 20 channels, 30 % replies.
  const chatMessages: ChatMessageRecord[] = [];
  const step = (END - START) / scale.chat;
  const recentTop: string[][] = Array.from({ length: 20 }, () => []);
  for (let i = 0; i < scale.chat; i++) {
    const atMs = Math.floor(START + i * step);
    const c = Math.floor(rnd() * 20);
    const ts = `${Math.floor(atMs / 1000)}.${String(i % 1_000_000).padStart(6, '0')}`;
    const reply = recentTop[c].length > 0 && rnd() < 0.3;
    const r = rnd();
    chatMessages.push({
      channel: `C${c}`,
      ts,
      at: atMs,
      threadTs: reply ? pick(recentTop[c]) : null,
      authorId: r < 0.02 ? null : `U${pick(everyone)}`,
      subtype: r < 0.02 ? 'bot_message' : r < 0.03 ? 'channel_join' : null,
      botId: r < 0.02 ? 'B1' : null,
    });
    if (!reply) {
      recentTop[c].push(ts);
      if (recentTop[c].length > 10) recentTop[c].shift();
    }
  }

  return {
    people,
    pullRequests,
    reviews,
    deployments,
    releases: [],
    coverageSamples,
    workItems,
    sprints,
    chatMessages,
  };
}

const SCALES: Scale[] = [
  { name: '10k', chat: 10_000, prs: 1_000, workItems: 500 },
  { name: '100k', chat: 100_000, prs: 10_000, workItems: 5_000 },
  { name: '1M', chat: 1_000_000, prs: 100_000, workItems: 50_000 },
];

const context: EngagementContext = {
  clientCalendar: {
    timeZone: 'America/New_York',
    holidays: ['2023-07-04', '2023-12-25', '2024-07-04', '2024-12-25'],
  },
  vendorCalendar: { timeZone: 'Europe/Berlin', holidays: ['2023-12-25', '2024-12-25'] },
  now: END,
};

const only = process.argv[2];
for (const scale of SCALES) {
  if (only && scale.name !== only) continue;
  const g0 = performance.now();
  const records = generate(scale);
  const genMs = performance.now() - g0;
  const buckets = [
    ...isoWeekBuckets(START, END, 'America/New_York'),
    trailingWindow(END, 'America/New_York'),
  ];
  const runs: number[] = [];
  let rows = 0;
  for (let run = 0; run < 3; run++) {
    // A fresh records object each run so nothing prepared is reused from the previous run.
    const fresh = { ...records };
    const t0 = performance.now();
    rows = computeSeries(fresh, { ...context }, buckets).length;
    runs.push(performance.now() - t0);
  }
  const total =
    records.chatMessages.length +
    records.pullRequests.length +
    records.reviews.length +
    records.workItems.length;
  console.log(
    `${scale.name.padEnd(5)} chat=${records.chatMessages.length} prs=${records.pullRequests.length} reviews=${records.reviews.length} ` +
      `workItems=${records.workItems.length} (records≈${total}) buckets=${buckets.length} rows=${rows} ` +
      `generate=${genMs.toFixed(0)}ms engine: first=${runs[0].toFixed(0)}ms best=${Math.min(...runs).toFixed(0)}ms`,
  );
}
