import { randomUUID } from 'node:crypto';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../test/databases';
import { ConnectionEntity, EngagementEntity, SyncRunEntity, UserEntity, migrate } from './index';

describe.each(DATABASE_KINDS)('database schema on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  async function anEngagement(): Promise<EngagementEntity> {
    const users = db.dataSource.getRepository(UserEntity);
    const owner = users.create({
      id: randomUUID(),
      email: `${randomUUID()}@example.com`,
      displayName: 'Owner',
      passwordHash: 'x',
      role: 'manager',
      disabled: false,
      createdAt: 1,
      updatedAt: 1,
    });
    await users.save(owner);
    const repo = db.dataSource.getRepository(EngagementEntity);
    return repo.save(
      repo.create({
        id: randomUUID(),
        name: 'Acme ↔ Vendor',
        vendorName: 'Vendor',
        reportingTimeZone: 'America/Chicago',
        clientCalendar: {
          timeZone: 'America/Chicago',
          weekdays: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '18:00',
          holidays: [],
        },
        vendorCalendar: {
          timeZone: 'Asia/Manila',
          weekdays: [1, 2, 3, 4, 5],
          start: '09:00',
          end: '18:00',
          holidays: ['2026-12-25'],
        },
        syncCron: '*/30 * * * *',
        settings: { bugTypes: ['Bug'] } as EngagementEntity['settings'],
        ownerId: owner.id,
        createdAt: 1_763_800_000_000,
        updatedAt: 1_763_800_000_000,
      }),
    );
  }

  it('re-running migrations is a no-op', async () => {
    expect(await migrate(db.dataSource)).toEqual([]);
  });

  it('round-trips epoch-millisecond times and JSON columns exactly', async () => {
    const saved = await anEngagement();
    const loaded = await db.dataSource.getRepository(EngagementEntity).findOneByOrFail({ id: saved.id });
    expect(loaded.createdAt).toBe(1_763_800_000_000);
    expect(typeof loaded.createdAt).toBe('number');
    expect(loaded.vendorCalendar.holidays).toEqual(['2026-12-25']);
  });

  it('enforces one connection per kind and cascades deletes from the engagement', async () => {
    const engagement = await anEngagement();
    const connections = db.dataSource.getRepository(ConnectionEntity);
    const base = {
      engagementId: engagement.id,
      kind: 'github' as const,
      settings: {},
      secretCiphertext: null,
      cursor: null,
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastErrorClass: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      retryAfterAt: null,
      failureCount: 0,
      createdAt: 1,
      updatedAt: 1,
    };
    await connections.insert({ ...base, id: randomUUID() });
    await expect(connections.insert({ ...base, id: randomUUID() })).rejects.toThrow();
    await db.dataSource.getRepository(EngagementEntity).delete({ id: engagement.id });
    expect(await connections.countBy({ engagementId: engagement.id })).toBe(0);
  });

  it('refuses a second sync run row for the same job id', async () => {
    const engagement = await anEngagement();
    const runs = db.dataSource.getRepository(SyncRunEntity);
    const row = {
      engagementId: engagement.id,
      jobId: `sync-${engagement.id}-1`,
      trigger: 'manual' as const,
      status: 'queued' as const,
      progress: 0,
      phase: null,
      createdAt: 1,
      startedAt: null,
      finishedAt: null,
      counts: {},
      apiCalls: 0,
      apiCallsNotModified: 0,
      error: null,
      workerId: null,
    };
    await runs.insert({ ...row, id: randomUUID() });
    await expect(runs.insert({ ...row, id: randomUUID() })).rejects.toThrow();
  });
});
