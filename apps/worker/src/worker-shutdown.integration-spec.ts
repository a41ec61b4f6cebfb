// A worker asked to stop while Redis is down must still stop: BullMQ's close waits for a
// Redis that does not answer, so the worker exits after its shutdown deadline. A private
// redis-server is really killed; the worker is a real process.
import { randomBytes } from 'node:crypto';
import { openTestDatabase, type TestDatabase } from '../../../test/databases';
import { startPrivateRedis, type PrivateRedis } from '../../../test/redis-server';
import { compileWorker, killWorker, startWorker, type WorkerProcess } from '../../../test/worker-process';

describe('worker shutdown while Redis is down', () => {
  jest.setTimeout(240_000);
  let redis: PrivateRedis;
  let db: TestDatabase;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    if (worker) await killWorker(worker);
    await redis?.stop();
    await db?.close();
  });

  it('exits within its deadline after SIGTERM', async () => {
    const outDir = compileWorker('test-worker-shutdown');
    worker = await startWorker(outDir, {
      REDIS_URL: redis.url,
      DATABASE_URL: db.config.databaseUrl!,
      QUEUE_PREFIX: `s${randomBytes(5).toString('hex')}`,
      WORKER_SHUTDOWN_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'silent',
    });
    await redis.stop();

    worker.child.kill('SIGTERM');
    // Generous: the deadline is 3 s; without it the worker waited for Redis for minutes.
    const outcome = await Promise.race([
      worker.exited,
      new Promise<string>((r) => setTimeout(() => r('still running after 90 s'), 90_000).unref()),
    ]);
    expect(outcome).toBe('exited 1');
    expect(worker.output()).toMatch(
      /not closed 3000 ms after SIGTERM \(is Redis reachable\?\); exiting anyway/,
    );
  });
});
