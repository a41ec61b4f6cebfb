// A sync killed mid-way (SIGKILL of the worker process) and run again ends with exactly
// the rows of an uninterrupted sync: pages are written in one transaction each and the
// cursor only moves after its page is stored.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ConnectionEntity,
  DeploymentEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  WorkItemEntity,
} from '@pulse/db';
import { syncLockKey } from '@pulse/contracts';
import { startSandbox } from '../apps/sandbox/src';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../apps/worker/src/worker-config';
import { SyncRunnerService } from '../apps/worker/src/sync/sync-runner.service';
import { ADMIN, startApi, type ApiHarness } from './api-harness';

const root = join(__dirname, '..');
const outDir = join(root, 'dist/test-resume-worker');

describe('a sync interrupted by killing the worker', () => {
  jest.setTimeout(240_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let child: ChildProcess | undefined;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    execFileSync(
      join(root, 'node_modules/.bin/swc'),
      ['apps/worker/src', 'libs', '--config-file', '.swcrc', '-d', outDir, '--quiet'],
      {
        cwd: root,
      },
    );
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
    // the sandbox is on loopback: allowed explicitly, as `npm start` does
    api = await startApi('postgres', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('resumes from its cursor and ends with the same rows as an uninterrupted sync', async () => {
    const db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const engagements = (await agent.get('/api/engagements').expect(200)).body as {
      id: string;
      name: string;
    }[];
    const engagementId = engagements.find((e) => e.name === 'Demo: slipping')!.id;
    const env = {
      REDIS_URL: api.config.REDIS_URL,
      QUEUE_PREFIX: api.config.QUEUE_PREFIX,
      DATABASE_URL: api.database.databaseUrl!,
      PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY!,
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
      LOG_LEVEL: 'silent',
    };
    child = spawn(process.execPath, [join(outDir, 'apps/worker/src/main.js')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });

    // Let it store some pages of the demo sync, then kill it without warning.
    const deadline = Date.now() + 120_000;
    while ((await db.getRepository(PullRequestEntity).countBy({ engagementId })) < 60) {
      if (Date.now() > deadline) throw new Error('the worker stored nothing');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const partial = await db.getRepository(PullRequestEntity).countBy({ engagementId });
    const counts = sandbox.manifest({ counts: true }).scenarios.slipping.counts!.github;
    expect(partial).toBeLessThan(counts.pullRequests);
    await api.syncQueue.obliterate({ force: true });

    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadWorkerConfig(env)), {
      logger: false,
    });
    const { run } = await worker
      .get(SyncRunnerService)
      .run('resume-after-kill', { engagementId, trigger: 'manual' }, async () => undefined);
    expect(run.status).toBe('succeeded');
    expect(await db.getRepository(PullRequestEntity).countBy({ engagementId })).toBe(counts.pullRequests);
    expect(await db.getRepository(ReviewEntity).countBy({ engagementId })).toBe(
      counts.reviews + counts.reviewComments,
    );
    expect(await db.getRepository(DeploymentEntity).countBy({ engagementId })).toBe(counts.deployments);
    expect(await db.getRepository(ReleaseEntity).countBy({ engagementId })).toBe(counts.releases);
    // It resumed rather than started over: fewer PRs fetched than the scenario holds.
    expect(run.counts.github!.pullRequests).toBeLessThan(counts.pullRequests);
  });

  it('resumes a Jira sync killed between pages and ends with the same issues', async () => {
    const db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const engagements = (await agent.get('/api/engagements').expect(200)).body as {
      id: string;
      name: string;
    }[];
    const engagementId = engagements.find((e) => e.name === 'Demo: slipping')!.id;
    const counts = sandbox.manifest({ counts: true }).scenarios.slipping.counts!.jira;
    // Start Jira over: no cursor, no issues stored.
    await db.getRepository(ConnectionEntity).update({ engagementId, kind: 'jira' }, { cursor: null });
    await db.getRepository(WorkItemEntity).delete({ engagementId, source: 'jira' });
    await db.getRepository(SprintEntity).delete({ engagementId });
    await worker?.close();
    worker = undefined;
    // The worker killed in the test before still holds this engagement's sync lock until
    // its TTL lapses (a minute at most); a sync started earlier would only be coalesced.
    // BullMQ's client forwards ioredis commands unchanged (as the worker's lock uses it).
    const redis = (await api.syncQueue.getBackend().connection.client) as unknown as {
      exists(key: string): Promise<number>;
    };
    const lockKey = syncLockKey(api.config.QUEUE_PREFIX, engagementId);
    const lockDeadline = Date.now() + 120_000;
    while ((await redis.exists(lockKey)) > 0) {
      if (Date.now() > lockDeadline) throw new Error('the killed worker’s sync lock never lapsed');
      await new Promise((r) => setTimeout(r, 200));
    }
    const env = {
      REDIS_URL: api.config.REDIS_URL,
      QUEUE_PREFIX: api.config.QUEUE_PREFIX,
      DATABASE_URL: api.database.databaseUrl!,
      PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY!,
      // the sandbox is on loopback: without this the worker refuses to send Jira a request
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
      LOG_LEVEL: 'silent',
    };
    // Slow Jira answers keep the walk long enough to be killed between its pages.
    sandbox.setFaults({ jira: { slowRate: 1, slowMs: 150 } });
    child = spawn(process.execPath, [join(outDir, 'apps/worker/src/main.js')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    await agent
      .post(`/api/engagements/${engagementId}/sync`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    const jiraItems = () => db.getRepository(WorkItemEntity).countBy({ engagementId, source: 'jira' });
    // A page is stored, then its cursor (two writes): kill only once both are, so the kill
    // falls between pages rather than between a page and its cursor (which the next sync
    // would rightly start over from scratch, as nothing says how far the walk got).
    const jiraHighWater = async () => {
      const row = await db.getRepository(ConnectionEntity).findOneBy({ engagementId, kind: 'jira' });
      return (row?.cursor as { highWater?: number | null } | null)?.highWater ?? null;
    };
    const deadline = Date.now() + 180_000;
    while ((await jiraItems()) < 100 || (await jiraHighWater()) === null) {
      if (Date.now() > deadline) throw new Error('the worker stored no Jira page');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    sandbox.setFaults({ jira: {} });
    expect(await jiraItems()).toBeLessThan(counts.issues);
    await api.syncQueue.obliterate({ force: true });

    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadWorkerConfig(env)), {
      logger: false,
    });
    const { run } = await worker
      .get(SyncRunnerService)
      .run('resume-jira-after-kill', { engagementId, trigger: 'manual' }, async () => undefined);
    expect(run.status).toBe('succeeded');
    const rows = await db.getRepository(WorkItemEntity).findBy({ engagementId, source: 'jira' });
    expect(rows).toHaveLength(counts.issues);
    expect(rows.filter((r) => r.type === 'Bug')).toHaveLength(counts.bugs);
    expect(rows.reduce((n, r) => n + r.comments.length, 0)).toBe(counts.comments);
    expect(await db.getRepository(SprintEntity).countBy({ engagementId })).toBe(counts.startedSprints);
    // It resumed from the stored high-water rather than starting over.
    expect(run.counts.jira!.workItems).toBeLessThan(counts.issues);
  });
});
