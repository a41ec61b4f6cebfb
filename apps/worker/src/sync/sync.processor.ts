import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { DateTime } from 'luxon';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_ROLLUP_ENGAGEMENT,
  QUEUE_ROLLUP,
  QUEUE_SYNC,
  rollupJobId,
  type RollupJobPayload,
  type SyncJobPayload,
} from '@pulse/contracts';
import { EngagementGoneError, SyncRunnerService } from './sync-runner.service';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EngagementEntity } from '@pulse/db';

/**
 * Thin: validate the payload, hand over to the runner, then queue the rollup of the weeks
 * the sync touched (always at least the current week, so "now" values stay fresh).
 */
@Processor(QUEUE_SYNC)
export class SyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly runner: SyncRunnerService,
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollups: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job<SyncJobPayload>): Promise<{ syncRunId: string; status: string }> {
    const payload = job.data;
    if (!payload || typeof payload.engagementId !== 'string') {
      throw new UnrecoverableError(`sync job ${job.id} has no engagementId`);
    }
    const jobId = job.id ?? `${job.name}-${job.timestamp}`;
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
    }
  }
}
