// Sync schedules against the real API, database and Redis: a cron BullMQ cannot run is
// refused with a 400 and stores nothing, and a bad schedule already stored (written straight
// into the database, as an older version could) never stops the API from starting.
import { DataSource } from 'typeorm';
import { EngagementEntity } from '@pulse/db';
import { syncSchedulerId } from '@pulse/contracts';
import { DATABASE_KINDS } from '../../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

const BAD_CRONS = ['*/0 * * * *', '60 * * * *', '0 0 31 2 *', '5-1 * * * *'];

describe.each(DATABASE_KINDS)('sync schedules on %s', (kind) => {
  jest.setTimeout(180_000);
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi(kind);
  });
  afterAll(() => api?.close());

  const schedulerKeys = async (harness: ApiHarness) =>
    (await harness.syncQueue.getJobSchedulers(0, -1)).map((s) => s.key);

  it.each(BAD_CRONS)('refuses syncCron %j with a 400 naming the field, and stores nothing', async (cron) => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const before = (await agent.get('/api/engagements').expect(200)).body.length;
    const schedulersBefore = await schedulerKeys(api);
    const res = await agent
      .post('/api/engagements')
      .send(anEngagementBody({ syncCron: cron }))
      .expect(400);
    expect(res.body.details).toContainEqual({ field: 'syncCron', message: expect.stringMatching(/\*\/30/) });
    expect((await agent.get('/api/engagements').expect(200)).body).toHaveLength(before);
    expect(await schedulerKeys(api)).toEqual(schedulersBefore);
  });

  it('refuses schedules more frequent than every 5 minutes, on create and on update', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const tooOften = await agent
      .post('/api/engagements')
      .send(anEngagementBody({ syncCron: '*/2 * * * *' }))
      .expect(400);
    expect(tooOften.body.message).toMatch(/syncCron: .*every 5 minutes/);
    const { body: e } = await agent
      .post('/api/engagements')
      .send(anEngagementBody({ syncCron: '*/5 * * * *' }))
      .expect(201);
    const scheduler = await api.syncQueue.getJobScheduler(syncSchedulerId(e.id));
    expect(scheduler?.pattern).toBe('*/5 * * * *');
    const patch = await agent.patch(`/api/engagements/${e.id}`).send({ syncCron: '* * * * *' }).expect(400);
    expect(patch.body.details[0].field).toBe('syncCron');
    // Nothing changed: neither the row nor the registered scheduler.
    expect((await agent.get(`/api/engagements/${e.id}`).expect(200)).body.syncCron).toBe('*/5 * * * *');
    expect((await api.syncQueue.getJobScheduler(syncSchedulerId(e.id)))?.pattern).toBe('*/5 * * * *');
  });

  it('starts with a bad stored cron, reports the engagement, and schedules the others', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: good } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const { body: bad } = await agent
      .post('/api/engagements')
      .send(anEngagementBody({ name: 'Stored badly' }))
      .expect(201);
    // What an older Pulse let through: written directly, behind the API's back.
    await api.app
      .get(DataSource)
      .getRepository(EngagementEntity)
      .update({ id: bad.id }, { syncCron: '*/0 * * * *' });
    const database = api.database;
    const prefix = api.config.QUEUE_PREFIX;
    await api.close(); // also empties the queue, so the restart must register every schedule

    api = await startApi(kind, { QUEUE_PREFIX: prefix }, database);
    const again = await api.signIn(ADMIN.email, ADMIN.password);
    const shown = (await again.get(`/api/engagements/${bad.id}`).expect(200)).body;
    expect(shown.scheduleError).toMatch(/syncCron: .*cannot repeat at every 0/);
    expect((await again.get(`/api/engagements/${good.id}`).expect(200)).body.scheduleError).toBeNull();
    const keys = await schedulerKeys(api);
    expect(keys).toContain(syncSchedulerId(good.id));
    expect(keys).not.toContain(syncSchedulerId(bad.id));
    // The API answers as usual, and fixing the schedule clears the error.
    await again.get('/health').expect(200);
    const fixed = await again
      .patch(`/api/engagements/${bad.id}`)
      .send({ syncCron: '0 6 * * 1-5' })
      .expect(200);
    expect(fixed.body.scheduleError).toBeNull();
    expect((await api.syncQueue.getJobScheduler(syncSchedulerId(bad.id)))?.pattern).toBe('0 6 * * 1-5');
  });
});
