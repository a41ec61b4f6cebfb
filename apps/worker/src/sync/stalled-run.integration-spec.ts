// A sync whose worker dies twice (SIGKILL, as an OOM kill would) is failed by BullMQ as
// stalled; its sync_runs row must not stay "running" forever. And a run left open by a crash
// with no job behind it is finished by the next worker's start-up sweep. Real worker
// processes, real Redis and PostgreSQL, the sandbox answering slowly so the syncs are busy.
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { SyncRunEntity } from '@pulse/db';
import { startSandbox } from '../../../sandbox/src';
import { startApi, type ApiHarness } from '../../../../test/api-harness';
import {
  compileWorker,
  killWorker,
  startWorker,
  waitFor,
  type WorkerProcess,
} from '../../../../test/worker-process';

describe('sync runs of workers that die', () => {
  // Each death is noticed only after BullMQ's lock (30 s) expired and a stalled-job check
  // (every 30 s) ran: minutes on a loaded machine, so wait for conditions, generously.
  jest.setTimeout(600_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let db: DataSource;
  let outDir: string;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    outDir = compileWorker('test-worker-stalled');
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
    // Every GitHub answer takes longer than the client's 30 s timeout: a sync stays busy.
    sandbox.setFaults({ github: { slowRate: 1, slowMs: 45_000 } });
    const allowed = new URL(sandbox.url).host;
    api = await startApi('postgres', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
    });
    db = api.app.get(DataSource);
    env = {
      REDIS_URL: api.config.REDIS_URL,
      QUEUE_PREFIX: api.config.QUEUE_PREFIX,
      DATABASE_URL: api.database.databaseUrl!,
      PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY!,
      WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'silent',
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
    };
  });

  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    sandbox?.setFaults({ github: {} });
    await api?.close();
    await sandbox?.close();
  });

  const demoRuns = () => db.getRepository(SyncRunEntity).findBy({ trigger: 'demo' });

  it('finishes as failed the runs of jobs whose workers died twice, and sweeps orphaned runs', async () => {
    // The demo seeding queued one sync per demo engagement.
    expect(await demoRuns()).toHaveLength(2);

    workers.push(await startWorker(outDir, { ...env, WORKER_ID: 'worker-a' }));
    await waitFor('both demo syncs running on worker-a', async () => {
      const runs = await demoRuns();
      return runs.every((r) => r.status === 'running' && r.workerId === 'worker-a');
    });
    await killWorker(workers[0]!);

    // A run a crash left open with no job behind it (e.g. queued while Redis lost its data).
    const orphan = await db.getRepository(SyncRunEntity).save({
      id: randomUUID(),
      engagementId: (await demoRuns())[0]!.engagementId,
      jobId: `sync-orphan-${randomUUID()}`,
      trigger: 'manual',
      status: 'running',
      progress: 40,
      phase: 'github: pull requests',
      createdAt: Date.now(),
      startedAt: Date.now(),
      finishedAt: null,
      counts: {},
      apiCalls: 0,
      apiCallsNotModified: 0,
      error: null,
      workerId: 'worker-gone',
    });

    workers.push(await startWorker(outDir, { ...env, WORKER_ID: 'worker-b' }));
    const swept = await waitFor('the start-up sweep', async () => {
      const row = await db.getRepository(SyncRunEntity).findOneByOrFail({ id: orphan.id });
      return row.status !== 'running' ? row : null;
    });
    expect(swept).toMatchObject({ status: 'failed', error: expect.stringMatching(/no longer in the queue/) });
    expect(swept.finishedAt).not.toBeNull();

    // worker-b takes the stalled jobs over (first stall: they run again), then dies too.
    await waitFor(
      'worker-b to take the stalled syncs over',
      async () => {
        const runs = await demoRuns();
        return runs.every((r) => r.status === 'running' && r.workerId === 'worker-b');
      },
      300_000,
    );
    await killWorker(workers[1]!);

    // Second stall: BullMQ gives up on the jobs; worker-c must finish their rows.
    workers.push(await startWorker(outDir, { ...env, WORKER_ID: 'worker-c' }));
    const finished = await waitFor(
      'the stalled syncs to be finished',
      async () => {
        const runs = await demoRuns();
        return runs.every((r) => r.status !== 'running' && r.status !== 'queued') ? runs : null;
      },
      300_000,
    );
    for (const run of finished) {
      expect(run).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/stopped .*more often than allowed.*run it again/),
      });
      expect(run.finishedAt).not.toBeNull();
      expect(await api.syncQueue.getJobState(run.jobId)).toBe('failed');
    }
    // Nothing is left open.
    expect(await db.getRepository(SyncRunEntity).countBy({ status: In(['queued', 'running']) })).toBe(0);
  });
});
