import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { EngagementEntity } from '@pulse/db';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_SYNC_ENGAGEMENT,
  QUEUE_SYNC,
  syncSchedulerId,
  type SyncJobPayload,
} from '@pulse/contracts';
import { badRequest } from '../common/validation';
import { RedisGate, RedisUnavailableError } from '../queue/redis-gate.service';
import { checkSyncSchedule } from './sync-schedule';

type Scheduled = Pick<EngagementEntity, 'id' | 'syncCron' | 'reportingTimeZone'>;

export interface ReconcileReport {
  scheduled: number;
  /** Engagements whose stored schedule was refused, with the reason (also stored on the row). */
  refused: { engagementId: string; reason: string }[];
}

const RETRY_RECONCILE_MS = 15_000;

/** Keeps one BullMQ job scheduler per engagement in step with the engagement row. */
@Injectable()
export class SyncSchedulerService implements OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QUEUE_SYNC) private readonly queue: Queue,
    private readonly gate: RedisGate,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Registers (or replaces) the engagement's scheduler. Callers validate the schedule first
   * (`checkSyncSchedule`); anything BullMQ still refuses is thrown, so the caller can keep the
   * row unchanged.
   */
  async upsert(engagement: Scheduled): Promise<void> {
    const data: SyncJobPayload = { engagementId: engagement.id, trigger: 'schedule' };
    try {
      await this.gate.run(this.queue, 'registering the sync schedule', () =>
        this.queue.upsertJobScheduler(
          syncSchedulerId(engagement.id),
          { pattern: engagement.syncCron, tz: engagement.reportingTimeZone },
          { name: JOB_SYNC_ENGAGEMENT, data, opts: DEFAULT_JOB_OPTIONS },
        ),
      );
    } catch (e) {
      if (e instanceof RedisUnavailableError) throw e;
      throw badRequest([
        {
          field: 'syncCron',
          message: `the scheduler refused "${engagement.syncCron}" (${e instanceof Error ? e.message : String(e)}); use a five-field cron such as "*/30 * * * *"`,
        },
      ]);
    }
  }

  async remove(engagementId: string): Promise<void> {
    await this.gate.run(this.queue, 'removing the sync schedule', () =>
      this.queue.removeJobScheduler(syncSchedulerId(engagementId)),
    );
  }

  /**
   * Re-creates schedulers for every engagement (e.g. after Redis lost its data) and drops
   * those of deleted engagements. A stored schedule that cannot be registered never stops
   * start-up: it is logged, stored as the engagement's `scheduleError`, and skipped.
   */
  async reconcile(engagements: EngagementEntity[], now = Date.now()): Promise<ReconcileReport> {
    const existing = new Map(
      (
        await this.gate.run(this.queue, 'listing sync schedules', () => this.queue.getJobSchedulers(0, -1))
      ).map((s) => [s.key, s]),
    );
    const report: ReconcileReport = { scheduled: 0, refused: [] };
    for (const engagement of engagements) {
      const key = syncSchedulerId(engagement.id);
      let reason: string | null = null;
      const problem = checkSyncSchedule(engagement.syncCron, engagement.reportingTimeZone, now);
      if (problem) {
        reason = `${problem.field}: ${problem.message}`;
      } else {
        const current = existing.get(key);
        if (current?.pattern !== engagement.syncCron || current?.tz !== engagement.reportingTimeZone) {
          try {
            await this.upsert(engagement);
          } catch (e) {
            if (e instanceof RedisUnavailableError) throw e;
            reason = `BullMQ refused the schedule: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
      }
      if (reason) {
        report.refused.push({ engagementId: engagement.id, reason });
        this.logger.warn(
          `engagement ${engagement.id}: sync schedule "${engagement.syncCron}" not registered: ${reason}`,
        );
        if (existing.has(key)) await this.remove(engagement.id);
      } else {
        report.scheduled += 1;
      }
      if ((engagement.scheduleError ?? null) !== reason)
        await this.dataSource
          .getRepository(EngagementEntity)
          .update({ id: engagement.id }, { scheduleError: reason });
    }
    const wanted = new Set(engagements.map((e) => syncSchedulerId(e.id)));
    for (const key of existing.keys())
      if (!wanted.has(key))
        await this.gate.run(this.queue, 'removing a sync schedule', () => this.queue.removeJobScheduler(key));
    this.logger.log(
      `sync schedules: ${report.scheduled} engagement(s) scheduled, ${report.refused.length} refused`,
    );
    return report;
  }

  /**
   * Start-up reconciliation that cannot stop start-up: when Redis is unreachable it is
   * retried in the background until it succeeds.
   */
  async reconcileAtStartup(): Promise<void> {
    try {
      await this.reconcile(await this.dataSource.getRepository(EngagementEntity).find());
    } catch (e) {
      this.logger.warn(
        `sync schedules not reconciled (${e instanceof Error ? e.message : String(e)}); retrying in ${RETRY_RECONCILE_MS / 1000} s`,
      );
      this.retryTimer = setTimeout(() => void this.reconcileAtStartup(), RETRY_RECONCILE_MS);
      this.retryTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
  }
}
