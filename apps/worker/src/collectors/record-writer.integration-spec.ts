import { randomUUID } from 'node:crypto';
import { EngagementEntity, PullRequestEntity, ReviewEntity, WorkItemEntity } from '@pulse/db';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { writeRecordBatch, type RecordBatch } from './record-writer';

describe.each(DATABASE_KINDS)('writing record pages on %s', (kind) => {
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
  });
  afterAll(() => db.close());

  const page = (mergedAt: number | null, labels: string[]): RecordBatch => ({
    pullRequests: [
      {
        id: 'acme/api#7',
        repo: 'acme/api',
        number: 7,
        authorLogin: 'dev',
        authorIsBot: false,
        createdAt: 1000,
        firstCommitAt: 500,
        readyAt: null,
        mergedAt,
        closedAt: mergedAt,
        draft: false,
        additions: 3,
        deletions: 1,
        mergeCommitSha: null,
        url: 'https://github.example/acme/api/pull/7',
      },
    ],
    reviews: [
      {
        pullRequestId: 'acme/api#7',
        externalId: 'review:99',
        kind: 'review',
        reviewerLogin: 'lead',
        reviewerIsBot: false,
        submittedAt: 2000,
        state: 'approved',
      },
    ],
    workItems: [
      {
        key: 'acme/api#8',
        source: 'github',
        type: 'issue',
        isSubtask: false,
        priority: null,
        statusCategory: 'todo',
        createdAt: 100,
        resolvedAt: null,
        resolution: null,
        reporterId: 'ana',
        assigneeId: null,
        storyPoints: null,
        labels,
        transitions: [{ at: 100, from: null, to: 'todo', authorId: 'ana' }],
        comments: [],
      },
    ],
  });

  it('upserts on natural keys: the same page twice is one row each, a changed page updates in place', async () => {
    await db.dataSource.transaction((tx) => writeRecordBatch(tx, engagementId, page(null, ['bug'])));
    const firstId = (await db.dataSource.getRepository(PullRequestEntity).findOneByOrFail({ engagementId }))
      .id;
    await db.dataSource.transaction((tx) => writeRecordBatch(tx, engagementId, page(null, ['bug'])));
    await db.dataSource.transaction((tx) =>
      writeRecordBatch(tx, engagementId, page(5000, ['bug', 'production'])),
    );
    const prs = await db.dataSource.getRepository(PullRequestEntity).findBy({ engagementId });
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({ id: firstId, mergedAt: 5000, firstCommitAt: 500 });
    expect(await db.dataSource.getRepository(ReviewEntity).countBy({ engagementId })).toBe(1);
    const item = await db.dataSource.getRepository(WorkItemEntity).findOneByOrFail({ engagementId });
    expect(item.labels).toEqual(['bug', 'production']);
    expect(item.transitions).toEqual([{ at: 100, from: null, to: 'todo', authorId: 'ana' }]);
  });

  it('writes nothing of a page whose transaction fails', async () => {
    const other = page(null, []);
    other.pullRequests![0]!.number = 8;
    other.pullRequests![0]!.repo = 'acme/other';
    await expect(
      db.dataSource.transaction(async (tx) => {
        await writeRecordBatch(tx, engagementId, other);
        throw new Error('crash mid-page');
      }),
    ).rejects.toThrow('crash mid-page');
    expect(
      await db.dataSource.getRepository(PullRequestEntity).countBy({ engagementId, repo: 'acme/other' }),
    ).toBe(0);
  });
});
