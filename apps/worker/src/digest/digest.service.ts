import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  ConnectionEntity,
  DigestEntity,
  EngagementEntity,
  SecretBox,
  loadDigestRows,
  type DigestStatus,
} from '@pulse/db';
import type { DigestJobPayload } from '@pulse/contracts';
import { digestFromRows, digestWeeks, type DigestContent } from '@pulse/kpi';
import { slackSettingsSchema } from '@pulse/connectors';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';
import { SlackPostError, SlackPoster } from './slack-poster';

export class DigestGoneError extends Error {}

export type DigestOutcome =
  | { kind: 'off'; reason: string }
  | { kind: 'sent'; digestId: string; status: DigestStatus; ts: string; channel: string }
  | { kind: 'failed'; digestId: string; error: SlackPostError };

/**
 * Builds one engagement's digest for one audience and posts it — once per ISO week: the
 * digests row remembers the message, so a retried or duplicated job updates it instead.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly poster: SlackPoster,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async content(engagement: EngagementEntity, audience: DigestJobPayload['audience'], now: number) {
    const zone = engagement.reportingTimeZone;
    const rows = await loadDigestRows(this.dataSource, this.secrets, engagement, digestWeeks(now, zone), now);
    const publicUrl = this.config.PULSE_PUBLIC_URL?.replace(/\/+$/, '') ?? null;
    const content: DigestContent = digestFromRows({ engagement, audience, rows, now, publicUrl });
    return { content, settings: rows.settings };
  }

  async run(payload: DigestJobPayload, now = Date.now()): Promise<DigestOutcome> {
    const engagement = await this.dataSource
      .getRepository(EngagementEntity)
      .findOneBy({ id: payload.engagementId });
    if (!engagement) throw new DigestGoneError(`engagement ${payload.engagementId} no longer exists`);
    const { content, settings } = await this.content(engagement, payload.audience, now);
    const channel = payload.audience === 'client' ? settings?.clientChannelId : settings?.vendorChannelId;
    if (!channel) return { kind: 'off', reason: `the ${payload.audience} digest has no channel` };

    const digest = await this.row(engagement.id, payload, content.isoWeek, channel, now);
    const connection = await this.dataSource
      .getRepository(ConnectionEntity)
      .createQueryBuilder('c')
      .addSelect('c.secretCiphertext')
      .where('c.engagement_id = :id AND c.kind = :kind', { id: engagement.id, kind: 'slack' })
      .getOne();
    const parsed = connection ? slackSettingsSchema.safeParse(connection.settings) : null;
    if (!connection || !parsed?.success || !connection.secretCiphertext) {
      const error = new SlackPostError(
        'no_slack_connection',
        'The engagement has no Slack connection with a bot token: add one under Connections, then send again.',
        true,
      );
      await this.fail(digest, error, now);
      return { kind: 'failed', digestId: digest.id, error };
    }
    const target = {
      baseUrl: parsed.data.baseUrl,
      token: this.secrets.decrypt(connection.secretCiphertext),
      channel,
    };
    const message = { blocks: content.blocks, text: content.text };
    try {
      // Same channel and a message already there: replace it, never post a second one.
      let status: DigestStatus = 'posted';
      let posted;
      if (digest.ts && digest.channelId === channel) {
        try {
          posted = await this.poster.update(target, digest.ts, message);
          status = 'updated';
        } catch (e) {
          if (!(e instanceof SlackPostError) || e.code !== 'message_not_found') throw e;
          posted = await this.poster.post(target, message); // deleted in Slack: post it again
        }
      } else {
        posted = await this.poster.post(target, message);
      }
      const keepRateLimitNote = digest.errorCode === 'ratelimited';
      await this.dataSource.getRepository(DigestEntity).update(
        { id: digest.id },
        {
          channelId: posted.channel,
          ts: posted.ts,
          status,
          errorCode: keepRateLimitNote ? 'ratelimited' : null,
          errorMessage: keepRateLimitNote
            ? 'Slack rate limited the post; it was sent after the wait it asked for.'
            : null,
          postedAt: digest.postedAt ?? now,
          updatedAt: now,
        },
      );
      return { kind: 'sent', digestId: digest.id, status, ts: posted.ts, channel: posted.channel };
    } catch (e) {
      if (!(e instanceof SlackPostError)) throw e;
      await this.fail(digest, e, now);
      return { kind: 'failed', digestId: digest.id, error: e };
    }
  }

  private async fail(digest: DigestEntity, error: SlackPostError, now: number): Promise<void> {
    this.logger.warn(`digest ${digest.id} (${digest.audience}, ${digest.isoWeek}): ${error.code}`);
    await this.dataSource.getRepository(DigestEntity).update(
      { id: digest.id },
      {
        // A message already in Slack stays "posted": only this update failed.
        status: digest.ts ? digest.status : 'failed',
        errorCode: error.code,
        errorMessage: error.message,
        updatedAt: now,
      },
    );
  }

  /** The week's row for this engagement, audience and kind, created once; attempts counted. */
  private async row(
    engagementId: string,
    payload: DigestJobPayload,
    isoWeek: string,
    channel: string,
    now: number,
  ): Promise<DigestEntity> {
    const repo = this.dataSource.getRepository(DigestEntity);
    const key = { engagementId, audience: payload.audience, isoWeek, manual: payload.manual === true };
    let row = await repo.findOneBy(key);
    if (!row) {
      try {
        await repo.insert({
          id: randomUUID(),
          ...key,
          channelId: channel,
          ts: null,
          status: 'pending',
          errorCode: null,
          errorMessage: null,
          attempts: 0,
          postedAt: null,
          createdAt: now,
          updatedAt: now,
        });
      } catch (e) {
        if (!(e instanceof QueryFailedError)) throw e; // another job created it first
      }
      row = await repo.findOneByOrFail(key);
    }
    row.attempts += 1;
    await repo.update({ id: row.id }, { attempts: row.attempts });
    return row;
  }
}
