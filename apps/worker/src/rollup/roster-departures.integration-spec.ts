import { randomUUID } from 'node:crypto';
import { ConnectionEntity, KpiValueEntity, PersonEntity, PullRequestEntity } from '@pulse/db';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { RollupService } from './rollup.service';

const DAY = 86_400_000;
const KEY = 'continuity.contributor_departures';

// Issue 10 point 9: someone removed from the roster (PUT people) stays a tombstone, and
// contributor departures counts them once, naming them in the drill-down.
describe.each(DATABASE_KINDS)('roster removals as contributor departures on %s', (kind) => {
  let db: TestDatabase;
  let api: ApiHarness;
  let engagementId: string;
  const vic = { displayName: 'Vic', side: 'vendor', identities: { github: ['vic'] } };
  const vera = { displayName: 'Vera', side: 'vendor', identities: { github: ['vera'] } };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    api = await startApi(kind, {}, db.config);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const created = await agent
      .post('/api/engagements')
      .send({
        name: 'Departures',
        vendorName: 'V',
        clientCalendar: { timeZone: 'UTC' },
        vendorCalendar: { timeZone: 'UTC' },
      })
      .expect(201);
    engagementId = created.body.id;
    await agent
      .put(`/api/engagements/${engagementId}/people`)
      .send({ people: [vic, vera] })
      .expect(200);
    // Vic and Vera each merge one PR a week for 16 weeks, the latest 4 days ago: steady
    // (4 in the last 4 weeks, 1 a week in the 12 before), so activity alone departs no one.
    const start = Date.now();
    let number = 0;
    const prs = ['vic', 'vera'].flatMap((login) =>
      Array.from({ length: 16 }, (_, i): PullRequestEntity => {
        const mergedAt = start - (7 * (i + 1) - 3) * DAY;
        return {
          id: randomUUID(),
          engagementId,
          repo: 'acme/api',
          number: ++number,
          authorLogin: login,
          authorIsBot: false,
          createdAt: mergedAt - 3_600_000,
          updatedAt: mergedAt,
          firstCommitAt: null,
          readyAt: null,
          mergedAt,
          closedAt: mergedAt,
          draft: false,
          additions: 5,
          deletions: 1,
          mergeCommitSha: null,
          url: `https://github.example/acme/api/pull/${number}`,
        };
      }),
    );
    await db.dataSource.getRepository(PullRequestEntity).save(prs);
    await db.dataSource.getRepository(ConnectionEntity).save({
      id: randomUUID(),
      engagementId,
      kind: 'github',
      settings: {},
      cursor: null,
      lastSuccessAt: Date.now(),
      lastAttemptAt: Date.now(),
      lastErrorClass: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      retryAfterAt: null,
      failureCount: 0,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const trailing = () =>
    db.dataSource
      .getRepository(KpiValueEntity)
      .findOneByOrFail({ engagementId, period: 'trailing', kpiKey: KEY });

  it('before anyone leaves: two regular contributors, no departure', async () => {
    await new RollupService(db.dataSource).run(engagementId, [], Date.now());
    expect(await trailing()).toMatchObject({ value: 0, n: 2 });
  });

  it('counts a vendor person removed from the roster once and names them', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const before = (await agent.get(`/api/engagements/${engagementId}/people`).expect(200)).body;
    const vicId = before.find((p: { displayName: string }) => p.displayName === 'Vic').id;
    const veraRow = before.find((p: { displayName: string }) => p.displayName === 'Vera');
    const put = await agent
      .put(`/api/engagements/${engagementId}/people`)
      .send({ people: [{ ...vera, id: veraRow.id }] })
      .expect(200);
    // The roster no longer lists Vic; the table keeps him with the time he left.
    expect(put.body.map((p: { displayName: string }) => p.displayName)).toEqual(['Vera']);
    const tombstone = await db.dataSource.getRepository(PersonEntity).findOneByOrFail({ id: vicId });
    expect(tombstone.leftAt).toEqual(expect.any(Number));
    const leftAt = tombstone.leftAt!;

    await new RollupService(db.dataSource).run(engagementId, [], Math.max(Date.now(), leftAt + 1));
    // Vic departed (left the roster), Vera stayed: 1 of 2 — not 2, not 0.
    expect(await trailing()).toMatchObject({ value: 1, n: 2 });

    const drill = (await agent.get(`/api/engagements/${engagementId}/kpis/${KEY}/drill-down`).expect(200))
      .body;
    expect(drill.rows.map((r: { id: string; title: string }) => [r.id, r.title])).toEqual([
      [vicId, 'Vic'],
      [veraRow.id, 'Vera'],
    ]);
    expect(drill.rows[0].cells).toMatchObject({
      departed: true,
      reason: `left the roster on ${new Date(leftAt).toISOString().slice(0, 10)}`,
      leftRosterAt: new Date(leftAt).toISOString(),
    });
    expect(drill.rows[1].cells).toMatchObject({ departed: false, reason: null });
  }, 180_000);

  it('re-adding the same person (same identities) brings them back with their id', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const current = (await agent.get(`/api/engagements/${engagementId}/people`).expect(200)).body;
    const vicId = (
      await db.dataSource.getRepository(PersonEntity).findOneByOrFail({ engagementId, displayName: 'Vic' })
    ).id;
    const put = await agent
      .put(`/api/engagements/${engagementId}/people`)
      .send({
        people: [
          ...current.map((p: { id: string; displayName: string }) => ({
            ...vera,
            id: p.id,
            displayName: p.displayName,
          })),
          vic,
        ],
      })
      .expect(200);
    expect(put.body.find((p: { displayName: string }) => p.displayName === 'Vic')?.id).toBe(vicId);
    expect(
      (await db.dataSource.getRepository(PersonEntity).findOneByOrFail({ id: vicId })).leftAt,
    ).toBeNull();
    await new RollupService(db.dataSource).run(engagementId, [], Date.now());
    expect(await trailing()).toMatchObject({ value: 0, n: 2 });
  }, 180_000);
});
