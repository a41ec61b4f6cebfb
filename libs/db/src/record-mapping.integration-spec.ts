import { randomUUID } from 'node:crypto';
import type { EngagementRecords } from '@pulse/contracts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../test/databases';
import { EngagementEntity, PersonEntity, PullRequestEntity, WorkItemEntity } from './entities';
import {
  chatMessageTable,
  coverageSampleTable,
  deploymentTable,
  pullRequestTable,
  releaseTable,
  reviewTable,
  sprintTable,
  upsertRecords,
  workItemTable,
  type PullRequestInput,
  type ReviewInput,
  type WorkItemInput,
} from './record-mapping';
import { loadEngagementRecords } from './records-loader';

// Instants past 2^31 (and past 2^32) so a BIGINT that comes back as a string on
// PostgreSQL, or is truncated anywhere, fails the comparison.
const T = 1_764_000_000_123;

const pullRequests: PullRequestInput[] = [
  {
    id: 'acme/api#7',
    repo: 'acme/api',
    number: 7,
    authorLogin: 'dev',
    authorIsBot: false,
    createdAt: T,
    updatedAt: T + 9,
    firstCommitAt: T - 5_000,
    readyAt: T + 1,
    mergedAt: T + 2,
    closedAt: T + 2,
    draft: false,
    additions: 30,
    deletions: 4,
    mergeCommitSha: 'a'.repeat(40),
    url: 'https://github.example/acme/api/pull/7',
  },
  {
    id: 'acme/web#1',
    repo: 'acme/web',
    number: 1,
    authorLogin: 'renovate[bot]',
    authorIsBot: true,
    createdAt: T,
    firstCommitAt: null,
    readyAt: null,
    mergedAt: null,
    closedAt: null,
    draft: true,
    additions: 0,
    deletions: 0,
    mergeCommitSha: null,
    url: 'https://github.example/acme/web/pull/1',
  },
];

const reviews: ReviewInput[] = [
  {
    pullRequestId: 'acme/api#7',
    externalId: 'review:9001',
    kind: 'review',
    reviewerLogin: 'lead',
    reviewerIsBot: false,
    submittedAt: T + 1_000,
    state: 'approved',
  },
  {
    pullRequestId: 'acme/api#7',
    externalId: 'review_comment:9002',
    kind: 'review_comment',
    reviewerLogin: 'copilot[bot]',
    reviewerIsBot: true,
    submittedAt: T + 500,
    state: 'commented',
  },
];

const workItems: WorkItemInput[] = [
  {
    key: 'PAY-12',
    source: 'jira',
    type: 'Bug',
    isSubtask: false,
    priority: 'High',
    statusCategory: 'done',
    createdAt: T,
    updatedAt: T + 7,
    resolvedAt: T + 86_400_000,
    resolution: 'Done',
    reporterId: '5b10a2844c20165700ede21g',
    assigneeId: '5b10ac8d82e05b22cc7d4ef5',
    storyPoints: 2.5,
    labels: ['production', 'payments'],
    environment: 'prod',
    isBug: true,
    isEscaped: false,
    reopenedAt: [T + 3_600_000],
    transitions: [
      { at: T + 10, from: 'todo', to: 'in_progress', authorId: 'x' },
      { at: T + 86_400_000, from: 'in_progress', to: 'done', authorId: null },
    ],
    comments: [{ authorId: 'x', at: T + 20 }],
    url: 'https://example.atlassian.net/browse/PAY-12',
  },
  {
    key: 'acme/api#8',
    source: 'github',
    type: 'issue',
    isSubtask: false,
    priority: null,
    statusCategory: 'todo',
    createdAt: T,
    resolvedAt: null,
    resolution: null,
    reporterId: null,
    assigneeId: null,
    storyPoints: null,
    labels: [],
    transitions: [],
    comments: [],
  },
];

const records: Omit<EngagementRecords, 'people'> = {
  pullRequests,
  reviews,
  deployments: [
    {
      id: 'acme/api/301',
      repo: 'acme/api',
      environment: 'production',
      sha: 'b'.repeat(40),
      createdAt: T + 3,
      state: 'success',
      finishedAt: T + 60_000,
    },
    {
      id: 'acme/api/302',
      repo: 'acme/api',
      environment: 'staging',
      sha: 'c'.repeat(40),
      createdAt: T + 4,
      state: 'in_progress',
      finishedAt: null,
    },
  ],
  releases: [
    {
      id: 'acme/api/77',
      repo: 'acme/api',
      tagName: 'v1.2.3',
      publishedAt: T + 5,
      draft: false,
      prerelease: true,
      targetSha: 'd'.repeat(40),
    },
    {
      id: 'acme/api/78',
      repo: 'acme/api',
      tagName: 'v1.3.0',
      publishedAt: null,
      draft: true,
      prerelease: false,
      targetSha: null,
    },
  ],
  coverageSamples: [
    {
      repo: 'acme/api',
      branch: 'main',
      isDefaultBranch: true,
      sha: 'e'.repeat(40),
      committedAt: T + 6,
      linesCovered: 812,
      linesValid: 1000,
      branchesCovered: null,
      branchesValid: null,
      source: 'upload',
    },
  ],
  workItems,
  sprints: [
    {
      id: '42',
      name: 'Sprint 42',
      startAt: T,
      endAt: T + 14 * 86_400_000,
      completedAt: T + 14 * 86_400_000 + 1,
      issueKeysAtStart: ['PAY-12'],
      issueKeysAddedAfterStart: ['PAY-13'],
    },
    {
      id: '43',
      startAt: T + 15 * 86_400_000,
      endAt: T + 29 * 86_400_000,
      completedAt: null,
      issueKeysAtStart: [],
      issueKeysAddedAfterStart: [],
    },
  ],
  chatMessages: [
    {
      channel: 'C0123',
      ts: '1764000000.000100',
      at: 1_764_000_000_000,
      threadTs: null,
      authorId: 'U01',
      subtype: null,
      botId: null,
    },
    {
      channel: 'C0123',
      ts: '1764000060.000200',
      at: 1_764_000_060_000,
      threadTs: '1764000000.000100',
      authorId: null,
      subtype: 'bot_message',
      botId: 'B07',
    },
  ],
};

/** What the engine reads back: the collector-only fields (updatedAt, externalId, url) are not records. */
function expectedRecords(): Omit<EngagementRecords, 'people'> {
  return {
    ...records,
    pullRequests: pullRequests.map(({ updatedAt: _u, ...p }) => p),
    reviews: reviews.map(({ externalId: _e, ...r }) => r),
    workItems: workItems.map(({ updatedAt: _u, url: _l, ...w }) => ({ environment: null, ...w })),
  };
}

const byKey = <T>(rows: T[], key: (t: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

describe.each(DATABASE_KINDS)('record ↔ row mapping on %s', (kind) => {
  let db: TestDatabase;
  let engagementId: string;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    engagementId = randomUUID();
    const calendar = {
      timeZone: 'UTC',
      weekdays: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      holidays: [],
    };
    await db.dataSource.getRepository(EngagementEntity).insert({
      id: engagementId,
      name: 'E',
      vendorName: 'V',
      reportingTimeZone: 'UTC',
      clientCalendar: calendar,
      vendorCalendar: calendar,
      syncCron: '*/30 * * * *',
      settings: {} as EngagementEntity['settings'],
      ownerId: randomUUID(),
      createdAt: 0,
      updatedAt: 0,
    });
    await db.dataSource.getRepository(PersonEntity).insert({
      id: randomUUID(),
      engagementId,
      displayName: 'Ana',
      email: null,
      side: 'vendor',
      isBot: false,
      identities: { github: ['ana'], slack: ['U01'] },
      leftAt: T + 99,
    });
    await db.dataSource.transaction(async (tx) => {
      await upsertRecords(tx, pullRequestTable, engagementId, records.pullRequests);
      await upsertRecords(tx, reviewTable, engagementId, records.reviews as ReviewInput[]);
      await upsertRecords(tx, deploymentTable, engagementId, records.deployments);
      await upsertRecords(tx, releaseTable, engagementId, records.releases);
      await upsertRecords(tx, coverageSampleTable, engagementId, records.coverageSamples);
      await upsertRecords(tx, workItemTable, engagementId, records.workItems);
      await upsertRecords(tx, sprintTable, engagementId, records.sprints);
      await upsertRecords(tx, chatMessageTable, engagementId, records.chatMessages);
    });
  });
  afterAll(() => db.close());

  it('reads back every record type exactly as it was written, instants as numbers', async () => {
    const loaded = await loadEngagementRecords(db.dataSource, engagementId);
    const want = expectedRecords();
    expect(byKey(loaded.pullRequests, (p) => p.id)).toEqual(byKey(want.pullRequests, (p) => p.id));
    expect(byKey(loaded.reviews, (r) => `${r.submittedAt}`)).toEqual(
      byKey(want.reviews, (r) => `${r.submittedAt}`),
    );
    expect(byKey(loaded.deployments, (d) => d.id)).toEqual(byKey(want.deployments, (d) => d.id));
    expect(byKey(loaded.releases, (r) => r.id)).toEqual(byKey(want.releases, (r) => r.id));
    expect(loaded.coverageSamples).toEqual(want.coverageSamples);
    expect(byKey(loaded.workItems, (w) => w.key)).toStrictEqual(byKey(want.workItems, (w) => w.key));
    expect(byKey(loaded.sprints, (s) => s.id)).toStrictEqual(byKey(want.sprints, (s) => s.id));
    expect(loaded.chatMessages).toEqual(want.chatMessages);
    expect(loaded.people).toEqual([
      expect.objectContaining({
        displayName: 'Ana',
        leftAt: T + 99,
        identities: [
          { source: 'github', externalId: 'ana' },
          { source: 'slack', externalId: 'U01' },
        ],
      }),
    ]);
    for (const p of loaded.pullRequests) expect(typeof p.createdAt).toBe('number');
    expect(typeof loaded.people[0]!.leftAt).toBe('number');
  });

  it('stores the collector-only fields and keeps a row id across re-writes of the same natural key', async () => {
    const prs = db.dataSource.getRepository(PullRequestEntity);
    const before = await prs.findOneByOrFail({ engagementId, repo: 'acme/api', number: 7 });
    expect(before.updatedAt).toBe(T + 9);
    const item = await db.dataSource
      .getRepository(WorkItemEntity)
      .findOneByOrFail({ engagementId, key: 'PAY-12' });
    expect(item.url).toBe('https://example.atlassian.net/browse/PAY-12');
    expect(item.updatedAt).toBe(T + 7);

    const merged = { ...pullRequests[0]!, mergedAt: T + 50, updatedAt: T + 51 };
    const written = await db.dataSource.transaction((tx) =>
      upsertRecords(tx, pullRequestTable, engagementId, [merged]),
    );
    expect(written).toBe(1);
    const after = await prs.findOneByOrFail({ engagementId, repo: 'acme/api', number: 7 });
    expect(after).toMatchObject({ id: before.id, mergedAt: T + 50, updatedAt: T + 51 });
    expect(await prs.countBy({ engagementId })).toBe(2);
  });

  it('fills the defaults a collector may leave out', () => {
    const row = coverageSampleTable.toRow(
      engagementId,
      { ...records.coverageSamples[0]!, source: undefined },
      'id',
    );
    expect(row.source).toBe('artifact');
    const pr = pullRequestTable.toRow(engagementId, { ...pullRequests[1]!, closedAt: T + 3 }, 'id');
    expect(pr.updatedAt).toBe(T + 3);
  });
});
