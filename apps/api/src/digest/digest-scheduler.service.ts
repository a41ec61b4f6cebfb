import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DigestSettingsEntity, EngagementEntity } from '@pulse/db';
import {
  DIGEST_JOB_OPTIONS,
  JOB_DIGEST,
  QUEUE_DIGEST,
  digestSchedulerId,
  type DigestAudienceName,
  type DigestJobPayload,
} from '@pulse/contracts';
import { RedisGate } from '../queue/redis-gate.service';

const RETRY_RECONCILE_MS = 15_000;
const AUDIENCES: DigestAudienceName[] = ['client', 'vendor'];

type Settings = Pick<
  DigestSettingsEntity,
  'engagementId' | 'clientChannelId' | 'vendorChannelId' | 'weekday' | 'timeOfDay'
>;

/** "09:00" on ISO weekday 1 → "0 9 * * 1" (cron's Sunday is 0, ISO's is 7). */
export function digestCron(weekday: number, timeOfDay: string): string {
  const [h, m] = timeOfDay.split(':').map(Number);
  return `${m} ${h} * * ${weekday % 7}`;
}

/**
 * One BullMQ job scheduler per engagement and audience with a channel, at the digest's day
 * and time in the engagement's reporting zone — kept in step like the sync schedulers. The
 * scheduler's job ids are deterministic (scheduler id + instant), so a run is never queued twice.
 */
@Injectable()
export class DigestSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DigestScheduler');
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QUEUE_DIGEST) private readonly queue: Queue,
    private readonly gate: RedisGate,
    private readonly dataSource: DataSource,
  ) {}

  async apply(settings: Settings, zone: string): Promise<void> {
    for (const audience of AUDIENCES) {
      const channel = audience === 'client' ? settings.clientChannelId : settings.vendorChannelId;
      const id = digestSchedulerId(settings.engagementId, audience);
      if (!channel) {
        await this.gate.run(this.queue, 'removing a digest schedule', () =>
          this.queue.removeJobScheduler(id),
        );
        continue;
      }
      const data: DigestJobPayload = { engagementId: settings.engagementId, audience };
      await this.gate.run(this.queue, 'registering a digest schedule', () =>
        this.queue.upsertJobScheduler(
          id,
          { pattern: digestCron(settings.weekday, settings.timeOfDay), tz: zone },
          { name: JOB_DIGEST, data, opts: DIGEST_JOB_OPTIONS },
        ),
      );
    }
  }

  /** Re-registers an engagement's digest schedulers (its reporting zone changed). */
  async reapply(engagementId: string, zone: string): Promise<void> {
    const settings = await this.dataSource.getRepository(DigestSettingsEntity).findOneBy({ engagementId });
    if (settings) await this.apply(settings, zone);
  }

  async remove(engagementId: string): Promise<void> {
    for (const audience of AUDIENCES)
      await this.gate.run(this.queue, 'removing a digest schedule', () =>
        this.queue.removeJobScheduler(digestSchedulerId(engagementId, audience)),
      );
  }

  /** Re-creates every digest scheduler from the database and drops those of deleted ones. */
  async reconcile(): Promise<number> {
    const [settings, engagements, existing] = await Promise.all([
      this.dataSource.getRepository(DigestSettingsEntity).find(),
      this.dataSource.getRepository(EngagementEntity).find({ select: { id: true, reportingTimeZone: true } }),
      this.gate.run(this.queue, 'listing digest schedules', () => this.queue.getJobSchedulers(0, -1)),
    ]);
    const zones = new Map(engagements.map((e) => [e.id, e.reportingTimeZone]));
    const wanted = new Set<string>();
    for (const s of settings) {
      const zone = zones.get(s.engagementId);
      if (!zone) continue;
      await this.apply(s, zone);
      if (s.clientChannelId) wanted.add(digestSchedulerId(s.engagementId, 'client'));
      if (s.vendorChannelId) wanted.add(digestSchedulerId(s.engagementId, 'vendor'));
    }
    for (const s of existing)
      if (!wanted.has(s.key))
        await this.gate.run(this.queue, 'removing a digest schedule', () =>
          this.queue.removeJobScheduler(s.key),
        );
    return wanted.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reconcileAtStartup();
  }

  async reconcileAtStartup(): Promise<void> {
    try {
      const n = await this.reconcile();
      this.logger.log(`digest schedules: ${n} registered`);
    } catch (e) {
      this.logger.warn(
        `digest schedules not reconciled (${e instanceof Error ? e.message : String(e)}); retrying in ${RETRY_RECONCILE_MS / 1000} s`,
      );
      this.retryTimer = setTimeout(() => void this.reconcileAtStartup(), RETRY_RECONCILE_MS);
      this.retryTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
  }
}
