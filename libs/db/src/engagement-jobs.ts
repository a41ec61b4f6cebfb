import type { JobType, Queue } from 'bullmq';

/** Every state a job can rest in; `active` jobs are locked by a worker and left to finish. */
const RESTING: JobType[] = ['wait', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'];

/**
 * Removes the jobs (payload, return value, logs) of the engagements `gone` selects from one
 * queue — what deleting an engagement leaves in Redis (docs/privacy.md). Used by the API
 * when an engagement is deleted and by the daily retention sweep for what was still running
 * then. Returns how many jobs were removed.
 */
export async function removeEngagementJobs(
  queue: Queue,
  gone: (engagementId: string) => boolean,
): Promise<number> {
  let removed = 0;
  for (const state of RESTING) {
    const jobs = await queue.getJobs([state], 0, -1);
    for (const job of jobs) {
      const engagementId = (job?.data as { engagementId?: unknown } | undefined)?.engagementId;
      if (!job || typeof engagementId !== 'string' || !gone(engagementId)) continue;
      // A job that became active meanwhile is locked: the next sweep removes it.
      if (
        await job.remove().then(
          () => true,
          () => false,
        )
      )
        removed++;
    }
  }
  return removed;
}
