// During a Redis outage the API answers the calls that need Redis with a fast 503 that says
// so, stores nothing half-done, and works again as soon as Redis is back. A private
// redis-server is really stopped (SIGKILL) and started again.
import { DataSource } from 'typeorm';
import { EngagementEntity, SyncRunEntity } from '@pulse/db';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { startPrivateRedis, type PrivateRedis } from '../../../../test/redis-server';
import { waitFor } from '../../../../test/worker-process';

// BullMQ alone kept such a request waiting ~20 s and then answered 500.
const FAST_MS = 15_000;

describe('the API while Redis is down', () => {
  jest.setTimeout(240_000);
  let redis: PrivateRedis;
  let api: ApiHarness;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    api = await startApi('sqlite', { REDIS_URL: redis.url });
    api.syncQueue.on('error', () => undefined); // the test's own queue sees the outage too
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await api?.close();
    await redis?.stop();
  });

  async function timed<T>(call: () => Promise<T>): Promise<{ res: T; ms: number }> {
    const started = Date.now();
    const res = await call();
    return { res, ms: Date.now() - started };
  }

  it('answers 503 fast, changes nothing, and recovers when Redis is back', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: e } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const db = api.app.get(DataSource);
    const engagementsBefore = await db.getRepository(EngagementEntity).count();

    await redis.stop();

    const sync = await timed(() => agent.post(`/api/engagements/${e.id}/sync`));
    expect(sync.res.status).toBe(503);
    expect(sync.res.body.message).toMatch(/^Redis is unreachable: .+; nothing was changed, try again/);
    expect(sync.ms).toBeLessThan(FAST_MS);
    expect(await db.getRepository(SyncRunEntity).countBy({ engagementId: e.id })).toBe(0);

    const create = await timed(() =>
      agent.post('/api/engagements').send(anEngagementBody({ name: 'During the outage' })),
    );
    expect(create.res.status).toBe(503);
    expect(create.ms).toBeLessThan(FAST_MS);
    expect(await db.getRepository(EngagementEntity).count()).toBe(engagementsBefore);

    const patch = await timed(() => agent.patch(`/api/engagements/${e.id}`).send({ syncCron: '0 6 * * *' }));
    expect(patch.res.status).toBe(503);
    expect((await agent.get(`/api/engagements/${e.id}`).expect(200)).body.syncCron).toBe('*/30 * * * *');

    const rollup = await timed(() => agent.post(`/api/engagements/${e.id}/rollup`));
    expect(rollup.res.status).toBe(503);
    expect(rollup.ms).toBeLessThan(FAST_MS);

    const health = await timed(() => api.http().get('/health'));
    expect(health.res.status).toBe(503);
    expect(health.ms).toBeLessThan(FAST_MS);
    // /metrics is for an admin (or the metrics token) since the edge hardening.
    const metrics = await timed(() => agent.get('/metrics'));
    expect(metrics.res.status).toBe(200);
    expect(metrics.ms).toBeLessThan(FAST_MS);

    await redis.start();
    const queued = await waitFor('the API to queue syncs again', async () => {
      const res = await agent.post(`/api/engagements/${e.id}/sync`);
      return res.status === 202 ? res : null;
    });
    expect(queued.body).toMatchObject({ created: true, run: { status: 'queued' } });
    expect(await api.syncQueue.getJob(queued.body.run.jobId)).toBeDefined();
  });
});
