import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUE_ROLLUP, type RollupJobPayload } from '@pulse/contracts';
import { RollupEngagementGoneError, RollupService, type RollupSummary } from './rollup.service';

@Processor(QUEUE_ROLLUP)
export class RollupProcessor extends WorkerHost {
  constructor(private readonly rollup: RollupService) {
    super();
  }

  async process(job: Job<RollupJobPayload>): Promise<RollupSummary> {
    const { engagementId, weeks } = job.data ?? {};
    if (typeof engagementId !== 'string' || !Array.isArray(weeks)) {
      throw new UnrecoverableError(`rollup job ${job.id} has a malformed payload`);
    }
    try {
      return await this.rollup.run(engagementId, weeks);
    } catch (e) {
      if (e instanceof RollupEngagementGoneError) throw new UnrecoverableError(e.message);
      throw e;
    }
  }
}
