import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import {
  ConnectionEntity,
  DEFAULT_DIGEST_SCHEDULE,
  DigestEntity,
  DigestSettingsEntity,
  SecretBox,
  ShareLinkEntity,
  loadDigestRows,
  loadDigestSettings,
  validVendorShareLink,
  type EngagementEntity,
} from '@pulse/db';
import {
  DIGEST_JOB_OPTIONS,
  JOB_DIGEST,
  QUEUE_DIGEST,
  digestManualJobId,
  type DigestAudienceName,
  type DigestJobPayload,
  type DigestPreviewDto,
  type DigestRecordDto,
  type DigestSettingsDto,
} from '@pulse/contracts';
import { digestFromRows, digestWeeks, isoWeekOf, type DigestContent } from '@pulse/kpi';
import { badRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisGate } from '../queue/redis-gate.service';
import { DigestSchedulerService } from './digest-scheduler.service';
import type { PutDigestSettingsDto } from './digest.dto';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const toRecordDto = (r: DigestEntity): DigestRecordDto => ({
  id: r.id,
  audience: r.audience,
  isoWeek: r.isoWeek,
  manual: r.manual,
  channelId: r.channelId,
  ts: r.ts,
  status: r.status,
  errorCode: r.errorCode,
  errorMessage: r.errorMessage,
  attempts: r.attempts,
  postedAt: r.postedAt === null ? null : new Date(r.postedAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** The digest as the API sees it: settings, preview, "send now" and the history. */
@Injectable()
export class DigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly scheduler: DigestSchedulerService,
    private readonly gate: RedisGate,
    @InjectQueue(QUEUE_DIGEST) private readonly queue: Queue,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** The digest exactly as the worker would build it at `now` (same rows, same library). */
  async content(
    engagement: EngagementEntity,
    audience: DigestAudienceName,
    now = Date.now(),
  ): Promise<DigestContent> {
    const zone = engagement.reportingTimeZone;
    const rows = await loadDigestRows(this.dataSource, this.secrets, engagement, digestWeeks(now, zone), now);
    const publicUrl = this.config.PULSE_PUBLIC_URL?.replace(/\/+$/, '') ?? null;
    return digestFromRows({ engagement, audience, rows, now, publicUrl });
  }

  async preview(engagement: EngagementEntity, audience: DigestAudienceName): Promise<DigestPreviewDto> {
    const c = await this.content(engagement, audience);
    return { audience, isoWeek: c.isoWeek, blocks: c.blocks, text: c.text };
  }

  async settings(engagement: EngagementEntity, now = Date.now()): Promise<DigestSettingsDto> {
    const [row, slack] = await Promise.all([
      loadDigestSettings(this.dataSource, engagement.id),
      this.dataSource
        .getRepository(ConnectionEntity)
        .findOneBy({ engagementId: engagement.id, kind: 'slack' }),
    ]);
    const link = await validVendorShareLink(this.dataSource, this.secrets, row, now);
    return {
      clientChannelId: row?.clientChannelId ?? null,
      vendorChannelId: row?.vendorChannelId ?? null,
      weekday: row?.weekday ?? DEFAULT_DIGEST_SCHEDULE.weekday,
      timeOfDay: row?.timeOfDay ?? DEFAULT_DIGEST_SCHEDULE.timeOfDay,
      vendorShareLinkSet: Boolean(row?.vendorShareTokenCiphertext),
      vendorShareLinkValid: link !== null,
      slackConnected: slack !== null,
      reportingTimeZone: engagement.reportingTimeZone,
    };
  }

  async putSettings(
    engagement: EngagementEntity,
    body: PutDigestSettingsDto,
    now = Date.now(),
  ): Promise<DigestSettingsDto> {
    const current = await loadDigestSettings(this.dataSource, engagement.id);
    const next: DigestSettingsEntity = {
      engagementId: engagement.id,
      clientChannelId:
        body.clientChannelId !== undefined ? body.clientChannelId : (current?.clientChannelId ?? null),
      vendorChannelId:
        body.vendorChannelId !== undefined ? body.vendorChannelId : (current?.vendorChannelId ?? null),
      weekday: body.weekday ?? current?.weekday ?? DEFAULT_DIGEST_SCHEDULE.weekday,
      timeOfDay: body.timeOfDay ?? current?.timeOfDay ?? DEFAULT_DIGEST_SCHEDULE.timeOfDay,
      vendorShareTokenCiphertext: current?.vendorShareTokenCiphertext ?? null,
      updatedAt: now,
    };
    if (body.vendorShareLink === null) next.vendorShareTokenCiphertext = null;
    else if (body.vendorShareLink !== undefined) {
      // A pasted share URL or its bare token; only a live link of this engagement is kept.
      const token = /([\w-]{16,128})\/?$/.exec(body.vendorShareLink.trim())?.[1] ?? '';
      const link = await this.dataSource
        .getRepository(ShareLinkEntity)
        .findOneBy({ tokenHash: sha256(token), engagementId: engagement.id, revokedAt: IsNull() });
      if (!link || (link.expiresAt !== null && link.expiresAt <= now))
        throw badRequest([
          {
            field: 'vendorShareLink',
            message:
              'is not a valid share link of this engagement: create one under Share links and paste its URL',
          },
        ]);
      next.vendorShareTokenCiphertext = this.secrets.encrypt(token);
    }
    // Schedule first: if Redis refuses, the stored settings are unchanged.
    await this.scheduler.apply(next, engagement.reportingTimeZone);
    // Two saves at once for a new engagement must not collide on its primary key.
    await this.dataSource.getRepository(DigestSettingsEntity).upsert(next, ['engagementId']);
    return this.settings(engagement, now);
  }

  /** A manager's "send now": queued for the worker, recorded as manual. */
  async sendNow(
    engagement: EngagementEntity,
    audience: DigestAudienceName,
    userId: string,
    now = Date.now(),
  ): Promise<{ jobId: string; isoWeek: string }> {
    const settings = await loadDigestSettings(this.dataSource, engagement.id);
    const channel = audience === 'client' ? settings?.clientChannelId : settings?.vendorChannelId;
    if (!channel)
      throw badRequest([
        {
          field: 'audience',
          message: `the ${audience} digest has no channel: set one in the digest settings first`,
        },
      ]);
    const isoWeek = isoWeekOf(now, engagement.reportingTimeZone);
    const jobId = digestManualJobId(engagement.id, audience, isoWeek, Math.floor(now / 60_000));
    const data: DigestJobPayload = {
      engagementId: engagement.id,
      audience,
      manual: true,
      requestedBy: userId,
    };
    await this.gate.run(this.queue, 'queueing a digest', async () => {
      // A double click within the minute is one send; a new click after that send finished
      // (e.g. once the channel error is fixed) is a new one.
      const previous = await this.queue.getJob(jobId);
      if (previous && ((await previous.isCompleted()) || (await previous.isFailed())))
        await previous.remove();
      await this.queue.add(JOB_DIGEST, data, { ...DIGEST_JOB_OPTIONS, jobId });
    });
    return { jobId, isoWeek };
  }

  async history(engagementId: string): Promise<DigestRecordDto[]> {
    const rows = await this.dataSource
      .getRepository(DigestEntity)
      .find({ where: { engagementId }, order: { createdAt: 'DESC' }, take: 100 });
    return rows.map(toRecordDto);
  }
}
