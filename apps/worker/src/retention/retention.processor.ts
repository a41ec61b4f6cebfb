import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { removeEngagementJobs } from '@pulse/db';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_RETENTION_ENGAGEMENT,
  JOB_RETENTION_SWEEP,
  QUEUE_RETENTION,
  QUEUE_ROLLUP,
  QUEUE_SYNC,
  RETENTION_CRON,
  RETENTION_SCHEDULER_ID,
  retentionJobId,
  type RetentionJobPayload,
} from '@pulse/contracts';
import { RetentionService, type RetentionSummary } from './retention.service';

/**
 * The daily retention sweep (a cron job that only fans out: one job per engagement, and the
 * removal of Redis jobs left by deleted engagements) and the per-engagement job that
 * deletes what is past the window. Logs name engagements by id only.
 */
@Processor(QUEUE_RETENTION)
export class RetentionProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly retention: RetentionService,
    @InjectQueue(QUEUE_RETENTION) private readonly queue: Queue,
    @InjectQueue(QUEUE_SYNC) private readonly syncQueue: Queue,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollupQueue: Queue,
  ) {
    super();
  }

  private retryTimer: NodeJS.Timeout | undefined;

  /**
   * Every worker registers the same scheduler id: BullMQ keeps one. Redis being away at
   * start-up must not stop the worker: registration is retried until it succeeds.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { pattern: RETENTION_CRON, tz: 'UTC' },
        { name: JOB_RETENTION_SWEEP, data: {}, opts: DEFAULT_JOB_OPTIONS },
      );
    } catch (e) {
      this.logger.warn(
        `retention schedule not registered (${e instanceof Error ? e.message : String(e)}); retrying in 15 s`,
      );
      this.retryTimer = setTimeout(() => void this.onApplicationBootstrap(), 15_000);
      this.retryTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
  }

  async process(job: Job): Promise<RetentionSummary | { engagements: number; orphanJobs: number } | null> {
    if (job.name === JOB_RETENTION_SWEEP) return this.sweep(job);
    const { engagementId } = (job.data ?? {}) as Partial<RetentionJobPayload>;
    if (typeof engagementId !== 'string')
      throw new UnrecoverableError(`retention job ${job.id} has a malformed payload`);
    const summary = await this.retention.run(engagementId);
    if (summary) {
      const total = Object.values(summary.deleted).reduce((a, b) => a + b, 0);
      if (total > 0) this.logger.log(`engagement ${engagementId}: ${total} row(s) past retention deleted`);
    }
    return summary;
  }

  private async sweep(job: Job): Promise<{ engagements: number; orphanJobs: number }> {
    const ids = await this.retention.engagementIds();
    const day = new Date(job.timestamp).toISOString().slice(0, 10);
    await this.queue.addBulk(
      ids.map((engagementId) => ({
        name: JOB_RETENTION_ENGAGEMENT,
        data: { engagementId } satisfies RetentionJobPayload,
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: retentionJobId(engagementId, day) },
      })),
    );
    // Jobs of engagements deleted while they ran (docs/privacy.md: gone within a day).
    const live = new Set(ids);
    let orphanJobs = 0;
    for (const queue of [this.syncQueue, this.rollupQueue, this.queue])
      orphanJobs += await removeEngagementJobs(queue, (id) => !live.has(id));
    return { engagements: ids.length, orphanJobs };
  }
}
