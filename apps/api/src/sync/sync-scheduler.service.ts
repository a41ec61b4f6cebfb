import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_SYNC_ENGAGEMENT,
  QUEUE_SYNC,
  syncSchedulerId,
  type SyncJobPayload,
} from '@pulse/contracts';

/** Keeps one BullMQ job scheduler per engagement in step with the engagement row. */
@Injectable()
export class SyncSchedulerService {
  private readonly logger = new Logger('SyncScheduler');

  constructor(@InjectQueue(QUEUE_SYNC) private readonly queue: Queue) {}

  async upsert(engagement: { id: string; syncCron: string; reportingTimeZone: string }): Promise<void> {
    const data: SyncJobPayload = { engagementId: engagement.id, trigger: 'schedule' };
    await this.queue.upsertJobScheduler(
      syncSchedulerId(engagement.id),
      { pattern: engagement.syncCron, tz: engagement.reportingTimeZone },
      { name: JOB_SYNC_ENGAGEMENT, data, opts: DEFAULT_JOB_OPTIONS },
    );
  }

  async remove(engagementId: string): Promise<void> {
    await this.queue.removeJobScheduler(syncSchedulerId(engagementId));
  }

  /** Re-create schedulers for every engagement (e.g. after Redis lost its data). */
  async reconcile(engagements: { id: string; syncCron: string; reportingTimeZone: string }[]): Promise<void> {
    const existing = new Set((await this.queue.getJobSchedulers(0, -1)).map((s) => s.key));
    const wanted = new Set(engagements.map((e) => syncSchedulerId(e.id)));
    for (const engagement of engagements)
      if (!existing.has(syncSchedulerId(engagement.id))) await this.upsert(engagement);
    for (const key of existing) if (!wanted.has(key)) await this.queue.removeJobScheduler(key);
    this.logger.log(`sync schedules: ${engagements.length} engagement(s)`);
  }
}
