import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { QUEUE_DIGEST, type DigestJobPayload } from '@pulse/contracts';
import { DigestGoneError, DigestService, type DigestOutcome } from './digest.service';

/** Rate-limit waits honoured per job before it is failed (Slack keeps saying "later"). */
const MAX_RATE_LIMIT_WAITS = 10;

@Processor(QUEUE_DIGEST)
export class DigestProcessor extends WorkerHost {
  constructor(private readonly digests: DigestService) {
    super();
  }

  async process(job: Job<DigestJobPayload>, token?: string): Promise<DigestOutcome> {
    const { engagementId, audience } = job.data ?? {};
    if (typeof engagementId !== 'string' || (audience !== 'client' && audience !== 'vendor')) {
      throw new UnrecoverableError(`digest job ${job.id} has a malformed payload`);
    }
    let outcome: DigestOutcome;
    try {
      outcome = await this.digests.run(job.data);
    } catch (e) {
      if (e instanceof DigestGoneError) throw new UnrecoverableError(e.message);
      throw e;
    }
    if (outcome.kind !== 'failed') return outcome;
    const { error } = outcome;
    if (error.code === 'ratelimited' && token) {
      // Retried after Slack's Retry-After, without spending one of the job's attempts.
      const waits = Number((job.data as { rateLimitWaits?: number }).rateLimitWaits ?? 0);
      if (waits < MAX_RATE_LIMIT_WAITS) {
        await job.updateData({ ...job.data, rateLimitWaits: waits + 1 } as DigestJobPayload);
        await job.moveToDelayed(Date.now() + (error.retryAfter ?? 60) * 1000, token);
        throw new DelayedError();
      }
    }
    // The message with its action goes to the job's record (failedReason) as well.
    if (error.permanent) throw new UnrecoverableError(error.message);
    throw new Error(error.message);
  }
}
