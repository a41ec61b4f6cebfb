import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { removeEngagementJobs } from '@pulse/db';
import { QUEUE_RETENTION, QUEUE_ROLLUP, QUEUE_SYNC, syncLockKey } from '@pulse/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from '../queue/redis.provider';

/** What a deleted engagement leaves in Redis: its jobs' payloads and its sync lock. */
@Injectable()
export class EngagementJobsService {
  private readonly logger = new Logger('EngagementJobs');

  constructor(
    @InjectQueue(QUEUE_SYNC) private readonly sync: Queue,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollup: Queue,
    @InjectQueue(QUEUE_RETENTION) private readonly retention: Queue,
    private readonly redis: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Best effort: the engagement's rows are already gone, so a Redis hiccup here must not
   * turn the delete into an error — the daily sweep removes whatever is left.
   */
  async purgeEngagement(engagementId: string): Promise<void> {
    try {
      for (const queue of [this.sync, this.rollup, this.retention])
        await removeEngagementJobs(queue, (id) => id === engagementId);
      await this.redis.redis.del(syncLockKey(this.config.QUEUE_PREFIX, engagementId));
    } catch (e) {
      this.logger.warn(
        `jobs of deleted engagement ${engagementId} not removed yet (${e instanceof Error ? e.message : String(e)}); the daily sweep will`,
      );
    }
  }
}
