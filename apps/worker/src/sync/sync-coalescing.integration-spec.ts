// Syncs of the demo engagements against the sandbox, through the real API, a real in-process
// worker (BullMQ on real Redis, PostgreSQL) and the real Octokit: a sync waits out frequent
// short rate limits instead of giving up, and two syncs of one engagement started together
// run once, and one started as the previous one ends runs rather than merging into it.
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import IORedis from 'ioredis';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { PullRequestEntity, SyncRunEntity } from '@pulse/db';
import { DEFAULT_JOB_OPTIONS, JOB_SYNC_ENGAGEMENT, syncJobId, syncLockKey } from '@pulse/contracts';
import { startSandbox } from '../../../sandbox/src';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { waitFor } from '../../../../test/worker-process';
import { WorkerModule } from '../worker.module';
import { loadWorkerConfig } from '../worker-config';

const NOW = '2026-11-20T12:00:00.000Z';
const finished = (r: SyncRunEntity | null) => r !== null && r.status !== 'queued' && r.status !== 'running';

describe('syncs of one engagement against the sandbox', () => {
  // A full sync waiting out dozens of 1 s rate limits, on a 2-core machine shared by other
  // test runs: wait for conditions, with a wide margin.
  jest.setTimeout(600_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let db: DataSource;
  let slipping: string;
  let steadyRunId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: NOW });
    // Before the first sync: half of GitHub's answers are 429 with Retry-After: 1 until 60
    // were sent (bounding the test's waits). With Octokit's old limit of 2 waits per request,
    // the requests that met three 429s in a row aborted the sync.
    sandbox.setFaults({
      github: { rateLimitRate: 0.5, rateLimitMax: 60, retryAfterSeconds: 1, secondaryLimitStatus: 429 },
    });
    const allowed = new URL(sandbox.url).host;
    api = await startApi('postgres', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
    });
    db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = (await agent.get('/api/engagements').expect(200)).body as { id: string; name: string }[];
    slipping = list.find((e) => e.name === 'Demo: slipping')!.id;
    // Only slipping's demo sync runs (a full sync through many rate limits is slow enough);
    // steady's run, left without a job, is finished by the worker's start-up sweep.
    const steady = await db
      .getRepository(SyncRunEntity)
      .findOneByOrFail({ trigger: 'demo', engagementId: list.find((e) => e.name === 'Demo: steady')!.id });
    await api.syncQueue.remove(steady.jobId);
    steadyRunId = steady.id;
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          DATABASE_URL: api.database.databaseUrl,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          WORKER_ID: 'coalescing-worker',
          PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
          WORKER_CONCURRENCY: '2',
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
  });

  afterAll(async () => {
    sandbox?.setFaults({ github: {} });
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('waits out 429 Retry-After: 1 on half of the requests and finishes the sync', async () => {
    const run = await waitFor(
      'the demo sync of slipping',
      async () => {
        const r = await db
          .getRepository(SyncRunEntity)
          .findOneBy({ engagementId: slipping, trigger: 'demo' });
        return finished(r) ? r : null;
      },
      540_000,
    );
    expect({ status: run!.status, error: run!.error }).toEqual({ status: 'succeeded', error: null });
    const expected = sandbox.manifest({ counts: true }).scenarios.slipping.counts!.github;
    expect(run!.counts.github).toMatchObject({ pullRequests: expected.pullRequests, skipped: 0 });
    expect(await db.getRepository(PullRequestEntity).countBy({ engagementId: slipping })).toBe(
      expected.pullRequests,
    );
  });

  it('finishes at start-up a queued run whose job is gone', async () => {
    const steady = await db.getRepository(SyncRunEntity).findOneByOrFail({ id: steadyRunId });
    expect(steady).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no longer in the queue/),
    });
  });

  it('runs a sync started while the previous one, recorded as finished, still holds the lock', async () => {
    // The moment a sync's run reads "succeeded" it still holds the engagement's lock while it
    // queues its rollup. A sync started then used to be merged into that finished one and
    // skipped, so a "sync now" pressed right after a sync ended collected nothing.
    const runs = db.getRepository(SyncRunEntity);
    const holder = 'sync-finishing-holder';
    const finishedAt = Date.now();
    await runs.save(
      runs.create({
        id: randomUUID(),
        engagementId: slipping,
        jobId: holder,
        trigger: 'schedule',
        status: 'succeeded',
        progress: 100,
        phase: 'done',
        createdAt: finishedAt,
        startedAt: finishedAt,
        finishedAt,
        counts: {},
        apiCalls: 0,
        apiCallsNotModified: 0,
      }),
    );
    const key = syncLockKey(api.config.QUEUE_PREFIX, slipping);
    const redis = new IORedis(api.config.REDIS_URL, { maxRetriesPerRequest: null });
    const monitor = await redis.monitor();
    try {
      expect(await redis.set(key, holder, 'PX', 60_000, 'NX')).toBe('OK');
      const jobId = syncJobId(slipping, Date.parse('2026-12-01T09:00:00Z'));
      // The holder lets go only once the new sync has found the lock taken: its SET … NX
      // failed and it has read who holds it (MONITOR lists commands as they are executed).
      const triedLock = new Promise<void>((resolve) => {
        let setTried = false;
        monitor.on('monitor', (_time: string, args: string[]) => {
          const command = args[0]?.toLowerCase();
          if (command === 'set' && args[1] === key && args[2] === jobId) setTried = true;
          if (setTried && command === 'get' && args[1] === key) resolve();
        });
      });
      await api.syncQueue.add(
        JOB_SYNC_ENGAGEMENT,
        { engagementId: slipping, trigger: 'schedule' },
        { ...DEFAULT_JOB_OPTIONS, jobId },
      );
      await triedLock;
      await redis.eval(
        `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
        1,
        key,
        holder,
      );
      const run = await waitFor('the new sync to finish', async () => {
        const r = await runs.findOneBy({ jobId });
        return finished(r) ? r : null;
      });
      expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    } finally {
      monitor.disconnect();
      redis.disconnect();
    }
  });

  it('runs two syncs of one engagement started together once, and "sync now" says one is running', async () => {
    // Slow answers keep the first sync busy while the second one starts.
    sandbox.setFaults({ github: { slowRate: 1, slowMs: 1_000 } });
    const scheduled = syncJobId(slipping, Date.parse('2026-12-01T10:00:00Z'));
    const manual = syncJobId(slipping, Date.parse('2026-12-01T10:00:30Z'));
    await Promise.all([
      api.syncQueue.add(
        JOB_SYNC_ENGAGEMENT,
        { engagementId: slipping, trigger: 'schedule' },
        { ...DEFAULT_JOB_OPTIONS, jobId: scheduled },
      ),
      api.syncQueue.add(
        JOB_SYNC_ENGAGEMENT,
        { engagementId: slipping, trigger: 'manual' },
        { ...DEFAULT_JOB_OPTIONS, jobId: manual },
      ),
    ]);
    const running = await waitFor('one of them to run', () =>
      db.getRepository(SyncRunEntity).findOneBy({ jobId: In([scheduled, manual]), status: 'running' }),
    );

    // Pressed while it runs: the running sync comes back, with the reason.
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const again = await agent.post(`/api/engagements/${slipping}/sync`).expect(202);
    expect(again.body).toMatchObject({ created: false, run: { id: running.id, status: 'running' } });
    expect(again.body.reason).toMatch(/already running/);

    const runs = await waitFor('both to finish', async () => {
      const rows = await db.getRepository(SyncRunEntity).findBy({ jobId: In([scheduled, manual]) });
      return rows.length === 2 && rows.every(finished) ? rows : null;
    });
    const ran = runs.find((r) => r.id === running.id)!;
    const merged = runs.find((r) => r.id !== running.id)!;
    expect(ran.status).toBe('succeeded');
    expect(merged).toMatchObject({
      status: 'skipped',
      apiCalls: 0,
      error: expect.stringContaining(`(job ${ran.jobId}`),
    });
    // No third run was queued by the second "sync now".
    expect(await db.getRepository(SyncRunEntity).countBy({ engagementId: slipping, trigger: 'manual' })).toBe(
      1,
    );
  });
});
