import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { In } from 'typeorm';
import { EngagementEntity, redisOptionsFrom, SyncRunEntity } from '@pulse/db';
import { DEFAULT_JOB_OPTIONS, JOB_SYNC_ENGAGEMENT, QUEUE_SYNC, syncJobId } from '@pulse/contracts';
import { openTestDatabase, requireEnv, type TestDatabase } from '../../../test/databases';

const root = join(__dirname, '../../..');
const outDir = join(root, 'dist/test-worker');

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(outDir, 'apps/worker/src/main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

/** Nest runs its shutdown hooks on SIGTERM, then re-raises the signal: a clean stop. */
async function stop(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return `exited ${child.exitCode ?? child.signalCode}`;
  const exited = new Promise<string>((r) =>
    child.once('exit', (code, signal) => r(`exited ${code ?? signal}`)),
  );
  child.kill('SIGTERM');
  return exited;
}

describe('two worker processes against one Redis', () => {
  // Compiling the worker and starting two processes takes tens of seconds on a loaded
  // machine (and Jest ignores a per-project testTimeout: its default is 5 s).
  jest.setTimeout(240_000);
  let db: TestDatabase;
  let queue: Queue;
  let events: QueueEvents;
  const workers: ChildProcess[] = [];
  const prefix = `w${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    execFileSync(
      join(root, 'node_modules/.bin/swc'),
      ['apps/worker/src', 'libs', '--config-file', '.swcrc', '-d', outDir, '--quiet'],
      {
        cwd: root,
      },
    );
    db = await openTestDatabase('postgres');
    const connection = redisOptionsFrom(requireEnv('PULSE_TEST_REDIS_URL'));
    queue = new Queue(QUEUE_SYNC, { connection, prefix });
    events = new QueueEvents(QUEUE_SYNC, { connection, prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    for (const w of workers) await stop(w);
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await db?.close();
  });

  it('runs every job exactly once, each on one of the two workers', async () => {
    // One engagement per job: two syncs of one engagement never run at once (they are
    // coalesced), and this test is about job ids, not about that.
    const anEngagement = () => ({
      id: randomUUID(),
      name: 'Two workers',
      vendorName: 'V',
      reportingTimeZone: 'UTC',
      clientCalendar: {
        timeZone: 'UTC',
        weekdays: [1, 2, 3, 4, 5],
        start: '09:00',
        end: '18:00',
        holidays: [],
      },
      vendorCalendar: {
        timeZone: 'UTC',
        weekdays: [1, 2, 3, 4, 5],
        start: '09:00',
        end: '18:00',
        holidays: [],
      },
      syncCron: '*/30 * * * *',
      settings: {} as EngagementEntity['settings'],
      ownerId: randomUUID(),
      createdAt: 0,
      updatedAt: 0,
      scheduleError: null,
    });
    const engagements = await db.dataSource
      .getRepository(EngagementEntity)
      .save(Array.from({ length: 30 }, anEngagement));
    const env = {
      REDIS_URL: requireEnv('PULSE_TEST_REDIS_URL'),
      DATABASE_URL: db.config.databaseUrl!,
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'silent',
    };
    workers.push(
      await startWorker({ ...env, WORKER_ID: 'worker-a' }),
      await startWorker({ ...env, WORKER_ID: 'worker-b' }),
    );

    const active = new Map<string, number>();
    events.on('active', ({ jobId }) => active.set(jobId, (active.get(jobId) ?? 0) + 1));

    // 30 distinct jobs, each enqueued twice (as two API instances would): ids deduplicate.
    const ids = engagements.map((e, i) => syncJobId(e.id, 1_700_000_000_000 + i * 60_000));
    const pending = new Set(ids);
    const finished = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId }) => {
        pending.delete(jobId);
        if (pending.size === 0) resolve();
      }),
    );
    for (const i of [...ids.keys(), ...ids.keys()]) {
      await queue.add(
        JOB_SYNC_ENGAGEMENT,
        { engagementId: engagements[i]!.id, trigger: 'schedule' },
        { ...DEFAULT_JOB_OPTIONS, jobId: ids[i]! },
      );
    }
    await finished;

    const runs = await db.dataSource
      .getRepository(SyncRunEntity)
      .findBy({ engagementId: In(engagements.map((e) => e.id)) });
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.jobId))).toEqual(new Set(ids));
    expect(runs.every((r) => r.status === 'succeeded' && r.progress === 100)).toBe(true);
    expect([...active.values()].every((n) => n === 1)).toBe(true);
    expect(active.size).toBe(30);
    // Both processes took part, so "exactly once" was tested under real contention.
    expect(new Set(runs.map((r) => r.workerId))).toEqual(new Set(['worker-a', 'worker-b']));
  });

  it('a job for an engagement that no longer exists fails without retries', async () => {
    const job = await queue.add(
      JOB_SYNC_ENGAGEMENT,
      { engagementId: randomUUID(), trigger: 'schedule' },
      DEFAULT_JOB_OPTIONS,
    );
    await new Promise<void>((resolve) => events.on('failed', (e) => e.jobId === job.id && resolve()));
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/no longer exists/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const w = workers.pop()!;
    expect(await stop(w)).toMatch(/^exited (0|SIGTERM)$/);
  });
});
