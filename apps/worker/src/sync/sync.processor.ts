import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { EngagementEntity } from '@pulse/db';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_ROLLUP_ENGAGEMENT,
  QUEUE_ROLLUP,
  QUEUE_SYNC,
  rollupJobId,
  syncLockKey,
  type RollupJobPayload,
  type SyncJobPayload,
} from '@pulse/contracts';
import { acquireEngagementSyncLock, type LockRedis, type LockResult } from './engagement-sync-lock';
import { EngagementGoneError, SyncRunnerService } from './sync-runner.service';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';

/** How long a sync waits for a holder that has finished its run to let go of the lock. */
const HOLDER_FINISHING_MS = 15_000;

/**
 * Thin: validate the payload, take the engagement's sync lock, hand over to the runner, then
 * queue the rollup of the weeks the sync touched (always at least the current week, so "now"
 * values stay fresh). Also keeps sync_runs honest when a job ends without the runner: a job
 * failed as stalled (its worker died) and runs orphaned by a crash are finished as failed.
 */
@Processor(QUEUE_SYNC)
export class SyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncProcessor');

  constructor(
    private readonly runner: SyncRunnerService,
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUE_SYNC) private readonly syncs: Queue,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollups: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    try {
      const finished = await this.runner.sweepOrphans((jobId) => this.syncs.getJobState(jobId));
      if (finished) this.logger.warn(`finished ${finished} orphaned sync run(s) as failed`);
    } catch (e) {
      // Never stops start-up: the next worker start (or "sync now") sweeps again.
      this.logger.warn(`orphaned sync runs not swept: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async process(job: Job<SyncJobPayload>): Promise<{ syncRunId: string; status: string }> {
    const payload = job.data;
    if (!payload || typeof payload.engagementId !== 'string') {
      throw new UnrecoverableError(`sync job ${job.id} has no engagementId`);
    }
    const jobId = job.id ?? `${job.name}-${job.timestamp}`;
    // BullMQ's client forwards ioredis commands (SET … NX PX, EVAL) unchanged.
    const redis = (await this.syncs.getBackend().connection.client) as unknown as LockRedis;
    const lock = await this.takeLock(
      redis,
      syncLockKey(this.config.QUEUE_PREFIX, payload.engagementId),
      jobId,
    );
    if (!lock.acquired) {
      const run = await this.runner.recordCoalesced(jobId, payload, lock.holder);
      return { syncRunId: run.id, status: run.status };
    }
    try {
      const { run, touchedFrom } = await this.runner.run(jobId, payload, (p) => job.updateProgress({ ...p }));
      const engagement = await this.dataSource
        .getRepository(EngagementEntity)
        .findOneBy({ id: payload.engagementId });
      if (engagement) {
        const week = DateTime.fromMillis(touchedFrom ?? Date.now(), { zone: engagement.reportingTimeZone })
          .startOf('week')
          .toISODate()!;
        const data: RollupJobPayload = { engagementId: engagement.id, weeks: [week] };
        await this.rollups.add(JOB_ROLLUP_ENGAGEMENT, data, {
          ...DEFAULT_JOB_OPTIONS,
          jobId: rollupJobId(engagement.id, jobId),
        });
      }
      return { syncRunId: run.id, status: run.status };
    } catch (e) {
      if (e instanceof EngagementGoneError) throw new UnrecoverableError(e.message);
      throw e;
    } finally {
      await lock.release();
    }
  }

  /**
   * The engagement's sync lock. A holder whose run is already recorded as finished is only
   * queueing its rollup before it lets go: this sync started after that one had read its
   * data, so it waits a moment for the lock and runs, rather than being merged into a sync
   * that is over (which lost a "sync now" pressed right after a sync ended). A holder whose
   * run is still going, or that stays finished-but-holding past HOLDER_FINISHING_MS (it
   * died there; its lock expires within a minute), still gets this one merged into it.
   */
  private async takeLock(redis: LockRedis, key: string, jobId: string): Promise<LockResult> {
    let lock = await acquireEngagementSyncLock(redis, key, jobId);
    const deadline = Date.now() + HOLDER_FINISHING_MS;
    while (!lock.acquired && Date.now() < deadline && (await this.runner.hasFinished(lock.holder))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lock = await acquireEngagementSyncLock(redis, key, jobId);
    }
    return lock;
  }

  /**
   * Final failures the runner did not record itself. The case that matters: a job whose
   * worker died twice is moved back to wait marked for failure, and the next worker to take
   * it fails it ("job stalled more than allowable limit") without running it, so nothing
   * else would ever finish its sync_runs row.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<SyncJobPayload> | undefined, error: Error): Promise<void> {
    if (!job?.id) return;
    try {
      if ((await this.syncs.getJobState(job.id)) !== 'failed') return; // will be retried
      const reason = /stalled/i.test(error.message)
        ? `the worker running this sync stopped (killed or crashed) more often than allowed, so BullMQ gave up on it (${error.message}); run it again`
        : `the sync failed: ${error.message}`;
      await this.runner.finishAbandoned(job.id, reason);
    } catch (e) {
      this.logger.warn(`failed sync ${job.id} not recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
