import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUE_SYNC, type SyncJobPayload } from '@pulse/contracts';
import { EngagementGoneError, SyncRunnerService } from './sync-runner.service';

/** Thin: validate the payload, hand over to the runner, map "can't ever succeed" to no retry. */
@Processor(QUEUE_SYNC)
export class SyncProcessor extends WorkerHost {
  constructor(private readonly runner: SyncRunnerService) {
    super();
  }

  async process(job: Job<SyncJobPayload>): Promise<{ syncRunId: string; status: string }> {
    const payload = job.data;
    if (!payload || typeof payload.engagementId !== 'string') {
      throw new UnrecoverableError(`sync job ${job.id} has no engagementId`);
    }
    try {
      const run = await this.runner.run(job.id ?? `${job.name}-${job.timestamp}`, payload, (p) =>
        job.updateProgress({ ...p }),
      );
      return { syncRunId: run.id, status: run.status };
    } catch (e) {
      if (e instanceof EngagementGoneError) throw new UnrecoverableError(e.message);
      throw e;
    }
  }
}
